import { describe, expect, it } from "vitest";
import { chooseK, ELBOW_SILHOUETTE_SLACK } from "../../../app/analytics/clustering/choose-k";
import { matrixFromRows, type Matrix } from "../../../app/analytics/util/matrix";
import { createRng, randomNormal } from "../../../app/analytics/util/random";
import { dataset } from "./reference";

function blobs(centers: number[][], perBlob: number, sd: number, seed: number): Matrix {
  const rng = createRng(seed);
  const rows: number[][] = [];
  for (let i = 0; i < perBlob; i++) for (const c of centers) rows.push(c.map((v) => v + sd * randomNormal(rng)));
  return matrixFromRows(rows);
}

describe("chooseK", () => {
  it("finds 5 well-separated blobs by both criteria", () => {
    const x = blobs([[0, 0], [10, 0], [0, 10], [10, 10], [20, 5]], 60, 0.6, 1);
    const r = chooseK(x, { seed: 3 });
    expect(r.bySilhouette).toBe(5);
    expect(r.byElbow).toBe(5);
    expect(r.k).toBe(5);
    expect(r.rule).toMatch(/agree: K = 5/);
    expect(r.curve.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("reports a curve with decreasing inertia and silhouettes in [-1, 1]; k follows the documented rule", () => {
    const x = dataset("online_retail_rfm");
    const r = chooseK(x, { seed: 1, kMin: 2, kMax: 8, sampleSize: 2000 });
    expect(r.curve).toHaveLength(7);
    for (let i = 1; i < r.curve.length; i++) expect(r.curve[i]!.inertia).toBeLessThan(r.curve[i - 1]!.inertia);
    for (const c of r.curve) expect(Math.abs(c.silhouette)).toBeLessThanOrEqual(1);
    const best = Math.max(...r.curve.map((c) => c.silhouette));
    expect(r.curve.find((c) => c.k === r.bySilhouette)!.silhouette).toBe(best);
    const elbow = r.curve.find((c) => c.k === r.byElbow);
    const expected = elbow && elbow.silhouette >= best - ELBOW_SILHOUETTE_SLACK ? elbow.k : r.bySilhouette;
    expect(r.k).toBe(expected);
    expect(r.rule).toContain(`K = ${r.k}`);
    // deterministic
    expect(chooseK(x, { seed: 1, kMin: 2, kMax: 8, sampleSize: 2000 })).toEqual(r);
  });

  // Two pairs of blobs: the pairs are 20 apart, the blobs of a pair `gap` apart. The silhouette
  // peaks at K = 2 (the pairs), the inertia elbow is at K = 4 (the blobs).
  const pairs = (gap: number): Matrix => blobs([[0, 0], [0, gap], [20, 0], [20, gap]], 60, 0.7, 5);

  it("takes the elbow K when its silhouette is within 0.05 of the best", () => {
    const r = chooseK(pairs(6), { seed: 2, kMax: 8 });
    expect([r.bySilhouette, r.byElbow, r.k]).toEqual([2, 4, 4]);
    expect(r.rule).toMatch(/elbow K = 4 .* within 0\.05 .*; K = 4$/);
  });

  it("keeps the silhouette K when the elbow separates clearly worse", () => {
    const r = chooseK(pairs(4), { seed: 2, kMax: 8 });
    expect([r.bySilhouette, r.byElbow, r.k]).toEqual([2, 4, 2]);
    expect(r.rule).toMatch(/separates worse .*; K = 2$/);
  });

  it("clamps kMax to rows − 1 and validates", () => {
    const x = matrixFromRows([[0], [1], [5], [6], [20]]);
    expect(chooseK(x, { seed: 1 }).curve.map((c) => c.k)).toEqual([2, 3, 4]);
    expect(() => chooseK(x, { seed: 1, kMin: 1 })).toThrow(/kMin/);
    expect(() => chooseK(x, { seed: 1, kMin: 4, kMax: 3 })).toThrow(/kMax/);
    expect(() => chooseK(matrixFromRows([[0], [1]]), { seed: 1 })).toThrow(/rows/);
  });
});
