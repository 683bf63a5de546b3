// The Anomalies page (/app/anomalies): the anomalies detection stored (orders, customers, store
// days), a kind and a status at a time, 25 per page; the counts per kind, the merchant's feedback
// figures, the fitted model's summary, and on the Store days tab each metric's daily series with
// the flagged days and their expected ranges. The one write is the merchant's review (confirm,
// dismiss, reopen). Loaders read stored rows only; detection runs in the refresh job.
import { z } from "zod";
import { formatDay, parseIsoDay } from "../analytics";
import { db as defaultDb, type Db } from "../db.server";
import { ANOMALY_KINDS, ANOMALY_STATUSES, storedReasonTexts, type AnomaliesPageView, type AnomalyKind, type AnomalyRowView, type AnomalyStatus, type StatusFilter, type StoreDaySeries } from "../domain/anomaly";
import {
  anomaliesPage, anomalyCounts, anomalyModelSummary, dayAnomalies, ordersPerQuarterHour, setAnomalyStatus,
  type AnomalyRow,
} from "../models/anomaly-review.server";
import { shopDayFormatter } from "../models/order-facts.server";
import { shopById } from "../models/shops.server";
import type { AdminShop } from "./admin-shop.server";
import { startWriteBack } from "./write-back.server";

export const ANOMALIES_PAGE_SIZE = 25;
/** The store-days chart shows at least this many days up to the day before the model's, more to reach its earliest flagged day. */
export const STORE_DAYS_WINDOW = 90;
/** …and never more than a year. */
export const STORE_DAYS_MAX_WINDOW = 366;
export const NOT_FOUND_MESSAGE = "Anomaly not found in this store";

const DAY_MS = 86_400_000;
type Metric = "orders" | "revenue";

/** A kind, status or page from the URL; anything else is the default (orders, open, page 1). */
export function anomaliesQueryOf(search: URLSearchParams): { kind: AnomalyKind; status: StatusFilter; page: number } {
  const kind = search.get("kind");
  const status = search.get("status");
  const page = Number(search.get("page") ?? "1");
  return {
    kind: (ANOMALY_KINDS as readonly string[]).includes(kind ?? "") ? (kind as AnomalyKind) : "order",
    status: status === "all" || (ANOMALY_STATUSES as readonly string[]).includes(status ?? "") ? (status as StatusFilter) : "open",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/** The stored figures (facts JSON), numbers only. */
function numbersOf(json: string): Record<string, number> {
  const parsed = parseJson(json);
  if (!parsed || typeof parsed !== "object") return {};
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])));
}

function metricOf(row: AnomalyRow): Metric | null {
  if (row.kind !== "day") return null;
  const facts = parseJson(row.facts) as { metric?: unknown } | null;
  const metric = facts?.metric ?? row.subjectKey.split(":")[1];
  return metric === "orders" || metric === "revenue" ? metric : null;
}

function rowView(row: AnomalyRow): AnomalyRowView {
  const facts = numbersOf(row.facts);
  const kind = row.kind as AnomalyKind;
  // The facts detection stores (services/detect-anomalies): orders { valueMilli }, customers { spentMilli }, days { value, expected, low, high }.
  const low = facts.low ?? null;
  const high = facts.high ?? null;
  const median = facts.expected ?? null;
  const value = kind === "order" ? (row.order ? Number(row.order.grossMilli) : (facts.valueMilli ?? null)) : kind === "customer" ? (facts.spentMilli ?? null) : (facts.value ?? null);
  return {
    id: row.id,
    kind,
    category: row.category,
    status: row.status as AnomalyStatus,
    score: row.score,
    orderId: kind === "order" ? (row.order?.shopifyId ?? row.subjectKey) : null,
    customerId: kind === "customer" ? (row.customer?.shopifyId ?? row.subjectKey) : (row.customer?.shopifyId ?? null),
    day: kind === "day" ? (row.day ?? row.subjectKey.split(":")[0] ?? null) : null,
    metric: metricOf(row),
    at: row.order?.processedAt.toISOString() ?? null,
    value,
    expected: low !== null && high !== null && median !== null ? { low, high, median } : null,
    reasons: storedReasonTexts(row.reasons),
    source: row.source,
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    detectedAt: row.detectedAt.toISOString(),
  };
}

/**
 * Each metric's daily series up to the day before the model's (every day of the window, 0 without orders,
 * placed orders of any later fate, test orders left out), with the flagged days inside it.
 */
async function storeDaySeries(db: Db, shop: AdminShop, asOf: string, days: readonly AnomalyRowView[]): Promise<StoreDaySeries[]> {
  const fitDay = parseIsoDay(asOf);
  if (fitDay === null) return [];
  // Detection judges the days before the one it fitted on (that day was not over yet).
  const last = fitDay - 1;
  const earliestFlagged = Math.min(...days.map((d) => (d.day ? (parseIsoDay(d.day) ?? last) : last)));
  const firstDay = Math.max(last - STORE_DAYS_MAX_WINDOW + 1, Math.min(last - STORE_DAYS_WINDOW + 1, earliestFlagged));
  // A day's instants in any zone lie within a day either side of its UTC midnight.
  const quarters = await ordersPerQuarterHour(db, shop.id, new Date((firstDay - 1) * DAY_MS), new Date((last + 2) * DAY_MS));
  const count = new Map<string, number>();
  const revenue = new Map<string, number>();
  const dayOf = shopDayFormatter(shop.timeZone);
  for (const q of quarters) {
    const d = dayOf(q.start);
    count.set(d, (count.get(d) ?? 0) + q.orders);
    revenue.set(d, (revenue.get(d) ?? 0) + q.grossMilli);
  }
  const window = Array.from({ length: last - firstDay + 1 }, (_, i) => formatDay(firstDay + i));
  return (["orders", "revenue"] as const).map((metric) => {
    const totals = metric === "orders" ? count : revenue;
    const inWindow = new Set(window);
    return {
      metric,
      points: window.map((day) => ({ day, value: totals.get(day) ?? 0 })),
      flagged: days
        .filter((d) => d.metric === metric && d.day !== null && inWindow.has(d.day) && d.expected !== null && d.value !== null)
        .map((d) => ({ day: d.day!, value: d.value!, low: d.expected!.low, high: d.expected!.high, median: d.expected!.median, direction: d.category === "drop" ? ("drop" as const) : ("spike" as const) })),
    };
  });
}

