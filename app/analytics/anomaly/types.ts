// Anomalies' vocabulary (docs/anomalies.md): what goes in (orders with their lines), what comes
// out (scores with reasons in plain words), and the stored model that scores webhook orders
// between refits. Pure data: the CLI builds orders from a CSV, the app from its database.

/** One line of an order. */
export interface AnomalyLine {
  /** The product (Shopify product id, or the CSV's product column); null: a custom line. */
  readonly productId: string | null;
  /** Quantity ordered (> 0). */
  readonly quantity: number;
  /** Unit price at purchase, in milli (1/1000 of the currency unit); 0 for a free line. */
  readonly unitPriceMilli: number;
  /** Quantity refunded or returned since (0 … quantity). */
  readonly refundedQuantity: number;
}

/** One order as the detectors see it. */
export interface AnomalyOrder {
  /** Shopify order id (numeric part) or the CSV's invoice number. */
  readonly id: string;
  /** Customer id, or null for a guest checkout. */
  readonly customerId: string | null;
  /** When it was placed: epoch milliseconds (bursts are measured in hours). */
  readonly at: number;
  /** The shop's calendar day it was placed on: a day number (rfm/calendar.ts). */
  readonly day: number;
  /** Total at purchase (milli). */
  readonly grossMilli: number;
  /** Refunded or returned since (milli, 0 … gross). */
  readonly refundedMilli: number;
  /** Cancelled after it was placed. */
  readonly cancelled: boolean;
  readonly lines: readonly AnomalyLine[];
}

/** The order features, in the order of the feature matrix's columns (ORDER_FEATURES). */
export type OrderFeature =
  | "value-vs-customer" // order value against the customer's own earlier orders
  | "value-vs-store" // order value against the store's orders
  | "line-quantity" // a line's quantity against that product's usual quantities
  | "unit-price" // a line's unit price against that product's usual price (price errors)
  | "zero-price" // lines sold at a price of zero
  | "burst" // orders from the same customer within a short window
  | "first-order" // an extreme first order
  | "cancelled-extreme" // an extreme order later cancelled or refunded
  | "refund-share"; // the share of the order's value refunded

/** One reason a subject was flagged, strongest first in every list. */
export interface AnomalyReason {
  /** Stable key of the feature (an OrderFeature, a customer or a day feature). */
  readonly feature: string;
  /** Plain words with the numbers, e.g. "74,215 × MEDIUM CERAMIC TOP STORAGE JAR is 6,185× this product's median quantity of 12". */
  readonly text: string;
  /** How far out the feature is (a robust z-score, ≥ 0): orders the reasons. */
  readonly strength: number;
  /** The product the reason is about, when it is about one line. */
  readonly productId?: string;
  /** The numbers the text quotes (e.g. quantity, median), so the text can be rendered again with product names. */
  readonly values?: Readonly<Record<string, number>>;
}

/** An order's outcome. */
export interface ScoredOrder {
  readonly id: string;
  readonly customerId: string | null;
  /** Higher = more anomalous, in [0, 1]. */
  readonly score: number;
  /** Within the review budget (the top `budget` share of orders by score). */
  readonly flagged: boolean;
  /** The top reasons (at most 3), strongest first; empty when nothing stands out. */
  readonly reasons: readonly AnomalyReason[];
}

/** How a customer anomaly should be treated. */
export type CustomerAnomalyKind = "whale" | "review" | "normal";

export interface ScoredCustomer {
  readonly customerId: string;
  /** Higher = more anomalous, in [0, 1]. */
  readonly score: number;
  /** whale: high value with a healthy pattern (a VIP candidate); review: returns, bursts, price errors; normal: neither. */
  readonly kind: CustomerAnomalyKind;
  readonly reasons: readonly AnomalyReason[];
}

export type DayMetric = "orders" | "revenue";

/** A store day outside its weekday-aware robust expectation. */
export interface DayAnomaly {
  /** Day number (rfm/calendar.ts) in the shop's calendar. */
  readonly day: number;
  readonly metric: DayMetric;
  /** The day's value: an order count, or revenue in milli. */
  readonly value: number;
  /** The expectation (a robust median of comparable days) and its range. */
  readonly expected: number;
  readonly expectedLow: number;
  readonly expectedHigh: number;
  /** Robust z-score of the day (signed: below the expectation is negative). */
  readonly score: number;
  readonly direction: "spike" | "drop";
  readonly reasons: readonly AnomalyReason[];
}

/** Options shared by the detectors. Everything that draws is seeded. */
export interface AnomalyOptions {
  /** Seed of the isolation forest's draws. Default 42. */
  readonly seed?: number;
  /** Share of orders flagged for review. Default 0.01. */
  readonly budget?: number;
  /** Trees in the forest. Default 100. */
  readonly trees?: number;
  /** Sub-sample per tree (Liu et al. 2008). Default 256. */
  readonly sampleSize?: number;
  /** Product names for the reasons ("MEDIUM CERAMIC TOP STORAGE JAR"); a product without one is named by its id. */
  readonly productNames?: ReadonlyMap<string, string>;
  /** Money in the reasons' words. Default: "1,234.50". */
  readonly formatMoney?: (milli: number) => string;
}

/** The stored order model (JSON-safe): scores new orders between refits with the same yardsticks. */
export interface OrderAnomalyModel {
  readonly kind: "segmint.anomaly-orders";
  readonly version: 2;
  /** The fitted forest and every statistic the features are measured against. */
  readonly [key: string]: unknown;
}
