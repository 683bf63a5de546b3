// The Segments pages: the list of the latest completed run's segments, and one segment's detail
// (definition with the model's cut-offs, profile charts against the whole store, the action, a
// page of its customers with the "why here" sentence). Read-only: everything comes from the stored
// run (metrics, model, customer rows); nothing is computed from orders in a request.
import { moneyBinLabels, type FeatureDistribution, type SegmentProfile } from "../analytics";
import { z } from "zod";
import { db as defaultDb, type Db } from "../db.server";
import { parseRunMetrics, type RunMetrics } from "../domain/run-metrics";
import { moneyFormatter, segmentDefinitionText, type SegmentDefinitionText } from "../domain/segment-definition";
import { SEGMENT_CUSTOMER_SORTS, type SegmentCustomerSort, type SegmentCustomersPage, type SortDirection } from "../domain/segment-customers";
import { countSegmentCustomers, MAX_SEGMENT_PAGE, segmentCustomersPage } from "../models/segment-customers.server";
import { latestCompletedRun, runModel, type StoredRun } from "../models/segment-runs.server";
import { applySegmentWriteBack, previewSegmentWriteBack, segmentWriteBackView, type SegmentWriteBackView } from "./segment-write-back.server";

export { SEGMENT_CUSTOMER_SORTS, type SegmentCustomerSort, type SortDirection } from "../domain/segment-customers";

/** Customers per page of the detail table. */
export const SEGMENT_PAGE_SIZE = MAX_SEGMENT_PAGE;

export interface RunSummary {
  readonly id: number;
  readonly algorithm: string;
  /** The business day the run segmented as of (YYYY-MM-DD), or null for old runs. */
  readonly asOfDay: string | null;
  readonly finishedAt: string | null;
  readonly customers: number;
}

export interface SegmentSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: SegmentProfile["kind"];
  readonly size: number;
  readonly share: number;
  readonly revenueMilli: number;
  readonly revenueShare: number;
  /** Medians; null where undefined (no buyer in the segment, or an empty segment). */
  readonly medianRecencyDays: number | null;
  readonly medianFrequency: number | null;
  readonly medianMonetaryMilli: number | null;
  /** The medians in one sentence ("Bought recently (median 12 days ago), …"). */
  readonly summary: string;
  readonly action: string;
}

export interface SegmentsList {
  /** null: no completed run yet (the page says what to do). */
  readonly run: RunSummary | null;
  readonly segments: readonly SegmentSummary[];
}

