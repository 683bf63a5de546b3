// Order anomalies (docs/anomalies.md): features → isolation forest, combined with the strongest
// robust z of the row, → the top `budget` share flagged, each with its reasons in plain words.
import type { AnomalyOptions, AnomalyOrder, OrderFeature, ScoredOrder } from "./types";
import { compareIds, FEATURE_COUNT, fitOrderYardsticks, measureOrders, ORDER_FEATURES, type OrderFeatureRows } from "./features";
import { fitIsolationForest, type IsolationForest } from "./isolation-forest";
import { buildOrderModel, orderModelParts, parseOrderModelJson, type OrderModelJson } from "./model";
import { defaultFormatMoney, orderReasons } from "./reasons";
import { zToUnit } from "./robust";

export const DEFAULTS = { seed: 42, budget: 0.01, trees: 100, sampleSize: 256 } as const;
/** The robust part of a score is 0.5 at this z (zToUnit). */
export const ROBUST_HALF = 6;

/**
 * The combined score in [0, 1]: the larger of the forest's score (how easily the row is isolated
 * among all features together: extremes on several features at once) and the robust part (the
 * row's strongest robust z mapped onto [0, 1): one feature far out, on which the forest
 * saturates). The larger, not the mean: a mean lets rows that are middling on both outrank a
 * row that is extreme on one (measured: docs/anomalies.md "Evaluation").
 */
export function combineScores(forestScore: number, robust: number): number {
  return Math.max(forestScore, robust);
}

/** The row's strongest robust z mapped onto [0, 1) (zToUnit at ROBUST_HALF). */
function robustPartOfRow(values: Float64Array, row: number): number {
  let max = 0;
  for (let c = 0; c < FEATURE_COUNT; c++) max = Math.max(max, values[row * FEATURE_COUNT + c]!);
  return zToUnit(max, ROBUST_HALF);
}

/** How many of `n` orders the budget flags: ceil(budget × n), so any order set gets at least one review. */
export function flaggedCount(n: number, budget: number): number {
  if (!(budget >= 0 && budget <= 1)) throw new RangeError(`The review budget is a share between 0 and 1 (got ${budget}).`);
  return Math.min(n, Math.ceil(budget * n - 1e-9));
}

/** detectOrderAnomalies' result (index.ts) with what the evaluation and the customers reuse. */
export interface OrderDetectionDetail {
  /** One per input order, in the input's order. */
  readonly orders: ScoredOrder[];
  readonly model: OrderModelJson;
  /** The lowest flagged score: a later order scoring at least this is flagged. */
  readonly threshold: number;
  /** The feature rows (evaluation, customers). */
  readonly features: OrderFeatureRows;
  readonly forestScores: Float64Array;
}

/** Fits the order model on `orders` and scores them; the top `budget` share is flagged. */
export function detectOrderAnomaliesDetailed(orders: readonly AnomalyOrder[], options: AnomalyOptions = {}): OrderDetectionDetail {
  const budget = options.budget ?? DEFAULTS.budget;
  const yardsticks = fitOrderYardsticks(orders);
  const rows = measureOrders(orders, yardsticks);
  const n = orders.length;
  let forest: IsolationForest | null = null;
  let forestScores: Float64Array = new Float64Array(n);
  if (n > 0) {
    forest = fitIsolationForest(rows.values, n, FEATURE_COUNT, {
      seed: options.seed ?? DEFAULTS.seed,
      trees: options.trees ?? DEFAULTS.trees,
      sampleSize: options.sampleSize ?? DEFAULTS.sampleSize,
    });
    forestScores = forest.scoreAll(rows.values, n);
  }
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = combineScores(forestScores[i]!, robustPartOfRow(rows.values, i));

  const ranked = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || compareIds(orders[a]!.id, orders[b]!.id));
  const k = flaggedCount(n, budget);
  const flagged = new Uint8Array(n);
  for (let r = 0; r < k; r++) flagged[ranked[r]!] = 1;
  const threshold = k > 0 ? scores[ranked[k - 1]!]! : 1;

  const context = { names: options.productNames, money: options.formatMoney ?? defaultFormatMoney };
  const scored = orders.map((order, i) => ({
    id: order.id,
    customerId: order.customerId,
    score: scores[i]!,
    flagged: flagged[i] === 1,
    reasons: orderReasons(order, i, rows, yardsticks, ORDER_FEATURES, context),
  }));
  const model = buildOrderModel({ forest, yardsticks, threshold, orders: n });
  return { orders: scored, model, threshold, features: rows, forestScores };
}

/** Scores `targetIds` of `orders` (the targets and their customers' other orders) with a stored model. */
export function scoreOrdersWithStoredModel(
  json: unknown,
  orders: readonly AnomalyOrder[],
  targetIds: ReadonlySet<string>,
  options: Pick<AnomalyOptions, "productNames" | "formatMoney"> = {},
): ScoredOrder[] {
  const parts = orderModelParts(parseOrderModelJson(json));
  const rows = measureOrders(orders, parts.yardsticks);
  const context = { names: options.productNames, money: options.formatMoney ?? defaultFormatMoney };
  const out: ScoredOrder[] = [];
  orders.forEach((order, i) => {
    if (!targetIds.has(order.id)) return;
    const forestScore = parts.forest === null ? 0 : parts.forest.scoreRow(rows.values, i * FEATURE_COUNT);
    const score = combineScores(forestScore, robustPartOfRow(rows.values, i));
    out.push({
      id: order.id,
      customerId: order.customerId,
      score,
      flagged: score >= parts.threshold,
      reasons: orderReasons(order, i, rows, parts.yardsticks, ORDER_FEATURES, context),
    });
  });
  return out;
}

/** The matrix the forest is fitted on (the evaluation hands the same one to scikit-learn). */
export function orderFeatureMatrixOf(orders: readonly AnomalyOrder[]): { columns: readonly OrderFeature[]; values: Float64Array; rows: number } {
  const rows = measureOrders(orders, fitOrderYardsticks(orders));
  return { columns: ORDER_FEATURES, values: rows.values, rows: rows.rows };
}
