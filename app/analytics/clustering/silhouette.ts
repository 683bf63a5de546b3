import { assertMatrix, type Matrix } from "../util/matrix";
import { createRng, sampleWithoutReplacement } from "../util/random";

/**
 * Mean silhouette coefficient, exact on a random sample of rows (scikit-learn's
 * `silhouette_score(X, labels, sample_size=s, random_state=…)` semantics): draw s rows without
 * replacement, then for each sampled row i, with distances only to the other sampled rows,
 *   a(i) = mean distance to its own cluster (itself excluded),
 *   b(i) = smallest mean distance to another cluster,
 *   s(i) = (b − a) / max(a, b), and 0 if its cluster has one sampled member (or a = b = 0).
 * If rows ≤ sampleSize every row is used and the result is the exact silhouette.
 *
 * Every label value is a cluster, −1 included (as in scikit-learn); drop DBSCAN noise first if it
 * should not count. Cost O(s²·d) time and O(s·K) memory: about 0.3 s for s = 10,000, d = 3,
 * independent of the number of rows. Returns 0 when the sample holds fewer than 2 clusters.
 */
export interface SilhouetteOptions {
  /** Rows sampled; the exact silhouette when ≥ rows. scikit-learn-like default in callers: 10,000. */
  sampleSize: number;
  seed: number;
}

export const SILHOUETTE_DEFAULT_SAMPLE = 10_000;

export function sampledSilhouette(x: Matrix, labels: Int32Array, o: SilhouetteOptions): number {
  assertMatrix(x, "sampledSilhouette");
  if (!(labels instanceof Int32Array)) throw new TypeError("sampledSilhouette: labels must be an Int32Array");
  if (labels.length !== x.rows) {
    throw new RangeError(`sampledSilhouette: ${labels.length} labels for ${x.rows} rows`);
  }
  if (o === null || typeof o !== "object") throw new TypeError("sampledSilhouette: options { sampleSize, seed } required");
  if (!Number.isInteger(o.sampleSize) || o.sampleSize < 2) {
    throw new RangeError(`sampledSilhouette: sampleSize must be an integer ≥ 2, got ${String(o.sampleSize)}`);
  }
  if (typeof o.seed !== "number" || !Number.isFinite(o.seed)) throw new TypeError("sampledSilhouette: seed must be a finite number");
  const n = x.rows;
  const d = x.cols;
  let idx: Int32Array;
  if (o.sampleSize >= n) {
    idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
  } else {
    idx = sampleWithoutReplacement(n, o.sampleSize, createRng(o.seed));
  }
  const s = idx.length;
  // Compact label ids for the sample.
  const ids = new Map<number, number>();
  const lab = new Int32Array(s);
  for (let t = 0; t < s; t++) {
    const l = labels[idx[t] as number] as number;
    let c = ids.get(l);
    if (c === undefined) {
      c = ids.size;
      ids.set(l, c);
    }
    lab[t] = c;
  }
  const K = ids.size;
  if (K < 2) return 0;
  // Sampled rows grouped by cluster (counting sort), so that the inner loop runs over contiguous
  // blocks of one cluster: one scalar accumulator per block instead of an indexed update per pair.
  const start = new Int32Array(K + 1);
  for (let t = 0; t < s; t++) start[(lab[t] as number) + 1] = (start[(lab[t] as number) + 1] as number) + 1;
  for (let c = 0; c < K; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, K);
  const xs = new Float64Array(s * d);
  const labSorted = new Int32Array(s);
  for (let t = 0; t < s; t++) {
    const c = lab[t] as number;
    const p = fill[c] as number;
    fill[c] = p + 1;
    labSorted[p] = c;
    const r = idx[t] as number;
    xs.set(x.data.subarray(r * d, r * d + d), p * d);
  }
  const sizes = new Float64Array(K);
  for (let c = 0; c < K; c++) sizes[c] = (start[c + 1] as number) - (start[c] as number);
  // sums[c*s + p] = Σ distance from sorted sample row p to the sample rows of cluster c. Each pair
  // is computed once: row i's block sums in a scalar, the partner's into the row of i's cluster.
  const sums = new Float64Array(K * s);
  for (let i = 0; i < s; i++) {
    const row = (labSorted[i] as number) * s;
    const x0 = xs[i * d] as number;
    const x1 = d > 1 ? (xs[i * d + 1] as number) : 0;
    const x2 = d > 2 ? (xs[i * d + 2] as number) : 0;
    for (let c = 0; c < K; c++) {
      const end = start[c + 1] as number;
      let j = Math.max(i + 1, start[c] as number);
      if (j >= end) continue;
      let block = 0;
      if (d === 3) {
        for (; j < end; j++) {
          const e0 = x0 - (xs[j * 3] as number);
          const e1 = x1 - (xs[j * 3 + 1] as number);
          const e2 = x2 - (xs[j * 3 + 2] as number);
          const dist = Math.sqrt(e0 * e0 + e1 * e1 + e2 * e2);
          block += dist;
          sums[row + j] = (sums[row + j] as number) + dist;
        }
      } else {
        for (; j < end; j++) {
          let q = 0;
          for (let t = 0; t < d; t++) {
            const e = (xs[i * d + t] as number) - (xs[j * d + t] as number);
            q += e * e;
          }
          const dist = Math.sqrt(q);
          block += dist;
          sums[row + j] = (sums[row + j] as number) + dist;
        }
      }
      sums[c * s + i] = (sums[c * s + i] as number) + block;
    }
  }
  let total = 0;
  for (let i = 0; i < s; i++) {
    const li = labSorted[i] as number;
    const own = sizes[li] as number;
    if (own <= 1) continue; // singleton cluster: s(i) = 0
    const a = (sums[li * s + i] as number) / (own - 1);
    let b = Infinity;
    for (let c = 0; c < K; c++) {
      if (c === li) continue;
      const m = (sums[c * s + i] as number) / (sizes[c] as number);
      if (m < b) b = m;
    }
    const den = a > b ? a : b;
    if (den > 0) total += (b - a) / den;
  }
  return total / s;
}
