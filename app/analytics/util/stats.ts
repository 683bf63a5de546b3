/**
 * Order statistics shared by the core: linear-interpolated quantiles of sorted values, a
 * quickselect over an index permutation (the k-d tree's median splits use it too) and the median
 * built on it.
 */

/** Linear-interpolated quantile of sorted values (numpy "linear"). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
}

/**
 * Quickselect over an index permutation: reorders `order[lo..hi]` (inclusive) so that `order[kth]`
 * is the index with the (kth − lo)-th smallest key of the range, every index before it has a key
 * ≤ and every index after it a key ≥ (Hoare partition, median-of-three pivot). The key of index
 * `i` is `keys[i * stride + offset]`, so a column of a row-major matrix is selected in place.
 * `keys` is not modified.
 */
export function selectByKey(order: Int32Array, keys: ArrayLike<number>, stride: number, offset: number, lo: number, hi: number, kth: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const a = keys[order[lo]! * stride + offset]!;
    const b = keys[order[mid]! * stride + offset]!;
    const c = keys[order[hi]! * stride + offset]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[order[i]! * stride + offset]! < pivot) i++;
      while (keys[order[j]! * stride + offset]! > pivot) j--;
      if (i <= j) {
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return;
  }
}

/** Median (mean of the two middle values for even n) in O(n), without modifying `values`. NaN if empty. */
export function medianOf(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const hi = n >> 1;
  selectByKey(order, values, 1, 0, 0, n - 1, hi);
  const upper = values[order[hi]!]!;
  if (n % 2 === 1) return upper;
  // after selection the lower middle is the largest key left of position hi
  let lower = -Infinity;
  for (let i = 0; i < hi; i++) {
    const v = values[order[i]!]!;
    if (v > lower) lower = v;
  }
  return (lower + upper) / 2;
}
