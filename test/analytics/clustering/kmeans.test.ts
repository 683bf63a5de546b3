import { describe, expect, it } from "vitest";
import { kmeans as mlKmeans } from "ml-kmeans";
import { assignKMeans, fitKMeans, kmeansInertia, type KMeansModel } from "../../../app/analytics/clustering/kmeans";
import { matrixFromRows, type Matrix } from "../../../app/analytics/util/matrix";
import { createRng, randomNormal } from "../../../app/analytics/util/random";
import { dataset, readFixture, type KMeansCase } from "./reference";

const golden = readFixture<{ nInit: number; sklearn: string; cases: KMeansCase[] }>("cluster_kmeans.json");

function toRows(x: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.rows; i++) out.push(Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  return out;
}

describe("fitKMeans: hand-computed", () => {
  it("splits two obvious pairs into their means", () => {
    const x = matrixFromRows([[0, 0], [0, 1], [10, 10], [10, 11]]);
    const { model, labels } = fitKMeans(x, { k: 2, seed: 1 });
    expect(labels[0]).toBe(labels[1]);
    expect(labels[2]).toBe(labels[3]);
    expect(labels[0]).not.toBe(labels[2]);
    const c = model.centroids[labels[0] as number];
    expect(c).toEqual([0, 0.5]);
    expect(model.centroids[labels[2] as number]).toEqual([10, 10.5]);
    // 4 points each 0.5 from their centroid: 4 × 0.25
    expect(model.inertia).toBeCloseTo(1, 12);
    expect(model).toMatchObject({ kind: "kmeans", k: 2, dims: 2 });
  });

  it("k = 1 gives the mean and the total sum of squares", () => {
    const x = matrixFromRows([[1], [2], [3], [6]]);
    const { model } = fitKMeans(x, { k: 1, seed: 0 });
    expect(model.centroids).toEqual([[3]]);
    expect(model.inertia).toBeCloseTo(4 + 1 + 0 + 9, 12);
  });

  it("k = n puts one centroid on every point (inertia 0)", () => {
    const x = matrixFromRows([[0, 0], [5, 0], [0, 5]]);
    const { model } = fitKMeans(x, { k: 3, seed: 3 });
    expect(model.inertia).toBe(0);
    expect(model.centroids.map((c) => c.join(",")).sort()).toEqual(["0,0", "0,5", "5,0"]);
  });

  it("more clusters than distinct points: no NaN, every point at distance 0", () => {
    const x = matrixFromRows([[1, 1], [1, 1], [1, 1], [2, 2], [2, 2]]);
    const { model, labels } = fitKMeans(x, { k: 4, seed: 9 });
    expect(model.centroids.flat().every(Number.isFinite)).toBe(true);
    expect(model.inertia).toBe(0);
    // duplicate centroids are allowed; each point's own centroid sits on it
    for (let i = 0; i < x.rows; i++) expect(model.centroids[labels[i]!]).toEqual([x.data[2 * i], x.data[2 * i + 1]]);
    expect(labels[3]).not.toBe(labels[0]);
  });
});

