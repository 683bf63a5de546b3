// The Anomalies page's view (what services/anomalies-page.server.ts returns, after JSON) and its
// words: kinds, statuses and categories as the merchant reads them, and the page's URLs. The view's
// types are app/domain/anomaly.ts's (the service builds them).
import { ANOMALY_STATUSES, type AnomalyKind, type KindCounts, type StatusFilter } from "../../domain/anomaly";
import { formatCount, formatShare } from "../format";

/** The status filter's choices, in the page's order. */
export const STATUS_FILTERS: readonly StatusFilter[] = [...ANOMALY_STATUSES, "all"];

export const KIND_LABEL: Record<AnomalyKind, string> = { order: "Orders", customer: "Customers", day: "Store days" };
export const STATUS_LABEL: Record<StatusFilter, string> = { open: "Open", confirmed: "Confirmed", dismissed: "Dismissed", all: "All" };
export const CATEGORY_LABEL: Record<string, string> = { review: "Review", whale: "Whale", spike: "Spike", drop: "Drop" };
export const CATEGORY_TONE: Record<string, "critical" | "success" | "warning" | "info"> = { review: "warning", whale: "success", spike: "info", drop: "critical" };

export const PAGE_URL = "/app/anomalies";

/** The list's URL for a kind, a status and a page (defaults left out). */
export function anomaliesHref(query: { kind?: AnomalyKind; status?: StatusFilter; page?: number }): string {
  const params = new URLSearchParams();
  if (query.kind && query.kind !== "order") params.set("kind", query.kind);
  if (query.status && query.status !== "open") params.set("status", query.status);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const qs = params.toString();
  return qs ? `${PAGE_URL}?${qs}` : PAGE_URL;
}

/** "12 confirmed, 3 dismissed — 80% of reviewed flags were real"; null before any review. */
export function feedbackSentence(counts: KindCounts): string | null {
  const reviewed = counts.confirmed + counts.dismissed;
  if (reviewed === 0) return null;
  return `${formatCount(counts.confirmed)} confirmed, ${formatCount(counts.dismissed)} dismissed — ${formatShare(counts.confirmed / reviewed, 0)} of reviewed flags were real`;
}

/** A score as the table shows it: 0…1 scores with two decimals, a day's robust z with one. */
export function formatScore(kind: AnomalyKind, score: number): string {
  return kind === "day" ? `z = ${score.toFixed(1)}` : score.toFixed(2);
}
