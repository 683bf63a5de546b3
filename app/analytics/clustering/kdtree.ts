import type { Matrix } from "../util/matrix";
import { selectByKey } from "../util/stats";

/**
 * Static k-d tree over typed arrays, for exact k-nearest-neighbour, nearest-within-radius and
 * radius queries in low dimensions. Nodes split [start, end) of a permutation at the midpoint (balanced, implicit
 * heap layout: children of node i are 2i+1 and 2i+2) along the dimension of widest spread;
 * leaves hold ≤ LEAF_SIZE points. Points are copied in tree order so that leaves are contiguous.
 * Memory: n·d doubles (copy) + n ints (permutation) + 2·d doubles per node (bounding boxes).
 */
const LEAF_SIZE = 16;

export class KdTree {
  readonly n: number;
  readonly d: number;
  /** Coordinates in tree order. */
  readonly xs: Float64Array;
  /** perm[p] = original row of tree position p. */
  readonly perm: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly nodeEnd: Int32Array;
  private readonly nodeCount: number;
  /** Per node: lo[0..d), hi[0..d) of the bounding box. */
  private readonly boxes: Float64Array;
  /** Scratch of `nearestWithin`: the query copied out, and the search stack (depth ≤ 32 for 2^31 points). */
  private readonly query: Float64Array;
  private readonly stack = new Int32Array(64);
  private readonly stackDist = new Float64Array(64);

  constructor(x: Matrix) {
    const { rows: n, cols: d, data } = x;
    this.n = n;
    this.d = d;
    this.query = new Float64Array(d);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    // Depth needed so that every leaf has ≤ LEAF_SIZE points with midpoint splits.
    let leaves = 1;
    while (leaves * LEAF_SIZE < n) leaves *= 2;
    const nodeCount = 2 * leaves - 1;
    this.nodeCount = nodeCount;
    this.nodeStart = new Int32Array(nodeCount);
    this.nodeEnd = new Int32Array(nodeCount);
    this.boxes = new Float64Array(nodeCount * 2 * d);
    this.nodeStart[0] = 0;
    this.nodeEnd[0] = n;
    const boxes = this.boxes;
    // Top-down splits. The split dimension is the widest side of a loose box (the parent's box cut
    // at the split value), which avoids rescanning every point at every level.
    const loose = new Float64Array(nodeCount * 2 * d);
    for (let t = 0; t < d; t++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = data[i * d + t] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      loose[t] = lo;
      loose[d + t] = hi;
    }
    const firstLeaf = (nodeCount - 1) / 2;
    for (let node = 0; node < firstLeaf; node++) {
      const start = this.nodeStart[node] as number;
      const end = this.nodeEnd[node] as number;
      const bo = node * 2 * d;
      let dim = 0;
      let spread = -1;
      for (let t = 0; t < d; t++) {
        const sp = (loose[bo + d + t] as number) - (loose[bo + t] as number);
        if (sp > spread) {
          spread = sp;
          dim = t;
        }
      }
      const mid = (start + end) >>> 1;
      if (end - start > 1) selectByKey(perm, data, d, dim, start, end - 1, mid);
      const left = 2 * node + 1;
      this.nodeStart[left] = start;
      this.nodeEnd[left] = mid;
      this.nodeStart[left + 1] = mid;
      this.nodeEnd[left + 1] = end;
      const cut = mid < end ? (data[(perm[mid] as number) * d + dim] as number) : (loose[bo + d + dim] as number);
      const lb = left * 2 * d;
      const rb = (left + 1) * 2 * d;
      for (let t = 0; t < 2 * d; t++) {
        loose[lb + t] = loose[bo + t] as number;
        loose[rb + t] = loose[bo + t] as number;
      }
      loose[lb + d + dim] = cut;
      loose[rb + dim] = cut;
    }
    // Tight boxes bottom-up: leaves scan their points, parents merge children. Empty nodes keep
    // lo = +∞, hi = −∞, so their distance is +∞ and they are never visited.
    for (let node = nodeCount - 1; node >= 0; node--) {
      const bo = node * 2 * d;
      for (let t = 0; t < d; t++) {
        boxes[bo + t] = Infinity;
        boxes[bo + d + t] = -Infinity;
      }
      if (node >= firstLeaf) {
        const end = this.nodeEnd[node] as number;
        for (let p = this.nodeStart[node] as number; p < end; p++) {
          const base = (perm[p] as number) * d;
          for (let t = 0; t < d; t++) {
            const v = data[base + t] as number;
            if (v < (boxes[bo + t] as number)) boxes[bo + t] = v;
            if (v > (boxes[bo + d + t] as number)) boxes[bo + d + t] = v;
          }
        }
      } else {
        const lb = (2 * node + 1) * 2 * d;
        const rb = lb + 2 * d;
        for (let t = 0; t < d; t++) {
          boxes[bo + t] = Math.min(boxes[lb + t] as number, boxes[rb + t] as number);
          boxes[bo + d + t] = Math.max(boxes[lb + d + t] as number, boxes[rb + d + t] as number);
        }
      }
    }
    this.perm = perm;
    const xs = new Float64Array(n * d);
    for (let p = 0; p < n; p++) xs.set(data.subarray((perm[p] as number) * d, (perm[p] as number) * d + d), p * d);
    this.xs = xs;
  }

