// Anomalies (docs/anomalies.md): explained order, customer and store-day anomalies. Pure.
import type { AnomalyOptions, AnomalyOrder, AnomalyReason, OrderAnomalyModel, OrderFeature, ScoredOrder } from "./types";
import { detectOrderAnomaliesDetailed, orderFeatureMatrixOf, scoreOrdersWithStoredModel } from "./orders";
import { MODEL_VERSION as ORDER_MODEL_VERSION, parseOrderModelJson } from "./model";
import { nameReasonProducts as renameReasons } from "./reasons";

export * from "./types";
export { detectStoreDayAnomalies, type StoreDayOptions } from "./store-days";
export { fitIsolationForest, parseIsolationForest, averagePathLength, type IsolationForest, type IsolationForestOptions } from "./isolation-forest";
export { detectCustomerAnomalies, type CustomerDetectionOptions } from "./customers";
export { ORDER_FEATURES } from "./features";
export { detectOrderAnomaliesDetailed, flaggedCount, type OrderDetectionDetail } from "./orders";
export { defaultFormatMoney, REASON_MIN_STRENGTH } from "./reasons";

export interface OrderDetection {
  /** One per input order, in the input's order. */
  readonly orders: ScoredOrder[];
  /** What scores later orders (stored as JSON). */
  readonly model: OrderAnomalyModel;
  /** The score at the review budget: an order scoring at least this is flagged. */
  readonly threshold: number;
}

/** Fits the order model on `orders` and scores them; the top `budget` share is flagged. */
export function detectOrderAnomalies(orders: readonly AnomalyOrder[], options?: AnomalyOptions): OrderDetection {
  const { orders: scored, model, threshold } = detectOrderAnomaliesDetailed(orders, options);
  return { orders: scored, model, threshold };
}

/**
 * Scores the orders in `targetIds` with a stored model. `orders` holds the targets and their
 * customers' other orders (the customer-history features need them).
 */
export function scoreOrdersWithModel(
  model: OrderAnomalyModel,
  orders: readonly AnomalyOrder[],
  targetIds: ReadonlySet<string>,
  options?: Pick<AnomalyOptions, "productNames" | "formatMoney">,
): ScoredOrder[] {
  return scoreOrdersWithStoredModel(model, orders, targetIds, options);
}

/** Validates a stored model (JSON.parse output); throws a plain-words error if it is not one. */
export function parseOrderAnomalyModel(json: unknown): OrderAnomalyModel {
  return parseOrderModelJson(json);
}

/**
 * Whether a stored model (JSON.parse output) was fitted by this version of the detectors. An older
 * one cannot score new orders (its yardsticks lack what the features now measure): refit instead.
 */
export function isCurrentOrderAnomalyModel(json: unknown): boolean {
  return typeof json === "object" && json !== null && (json as { version?: unknown }).version === ORDER_MODEL_VERSION;
}

export interface OrderFeatureMatrix {
  readonly columns: readonly OrderFeature[];
  /** Row-major, `rows × columns.length`. */
  readonly values: Float64Array;
  readonly rows: number;
}

/** The features the order forest is fitted on (the evaluation hands the same ones to scikit-learn). */
export function orderFeatureMatrix(orders: readonly AnomalyOrder[]): OrderFeatureMatrix {
  return orderFeatureMatrixOf(orders);
}

/**
 * The reasons again, with the products named: the app learns product names after detection (only
 * for the products its flagged reasons mention), the CLI has them up front.
 */
export function nameReasonProducts(
  reasons: readonly AnomalyReason[],
  productNames: ReadonlyMap<string, string>,
  formatMoney?: (milli: number) => string,
): AnomalyReason[] {
  return renameReasons(reasons, productNames, formatMoney);
}
