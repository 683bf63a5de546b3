/**
 * Exact nearest-point queries within a radius over a small static point set (DBSCAN core points):
 * a k-d tree over an index permutation (median splits, axis cycling with depth), searched with
 * branch-and-bound. Ties go to the lower point index, so results equal a brute-force scan.
 * Used to assign a million customers to ~20k core points in about a second.
 */
const LEAF = 8;

export interface NearestIndex {
  /** Index of the nearest point with squared distance ≤ r2 from `q` (offset `qo`), or −1. */
  nearestWithin(q: ArrayLike<number>, qo: number, r2: number): number;
}

export function buildNearestIndex(points: ArrayLike<number>, count: number, d: number): NearestIndex {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const build = (lo: number, hi: number, depth: number): void => {
    if (hi - lo <= LEAF) return;
    const axis = depth % d;
    const slice = Array.from(order.subarray(lo, hi)).sort((a, b) => points[a * d + axis]! - points[b * d + axis]! || a - b);
    order.set(slice, lo);
    const mid = (lo + hi) >> 1;
    build(lo, mid, depth + 1);
    build(mid + 1, hi, depth + 1);
  };
  build(0, count, 0);
  // points copied in tree order for locality
  const xs = new Float64Array(count * d);
  for (let t = 0; t < count; t++) for (let j = 0; j < d; j++) xs[t * d + j] = points[order[t]! * d + j]!;

  return {
    nearestWithin(q, qo, r2) {
      let best = -1;
      let bestD = r2;
      const consider = (t: number): void => {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = q[qo + j]! - xs[t * d + j]!;
          s += diff * diff;
        }
        if (s < bestD || (s === bestD && (best < 0 || order[t]! < best))) {
          bestD = s;
          best = order[t]!;
        }
      };
      const search = (lo: number, hi: number, depth: number): void => {
        if (hi - lo <= LEAF) {
          for (let t = lo; t < hi; t++) consider(t);
          return;
        }
        const mid = (lo + hi) >> 1;
        const axis = depth % d;
        const diff = q[qo + axis]! - xs[mid * d + axis]!;
        if (diff < 0) {
          search(lo, mid, depth + 1);
          if (diff * diff <= bestD) {
            consider(mid);
            search(mid + 1, hi, depth + 1);
          }
        } else {
          search(mid + 1, hi, depth + 1);
          if (diff * diff <= bestD) {
            consider(mid);
            search(lo, mid, depth + 1);
          }
        }
      };
      search(0, count, 0);
      return best;
    },
  };
}