  /**
   * Squared distance from each point to its k-th nearest point, the point itself included
   * (so k = 1 gives 0), like `NearestNeighbors(n_neighbors=k).kneighbors(X)` in scikit-learn.
   * Result indexed by original row.
   */
  kthNeighborSqDist(k: number): Float64Array {
    const { n, d, xs, perm } = this;
    const out = new Float64Array(n);
    const best = new Float64Array(k); // ascending, best[k-1] = current k-th
    const stack = new Int32Array(128);
    const stackDist = new Float64Array(128); // box distance of each pushed node, computed once
    const q = new Float64Array(d);
    for (let p = 0; p < n; p++) {
      for (let t = 0; t < d; t++) q[t] = xs[p * d + t] as number;
      best.fill(Infinity);
      let sp = 0;
      stack[0] = 0;
      stackDist[0] = 0;
      sp = 1;
      while (sp > 0) {
        sp--;
        const node = stack[sp] as number;
        const worst = best[k - 1] as number;
        if ((stackDist[sp] as number) > worst) continue;
        const left = 2 * node + 1;
        if (left >= this.nodeCount) {
          const end = this.nodeEnd[node] as number;
          for (let r = this.nodeStart[node] as number; r < end; r++) {
            const s = sq(xs, r * d, q, d);
            if (s < (best[k - 1] as number)) {
              // insertion into the sorted k-best list
              let j = k - 1;
              while (j > 0 && (best[j - 1] as number) > s) {
                best[j] = best[j - 1] as number;
                j--;
              }
              best[j] = s;
            }
          }
          continue;
        }
        // Visit the nearer child first: push it last.
        const dl = this.boxSqDist(left, q);
        const dr = this.boxSqDist(left + 1, q);
        if (dl <= dr) {
          if (dr <= worst) {
            stack[sp] = left + 1;
            stackDist[sp++] = dr;
          }
          stack[sp] = left;
          stackDist[sp++] = dl;
        } else {
          if (dl <= worst) {
            stack[sp] = left;
            stackDist[sp++] = dl;
          }
          stack[sp] = left + 1;
          stackDist[sp++] = dr;
        }
      }
      out[perm[p] as number] = best[k - 1] as number;
    }
    return out;
  }

