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
  const total = baskets.length + 4 * h + (n - h);
  let done = 0;
  const report = (steps: number) => {
    done += steps;
    onProgress?.(done, total);
  };

  const p = headGram(data, h, report);
  for (let i = 0; i < h; i++) p[i * h + i] = p[i * h + i]! + params.lambda;
  const beforeInverse = done;
  invertSpdInPlace(p, h, (rows) => report(beforeInverse + rows - done));

  // Head rows: EASE weights (B[i][j] = −P[i][j] / P[j][j]), then cosine to tail items. Cosine's scale
  // is fitted on the head's own pairs: the least-squares s in EASE weight ≈ s · cosine.
  const counter = new Float64Array(n);
  const easeRow = new Float64Array(h);
  const headIndex = Int32Array.from({ length: h }, (_, j) => j);
  const headRows: { index: number[]; weight: number[] }[] = [];
  const tailOfHead: { index: number[]; weight: number[] }[] = [];
  let weightTimesCosine = 0;
  let cosineSquared = 0;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < h; j++) easeRow[j] = j === i ? 0 : -p[i * h + j]! / p[j * h + j]!;
    headRows.push(largestByMagnitude(headIndex, easeRow, params.neighbours));
    const touched = coCounts(data, i, 0, counter);
    const tailIndex: number[] = [];
    const tailCosine: number[] = [];
    for (const j of touched) {
      const cosine = counter[j]! / Math.sqrt(data.counts[i]! * data.counts[j]!);
      counter[j] = 0;
      if (j < h) {
        weightTimesCosine += easeRow[j]! * cosine;
        cosineSquared += cosine * cosine;
      } else {
        tailIndex.push(j);
        tailCosine.push(cosine);
      }
    }
    // Scaling later by one positive factor keeps the same largest entries.
    tailOfHead.push(largestByMagnitude(tailIndex, tailCosine, params.neighbours));
    report(1);
  }
  // No head pair to learn from (headMax 0, or no co-occurrence): plain cosine.
  const cosineScale = cosineSquared > 0 && weightTimesCosine > 0 ? weightTimesCosine / cosineSquared : 1;

  const rows = new RowBuilder();
  for (let i = 0; i < h; i++) {
    const head = headRows[i]!;
    const tail = tailOfHead[i]!;
    rows.push(tail.index.length === 0 ? head : largestByMagnitude([...head.index, ...tail.index], [...head.weight, ...tail.weight.map((w) => w * cosineScale)], params.neighbours));
  }
  // Tail rows: scaled cosine to every item.
  for (let i = h; i < n; i++) {
    const touched = coCounts(data, i, 0, counter);
    const cosine = new Float64Array(touched.length);
    for (let k = 0; k < touched.length; k++) {
      const j = touched[k]!;
      cosine[k] = (cosineScale * counter[j]!) / Math.sqrt(data.counts[i]! * data.counts[j]!);
      counter[j] = 0;
    }
    rows.push(largestByMagnitude(touched, cosine, params.neighbours));
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
