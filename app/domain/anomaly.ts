// Anomalies' vocabulary in the app (docs/anomalies.md): the kinds, the merchant's review statuses,
// the stored reasons' reader, and what the Anomalies page is given. Pure.

export const ANOMALY_KINDS = ["order", "customer", "day"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
/** The merchant's review: a refit replaces open rows and keeps reviewed ones. */
export const ANOMALY_STATUSES = ["open", "confirmed", "dismissed"] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];
/** "all" shows every status. */
export type StatusFilter = AnomalyStatus | "all";
export type AnomalySource = "refresh" | "webhook";

/** The texts of an anomaly's stored reasons (JSON: [{ text, … }], strongest first); unreadable JSON gives none rather than failing a page or a job. */
export function storedReasonTexts(json: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((r: unknown) => (r && typeof r === "object" && typeof (r as { text?: unknown }).text === "string" && (r as { text: string }).text !== "" ? [(r as { text: string }).text] : []));
}

export interface AnomalyRowView {
  readonly id: number;
  readonly kind: AnomalyKind;
  readonly category: string;
  readonly status: AnomalyStatus;
  /** Orders and customers: 0…1; days: |robust z|. */
  readonly score: number;
  /** Shopify's order id (kind order), or null. */
  readonly orderId: string | null;
  /** Shopify's customer id (the customer anomaly's subject, or the order's customer), or null. */
  readonly customerId: string | null;
  /** YYYY-MM-DD for store days ("revenue" or "orders" in `metric`). */
  readonly day: string | null;
  readonly metric: "orders" | "revenue" | null;
  /** When it happened: the order's placement (ISO), or null (customers, days). */
  readonly at: string | null;
  /** The figure to show: an order's or a customer's value (milli), a day's orders or revenue. */
  readonly value: number | null;
  /** A store day's expected range (same unit as value). */
  readonly expected: { readonly low: number; readonly high: number; readonly median: number } | null;
  readonly reasons: readonly string[];
  /** "refresh" or "webhook" (scored as the order arrived). */
  readonly source: string;
  readonly reviewedAt: string | null;
  readonly detectedAt: string;
}

export interface KindCounts {
  readonly open: number;
  readonly confirmed: number;
  readonly dismissed: number;
  readonly all: number;
}

export interface StoreDaySeries {
  readonly metric: "orders" | "revenue";
  /** Every day of the window (0 on a day without orders), oldest first. */
  readonly points: readonly { readonly day: string; readonly value: number }[];
  /** The flagged days of this metric inside the window. */
  readonly flagged: readonly { readonly day: string; readonly value: number; readonly low: number; readonly high: number; readonly median: number; readonly direction: "spike" | "drop" }[];
}

export interface AnomaliesPageView {
  readonly kind: AnomalyKind;
  readonly status: StatusFilter;
  readonly page: number;
  readonly pageCount: number;
  /** Rows of this kind and status. */
  readonly total: number;
  readonly counts: Readonly<Record<AnomalyKind, KindCounts>>;
  readonly rows: readonly AnomalyRowView[];
  readonly currency: string;
  readonly timeZone: string;
  readonly shopDomain: string;
  /** The fitted model (null: detection has not run yet). */
  readonly model: { readonly fittedAt: string; readonly asOf: string; readonly orderCount: number } | null;
  /** The store-days charts (only on the Store days tab, once there is a model). */
  readonly storeDays: readonly StoreDaySeries[] | null;
}
