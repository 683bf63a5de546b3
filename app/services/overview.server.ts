// The admin Overview: where the shop's sync, refresh and write-back stand (with progress while
// they run), and what the latest run says: one card per segment with its change since the
// previous run, the migration between the two runs, and the agreement with Shopify's RFM groups.
// Read-only, stored data only: a GET never creates the shop row or runs analytics.
import { config } from "../config.server";
import { db as defaultDb, type Db } from "../db.server";
import { agreementView, migrationMatrix, parseRfmAgreement, segmentCards, type AgreementView, type MigrationMatrix, type SegmentCard } from "../domain/run-changes";
import { parseRunMetrics } from "../domain/run-metrics";
import type { FinishedWriteBack, WriteBackProgress } from "../domain/write-back-status";
import { latestOverviewRun, previousRunMetrics, shopActivity, storeSummary, type BackfillProgress, type StoreSummary } from "../models/store-summary.server";
import { JOB } from "../queue/job-types";
import { singletonState } from "../queue/queue.server";
import type { AdminShop } from "./admin-shop.server";

/**
 * not-installed: the install hook has not run yet; syncing: the order import runs (or has not
 * started); sync-failed: it stopped; building: orders are in, the first segments are not;
 * no-customers: a run found nobody with a purchase; ready: segments to show.
 */
export type OverviewStage = "not-installed" | "syncing" | "sync-failed" | "building" | "no-customers" | "ready";

export interface RefreshStatus {
  /** The refresh running now: elapsed time and, from the last completed run's duration, an estimate. */
  readonly running: { readonly startedAt: Date; readonly elapsedMs: number; readonly estimateMs: number | null; readonly fraction: number | null } | null;
  /** A refresh job waits to start. */
  readonly queued: boolean;
  /** The newest run failed (after the last completed one). */
  readonly failed: { readonly error: string | null; readonly finishedAt: Date | null } | null;
  readonly lastRefreshAt: Date | null;
  readonly nextRefreshAt: Date | null;
  /** "weekly" or "manual". */
  readonly schedule: string;
}

export interface ShopOverview {
  readonly shop: string;
  /** False until the install hook has created the shop's row (then every count is zero). */
  readonly installed: boolean;
  /** The offline demo (simulator) is running: the page credits the dataset. */
  readonly demo: boolean;
  readonly stage: OverviewStage;
  readonly currency: string;
  readonly timeZone: string;
  readonly summary: StoreSummary;
  readonly backfill: (BackfillProgress & { readonly fraction: number | null }) | null;
  readonly refresh: RefreshStatus;
  readonly writeBack: { readonly mode: string; readonly active: (WriteBackProgress & { readonly fraction: number | null }) | null; readonly last: FinishedWriteBack | null };
  /** Something runs: the page polls (every 2 s) until this turns false. */
  readonly live: boolean;
  readonly run: { readonly id: number; readonly algorithm: string; readonly finishedAt: Date | null; readonly asOfDay: string | null; readonly customers: number; readonly previousRunId: number | null } | null;
  readonly cards: readonly SegmentCard[];
  /** null: the run has no migration (first run, or stored before migrations were recorded). */
  readonly migration: MigrationMatrix | null;
  /** null: Shopify's groups were not compared for this run (yet). */
  readonly agreement: AgreementView | null;
}

const EMPTY_SUMMARY: StoreSummary = {
  customers: 0,
  customersWithPurchase: 0,
  orders: 0,
  customerOrders: 0,
  guestOrders: 0,
  cancellationRecords: 0,
  orderLines: 0,
  refunds: 0,
  lastSync: null,
};

const NO_REFRESH: RefreshStatus = { running: null, queued: false, failed: null, lastRefreshAt: null, nextRefreshAt: null, schedule: "weekly" };

/** A running refresh's share done by the clock, held below 1 (an estimate never claims "done"). */
export function refreshFraction(elapsedMs: number, estimateMs: number | null): number | null {
  if (estimateMs === null || estimateMs <= 0) return null;
  return Math.min(0.95, Math.max(0, elapsedMs / estimateMs));
}

/** The import's share done: null while Shopify still prepares the export (nothing imported yet). */
export function backfillFraction(b: Pick<BackfillProgress, "status" | "rowsDone" | "rowsTotal">): number | null {
  if (b.status === "completed") return 1;
  if (!b.rowsTotal || b.rowsDone <= 0) return null;
  return Math.min(1, b.rowsDone / b.rowsTotal);
}

/**
 * The "Synced data" counts are full counts of the shop's orders and customers (~1 s at 300k orders
 * on SQLite, bench/results/admin.md), too slow for a page polled every 2 s. The route keeps them
 * per shop and process for up to this long, except while the import runs (then they are what the
 * merchant watches). Everything else on the page is read fresh on every load.
 */
export const STORE_COUNTS_MAX_AGE_MS = 60_000;
const storeCounts = new Map<string, { readonly at: number; readonly summary: StoreSummary }>();

