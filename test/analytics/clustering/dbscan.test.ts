import { describe, expect, it } from "vitest";
import { DBSCAN as DensityDbscan } from "density-clustering";
import { dbscan, proposeEps, EPS_CURVE_POINTS } from "../../../app/analytics/clustering/dbscan";
import { KdTree } from "../../../app/analytics/clustering/kdtree";
import { matrixFromRows, type Matrix } from "../../../app/analytics/util/matrix";
import { createRng } from "../../../app/analytics/util/random";
import { syntheticRfmFeatures } from "../../../bench/synthetic-rfm";
import { dataset, readFixture, type DbscanCase, type KDistCase } from "./reference";

const golden = readFixture<{ sklearn: string; cases: DbscanCase[] }>("cluster_dbscan.json.gz");
const kdist = readFixture<{ cases: KDistCase[] }>("cluster_kdistance.json.gz");

describe("dbscan: hand-computed", () => {
  // Two vertical triples 2 apart; P = (1, 0.5) is exactly eps = 1 from both middle points.
  // minPoints = 4: only the middle points are core (self + 2 + P); the ends and P are border.
  // Cluster B is listed first, so it gets id 0; P touches both clusters and takes the smaller id.
  const x = matrixFromRows([
    [2, 0], [2, 0.5], [2, 1], // B (id 0)
    [0, 0], [0, 0.5], [0, 1], // A (id 1)
    [1, 0.5], // P, border of both
    [5, 5], // noise
  ]);

  it("core, border and noise points and scikit-learn's numbering", () => {
    const r = dbscan(x, { eps: 1, minPoints: 4 });
    expect(Array.from(r.isCore)).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1, 1, 0, -1]);
    expect(r.clusterCount).toBe(2);
  });

  it("counts the point itself in minPoints and includes neighbours at exactly eps", () => {
    // minPoints = 1: every point is core; eps just below 1 splits everything except the triples' 0.5 steps
    const r = dbscan(x, { eps: 1, minPoints: 1 });
    expect(r.isCore.every((v) => v === 1)).toBe(true);
    expect(r.clusterCount).toBe(2); // {A, B, P} chained through P at distance exactly 1, and (5,5)
    expect(new Set(Array.from(r.labels).slice(0, 7)).size).toBe(1);
    const below = dbscan(x, { eps: 0.999, minPoints: 1 });
    expect(below.clusterCount).toBe(4);
  });

  it("does not mutate its input and rejects bad options", () => {
    const before = x.data.slice();
    dbscan(Object.freeze({ ...x }), Object.freeze({ eps: 1, minPoints: 4 }));
    expect(Array.from(x.data)).toEqual(Array.from(before));
    expect(() => dbscan(x, { eps: 0, minPoints: 4 })).toThrow(/eps/);
    expect(() => dbscan(x, { eps: Number.POSITIVE_INFINITY, minPoints: 4 })).toThrow(/eps/);
    expect(() => dbscan(x, { eps: 1, minPoints: 0 })).toThrow(/minPoints/);
    expect(() => dbscan(x, { eps: 1, minPoints: 2.5 })).toThrow(/minPoints/);
    expect(() => dbscan(matrixFromRows([[0, Number.NaN]]), { eps: 1, minPoints: 1 })).toThrow(/non-finite/);
    expect(dbscan({ data: new Float64Array(0), rows: 0, cols: 2 }, { eps: 1, minPoints: 1 }).clusterCount).toBe(0);
  });

  it("works in one dimension (cells two apart can still be neighbours)", () => {
    const r = dbscan(matrixFromRows([[0], [0.99], [1.98], [10]]), { eps: 1, minPoints: 2 });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, -1]);
  });
});

