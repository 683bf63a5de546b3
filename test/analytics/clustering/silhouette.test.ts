import { describe, expect, it } from "vitest";
import { sampledSilhouette } from "../../../app/analytics/clustering/silhouette";
import { matrixFromRows } from "../../../app/analytics/util/matrix";
import { dataset, readFixture, type SilhouetteCase } from "./reference";

const metrics = readFixture<{ silhouette: SilhouetteCase[] }>("cluster_metrics.json.gz");

describe("sampledSilhouette: hand-computed", () => {
  it("two pairs on a line", () => {
    // [0] [1] | [5] [6]: s(0) = (5.5 − 1)/5.5, s(1) = (4.5 − 1)/4.5, symmetric for the other pair
    const x = matrixFromRows([[0], [1], [5], [6]]);
    const s = sampledSilhouette(x, Int32Array.from([0, 0, 1, 1]), { sampleSize: 10, seed: 1 });
    expect(s).toBeCloseTo((4.5 / 5.5 + 3.5 / 4.5) / 2, 14);
  });

  it("singleton clusters score 0, duplicates (a = b = 0) score 0, one cluster gives 0", () => {
    const x = matrixFromRows([[0], [0], [0], [10]]);
    // points 0,1 in cluster 0 (a = 0), point 2 alone in cluster 1 at distance 0 (b = 0 for 0,1), point 3 alone
    expect(sampledSilhouette(x, Int32Array.from([0, 0, 1, 2]), { sampleSize: 4, seed: 0 })).toBe(0);
    expect(sampledSilhouette(x, Int32Array.from([5, 5, 5, 5]), { sampleSize: 4, seed: 0 })).toBe(0);
  });

  it("validates its arguments and does not mutate them", () => {
    const x = matrixFromRows([[0], [1], [5]]);
    const labels = Int32Array.from([0, 0, 1]);
    expect(() => sampledSilhouette(x, Int32Array.from([0, 1]), { sampleSize: 3, seed: 0 })).toThrow(/labels/);
    expect(() => sampledSilhouette(x, labels, { sampleSize: 1, seed: 0 })).toThrow(/sampleSize/);
    expect(() => sampledSilhouette(x, [0, 0, 1] as unknown as Int32Array, { sampleSize: 3, seed: 0 })).toThrow(/Int32Array/);
    sampledSilhouette(Object.freeze({ ...x }), labels, Object.freeze({ sampleSize: 3, seed: 0 }));
    expect(Array.from(labels)).toEqual([0, 0, 1]);
  });
});

describe("sampledSilhouette vs sklearn.metrics.silhouette_score", () => {
  it.each(metrics.silhouette.map((c) => [c.dataset, c.labelsFrom, c] as const))("exact: %s, %s", (_d, _l, c) => {
    const x = dataset(c.dataset);
    const s = sampledSilhouette(x, Int32Array.from(c.labels), { sampleSize: x.rows, seed: 0 });
    expect(Math.abs(s - c.score)).toBeLessThan(1e-12);
  });

  it("sampled (1,000 of 4,338 Online Retail customers): within 0.03 of the full value, as scikit-learn's own samples are", () => {
    const c = metrics.silhouette.find((v) => v.dataset === "online_retail_rfm")!;
    const x = dataset(c.dataset);
    const labels = Int32Array.from(c.labels);
    const ours = Array.from({ length: 10 }, (_, seed) => sampledSilhouette(x, labels, { sampleSize: 1000, seed }));
    for (const v of ours) expect(Math.abs(v - c.score)).toBeLessThan(0.03);
    for (const v of c.sampled1000!) expect(Math.abs(v - c.score)).toBeLessThan(0.03);
    const mean = ours.reduce((a, b) => a + b, 0) / ours.length;
    expect(Math.abs(mean - c.score)).toBeLessThan(0.01);
    // different seeds draw different samples
    expect(new Set(ours).size).toBeGreaterThan(1);
    // the same seed draws the same sample
    expect(sampledSilhouette(x, labels, { sampleSize: 1000, seed: 3 })).toBe(ours[3]);
  });
});