  /**
   * Calls visit(treePosition) for every point with squared distance ≤ r2 from q; stops early and
   * returns false as soon as visit returns false.
   */
  forEachWithin(q: Float64Array, r2: number, visit: (p: number) => boolean): boolean {
    const { d, xs } = this;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const node = stack.pop() as number;
      if (this.boxSqDist(node, q) > r2) continue;
      const left = 2 * node + 1;
      if (left >= this.nodeCount) {
        const end = this.nodeEnd[node] as number;
        for (let r = this.nodeStart[node] as number; r < end; r++) {
          if (sq(xs, r * d, q, d) <= r2 && !visit(r)) return false;
        }
        continue;
      }
      stack.push(left + 1, left);
    }
    return true;
  }

  /**
   * Original row of the nearest point with squared distance ≤ r2 from the query
   * `q[qo..qo+d)`, ties to the lower row (so it equals a brute-force scan); −1 if none. Exact:
   * a box's distance never exceeds the distance of a point inside it, even in floating point.
   * Used to assign every customer to DBSCAN's core points (a million queries into ~20k points).
   */
  nearestWithin(q: ArrayLike<number>, qo: number, r2: number): number {
    const { d, xs, perm } = this;
    const query = this.query;
    for (let t = 0; t < d; t++) query[t] = q[qo + t]!;
    const stack = this.stack;
    const stackDist = this.stackDist;
    let best = -1;
    let bestD = r2;
    let sp = 0;
    stack[sp] = 0;
    stackDist[sp++] = this.boxSqDist(0, query);
    while (sp > 0) {
      sp--;
      if (stackDist[sp]! > bestD) continue;
      const node = stack[sp]!;
      const left = 2 * node + 1;
      if (left >= this.nodeCount) {
        const end = this.nodeEnd[node]!;
        for (let r = this.nodeStart[node]!; r < end; r++) {
          const s = sq(xs, r * d, query, d);
          if (s < bestD || (s === bestD && (best < 0 || perm[r]! < best))) {
            bestD = s;
            best = perm[r]!;
          }
        }
        continue;
      }
      // Visit the nearer child first: push it last.
      const dl = this.boxSqDist(left, query);
      const dr = this.boxSqDist(left + 1, query);
      const nearFirst = dl <= dr;
      const far = nearFirst ? left + 1 : left;
      const farD = nearFirst ? dr : dl;
      if (farD <= bestD) {
        stack[sp] = far;
        stackDist[sp++] = farD;
      }
      if ((nearFirst ? dl : dr) <= bestD) {
        stack[sp] = nearFirst ? left : left + 1;
        stackDist[sp++] = nearFirst ? dl : dr;
      }
    }
    return best;
  }

  /** Squared distance from q to the bounding box of node (0 inside). */
  private boxSqDist(node: number, q: Float64Array): number {
    const d = this.d;
    const b = this.boxes;
    const bo = node * 2 * d;
    if (d === 3) {
      const v0 = q[0] as number;
      const v1 = q[1] as number;
      const v2 = q[2] as number;
      const l0 = b[bo] as number;
      const l1 = b[bo + 1] as number;
      const l2 = b[bo + 2] as number;
      const h0 = b[bo + 3] as number;
      const h1 = b[bo + 4] as number;
      const h2 = b[bo + 5] as number;
      const g0 = v0 < l0 ? l0 - v0 : v0 > h0 ? v0 - h0 : 0;
      const g1 = v1 < l1 ? l1 - v1 : v1 > h1 ? v1 - h1 : 0;
      const g2 = v2 < l2 ? l2 - v2 : v2 > h2 ? v2 - h2 : 0;
      return g0 * g0 + g1 * g1 + g2 * g2;
    }
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = q[t] as number;
      const lo = b[bo + t] as number;
      const hi = b[bo + d + t] as number;
      const g = v < lo ? lo - v : v > hi ? v - hi : 0;
      s += g * g;
    }
    return s;
  }
}

/** Squared distance between a[ai..ai+d) and q; same summation order as scikit-learn's rdist. */
function sq(a: Float64Array, ai: number, q: Float64Array, d: number): number {
  if (d === 3) {
    const e0 = (a[ai] as number) - (q[0] as number);
    const e1 = (a[ai + 1] as number) - (q[1] as number);
    const e2 = (a[ai + 2] as number) - (q[2] as number);
    return e0 * e0 + e1 * e1 + e2 * e2;
  }
  let s = 0;
  for (let t = 0; t < d; t++) {
    const e = (a[ai + t] as number) - (q[t] as number);
    s += e * e;
  }
  return s;
}