/** Everything the Anomalies page shows for a kind, a status and a page. */
export async function anomaliesPageView(db: Db, shop: AdminShop, query: { kind: AnomalyKind; status: StatusFilter; page: number }): Promise<AnomaliesPageView> {
  const { kind, status } = query;
  const [countMap, model] = await Promise.all([anomalyCounts(db, shop.id), anomalyModelSummary(db, shop.id)]);
  const countsOf = (k: AnomalyKind) => {
    const of = (s: AnomalyStatus) => countMap.get(`${k}:${s}`) ?? 0;
    const c = { open: of("open"), confirmed: of("confirmed"), dismissed: of("dismissed") };
    return { ...c, all: c.open + c.confirmed + c.dismissed };
  };
  const counts = { order: countsOf("order"), customer: countsOf("customer"), day: countsOf("day") };
  const total = counts[kind][status];
  const pageCount = Math.max(1, Math.ceil(total / ANOMALIES_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const rows = (await anomaliesPage(db, shop.id, kind, status === "all" ? null : status, (page - 1) * ANOMALIES_PAGE_SIZE, ANOMALIES_PAGE_SIZE)).map(rowView);
  const storeDays = kind === "day" && model ? await storeDaySeries(db, shop, model.asOf, (await dayAnomalies(db, shop.id)).map(rowView)) : null;
  return {
    kind,
    status,
    page,
    pageCount,
    total,
    counts,
    rows,
    currency: shop.currency,
    timeZone: shop.timeZone,
    shopDomain: shop.domain,
    model: model ? { fittedAt: model.fittedAt.toISOString(), asOf: model.asOf, orderCount: model.orderCount } : null,
    storeDays,
  };
}

const ID_MESSAGE = "Choose an anomaly from the list to review.";
const STATUS_MESSAGE = "Choose Confirm, Dismiss or Reopen.";
const reviewSchema = z.object({
  id: z.coerce.number({ error: ID_MESSAGE }).int({ error: ID_MESSAGE }).positive({ error: ID_MESSAGE }).max(2_147_483_647, { error: ID_MESSAGE }),
  status: z.enum(ANOMALY_STATUSES, { error: STATUS_MESSAGE }),
});

const REVIEWED: Record<AnomalyStatus, string> = {
  confirmed: "Confirmed: it is listed under Confirmed and counts as a real flag in the figures.",
  dismissed: "Dismissed: it is listed under Dismissed and counts as a false alarm in the figures; a refit keeps your verdict.",
  open: "Reopened: it is listed under Open again.",
};

const VIP_FOLLOWS: Record<AnomalyStatus, string> = {
  confirmed: "The customer keeps the VIP tag.",
  dismissed: "The customer's VIP tag is being removed.",
  open: "The customer's VIP tag is being put back.",
};

export type ReviewResult = { readonly kind: "not-found" } | { readonly kind: "invalid"; readonly message: string } | { readonly kind: "reviewed"; readonly status: AnomalyStatus; readonly message: string };

/** Confirm, dismiss or reopen one of this shop's anomalies (another shop's or an unknown id: not found). */
export async function reviewAnomaly(db: Db, shopId: number, input: { id?: unknown; status?: unknown }, at: Date = new Date()): Promise<ReviewResult> {
  const parsed = reviewSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid", message: parsed.error.issues[0]?.message ?? STATUS_MESSAGE };
  const { id, status } = parsed.data;
  const row = await setAnomalyStatus(db, shopId, id, status, at);
  if (row === null) return { kind: "not-found" };
  // A whale's review decides its VIP tag (dismissed: none): a live pass for that one customer
  // applies it now instead of at the next refresh (nothing when the shop does not tag VIPs).
  const vipPass =
    row.kind === "customer" && row.category === "whale" && (await shopById(db, shopId))?.vipTags === true
      ? await startWriteBack(db, shopId, { kind: "live", customerIds: [row.subjectKey] })
      : null;
  return { kind: "reviewed", status, message: vipPass === null ? REVIEWED[status] : `${REVIEWED[status]} ${VIP_FOLLOWS[status]}` };
}

/** The page's entry points on the app's database (routes never reach db.server themselves). */
export const anomaliesPageService = {
  view: (shop: AdminShop, search: URLSearchParams) => anomaliesPageView(defaultDb(), shop, anomaliesQueryOf(search)),
  review: (shopId: number, form: { id?: unknown; status?: unknown }) => reviewAnomaly(defaultDb(), shopId, form),
};
