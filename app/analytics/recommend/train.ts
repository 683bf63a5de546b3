// Training: exact EASE on the head, cosine item-kNN on the tail, rows truncated by |weight|
// (docs/recommendations.md §method, docs/decisions/0022-recommender-ease-head-sparse-tail.md).
import { invertSpdInPlace } from "./spd-inverse";
import { coCounts, indexBaskets, largestByMagnitude, type IndexedBaskets } from "./sparse";
import type { Basket, RecommenderModel, RecommenderOptions } from "./types";

/** Version of the stored model's shape; parseRecommender refuses any other. */
export const RECOMMENDER_VERSION = 1;

export const DEFAULT_RECOMMENDER_OPTIONS: RecommenderOptions = { lambda: 20, headMax: 4000, neighbours: 100, historyWeight: 0.1 };

export type BaselineKind = "popularity" | "cooccurrence" | "item-knn";

/** Reports long work: `done` of `total` steps (Gram, inverse rows, output rows). */
export type TrainProgress = (done: number, total: number) => void;

// Baskets between two progress reports while the Gram matrix is built.
const GRAM_PROGRESS_EVERY = 1024;

export function resolveRecommenderOptions(options: Partial<RecommenderOptions> = {}): RecommenderOptions {
  const resolved = { ...DEFAULT_RECOMMENDER_OPTIONS, ...options };
  if (!(resolved.lambda > 0) || !Number.isFinite(resolved.lambda)) throw new RangeError(`The recommender's lambda must be a positive number, got ${resolved.lambda}.`);
  if (!Number.isInteger(resolved.headMax) || resolved.headMax < 0) throw new RangeError(`The recommender's headMax must be a whole number ≥ 0, got ${resolved.headMax}.`);
  if (!Number.isInteger(resolved.neighbours) || resolved.neighbours < 1) throw new RangeError(`The recommender's neighbours must be a whole number ≥ 1, got ${resolved.neighbours}.`);
  if (!(resolved.historyWeight >= 0) || !Number.isFinite(resolved.historyWeight)) throw new RangeError(`The recommender's historyWeight must be a number ≥ 0, got ${resolved.historyWeight}.`);
  return resolved;
}

/** Rows under construction: one neighbour list per item, in item order. */
class RowBuilder {
  readonly offsets: number[] = [0];
  readonly neighbourIndex: number[] = [];
  readonly weights: number[] = [];
  push(row: { index: number[]; weight: number[] }): void {
    for (let k = 0; k < row.index.length; k++) {
      this.neighbourIndex.push(row.index[k]!);
      this.weights.push(row.weight[k]!);
    }
    this.offsets.push(this.neighbourIndex.length);
  }
}

/**
 * Trains Segmint's recommender. Products in most baskets (up to `headMax`) get exact EASE weights,
 * B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, with XᵀX counted from the sparse baskets; pairs that
 * involve a tail product get cosine similarity scaled to the head's weights. Each row keeps its
 * `neighbours` largest |weight| entries, signs kept. Deterministic: same baskets, same model.
 */
