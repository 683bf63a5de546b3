// Baskets as integer CSR structures (no dense one-hot matrix) and the per-row helpers the
// recommender's methods share.
import { compareIds } from "./baskets";
import type { Basket } from "./types";

/** Products indexed by popularity (most baskets first, ties by id) and baskets as CSR rows of those indices. */
export interface IndexedBaskets {
  readonly items: string[];
  readonly counts: number[];
  /** Basket b holds items basketItems[basketOffsets[b] … basketOffsets[b+1]), ascending. */
  readonly basketOffsets: Int32Array;
  readonly basketItems: Int32Array;
  /** Item i is in baskets itemBaskets[itemOffsets[i] … itemOffsets[i+1]), ascending. */
  readonly itemOffsets: Int32Array;
  readonly itemBaskets: Int32Array;
}

export function indexBaskets(baskets: readonly Basket[]): IndexedBaskets {
  const countById = new Map<string, number>();
  let nnz = 0;
  for (const basket of baskets) {
    // Baskets from basketsFromOrders hold distinct items; a hand-made one may not, so count each once.
    const distinct = new Set(basket.items);
    nnz += distinct.size;
    for (const item of distinct) countById.set(item, (countById.get(item) ?? 0) + 1);
  }
  const ranked = [...countById].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]));
  const items = ranked.map(([id]) => id);
  const counts = ranked.map(([, count]) => count);
  const indexOf = new Map(items.map((id, i) => [id, i]));

  const basketOffsets = new Int32Array(baskets.length + 1);
  const basketItems = new Int32Array(nnz);
  let at = 0;
  baskets.forEach((basket, b) => {
    const start = at;
    for (const item of new Set(basket.items)) basketItems[at++] = indexOf.get(item)!;
    basketItems.subarray(start, at).sort();
    basketOffsets[b + 1] = at;
  });

  const itemOffsets = new Int32Array(items.length + 1);
  for (let i = 0; i < items.length; i++) itemOffsets[i + 1] = itemOffsets[i]! + counts[i]!;
  const fill = itemOffsets.slice(0, items.length);
  const itemBaskets = new Int32Array(nnz);
  for (let b = 0; b < baskets.length; b++) {
    for (let k = basketOffsets[b]!; k < basketOffsets[b + 1]!; k++) {
      const i = basketItems[k]!;
      itemBaskets[fill[i]!] = b;
      fill[i] = fill[i]! + 1;
    }
  }
  return { items, counts, basketOffsets, basketItems, itemOffsets, itemBaskets };
}

/**
 * Counts, for item i, the baskets it shares with every other item j ≥ `from` (j ≠ i): `counter` (length
 * = items, all zero on entry) receives the counts; the touched indices are returned (ascending), and
 * the caller zeroes them after use. Cost: the sizes of i's baskets.
 */
export function coCounts(data: IndexedBaskets, i: number, from: number, counter: Float64Array): Int32Array {
  const touched: number[] = [];
  for (let k = data.itemOffsets[i]!; k < data.itemOffsets[i + 1]!; k++) {
    const b = data.itemBaskets[k]!;
    for (let m = data.basketOffsets[b]!; m < data.basketOffsets[b + 1]!; m++) {
      const j = data.basketItems[m]!;
      if (j < from || j === i) continue;
      if (counter[j] === 0) touched.push(j);
      counter[j] = counter[j]! + 1;
    }
  }
  return Int32Array.from(touched).sort();
}

/**
 * The `keep` entries with the largest |weight| (ties: lower index first), in that order. Zero
 * weights are dropped (they change no score).
 */
export function largestByMagnitude(index: Int32Array | readonly number[], weight: Float64Array | readonly number[], keep: number): { index: number[]; weight: number[] } {
  const order: number[] = [];
  for (let k = 0; k < index.length; k++) if (weight[k] !== 0) order.push(k);
  let chosen = order;
  if (order.length > keep) {
    // The keep-th largest magnitude by a numeric typed-array sort, then one pass (faster than a comparator sort of every entry).
    const magnitudes = Float64Array.from(order, (k) => Math.abs(weight[k]!)).sort();
    const threshold = magnitudes[magnitudes.length - keep]!;
    chosen = order.filter((k) => Math.abs(weight[k]!) >= threshold);
  }
  chosen.sort((a, b) => Math.abs(weight[b]!) - Math.abs(weight[a]!) || index[a]! - index[b]!);
  chosen.length = Math.min(chosen.length, keep);
  return { index: chosen.map((k) => index[k]!), weight: chosen.map((k) => weight[k]!) };
}