function finite(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function summaryOf(p: SegmentProfile): SegmentSummary {
  return {
    id: p.segmentId,
    name: p.name,
    kind: p.kind,
    size: p.size,
    share: p.share,
    revenueMilli: p.revenueMilli,
    revenueShare: p.revenueShare,
    medianRecencyDays: finite(p.median?.recencyDays),
    medianFrequency: p.size === 0 ? null : finite(p.median?.frequency),
    medianMonetaryMilli: p.size === 0 ? null : finite(p.median?.monetaryMilli),
    summary: p.definition,
    action: p.action,
  };
}

function runSummary(run: StoredRun, metrics: RunMetrics): RunSummary {
  return { id: run.id, algorithm: run.algorithm, asOfDay: metrics.asOfDay, finishedAt: run.finishedAt?.toISOString() ?? null, customers: run.customerCount };
}

/** The latest completed run's segments, largest first. */
export async function segmentsList(db: Db, shopId: number): Promise<SegmentsList> {
  const run = await latestCompletedRun(db, shopId);
  if (!run) return { run: null, segments: [] };
  const metrics = parseRunMetrics(run.metrics);
  const segments = metrics.profiles.map(summaryOf).sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  return { run: runSummary(run, metrics), segments };
}

export type ProfileFeature = "recency" | "frequency" | "monetary";

export interface ProfileChart {
  readonly feature: ProfileFeature;
  readonly title: string;
  readonly xLabel: string;
  /** Shares of the segment's buyers and of the store's buyers per bin, 0..1. */
  readonly bins: readonly { readonly label: string; readonly segment: number; readonly store: number }[];
  /** Buyers counted (segment, store): the shares' denominators. */
  readonly segmentBuyers: number;
  readonly storeBuyers: number;
}

export interface SegmentCustomersParams {
  /** 1-based. Past the last page: the last page. */
  readonly page: number;
  readonly sort: SegmentCustomerSort;
  readonly direction: SortDirection;
  /** Shopify customer id or its first digits. */
  readonly search?: string;
}

export interface SegmentDetail {
  readonly run: RunSummary;
  readonly segment: SegmentSummary;
  readonly definition: SegmentDefinitionText;
  /** null: a run stored before the distributions were recorded. */
  readonly charts: readonly ProfileChart[] | null;
  readonly customers: SegmentCustomersPage;
}

const CHART_TEXT: Record<ProfileFeature, { title: string; xLabel: string }> = {
  recency: { title: "Days since the last order", xLabel: "Days since the last order" },
  frequency: { title: "Orders per customer", xLabel: "Orders" },
  monetary: { title: "Net spend per customer", xLabel: "Net spend" },
};

function chartOf(feature: ProfileFeature, d: FeatureDistribution, segmentId: string, currency: string): ProfileChart {
  const segmentCounts = d.segments[segmentId] ?? d.store.map(() => 0);
  const segmentBuyers = segmentCounts.reduce((a, b) => a + b, 0);
  const storeBuyers = d.store.reduce((a, b) => a + b, 0);
  // Money bins were labelled without a currency at refresh time: written here in the shop's.
  const money = moneyFormatter(currency, d.edges.slice(1, -1).every((e) => e >= 10) ? "whole" : "auto");
  const labels = feature === "monetary" ? moneyBinLabels(d.edges, (units) => money(units * 1000)) : d.labels;
  return {
    feature,
    ...CHART_TEXT[feature],
    bins: labels.map((label, i) => ({
      label,
      segment: segmentBuyers === 0 ? 0 : (segmentCounts[i] ?? 0) / segmentBuyers,
      store: storeBuyers === 0 ? 0 : (d.store[i] ?? 0) / storeBuyers,
    })),
    segmentBuyers,
    storeBuyers,
  };
}

/**
 * One segment of the shop's latest completed run, with a page of its customers; null when the
 * shop has no completed run or the run has no segment `segmentKey` (the route answers 404).
 */
export async function segmentDetail(db: Db, shopId: number, segmentKey: string, currency: string, params: SegmentCustomersParams): Promise<SegmentDetail | null> {
  const run = await latestCompletedRun(db, shopId);
  if (!run) return null;
  const metrics = parseRunMetrics(run.metrics);
  const profile = metrics.profiles.find((p) => p.segmentId === segmentKey);
  const model = profile ? await runModel(db, shopId, run.id) : null;
  const definition = model ? segmentDefinitionText(model, segmentKey, currency) : null;
  if (!profile || !definition) return null;

  const search = params.search?.trim() ?? "";
  const total = await countSegmentCustomers(db, shopId, run.id, segmentKey, search || undefined);
  const pageCount = Math.max(1, Math.ceil(total / SEGMENT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(params.page)), pageCount);
  const rows =
    total === 0
      ? []
      : await segmentCustomersPage(db, shopId, run.id, segmentKey, {
          sort: params.sort,
          direction: params.direction,
          offset: (page - 1) * SEGMENT_PAGE_SIZE,
          limit: SEGMENT_PAGE_SIZE,
          ...(search ? { search } : {}),
        });
  const d = metrics.distributions;
  return {
    run: runSummary(run, metrics),
    segment: summaryOf(profile),
    definition,
    charts: d === null ? null : (["recency", "frequency", "monetary"] as const).map((f) => chartOf(f, d[f], segmentKey, currency)),
    customers: { rows, total, page, pageCount, pageSize: SEGMENT_PAGE_SIZE, sort: params.sort, direction: params.direction, search },
  };
}

// The routes' side: the page's search params, parsed with zod, and the database of the process.

const customersQuerySchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  sort: z.enum(SEGMENT_CUSTOMER_SORTS).catch("monetary"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
});

