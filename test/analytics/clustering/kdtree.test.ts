import { describe, expect, it } from "vitest";
import { KdTree } from "../../../app/analytics/clustering/kdtree";
import { createRng } from "../../../app/analytics/util/random";

describe("KdTree.nearestWithin: nearest point within a radius", () => {
  it("equals a brute-force scan, ties to the lower index", () => {
    const rng = createRng(9);
    for (const d of [2, 3]) {
      const n = 700;
      // integer-ish coordinates make exact ties and duplicates common
      const pts = Float64Array.from({ length: n * d }, () => Math.round(rng() * 20) / 4);
      const index = new KdTree({ data: pts, rows: n, cols: d });
      for (let q = 0; q < 2000; q++) {
        const query = Float64Array.from({ length: d }, () => Math.round(rng() * 24) / 4 - 0.5);
        const r2 = [0.05, 0.3, 1, 4][q % 4]!;
        let best = -1;
        let bestD = r2;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (query[j]! - pts[i * d + j]!) ** 2;
          if (s < bestD || (s === bestD && best < 0)) {
            bestD = s;
            best = i;
          }
        }
        expect(index.nearestWithin(query, 0, r2)).toBe(best);
      }
    }
  });
  it("returns −1 for an empty set or nothing in range", () => {
    expect(new KdTree({ data: new Float64Array(0), rows: 0, cols: 3 }).nearestWithin([0, 0, 0], 0, 1)).toBe(-1);
    expect(new KdTree({ data: Float64Array.from([5, 5]), rows: 1, cols: 2 }).nearestWithin([0, 0], 0, 1)).toBe(-1);
  });
});
