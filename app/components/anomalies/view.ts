// The Anomalies page's view (what services/anomalies-page.server.ts returns, after JSON) and its
// words: kinds, statuses and categories as the merchant reads them, the page's URLs, and the order's
// page in Shopify admin.
import { formatCount, formatShare } from "../format";

export const KINDS = ["order", "customer", "day"] as const;
export type AnomalyKindView = (typeof KINDS)[number];
/** "all" shows every status. */
export const STATUS_FILTERS = ["open", "confirmed", "dismissed", "all"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const REVIEW_STATUSES = ["confirmed", "dismissed", "open"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const KIND_LABEL: Record<AnomalyKindView, string> = { order: "Orders", customer: "Customers", day: "Store days" };
export const STATUS_LABEL: Record<StatusFilter, string> = { open: "Open", confirmed: "Confirmed", dismissed: "Dismissed", all: "All" };
export const CATEGORY_LABEL: Record<string, string> = { review: "Review", whale: "Whale", spike: "Spike", drop: "Drop" };
export const CATEGORY_TONE: Record<string, "critical" | "success" | "warning" | "info"> = { review: "warning", whale: "success", spike: "info", drop: "critical" };

export interface AnomalyRowView {
  readonly id: number;
  readonly kind: AnomalyKindView;
  readonly category: string;
  readonly status: ReviewStatus;
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
  readonly kind: AnomalyKindView;
  readonly status: StatusFilter;
  readonly page: number;
  readonly pageCount: number;
  /** Rows of this kind and status. */
  readonly total: number;
  readonly counts: Readonly<Record<AnomalyKindView, KindCounts>>;
  readonly rows: readonly AnomalyRowView[];
  readonly currency: string;
  readonly timeZone: string;
  readonly shopDomain: string;
  /** The fitted model (null: detection has not run yet). */
  readonly model: { readonly fittedAt: string; readonly asOf: string; readonly orderCount: number } | null;
  /** The store-days charts (only on the Store days tab, once there is a model). */
  readonly storeDays: readonly StoreDaySeries[] | null;
}

export const PAGE_URL = "/app/anomalies";

/** The list's URL for a kind, a status and a page (defaults left out). */
export function anomaliesHref(query: { kind?: AnomalyKindView; status?: StatusFilter; page?: number }): string {
  const params = new URLSearchParams();
  if (query.kind && query.kind !== "order") params.set("kind", query.kind);
  if (query.status && query.status !== "open") params.set("status", query.status);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const qs = params.toString();
  return qs ? `${PAGE_URL}?${qs}` : PAGE_URL;
}

/** The order's page in Shopify admin (opens outside the embedded frame), like customerAdminUrl. */
export function orderAdminUrl(shopDomain: string, shopifyOrderId: string): string {
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(handle)}/orders/${encodeURIComponent(shopifyOrderId)}`;
}

/** "12 confirmed, 3 dismissed — 80% of reviewed flags were real"; null before any review. */
export function feedbackSentence(counts: KindCounts): string | null {
  const reviewed = counts.confirmed + counts.dismissed;
  if (reviewed === 0) return null;
  return `${formatCount(counts.confirmed)} confirmed, ${formatCount(counts.dismissed)} dismissed — ${formatShare(counts.confirmed / reviewed, 0)} of reviewed flags were real`;
}

/** A score as the table shows it: 0…1 scores with two decimals, a day's robust z with one. */
export function formatScore(kind: AnomalyKindView, score: number): string {
  return kind === "day" ? `z = ${score.toFixed(1)}` : score.toFixed(2);
}