describe("fitKMeans: contract", () => {
  const x = dataset("blobs3d_aniso");

  it("is deterministic for a seed and does not mutate its input", () => {
    const before = x.data.slice();
    const a = fitKMeans(x, { k: 6, seed: 42 });
    const b = fitKMeans(x, { k: 6, seed: 42 });
    expect(a.model).toEqual(b.model);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(x.data)).toEqual(Array.from(before));
  });

  it("accepts a frozen options object and a frozen matrix wrapper", () => {
    const r = fitKMeans(Object.freeze({ ...x }), Object.freeze({ k: 3, seed: 1, nInit: 1 }));
    expect(r.model.k).toBe(3);
  });

  it("labels, centroids and inertia agree; the model is JSON-serialisable and assigns the training rows to the same labels", () => {
    const { model, labels } = fitKMeans(x, { k: 6, seed: 7 });
    expect(kmeansInertia(x, model.centroids, labels)).toBeCloseTo(model.inertia, 6);
    const revived = JSON.parse(JSON.stringify(model)) as KMeansModel;
    expect(Array.from(assignKMeans(revived, x))).toEqual(Array.from(labels));
    // every centroid is the mean of its points (converged Lloyd fixed point)
    for (let j = 0; j < model.k; j++) {
      const mean = [0, 0, 0];
      let n = 0;
      for (let i = 0; i < x.rows; i++) {
        if (labels[i] !== j) continue;
        n++;
        for (let t = 0; t < 3; t++) mean[t]! += x.data[i * 3 + t]!;
      }
      expect(n).toBeGreaterThan(0);
      mean.forEach((v, t) => expect(v / n).toBeCloseTo(model.centroids[j]![t]!, 3));
    }
  });

  it("assignKMeans places new points at their nearest centroid, ties to the lower index", () => {
    const model: KMeansModel = { kind: "kmeans", k: 2, dims: 1, centroids: [[0], [2]], inertia: 0, iterations: 1 };
    expect(Array.from(assignKMeans(model, matrixFromRows([[-5], [0.9], [1], [1.1], [9]])))).toEqual([0, 0, 0, 1, 1]);
    expect(() => assignKMeans(model, matrixFromRows([[1, 2]]))).toThrow(/columns/);
  });

  it("more restarts never give a worse inertia (the best restart is kept)", () => {
    const one = fitKMeans(x, { k: 8, seed: 5, nInit: 1 }).model.inertia;
    const ten = fitKMeans(x, { k: 8, seed: 5, nInit: 10 }).model.inertia;
    expect(ten).toBeLessThanOrEqual(one);
  });

  it("tolerance 0 runs to strict convergence: one more E-step changes nothing", () => {
    const { model, labels } = fitKMeans(x, { k: 5, seed: 2, nInit: 1, tolerance: 0 });
    expect(model.iterations).toBeLessThan(300);
    expect(Array.from(assignKMeans(model, x))).toEqual(Array.from(labels));
  });

  it("maxIterations caps the iterations", () => {
    expect(fitKMeans(x, { k: 6, seed: 2, nInit: 1, maxIterations: 2 }).model.iterations).toBeLessThanOrEqual(2);
  });

  it("rejects bad input with clear errors", () => {
    const small = matrixFromRows([[1, 2], [3, 4]]);
    expect(() => fitKMeans(small, { k: 0, seed: 1 })).toThrow(/k must be/);
    expect(() => fitKMeans(small, { k: 3, seed: 1 })).toThrow(/exceeds/);
    expect(() => fitKMeans(small, { k: 1, seed: 1, nInit: 0 })).toThrow(/nInit/);
    expect(() => fitKMeans(small, { k: 1, seed: Number.NaN })).toThrow(/seed/);
    expect(() => fitKMeans(matrixFromRows([[1, Number.NaN]]), { k: 1, seed: 1 })).toThrow(/non-finite/);
    expect(() => fitKMeans({ data: new Float64Array(3), rows: 2, cols: 2 }, { k: 1, seed: 1 })).toThrow(/expected/);
  });
});

describe("fitKMeans vs scikit-learn (best of 10 k-means++ inits)", () => {
  it.each(golden.cases.map((c) => [c.dataset, c.k, c] as const))("%s, K = %i: inertia within 1 %%", (_name, _k, c) => {
    const x = dataset(c.dataset);
    const ours = fitKMeans(x, { k: c.k, seed: 0, nInit: golden.nInit }).model.inertia;
    expect(ours).toBeLessThanOrEqual(c.inertia * 1.01);
    // and not implausibly lower (a wrong inertia would show here)
    expect(ours).toBeGreaterThanOrEqual(c.inertia * 0.99);
  });

  it("with the default nInit (3) every case is still within 2 % of scikit-learn's best of 10", () => {
    const worst = Math.max(
      ...golden.cases.map((c) => fitKMeans(dataset(c.dataset), { k: c.k, seed: 11 }).model.inertia / c.inertia),
    );
    expect(worst).toBeLessThan(1.02);
  });
});