describe("dbscan vs scikit-learn: identical labels (not only up to permutation)", () => {
  it.each(golden.cases.map((c) => [c.dataset, c.eps, c.minPoints, c] as const))(
    "%s eps=%d minPoints=%i",
    (_n, _e, _m, c) => {
      const x = dataset(c.dataset);
      const r = dbscan(x, { eps: c.eps, minPoints: c.minPoints });
      const core: number[] = [];
      r.isCore.forEach((v, i) => v && core.push(i));
      expect(core).toEqual(c.core);
      expect(r.clusterCount).toBe(c.clusterCount);
      expect(Array.from(r.labels)).toEqual(c.labels);
    },
  );

  it("covers both code paths, ties at exactly eps, minPoints = 1, and Online Retail at the knee eps", () => {
    expect(golden.cases.some((c) => dataset(c.dataset).cols > 4)).toBe(true);
    expect(golden.cases.some((c) => c.dataset === "lattice")).toBe(true);
    expect(golden.cases.some((c) => c.minPoints === 1)).toBe(true);
    const knee = kdist.cases.find((c) => c.dataset === "online_retail_rfm")!;
    expect(golden.cases.some((c) => c.dataset === "online_retail_rfm" && c.eps === knee.eps)).toBe(true);
  });
});

describe("dbscan: grid path and tree path agree", () => {
  it("3-D data padded with zero columns to 5-D (tree path) gives the same labels as the grid path", () => {
    const x3 = syntheticRfmFeatures(4000, 77);
    const x5: Matrix = { data: new Float64Array(4000 * 5), rows: 4000, cols: 5 };
    for (let i = 0; i < 4000; i++) for (let t = 0; t < 3; t++) x5.data[i * 5 + t] = x3.data[i * 3 + t]!;
    for (const [eps, minPoints] of [[0.1, 6], [0.25, 10], [0.05, 3]] as const) {
      const a = dbscan(x3, { eps, minPoints });
      const b = dbscan(x5, { eps, minPoints });
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
      expect(Array.from(b.isCore)).toEqual(Array.from(a.isCore));
      expect(a.clusterCount).toBeGreaterThan(1);
    }
  });
});

describe("cross-check: density-clustering", () => {
  it("same noise set and the same clusters up to permutation on moons (borders may differ)", () => {
    const x = dataset("moons_noise");
    const rows: number[][] = [];
    for (let i = 0; i < x.rows; i++) rows.push([x.data[2 * i]!, x.data[2 * i + 1]!]);
    const lib = new DensityDbscan();
    const clusters = lib.run(rows, 0.12, 5); // eps is not a pairwise distance here, so < vs ≤ does not matter
    const ours = dbscan(x, { eps: 0.12, minPoints: 5 });
    expect(lib.noise.slice().sort((a, b) => a - b)).toEqual(
      Array.from(ours.labels).flatMap((l, i) => (l === -1 ? [i] : [])),
    );
    expect(clusters.length).toBe(ours.clusterCount);
    // every library cluster maps onto exactly one of ours for its core points
    for (const members of clusters) {
      const ids = new Set(members.filter((i) => ours.isCore[i] === 1).map((i) => ours.labels[i]));
      expect(ids.size).toBe(1);
    }
  });
});

describe("proposeEps vs scikit-learn's k-distances", () => {
  it.each(kdist.cases.map((c) => [c.dataset, c.minPoints, c] as const))("%s minPoints=%i", (_n, _m, c) => {
    const x = dataset(c.dataset);
    const p = proposeEps(x, c.minPoints);
    expect(p.kneeIndex).toBe(c.kneeIndex);
    expect(p.eps).toBeCloseTo(c.eps, 12);
    for (const probe of c.probe) {
      const pt = p.curve.find((q) => q.index === probe.index);
      if (pt) expect(pt.distance).toBeCloseTo(probe.distance, 12);
    }
    expect(p.curve.length).toBeLessThanOrEqual(EPS_CURVE_POINTS + 1);
    expect(p.curve.some((q) => q.index === p.kneeIndex && q.distance === p.eps)).toBe(true);
    for (let i = 1; i < p.curve.length; i++) {
      expect(p.curve[i]!.index).toBeGreaterThan(p.curve[i - 1]!.index);
      expect(p.curve[i]!.distance).toBeGreaterThanOrEqual(p.curve[i - 1]!.distance);
    }
    expect(p.curve[0]!.index).toBe(0);
    expect(p.curve.at(-1)!.index).toBe(x.rows - 1);
    if (c.kdistByRow) {
      const kd = new KdTree(x).kthNeighborSqDist(c.minPoints);
      const worst = Math.max(...c.kdistByRow.map((v, i) => Math.abs(Math.sqrt(kd[i]!) - v)));
      expect(worst).toBeLessThan(1e-12);
    }
  });

  it("k-distance counts the point itself: minPoints = 1 gives 0 everywhere", () => {
    const kd = new KdTree(dataset("blobs2d")).kthNeighborSqDist(1);
    expect(kd.every((v) => v === 0)).toBe(true);
  });

  it("rejects minPoints outside 1..rows", () => {
    const x = matrixFromRows([[0], [1]]);
    expect(() => proposeEps(x, 0)).toThrow(/minPoints/);
    expect(() => proposeEps(x, 3)).toThrow(/exceeds/);
  });
});

