// Live assignment between refits (docs/live-assignment.md): when an order or refund arrives by
// webhook, its customer's features are rebuilt from their own orders and the customer is assigned
// with the latest completed run's stored model (no refit), with the refit's hysteresis against the
// customer's stored row. The row is updated in that run (stamped assignedAt), and customers whose
// segment changed get a live write-back pass for their tags.
import { businessNow } from "../clock.server";
import { assignSegmentsWithHysteresis, createRfmAccumulator, type SegmentModel } from "../analytics";
import type { Db } from "../db.server";
import { customersTransactionRows, shopDayFormatter } from "../models/order-facts.server";
import {
  latestCompletedRunRef,
  runModel,
  runRowsOfCustomers,
  segmentRowOf,
  type CustomerSegmentRow,
  type LiveCustomerRow,
  type StoredCustomerRow,
  writeLiveRows,
} from "../models/segment-runs.server";
import { shopById } from "../models/shops.server";
import { startWriteBack } from "./write-back.server";

/** Customers per round of queries: keeps each `IN (…)` list and transaction small. */
export const LIVE_ASSIGNMENT_BATCH = 200;

export interface LiveAssignmentOptions {
  /** The clock (tests): today's day in the shop's zone, and the rows' assignedAt. Default: now. */
  readonly now?: () => Date;
}

export interface LiveAssignmentOutcome {
  /** The run whose rows were updated. */
  readonly runId: number;
  /** The as-of day the features were rebuilt for (`YYYY-MM-DD`, the shop's zone). */
  readonly asOf: string;
  /** Customers whose features were rebuilt (found, not deleted, with at least one order row). */
  readonly assigned: number;
  /** Rows written (any column changed), of which `inserted` were new. */
  readonly written: number;
  readonly inserted: number;
  /** Shopify ids of the customers whose segment changed (or who got their first row). */
  readonly changed: readonly string[];
  /** The live write-back pass queued for `changed`, or null (nothing changed, write-back off). */
  readonly writeBackId: number | null;
}

/**
 * Parsed models by database and run id. A completed run's model never changes, so a model is
 * parsed once per process instead of once per drain; only the newest few runs are kept.
 */
const MODEL_CACHE_SIZE = 32;
const modelCache = new WeakMap<Db, Map<string, Promise<SegmentModel | null>>>();

function cachedRunModel(db: Db, shopId: number, runId: number): Promise<SegmentModel | null> {
  let byRun = modelCache.get(db);
  if (byRun === undefined) modelCache.set(db, (byRun = new Map()));
  const key = `${shopId}:${runId}`;
  let model = byRun.get(key);
  if (model === undefined) {
    model = runModel(db, shopId, runId);
    byRun.set(key, model);
    model.catch(() => byRun.delete(key)); // a failed read is not remembered
    if (byRun.size > MODEL_CACHE_SIZE) byRun.delete(byRun.keys().next().value!);
  }
  return model;
}

/**
 * Day formatters by time zone, kept across calls: a formatter caches the zone's offset per hour
 * (each one an Intl round) and the text per day, which a new one would have to find again.
 */
const dayFormatters = new Map<string, (instant: Date) => string>();

function dayFormatterOf(timeZone: string): (instant: Date) => string {
  let dayOf = dayFormatters.get(timeZone);
  if (dayOf === undefined) dayFormatters.set(timeZone, (dayOf = shopDayFormatter(timeZone)));
  return dayOf;
}

/**
 * Re-assigns these customers (Shopify ids) under the shop's latest completed run. Returns null when
 * there is nothing to assign against (no completed run, or a run without a model). The as-of day is
 * today in the shop's zone by the business clock, as the refresh takes it, so a re-assigned
 * customer's recency is true today; never a day before the run's own (a run taken "ahead" keeps its day).
 */
