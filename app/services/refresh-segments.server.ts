// Segment refresh of one shop: the previous completed run's model and assignments → the bridge
// (segmentShop: the shop's orders through the analytics core) → a stored run with one row per
// customer. A failure is recorded on the run and rethrown, so the queue retries the job; the last
// completed run stays the shop's current segmentation until a new run completes (docs/segments.md).
import { explainCustomer, RFM_GROUPS, SEGMENT_DEFAULTS, type RfmFeatureTable, type SegmentationResult } from "../analytics";
import type { Db } from "../db.server";
import { completeRun, createRun, failRun, latestModel, runSegments, type CustomerSegmentRow } from "../models/segment-runs.server";
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

/**
 * Runs the shop's segmentation and stores it. Settings: the shop's stored ones where they exist
 * (its time zone, through segmentShop); the algorithm and K default to the core's.
 */
export async function refreshSegments(db: Db, shopId: number, options: RefreshOptions): Promise<RefreshOutcome> {
  const now = options.now ?? (() => new Date());
  const asOf = options.asOf ?? now();
  const algorithm = options.algorithm ?? SEGMENT_DEFAULTS.algorithm;
  const seed = options.seed ?? DEFAULT_SHOP_SEED;
  const k = options.k ?? SEGMENT_DEFAULTS.k;
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
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...warmStart,
    });
    const metrics = {
      timeZone,
      asOfDay: features.asOf,
      customers: features.count,
      diagnostics: result?.diagnostics ?? null,
      profiles: result?.profiles ?? [],
      previousRunId: previous?.runId ?? null,
    };
    const customerCount = await completeRun(db, shopId, runId, {
      metrics,
      model: result?.model ?? null,
      plots: result?.plots ?? null,
      rows: result === null ? [] : customerRows(result, features),
      finishedAt: now(),
      ...(options.rowBatchSize !== undefined ? { batchSize: options.rowBatchSize } : {}),
    });
    return { runId, customerCount, previousRunId: previous?.runId ?? null, result };
  } catch (error) {
    await failRun(db, shopId, runId, error, now());
    throw error;
  }
}

/** One row per customer of the feature table, built when the writer asks for it. */
function* customerRows(result: SegmentationResult, features: RfmFeatureTable): Generator<CustomerSegmentRow> {
  const segments = result.model.segments;
  for (let i = 0; i < features.count; i++) {
    const recency = features.recencyDays[i]!;
    yield {
      customerId: features.customerIds[i]!,
      segmentKey: segments[result.segmentIndex[i]!]!.id,
      cluster: result.labels[i]!,
      outlier: result.outlier[i] === 1,
      recencyDays: Number.isNaN(recency) ? null : recency,
      frequency: features.frequency[i]!,
      monetaryMilli: features.monetaryMilli[i]!,
      rScore: result.r[i]!,
      fScore: result.f[i]!,
      mScore: result.m[i]!,
      rfmGroup: RFM_GROUPS[result.rfmGroups[i]!].name,
      explanation: explainCustomer(result, features, i),
    };
  }
}