/** Textbook O(n²) DBSCAN with scikit-learn's rules, as an oracle for random data. */
function naiveDbscan(x: Matrix, eps: number, minPoints: number): { labels: number[]; isCore: number[] } {
  const n = x.rows;
  const d = x.cols;
  const nb: number[][] = [];
  for (let i = 0; i < n; i++) {
    const list: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (x.data[i * d + t]! - x.data[j * d + t]!) ** 2;
      if (s <= eps * eps) list.push(j);
    }
    nb.push(list);
  }
  const isCore = nb.map((l) => (l.length >= minPoints ? 1 : 0));
  // scikit-learn's dbscan_inner: DFS from each unlabelled core point in index order
  const labels = new Array<number>(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !isCore[i]) continue;
    const stack = [i];
    while (stack.length) {
      const p = stack.pop()!;
      if (labels[p] !== -1) continue;
      labels[p] = next;
      if (isCore[p]) for (const q of nb[p]!) if (labels[q] === -1) stack.push(q);
    }
    next++;
  }
  return { labels, isCore };
}

describe("dbscan vs a naive O(n²) oracle on random data", () => {
  it.each([1, 2, 3, 4, 5, 6])("dimension %i: random points with duplicates and integer coordinates", (d) => {
    const rng = createRng(100 + d);
    for (let trial = 0; trial < 6; trial++) {
      const n = 150 + Math.floor(rng() * 250);
      const data = new Float64Array(n * d);
      for (let i = 0; i < n * d; i++) data[i] = trial % 2 ? Math.floor(rng() * 8) : rng() * 10;
      for (let i = 0; i < 20; i++) {
        const src = Math.floor(rng() * n) * d; // duplicate a random row
        data.copyWithin(Math.floor(rng() * n) * d, src, src + d);
      }
      const x: Matrix = { data, rows: n, cols: d };
      const eps = trial % 2 ? 1 + Math.floor(rng() * 2) : 0.5 + rng() * 2;
      const minPoints = 1 + Math.floor(rng() * 8);
      const want = naiveDbscan(x, eps, minPoints);
      const got = dbscan(x, { eps, minPoints });
      expect(Array.from(got.isCore)).toEqual(want.isCore);
      expect(Array.from(got.labels)).toEqual(want.labels);
    }
  });

  it("uses string cell keys when the linear key would exceed 2^53 (wide spread in 3-D)", () => {
    const rng = createRng(9);
    const rows: number[][] = [];
    for (const c of [0, 160_000]) for (let i = 0; i < 60; i++) rows.push([c + rng() * 3, c + rng() * 3, c + rng() * 3]);
    rows.push([80_000, 0, 160_000]);
    const x = matrixFromRows(rows);
    const r = dbscan(x, { eps: 1, minPoints: 3 });
    expect(Array.from(r.labels)).toEqual(naiveDbscan(x, 1, 3).labels);
    expect(r.labels[120]).toBe(-1);
  });

  it("falls back to the tree when eps is tiny against the spread (grid coordinates would overflow)", () => {
    const x = matrixFromRows([[0, 0], [1e-9, 0], [2e-9, 0], [1e12, 1e12], [1e12, 1e12 + 1e-9]]);
    const r = dbscan(x, { eps: 1.5e-9, minPoints: 2 });
    expect(Array.from(r.labels)).toEqual(naiveDbscan(x, 1.5e-9, 2).labels);
    expect(r.clusterCount).toBe(2);
  });
});
