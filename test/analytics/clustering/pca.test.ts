import { describe, expect, it } from "vitest";
import { jacobiEigen, pca2d } from "../../../app/analytics/clustering/pca";
import { matrixFromRows } from "../../../app/analytics/util/matrix";
import { dataset, readFixture, type PcaCase } from "./reference";

const metrics = readFixture<{ pca: PcaCase[] }>("cluster_metrics.json.gz");

describe("pca2d: hand-computed", () => {
  it("points on the line y = 2x: first component (1, 2)/√5 with all the variance", () => {
    const p = pca2d(matrixFromRows([[0, 0], [1, 2], [2, 4], [3, 6]]));
    expect(p.components[0]![0]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(p.components[0]![1]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(p.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
    expect(p.explainedVarianceRatio[1]).toBeCloseTo(0, 12);
    expect(p.mean).toEqual([1.5, 3]);
    const proj = p.project(matrixFromRows([[1.5, 3], [2.5, 5]]));
    expect(proj[0]).toBeCloseTo(0, 12);
    expect(proj[2]).toBeCloseTo(Math.sqrt(5), 12);
  });

  it("sign convention: the largest |entry| of each component is positive", () => {
    for (const c of metrics.pca) {
      const p = pca2d(dataset(c.dataset));
      for (const comp of p.components) {
        const big = comp.reduce((b, v, i) => (Math.abs(v) > Math.abs(comp[b]!) ? i : b), 0);
        expect(comp[big]).toBeGreaterThan(0);
      }
    }
  });

  it("Jacobi reproduces a known symmetric eigenproblem", () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1
    const { values } = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(Array.from(values).sort()).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
  });

  it("validates input and project() checks columns", () => {
    expect(() => pca2d({ data: new Float64Array(0), rows: 0, cols: 2 })).toThrow(/rows/);
    const p = pca2d(matrixFromRows([[0, 1], [1, 0], [2, 2]]));
    expect(() => p.project(matrixFromRows([[1, 2, 3]]))).toThrow(/columns/);
  });
});

describe("pca2d vs sklearn.decomposition.PCA (up to sign)", () => {
  it.each(metrics.pca.map((c) => [c.dataset, c] as const))("%s", (_d, c) => {
    const x = dataset(c.dataset);
    const before = x.data.slice();
    const p = pca2d(x);
    expect(Array.from(x.data)).toEqual(Array.from(before));
    p.explainedVarianceRatio.forEach((v, i) => expect(v).toBeCloseTo(c.explainedVarianceRatio[i]!, 10));
    p.mean.forEach((v, i) => expect(v).toBeCloseTo(c.mean[i]!, 12));
    const proj = p.project({ data: x.data.slice(0, 5 * x.cols), rows: 5, cols: x.cols });
    for (let comp = 0; comp < 2; comp++) {
      const ours = p.components[comp]!;
      const theirs = c.components[comp]!;
      const sign = Math.sign(ours.reduce((s, v, i) => s + v * theirs[i]!, 0));
      expect(Math.abs(sign)).toBe(1);
      ours.forEach((v, i) => expect(v * sign).toBeCloseTo(theirs[i]!, 9));
      for (let r = 0; r < 5; r++) expect(proj[r * 2 + comp]! * sign).toBeCloseTo(c.projectedFirstRows[r]![comp]!, 9);
    }
  });
});