export function trainRecommender(baskets: readonly Basket[], options: Partial<RecommenderOptions> = {}, onProgress?: TrainProgress): RecommenderModel {
  const params = resolveRecommenderOptions(options);
  const data = indexBaskets(baskets);
  const n = data.items.length;
  const h = Math.min(params.headMax, n);
  const total = baskets.length + 3 * h + n;
  let done = 0;
  const report = (steps: number) => {
    done += steps;
    onProgress?.(done, total);
  };

  const gram = headGram(data, h, report);
  // The cosine of head pairs, only to learn how cosine's scale compares with EASE's (tail weights are scaled by it).
  const headCosineMax = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    let best = 0;
    for (let j = 0; j < h; j++) if (j !== i) best = Math.max(best, gram[i * h + j]! / Math.sqrt(data.counts[i]! * data.counts[j]!));
    headCosineMax[i] = best;
  }
  for (let i = 0; i < h; i++) gram[i * h + i] = gram[i * h + i]! + params.lambda;
  invertSpdInPlace(gram, h, () => report(1));
  const p = gram;

  const rows = new RowBuilder();
  const easeRow = new Float64Array(h);
  let easeMaxSum = 0;
  let cosineMaxSum = 0;
  const easeRows: { index: number[]; weight: number[] }[] = [];
  const headIndex = Int32Array.from({ length: h }, (_, j) => j);
  for (let i = 0; i < h; i++) {
    let best = 0;
    for (let j = 0; j < h; j++) {
      const w = j === i ? 0 : -p[i * h + j]! / p[j * h + j]!;
      easeRow[j] = w;
      if (w > best) best = w;
    }
    if (headCosineMax[i]! > 0) {
      easeMaxSum += best;
      cosineMaxSum += headCosineMax[i]!;
    }
    // Keep a head row's candidates only; tail neighbours are merged below once the scale is known.
    easeRows.push(largestByMagnitude(headIndex, easeRow, params.neighbours));
  }
  const cosineScale = cosineMaxSum > 0 && easeMaxSum > 0 ? easeMaxSum / cosineMaxSum : 1;

  const counter = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Head rows: EASE weights plus scaled cosine to tail items; tail rows: scaled cosine to every item.
    const from = i < h ? h : 0;
    const touched = n > h ? coCounts(data, i, from, counter) : new Int32Array(0);
    const cosine = new Float64Array(touched.length);
    for (let k = 0; k < touched.length; k++) {
      const j = touched[k]!;
      cosine[k] = (cosineScale * counter[j]!) / Math.sqrt(data.counts[i]! * data.counts[j]!);
      counter[j] = 0;
    }
    if (i < h) {
      const head = easeRows[i]!;
      rows.push(touched.length === 0 ? head : largestByMagnitude([...head.index, ...touched], [...head.weight, ...cosine], params.neighbours));
    } else {
      rows.push(largestByMagnitude(touched, cosine, params.neighbours));
    }
    report(1);
  }

  return {
    kind: "segmint.recommender",
    version: RECOMMENDER_VERSION,
    method: "segmint",
    params,
    items: data.items,
    counts: data.counts,
    head: h,
    basketCount: baskets.length,
    offsets: rows.offsets,
    neighbourIndex: rows.neighbourIndex,
    weights: rows.weights,
  };
}

/** XᵀX over the head items (dense h×h, both triangles), counted basket by basket. */
function headGram(data: IndexedBaskets, h: number, report: (steps: number) => void): Float64Array {
  const gram = new Float64Array(h * h);
  const baskets = data.basketOffsets.length - 1;
  const inHead: number[] = [];
  for (let b = 0; b < baskets; b++) {
    inHead.length = 0;
    // Basket items are ascending and the head is items[0 … h): stop at the first tail item.
    for (let k = data.basketOffsets[b]!; k < data.basketOffsets[b + 1]!; k++) {
      const i = data.basketItems[k]!;
      if (i >= h) break;
      inHead.push(i);
    }
    for (const i of inHead) {
      const row = i * h;
      for (const j of inHead) gram[row + j] = gram[row + j]! + 1;
    }
    if ((b + 1) % GRAM_PROGRESS_EVERY === 0) report(GRAM_PROGRESS_EVERY);
  }
  report(baskets % GRAM_PROGRESS_EVERY);
  return gram;
}

/**
 * The comparison methods as models the same `recommend` serves: popularity (no rows: every
 * list is the cold-start fill), raw co-occurrence counts, and cosine item-kNN. Rows keep
 * `neighbours` entries (default: every co-occurring product, as the methods are usually measured).
 */
export function trainBaseline(baskets: readonly Basket[], kind: BaselineKind, options: { neighbours?: number } = {}): RecommenderModel {
  const data = indexBaskets(baskets);
  const n = data.items.length;
  const keep = options.neighbours ?? n;
  const rows = new RowBuilder();
  const counter = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === "popularity") {
      rows.push({ index: [], weight: [] });
      continue;
    }
    const touched = coCounts(data, i, 0, counter);
    const weight = new Float64Array(touched.length);
    for (let k = 0; k < touched.length; k++) {
      const j = touched[k]!;
      weight[k] = kind === "cooccurrence" ? counter[j]! : counter[j]! / Math.sqrt(data.counts[i]! * data.counts[j]!);
      counter[j] = 0;
    }
    rows.push(largestByMagnitude(touched, weight, keep));
  }
  return {
    kind: "segmint.recommender",
    version: RECOMMENDER_VERSION,
    method: kind,
    params: { ...DEFAULT_RECOMMENDER_OPTIONS, headMax: 0, neighbours: keep, historyWeight: 0 },
    items: data.items,
    counts: data.counts,
    head: 0,
    basketCount: baskets.length,
    offsets: rows.offsets,
    neighbourIndex: rows.neighbourIndex,
    weights: rows.weights,
  };
}