export async function reassignCustomers(db: Db, shopId: number, shopifyCustomerIds: Iterable<string>, options: LiveAssignmentOptions = {}): Promise<LiveAssignmentOutcome | null> {
  const now = options.now ?? (() => new Date());
  const ids = [...new Set(shopifyCustomerIds)];
  if (ids.length === 0) return null;
  // Independent reads run together: on PostgreSQL each is a round trip of its own (SQLite queues them).
  const [run, shop] = await Promise.all([latestCompletedRunRef(db, shopId), shopById(db, shopId)]);
  if (run === null || shop === null) return null;
  const model = await cachedRunModel(db, shopId, run.id);
  if (model === null) return null;
  const dayOf = dayFormatterOf(shop.timezone);
  const today = dayOf(options.now ? now() : businessNow());
  const asOf = today > model.asOf ? today : model.asOf;

  let assigned = 0;
  let written = 0;
  let inserted = 0;
  const changed: string[] = [];
  for (let start = 0; start < ids.length; start += LIVE_ASSIGNMENT_BATCH) {
    const batch = await reassignBatch(db, shopId, run.id, model, ids.slice(start, start + LIVE_ASSIGNMENT_BATCH), dayOf, asOf, now());
    assigned += batch.assigned;
    written += batch.written;
    inserted += batch.inserted;
    changed.push(...batch.changed);
  }
  // One pass per call (per drain), limited to the customers whose tag must change.
  const writeBackId = changed.length === 0 ? null : await startWriteBack(db, shopId, { kind: "live", runId: run.id, customerIds: changed, shop });
  return { runId: run.id, asOf, assigned, written, inserted, changed, writeBackId };
}

async function reassignBatch(
  db: Db,
  shopId: number,
  runId: number,
  model: SegmentModel,
  ids: readonly string[],
  dayOf: (instant: Date) => string,
  asOf: string,
  assignedAt: Date,
): Promise<{ assigned: number; written: number; inserted: number; changed: string[] }> {
  const [{ customerRowIds, rows }, storedRows] = await Promise.all([customersTransactionRows(db, shopId, ids, dayOf), runRowsOfCustomers(db, shopId, runId, ids)]);
  const acc = createRfmAccumulator({ asOf });
  for (const row of rows) acc.addTransaction(row);
  const features = acc.finish();
  if (features.count === 0) return { assigned: 0, written: 0, inserted: 0, changed: [] };

  const stored = new Map<number, StoredCustomerRow>();
  for (const r of storedRows) stored.set(r.customerRowId, r);
  const previousSegments = new Map<string, string>();
  for (const [shopifyId, rowId] of customerRowIds) {
    const row = stored.get(rowId);
    if (row !== undefined) previousSegments.set(shopifyId, row.segmentKey);
  }
  const assignment = { ...assignSegmentsWithHysteresis(model, features, previousSegments), model };

  const writes: LiveCustomerRow[] = [];
  const changed: string[] = [];
  for (let i = 0; i < features.count; i++) {
    const row = segmentRowOf(assignment, features, i);
    const customerRowId = customerRowIds.get(row.customerId)!;
    const before = stored.get(customerRowId);
    if (before !== undefined && sameRow(before, row)) continue;
    writes.push({ ...row, customerRowId, stored: before !== undefined });
    if (before?.segmentKey !== row.segmentKey) changed.push(row.customerId);
  }
  const insertedCount = await writeLiveRows(db, shopId, runId, writes, assignedAt);
  return { assigned: features.count, written: writes.length, inserted: insertedCount, changed };
}

/** Whether a stored row already says what the new one says (then nothing is written). */
function sameRow(a: StoredCustomerRow, b: CustomerSegmentRow): boolean {
  return (
    a.segmentKey === b.segmentKey &&
    a.cluster === b.cluster &&
    a.outlier === b.outlier &&
    a.recencyDays === b.recencyDays &&
    a.frequency === b.frequency &&
    a.monetaryMilli === b.monetaryMilli &&
    a.rScore === b.rScore &&
    a.fScore === b.fScore &&
    a.mScore === b.mScore &&
    a.rfmGroup === b.rfmGroup &&
    a.explanation === b.explanation
  );
}