describe("cross-check: ml-kmeans", () => {
  it("finds comparable inertia on the same data (ours ≤ ml-kmeans + 1 %, best of 5 seeds each)", () => {
    const x = dataset("blobs3d_aniso");
    const rows = toRows(x);
    let ml = Infinity;
    for (let s = 0; s < 5; s++) {
      const r = mlKmeans(rows, 6, { seed: s + 1, initialization: "kmeans++" });
      const labels = Int32Array.from(r.clusters);
      ml = Math.min(ml, kmeansInertia(x, r.centroids, labels));
    }
    const ours = fitKMeans(x, { k: 6, seed: 1, nInit: 5 }).model.inertia;
    expect(ours).toBeLessThanOrEqual(ml * 1.01);
    expect(ours).toBeGreaterThan(ml * 0.9);
  });
});

describe("fitKMeans: empty clusters", () => {
  it("relocates an empty cluster instead of returning a NaN centroid", () => {
    // 3 tight far-apart groups plus one far outlier; k = 4 must use all 4 centroids.
    const rng = createRng(3);
    const rows: number[][] = [];
    for (const [cx, cy] of [[0, 0], [50, 0], [0, 50]] as const) {
      for (let i = 0; i < 100; i++) rows.push([cx + randomNormal(rng) * 0.1, cy + randomNormal(rng) * 0.1]);
    }
    rows.push([1000, 1000]);
    const x = matrixFromRows(rows);
    for (let seed = 0; seed < 10; seed++) {
      const { model, labels } = fitKMeans(x, { k: 4, seed, nInit: 1 });
      expect(model.centroids.flat().every(Number.isFinite)).toBe(true);
      expect(new Set(labels).size).toBe(4);
      expect(model.centroids.some((c) => c[0] === 1000 && c[1] === 1000)).toBe(true);
    }
  });
});

describe("fitKMeans: from initial centroids (refresh)", () => {
  const rows: number[][] = [];
  const rng = createRng(4);
  for (const [cx, cy] of [[0, 0], [10, 0], [0, 10]] as const) {
    for (let i = 0; i < 50; i++) rows.push([cx + randomNormal(rng), cy + randomNormal(rng)]);
  }
  const x = matrixFromRows(rows);

  it("runs Lloyd from the given centres to a fixed point: each centre is its members' mean", () => {
    const { model, labels } = fitKMeans(x, { k: 3, seed: 0, initialCentroids: [[1, 1], [9, 1], [1, 9]] });
    expect(Array.from(assignKMeans(model, x))).toEqual(Array.from(labels));
    for (let j = 0; j < 3; j++) {
      const members = rows.filter((_, i) => labels[i] === j);
      expect(model.centroids[j]![0]).toBeCloseTo(members.reduce((s, r) => s + r[0]!, 0) / members.length, 10);
    }
    expect(model.inertia).toBeCloseTo(kmeansInertia(x, model.centroids, labels), 8);
  });
  it("keeps the centre of a cluster that gets no point, and the label order of the given centres", () => {
    const { model, labels } = fitKMeans(x, { k: 4, seed: 0, initialCentroids: [[0, 10], [10, 0], [0, 0], [500, 500]] });
    expect(model.centroids[3]).toEqual([500, 500]);
    expect(labels[0]).toBe(2);
    expect(labels[50]).toBe(1);
    expect(labels[100]).toBe(0);
  });
  it("rejects centroids that do not match k or the columns", () => {
    expect(() => fitKMeans(x, { k: 2, seed: 0, initialCentroids: [[0, 0]] })).toThrow(RangeError);
    expect(() => fitKMeans(x, { k: 1, seed: 0, initialCentroids: [[0, 0, 0]] })).toThrow(RangeError);
  });
});
