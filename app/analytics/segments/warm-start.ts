import type { Matrix } from "../util/matrix";
import type { KMeansModel } from "../clustering/kmeans";

/**
 * Lloyd iterations started from given centroids (a refresh starts from the previous model's
 * centres so that a small change in the data gives a small change in the clusters, instead of
 * whatever local optimum a fresh k-means++ draw lands in). Stops when no label changes or after
 * `maxIterations`. An empty cluster keeps its previous centre. Does not mutate its inputs.
 */
export function lloydFrom(x: Matrix, init: readonly (readonly number[])[], maxIterations = 100): { model: KMeansModel; labels: Int32Array } {
  const { rows: n, cols: d, data } = x;
  const k = init.length;
  if (k < 1 || init.some((c) => c.length !== d)) throw new RangeError(`lloydFrom: need k ≥ 1 centroids of ${d} values`);
  const c = new Float64Array(k * d);
  init.forEach((row, j) => row.forEach((v, t) => (c[j * d + t] = v)));
  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let iterations = 0;
  let inertia = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    let changed = 0;
    inertia = 0;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[i * d + t]! - c[j * d + t]!;
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
      inertia += bestD;
      counts[best] = counts[best]! + 1;
      for (let t = 0; t < d; t++) sums[best * d + t] = sums[best * d + t]! + data[i * d + t]!;
    }
    if (changed === 0) break;
    for (let j = 0; j < k; j++) {
      if (counts[j]! === 0) continue;
      for (let t = 0; t < d; t++) c[j * d + t] = sums[j * d + t]! / counts[j]!;
    }
  }
  const centroids: number[][] = [];
  for (let j = 0; j < k; j++) centroids.push(Array.from(c.subarray(j * d, j * d + d)));
  return { model: { kind: "kmeans", k, dims: d, centroids, inertia, iterations }, labels };
}
