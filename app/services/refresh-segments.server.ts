// Segment refresh of one shop: the previous completed run's model and assignments → the bridge
// (segmentShop: the shop's orders through the analytics core) → a stored run with one row per
// customer. A failure is recorded on the run and rethrown, so the queue retries the job; the last
// completed run stays the shop's current segmentation until a new run completes (docs/segments.md).
import { businessNow } from "../clock.server";
import { runDistributions, runMigration, SEGMENT_ALGORITHMS, type RfmFeatureTable, type SegmentAlgorithm, type SegmentationResult } from "../analytics";
import type { RunMetrics } from "../domain/run-metrics";
import type { Db } from "../db.server";
import { completeRun, createRun, failRun, latestModel, runSegments, segmentRowOf, type CustomerSegmentRow } from "../models/segment-runs.server";
import { DEFAULT_SHOP_SEED, segmentShop, type SegmentShopOptions } from "./segment-shop.server";

export type RefreshReason = "backfill" | "on-demand" | "schedule";

export interface RefreshOptions extends Pick<SegmentShopOptions, "algorithm" | "k" | "seed" | "batchSize" | "asOf"> {
  readonly reason: RefreshReason;
  /** Customer rows per insert. Default: the model's. */
  readonly rowBatchSize?: number;
  /** The clock (tests): the run's start and finish. Default: now. */
  readonly now?: () => Date;
}

export interface RefreshOutcome {
  readonly runId: number;
  readonly customerCount: number;
  /** The run the previous model came from, or null for a first run. */
  readonly previousRunId: number | null;
  /** null: no customer has a purchase yet (a completed run without segments). */
  readonly result: SegmentationResult | null;
}

/** The algorithm and K the shop's settings ask for (Shop.algorithm, Shop.clusterCount: null = auto). */
async function shopSettings(db: Db, shopId: number): Promise<{ algorithm: SegmentAlgorithm; k: "auto" | number }> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { algorithm: true, clusterCount: true } });
  if (!(SEGMENT_ALGORITHMS as readonly string[]).includes(shop.algorithm)) throw new RangeError(`shop ${shopId}: unknown segmentation algorithm ${JSON.stringify(shop.algorithm)}`);
  return { algorithm: shop.algorithm as SegmentAlgorithm, k: shop.clusterCount ?? "auto" };
}

/**
 * Runs the shop's segmentation and stores it. Settings: the shop's own (algorithm and K from the
 * Shop row, its time zone through segmentShop) unless `options` say otherwise. A completed run
 * sets Shop.lastRefreshAt to its finish.
 */
export async function refreshSegments(db: Db, shopId: number, options: RefreshOptions): Promise<RefreshOutcome> {
  const now = options.now ?? (() => new Date());
  const asOf = options.asOf ?? (options.now ? now() : businessNow());
  const settings = options.algorithm !== undefined && options.k !== undefined ? null : await shopSettings(db, shopId);
  const algorithm = options.algorithm ?? settings!.algorithm;
  const k = options.k ?? settings!.k;
  const seed = options.seed ?? DEFAULT_SHOP_SEED;
  let outcome: RefreshOutcome;
  let finishedAt: Date;
  const runId = await createRun(db, shopId, {
    algorithm,
    asOf,
    params: { reason: options.reason, algorithm, k, seed },
    startedAt: now(),
  });
  try {
    const previous = await latestModel(db, shopId);
    // The stored assignments, not the previous model's view of today's data: hysteresis keeps
    // a customer where the last run actually put them.
    const warmStart = previous === null ? {} : { previousModel: previous.model, previousSegments: await runSegments(db, shopId, previous.runId) };
    const { timeZone, features, result } = await segmentShop(db, shopId, {
      asOf,
      algorithm,
      k,
      seed,
      // The whole-shop read in storage order (SQLite: a driver connection; PostgreSQL: raw SQL),
      // ~20× faster than through Prisma's findMany (bench/results/refresh.md).
      driverRead: true,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...warmStart,
    });
    // The admin's charts and migration table, computed here once (loaders never run analytics).
    const segmentIds = result?.model.segments.map((s) => s.id) ?? [];
    const metrics: RunMetrics = {
      timeZone,
      asOfDay: features.asOf,
      customers: features.count,
      diagnostics: result?.diagnostics ?? null,
      profiles: result?.profiles ?? [],
      previousRunId: previous?.runId ?? null,
      distributions: result === null ? null : runDistributions(features, result.segmentIndex, segmentIds),
      migration:
        result === null || previous === null || warmStart.previousSegments === undefined
          ? null
          : runMigration(features, result.segmentIndex, segmentIds, {
              runId: previous.runId,
              segments: warmStart.previousSegments,
              names: new Map(previous.model.segments.map((s) => [s.id, s.name])),
            }),
    };
    finishedAt = now();
    const customerCount = await completeRun(db, shopId, runId, {
      metrics,
      model: result?.model ?? null,
      plots: result?.plots ?? null,
      rows: result === null ? [] : customerRows(result, features),
      finishedAt,
      ...(options.rowBatchSize !== undefined ? { batchSize: options.rowBatchSize } : {}),
    });
    outcome = { runId, customerCount, previousRunId: previous?.runId ?? null, result };
  } catch (error) {
    await failRun(db, shopId, runId, error, now());
    throw error;
  }
  // Right after the run's status flip (its own statement in the model), outside the try: the run
  // is completed whatever happens here. Only ever forward, so a run finishing late cannot move it back.
  await db.shop.updateMany({ where: { id: shopId, OR: [{ lastRefreshAt: null }, { lastRefreshAt: { lt: finishedAt } }] }, data: { lastRefreshAt: finishedAt } });
  return outcome;
}

/** One row per customer of the feature table, built when the writer asks for it. */
function* customerRows(result: SegmentationResult, features: RfmFeatureTable): Generator<CustomerSegmentRow> {
  for (let i = 0; i < features.count; i++) yield segmentRowOf(result, features, i);
}