/** "gid://shopify/Customer/123" or "123" → "123"; spaces ignored. */
const customerIdSearch = z
  .string()
  .trim()
  .transform((v) => v.replace(/^gid:\/\/shopify\/Customer\//i, ""))
  .pipe(z.string().regex(/^\d{1,20}$/, "Enter a Shopify customer id: digits only, e.g. 7012345678901 (or its first digits)."));

export interface ParsedSegmentQuery {
  readonly params: SegmentCustomersParams;
  /** The search text as typed (shown back in the field), and its problem if it is not an id. */
  readonly searchText: string;
  readonly errors: { readonly q?: string };
}

/** `?page&sort&dir&q` of the detail page: bad page/sort/dir fall back to the defaults; a bad `q` is reported. */
export function parseSegmentQuery(url: URL): ParsedSegmentQuery {
  const sp = url.searchParams;
  const base = customersQuerySchema.parse({ page: sp.get("page") ?? undefined, sort: sp.get("sort") ?? undefined, dir: sp.get("dir") ?? undefined });
  const searchText = (sp.get("q") ?? "").slice(0, 100);
  const params = { page: base.page, sort: base.sort, direction: base.dir };
  if (searchText.trim() === "") return { params, searchText, errors: {} };
  const q = customerIdSearch.safeParse(searchText);
  if (!q.success) return { params, searchText, errors: { q: q.error.issues[0]?.message ?? "Enter a Shopify customer id." } };
  return { params: { ...params, search: q.data }, searchText, errors: {} };
}

/** The list page's data for the shop (the process's database). */
export function segmentsListPage(shopId: number, db: Db = defaultDb()): Promise<SegmentsList> {
  return segmentsList(db, shopId);
}

/** The detail page's data with the segment's write-back card, or null (→ 404). */
export async function segmentDetailPage(
  shopId: number,
  segmentKey: string,
  currency: string,
  params: SegmentCustomersParams,
  db: Db = defaultDb(),
): Promise<(SegmentDetail & { readonly writeBack: SegmentWriteBackView }) | null> {
  const detail = await segmentDetail(db, shopId, segmentKey, currency, params);
  if (!detail) return null;
  return { ...detail, writeBack: await segmentWriteBackView(db, shopId, segmentKey) };
}

const writeBackForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("write-back-preview") }),
    z.object({ intent: z.literal("write-back-apply"), previewId: z.coerce.number({ error: "Preview first, then apply that preview." }).int().positive("Preview first, then apply that preview.") }),
  ],
  { error: "Choose Preview changes or Apply to Shopify." },
);

export type SegmentPageActionResult =
  | { readonly status: 200; readonly body: { readonly ok: true; readonly writeBackId: number } }
  | { readonly status: 400 | 409; readonly body: { readonly errors: { readonly writeBack: string } } }
  | { readonly status: 404; readonly body: { readonly message: string } };

/**
 * The detail page's form posts: `intent=write-back-preview`, or `intent=write-back-apply` with
 * `previewId`, dispatched to services/segment-write-back (which enqueues the pass). A segment
 * the shop's latest run does not have → 404.
 */
export async function segmentPageAction(shopId: number, segmentKey: string, form: FormData, db: Db = defaultDb()): Promise<SegmentPageActionResult> {
  const run = await latestCompletedRun(db, shopId);
  if (!run || !parseRunMetrics(run.metrics).profiles.some((p) => p.segmentId === segmentKey)) return { status: 404, body: { message: "Segment not found in this store" } };
  const parsed = writeBackForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { status: 400, body: { errors: { writeBack: parsed.error.issues[0]?.message ?? "Choose Preview changes or Apply to Shopify." } } };
  const outcome =
    parsed.data.intent === "write-back-preview" ? await previewSegmentWriteBack(db, shopId, segmentKey) : await applySegmentWriteBack(db, shopId, segmentKey, parsed.data.previewId);
  return outcome.ok ? { status: 200, body: { ok: true, writeBackId: outcome.writeBackId } } : { status: 409, body: { errors: { writeBack: outcome.message } } };
}