/**
 * The Overview of an admin session's shop (`shop` from adminShop; null while not installed).
 * `now`: the clock for the running refresh's elapsed time. `countsMaxAgeMs`: how old the store
 * counts may be (0, the default: counted now).
 */
export async function shopOverview(
  shopDomain: string,
  shop: AdminShop | null,
  db: Db = defaultDb(),
  now: Date = new Date(),
  { countsMaxAgeMs = 0 }: { countsMaxAgeMs?: number } = {},
): Promise<ShopOverview> {
  const demo = Boolean(config().SEGMINT_SIMULATOR_URL);
  if (!shop) {
    return {
      shop: shopDomain,
      installed: false,
      demo,
      stage: "not-installed",
      currency: "USD",
      timeZone: "UTC",
      summary: EMPTY_SUMMARY,
      backfill: null,
      refresh: NO_REFRESH,
      writeBack: { mode: "dry-run", active: null, last: null },
      live: false,
      run: null,
      cards: [],
      migration: null,
      agreement: null,
    };
  }
  const countsKey = `${shop.domain}#${shop.id}`;
  const kept = storeCounts.get(countsKey);
  const keptSummary = kept && now.getTime() - kept.at < countsMaxAgeMs ? kept.summary : null;
  const countNow = () => storeSummary(db, shop.id, { orderLines: false });
  const [counted, activity, latest, refreshJob] = await Promise.all([
    keptSummary ? null : countNow(),
    shopActivity(db, shop.id),
    latestOverviewRun(db, shop.id),
    singletonState(db, shop.id, JOB.refreshSegments),
  ]);
  const importing = activity.backfill !== null && (activity.backfill.status === "pending" || activity.backfill.status === "running");
  const summary = counted ?? (importing ? await countNow() : keptSummary!);
  if (summary !== keptSummary) storeCounts.set(countsKey, { at: now.getTime(), summary });

  const metrics = latest ? parseRunMetrics(latest.metrics) : null;
  const previousRunId = metrics?.previousRunId ?? metrics?.migration?.previousRunId ?? null;
  const previous = latest ? await previousRunMetrics(db, shop.id, { runId: previousRunId, beforeRunId: latest.id }) : null;
  const previousMetrics = previous ? parseRunMetrics(previous.metrics) : null;
  const profiles = metrics?.profiles ?? [];
  const cards = segmentCards(profiles, previousMetrics ? previousMetrics.profiles : null);
  const migration = metrics?.migration ? migrationMatrix(metrics.migration, profiles, previousMetrics?.profiles ?? null) : null;
  const rfm = parseRfmAgreement(latest?.shopifyRfm);

  const running = activity.runningRun;
  const elapsedMs = running ? Math.max(0, now.getTime() - running.startedAt.getTime()) : 0;
  const refresh: RefreshStatus = {
    running: running
      ? { startedAt: running.startedAt, elapsedMs, estimateMs: activity.lastCompletedDurationMs, fraction: refreshFraction(elapsedMs, activity.lastCompletedDurationMs) }
      : null,
    queued: refreshJob === "queued",
    failed: activity.failedRun ? { error: activity.failedRun.error, finishedAt: activity.failedRun.finishedAt } : null,
    lastRefreshAt: activity.settings.lastRefreshAt,
    nextRefreshAt: activity.settings.nextRefreshAt,
    schedule: activity.settings.refreshSchedule,
  };
  const backfill = activity.backfill ? { ...activity.backfill, fraction: backfillFraction(activity.backfill) } : null;
  const wb = activity.writeBack;
  const writeBack = {
    mode: activity.settings.writeBackMode,
    active: wb ? { ...wb, fraction: wb.tagChanges > 0 ? wb.tagChangesSettled / wb.tagChanges : null } : null,
    last: activity.lastFullPass,
  };
  const backfillRunning = backfill !== null && (backfill.status === "pending" || backfill.status === "running");

  let stage: OverviewStage;
  if (latest) stage = cards.length > 0 ? "ready" : "no-customers";
  else if (backfill === null || backfillRunning) stage = "syncing";
  else if (backfill.status === "failed" || backfill.status === "cancelled") stage = "sync-failed";
  else stage = "building";

  return {
    shop: shop.domain,
    installed: true,
    demo,
    stage,
    currency: shop.currency,
    timeZone: shop.timeZone,
    summary,
    backfill,
    refresh,
    writeBack,
    live: backfillRunning || running !== null || refresh.queued || wb !== null,
    run:
      latest && metrics
        ? { id: latest.id, algorithm: latest.algorithm, finishedAt: latest.finishedAt, asOfDay: metrics.asOfDay, customers: metrics.customers, previousRunId: previous?.id ?? null }
        : null,
    cards,
    migration,
    agreement: rfm ? agreementView(rfm, profiles) : null,
  };
}
