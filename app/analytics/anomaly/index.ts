// Anomalies (docs/anomalies.md): explained order, customer and store-day anomalies. Pure.
// CONTRACT STUBS — the core helper replaces these bodies; signatures are the shared contract.
import type {
  AnomalyOptions,
  AnomalyReason,
  AnomalyOrder,
  OrderAnomalyModel,
  OrderFeature,
  ScoredCustomer,
  ScoredOrder,
} from "./types";

export * from "./types";
export { detectStoreDayAnomalies, type StoreDayOptions } from "./store-days";
export { fitIsolationForest, parseIsolationForest, averagePathLength, type IsolationForest, type IsolationForestOptions } from "./isolation-forest";

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
  void orders;
  void options;
  throw new Error("not implemented");
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
  void model;
  void orders;
  void targetIds;
  void options;
  throw new Error("not implemented");
}

/** Validates a stored model (JSON.parse output); throws a plain-words error if it is not one. */
export function parseOrderAnomalyModel(json: unknown): OrderAnomalyModel {
  void json;
  throw new Error("not implemented");
}

export interface CustomerDetectionOptions extends AnomalyOptions {
  /** Customers the segmentation called outliers (DBSCAN noise, K-means far-out): candidates too. */
  readonly segmentOutliers?: ReadonlySet<string>;
}

/** Every customer with an order, scored and classified (whale / review / normal). */
export function detectCustomerAnomalies(
  orders: readonly AnomalyOrder[],
  scoredOrders: readonly ScoredOrder[],
  options?: CustomerDetectionOptions,
): ScoredCustomer[] {
  void orders;
  void scoredOrders;
  void options;
  throw new Error("not implemented");
}

export interface OrderFeatureMatrix {
  readonly columns: readonly OrderFeature[];
  /** Row-major, `rows × columns.length`. */
  readonly values: Float64Array;
  readonly rows: number;
}

/** The features the order forest is fitted on (the evaluation hands the same ones to scikit-learn). */
export function orderFeatureMatrix(orders: readonly AnomalyOrder[]): OrderFeatureMatrix {
  void orders;
  throw new Error("not implemented");
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
  void reasons;
  void productNames;
  void formatMoney;
  throw new Error("not implemented");
}
