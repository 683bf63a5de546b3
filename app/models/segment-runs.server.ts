// Stored segmentation runs (SegmentRun) and their per-customer rows (CustomerSegment), every query
// scoped by shop. A run never half-replaces the last good one: its customer rows are written while
// the run is `running` (readers ask for the latest *completed* run), the switch to `completed` is
// one statement written last, and a failed run's rows are deleted (docs/segments.md).
import { explainCustomer, parseSegmentModel, RFM_GROUPS, type RfmFeatureTable, type SegmentAssignment, type SegmentModel } from "../analytics";
import type { Prisma } from "@prisma/client";
import { sqliteFileOf, sqlOf, type Db } from "../db.server";
import { sqliteSegmentRowWriter, type SegmentRowValues } from "./segment-rows-sqlite.server";

/**
 * Customer rows per transaction (SQLite) or statement (PostgreSQL, one array per column, so no
 * bind-variable limit): large enough that a commit per batch costs nothing next to its rows.
 */
export const DEFAULT_ROW_BATCH = 5000;

/** Completed runs whose customer rows are kept: two months of weekly refreshes (docs/segments.md). */
export const RUNS_KEPT_WITH_ROWS = 8;

export type SegmentRunStatus = "running" | "completed" | "failed";

export interface NewRun {
  readonly algorithm: string;
  /** The instant the run's data is taken as of. */
  readonly asOf: Date;
  /** What the run was asked to do (settings, seed, reason): stored as JSON. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly startedAt?: Date;
}

/** One customer's row in a run; `customerId` is the Shopify customer id (the core's id). */
export type CustomerSegmentRow = SegmentRowValues;

export interface RunOutcome {
  readonly metrics: unknown;
  /** The fitted model, or null when there was nothing to fit (no customer with a purchase). */
  readonly model: SegmentModel | null;
  readonly plots: unknown;
  /** Consumed lazily, `batchSize` rows at a time: memory holds one batch, never the shop's rows. */
  readonly rows: Iterable<CustomerSegmentRow>;
  readonly finishedAt?: Date;
  readonly batchSize?: number;
}

/** A run's duration as stored; never negative, even if the clock stepped back meanwhile. */
function durationMs(startedAt: Date, finishedAt: Date): number {
  return Math.max(0, finishedAt.getTime() - startedAt.getTime());
}

/** Starts a run (status `running`). Returns its id. */
export async function createRun(db: Db, shopId: number, run: NewRun): Promise<number> {
  const created = await db.segmentRun.create({
    data: {
      shopId,
      algorithm: run.algorithm,
      asOf: run.asOf,
      params: JSON.stringify(run.params),
      status: "running",
      startedAt: run.startedAt ?? new Date(),
    },
    select: { id: true },
  });
  return created.id;
}

/**
 * Writes the run's customer rows in batches (Shopify customer ids mapped to Customer rows of the
 * shop; tombstoned or vanished customers are left out), then marks it completed with its metrics,
 * model, plots, duration and customer count in one statement. Throws if the run is not a running
 * run of this shop. Returns the number of customer rows written.
 */
export async function completeRun(db: Db, shopId: number, runId: number, outcome: RunOutcome): Promise<number> {
  const run = await db.segmentRun.findFirst({ where: { id: runId, shopId, status: "running" }, select: { startedAt: true } });
  if (!run) throw new Error(`segment run ${runId} of shop ${shopId} is not running`);
  const batchSize = outcome.batchSize ?? DEFAULT_ROW_BATCH;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);

  let written = 0;
  let batch: CustomerSegmentRow[] = [];
  // SQLite: a driver connection of its own (bulk inserts ~30× faster than through Prisma).
  const file = sqliteFileOf(db);
  const sqlite = file === null ? null : sqliteSegmentRowWriter(file, shopId, runId);
  // PostgreSQL: one batch's insert in flight while the next is built and sent (another pooled
  // connection): the server's work (foreign keys, indexes) overlaps the app's.
  let inFlight: Promise<number> | null = null;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    for (const r of batch) checkMonetary(r);
    if (sqlite !== null) written += sqlite.write(batch);
    else {
      const sending = insertRowsPostgres(db, shopId, runId, batch);
      // Its failure is seen when it is awaited (below or in `finally`), never unhandled.
      sending.catch(() => undefined);
      const previous = inFlight;
      inFlight = sending;
      if (previous !== null) written += await previous;
    }
    batch = [];
    // A turn for the event loop between batches (the web process may run this job).
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  try {
    for (const row of outcome.rows) {
      batch.push(row);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (inFlight !== null) written += await inFlight;
    inFlight = null;
  } finally {
    // On failure, no insert may still be running when the caller deletes the run's rows.
    if (inFlight !== null) await (inFlight as Promise<number>).catch(() => undefined);
    sqlite?.close();
  }

  const finishedAt = outcome.finishedAt ?? new Date();
  // The status flip is last and conditional: a run cancelled or failed meanwhile stays as it is.
  const flipped = await db.segmentRun.updateMany({
    where: { id: runId, shopId, status: "running" },
    data: {
      status: "completed",
      metrics: JSON.stringify(outcome.metrics),
      model: outcome.model === null ? null : JSON.stringify(outcome.model),
      plots: JSON.stringify(outcome.plots),
      customerCount: written,
      finishedAt,
      durationMs: durationMs(run.startedAt, finishedAt),
    },
  });
  if (flipped.count !== 1) throw new Error(`segment run ${runId} of shop ${shopId} stopped running before it completed`);
  return written;
}

/**
 * One batch on PostgreSQL: one statement, each column as an array (unnest), every row joined to
 * the shop's Customer row of its Shopify id (a tombstoned or unknown customer gets no row).
 */
async function insertRowsPostgres(db: Db, shopId: number, runId: number, rows: readonly CustomerSegmentRow[]): Promise<number> {
  const { sql } = sqlOf(db);
  const column = <T>(f: (r: CustomerSegmentRow) => T): T[] => rows.map(f);
  return db.$executeRaw(sql`
    INSERT INTO "CustomerSegment" ("shopId","runId","customerId","segmentKey","cluster","outlier","recencyDays","frequency","monetaryMilli","rScore","fScore","mScore","rfmGroup","explanation")
    SELECT ${shopId}, ${runId}, c."id", v."segmentKey", v."cluster", v."outlier", v."recencyDays", v."frequency", v."monetaryMilli", v."rScore", v."fScore", v."mScore", v."rfmGroup", v."explanation"
    FROM unnest(
      ${column((r) => r.customerId)}::text[], ${column((r) => r.segmentKey)}::text[], ${column((r) => r.cluster)}::int[], ${column((r) => r.outlier)}::boolean[],
      ${column((r) => r.recencyDays)}::int[], ${column((r) => r.frequency)}::int[], ${column((r) => String(r.monetaryMilli))}::bigint[], ${column((r) => r.rScore)}::int[],
      ${column((r) => r.fScore)}::int[], ${column((r) => r.mScore)}::int[], ${column((r) => r.rfmGroup)}::text[], ${column((r) => r.explanation)}::text[]
    ) AS v("shopifyId","segmentKey","cluster","outlier","recencyDays","frequency","monetaryMilli","rScore","fScore","mScore","rfmGroup","explanation")
    JOIN "Customer" c ON c."shopId" = ${shopId} AND c."shopifyId" = v."shopifyId" AND c."deletedAt" IS NULL`);
}

function checkMonetary(r: CustomerSegmentRow): void {
  if (!Number.isSafeInteger(r.monetaryMilli)) throw new RangeError(`customer ${r.customerId}: monetary is not an integer milli amount: ${r.monetaryMilli}`);
}

/** A row's stored columns (run, shop and customer aside). */
function rowColumns(r: CustomerSegmentRow) {
  checkMonetary(r);
  return {
    segmentKey: r.segmentKey,
    cluster: r.cluster,
    outlier: r.outlier,
    recencyDays: r.recencyDays,
    frequency: r.frequency,
    monetaryMilli: BigInt(r.monetaryMilli),
    rScore: r.rScore,
    fScore: r.fScore,
    mScore: r.mScore,
    rfmGroup: r.rfmGroup,
    explanation: r.explanation,
  };
}

/** Records the run as failed with its error and deletes the rows it had written. */
export async function failRun(db: Db, shopId: number, runId: number, error: unknown, finishedAt = new Date()): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const run = await db.segmentRun.findFirst({ where: { id: runId, shopId }, select: { startedAt: true } });
  if (!run) return;
  await db.$transaction([
    db.customerSegment.deleteMany({ where: { shopId, runId } }),
    db.segmentRun.updateMany({
      where: { id: runId, shopId, status: { not: "completed" } },
      data: { status: "failed", error: message.slice(0, 4000), finishedAt, durationMs: durationMs(run.startedAt, finishedAt) },
    }),
  ]);
}

/** The columns of a StoredRun (everything but the large model and plots JSON). */
export const RUN_FIELDS = {
  id: true,
  algorithm: true,
  asOf: true,
  status: true,
  params: true,
  metrics: true,
  customerCount: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
} as const;

export interface StoredRun {
  readonly id: number;
  readonly algorithm: string;
  readonly asOf: Date;
  readonly status: string;
  readonly params: string;
  readonly metrics: string;
  readonly customerCount: number;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
}

/** The shop's latest completed run (model and plots not included), or null. */
export async function latestCompletedRun(db: Db, shopId: number): Promise<StoredRun | null> {
  return db.segmentRun.findFirst({ where: { shopId, status: "completed" }, orderBy: { id: "desc" }, select: RUN_FIELDS });
}

/** A run of the shop by id, or null. */
export async function runById(db: Db, shopId: number, runId: number): Promise<StoredRun | null> {
  return db.segmentRun.findFirst({ where: { id: runId, shopId }, select: RUN_FIELDS });
}

/** The model of the shop's latest completed run that fitted one, with that run's id; or null. */
export async function latestModel(db: Db, shopId: number): Promise<{ runId: number; model: SegmentModel } | null> {
  const run = await db.segmentRun.findFirst({
    where: { shopId, status: "completed", model: { not: null } },
    orderBy: { id: "desc" },
    select: { id: true, model: true },
  });
  if (!run || run.model === null) return null;
  return { runId: run.id, model: parseSegmentModel(run.model) };
}

/**
 * Segment id per Shopify customer id in one run of the shop (the core's `previousSegments`).
 * Read in keyset pages of `batchSize` rows; the map itself is O(customers), as the core needs.
 */
export async function runSegments(db: Db, shopId: number, runId: number, batchSize = 5000): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await forEachRunRow(db, shopId, runId, batchSize, (shopifyId, row) => out.set(shopifyId, row.segmentKey));
  return out;
}

/** Every customer row of one run, in keyset pages of `batchSize`, by Shopify customer id. */
async function forEachRunRow(db: Db, shopId: number, runId: number, batchSize: number, each: (shopifyId: string, row: RunAssignment) => void): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db.customerSegment.findMany({
      where: { shopId, runId, id: { gt: after } },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, customerId: true, segmentKey: true, rfmGroup: true, customer: { select: { shopifyId: true } } },
    });
    for (const r of rows) each(r.customer.shopifyId, { customerRowId: r.customerId, segmentKey: r.segmentKey, rfmGroup: r.rfmGroup });
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The customer rows of one run of the shop, by Shopify customer id (tests and the admin). */
export async function runCustomerRows(db: Db, shopId: number, runId: number) {
  const rows = await db.customerSegment.findMany({
    where: { shopId, runId },
    orderBy: { id: "asc" },
    include: { customer: { select: { shopifyId: true } } },
  });
  return rows.map(({ customer, ...r }) => ({ ...r, shopifyCustomerId: customer.shopifyId }));
}

/** The model a run of the shop fitted, or null (a failed run, or a run without segments). */
export async function runModel(db: Db, shopId: number, runId: number): Promise<SegmentModel | null> {
  const run = await db.segmentRun.findFirst({ where: { id: runId, shopId }, select: { model: true } });
  return run?.model ? parseSegmentModel(run.model) : null;
}

/** Stores the agreement between Shopify's RFM groups and the run's segments (JSON). */
export async function setRunShopifyRfm(db: Db, shopId: number, runId: number, agreement: unknown): Promise<void> {
  await db.segmentRun.updateMany({ where: { id: runId, shopId }, data: { shopifyRfm: JSON.stringify(agreement) } });
}

// Live assignment (services/live-assignment.server.ts): a completed run's rows are updated one
// customer at a time between refits; the run's model and every other column stay as the refit left them.

/** The shop's latest completed run, id and as-of instant only (cheap: read on every webhook drain). */
export async function latestCompletedRunRef(db: Db, shopId: number): Promise<{ id: number; asOf: Date } | null> {
  return db.segmentRun.findFirst({ where: { shopId, status: "completed" }, orderBy: { id: "desc" }, select: { id: true, asOf: true } });
}

/** A stored row as live assignment reads it back: the columns it may change, by Customer row id. */
export interface StoredCustomerRow extends Omit<CustomerSegmentRow, "customerId"> {
  readonly customerRowId: number;
}

/** A stored customer row's segment and figures: its RFM values and scores, group and "why here" sentence. */
export const CUSTOMER_ROW_FIGURES = {
  segmentKey: true,
  recencyDays: true,
  frequency: true,
  monetaryMilli: true,
  rScore: true,
  fScore: true,
  mScore: true,
  rfmGroup: true,
  explanation: true,
} as const;

/**
 * The run's rows of these customers (Shopify customer ids); one statement (the customers by
 * (shopId, shopifyId) in a subquery, the rows by [runId, customerId]), so it needs no other read first.
 */
export async function runRowsOfCustomers(db: Db, shopId: number, runId: number, shopifyCustomerIds: readonly string[]): Promise<StoredCustomerRow[]> {
  if (shopifyCustomerIds.length === 0) return [];
  const rows = await db.customerSegment.findMany({
    where: { shopId, runId, customer: { shopId, shopifyId: { in: [...shopifyCustomerIds] } } },
    select: { customerId: true, cluster: true, outlier: true, ...CUSTOMER_ROW_FIGURES },
  });
  return rows.map(({ customerId, monetaryMilli, ...r }) => ({ ...r, customerRowId: customerId, monetaryMilli: Number(monetaryMilli) }));
}

/**
 * Customer `i`'s row (index in `features`) under an assignment and its model: how the refresh and
 * live assignment both turn the core's answer into a stored row.
 */
export function segmentRowOf(result: SegmentAssignment & { readonly model: SegmentModel }, features: RfmFeatureTable, i: number): CustomerSegmentRow {
  const recency = features.recencyDays[i]!;
  return {
    customerId: features.customerIds[i]!,
    segmentKey: result.model.segments[result.segmentIndex[i]!]!.id,
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

/** A row live assignment writes: the row as the refresh builds it, plus the Customer row id. */
export interface LiveCustomerRow extends CustomerSegmentRow {
  readonly customerRowId: number;
  /** Whether the run already has a row for this customer (as read just before, `runRowsOfCustomers`). */
  readonly stored: boolean;
}

/**
 * Writes live-assigned rows into a run of the shop (the latest completed one, as the caller read
 * it), stamped `assignedAt`: stored rows are updated, new customers get a row and the run's
 * customer count grows with them. One transaction, no read in it (one statement for the common
 * single row). Returns how many rows were inserted.
 */
export async function writeLiveRows(db: Db, shopId: number, runId: number, rows: readonly LiveCustomerRow[], assignedAt: Date): Promise<number> {
  const statements: Prisma.PrismaPromise<unknown>[] = [];
  const fresh = [];
  for (const r of rows) {
    const columns = { ...rowColumns(r), assignedAt };
    if (r.stored) statements.push(db.customerSegment.updateMany({ where: { runId, customerId: r.customerRowId, shopId }, data: columns }));
    else fresh.push({ shopId, runId, customerId: r.customerRowId, ...columns });
  }
  if (fresh.length > 0) {
    statements.push(db.customerSegment.createMany({ data: fresh }));
    statements.push(db.segmentRun.updateMany({ where: { id: runId, shopId }, data: { customerCount: { increment: fresh.length } } }));
  }
  if (statements.length === 1) await statements[0];
  else if (statements.length > 1) await db.$transaction(statements);
  return fresh.length;
}

export interface RunAssignment {
  /** The Customer row's id (foreign keys of the write history). */
  readonly customerRowId: number;
  readonly segmentKey: string;
  /** Segmint's own RFM group name (RFM_GROUPS[…].name). */
  readonly rfmGroup: string;
}

/** Every customer's row in one run of the shop, by Shopify customer id, read in keyset pages. */
export async function runAssignments(db: Db, shopId: number, runId: number, batchSize = 5000): Promise<Map<string, RunAssignment>> {
  const out = new Map<string, RunAssignment>();
  await forEachRunRow(db, shopId, runId, batchSize, (shopifyId, row) => out.set(shopifyId, row));
  return out;
}

/** The segments that have at least one customer in a run of the shop. */
export async function populatedSegmentKeys(db: Db, shopId: number, runId: number): Promise<Set<string>> {
  const rows = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId, runId } });
  return new Set(rows.map((r) => r.segmentKey));
}

/**
 * Marks the shop's runs still "running" as failed ("interrupted"): a refresh is one job per shop
 * at a time, so at its start any running run was left by a process that died mid-refresh.
 */
export async function failInterruptedRuns(db: Db, shopId: number, at = new Date()): Promise<number> {
  const { count } = await db.segmentRun.updateMany({
    where: { shopId, status: "running" },
    data: { status: "failed", error: "interrupted: the process running this refresh stopped before it finished", finishedAt: at },
  });
  return count;
}

/**
 * Run retention: keeps every customer row of the shop's newest `keep` completed runs (what the
 * admin compares and what a rollback can restore) and deletes the customer rows of older runs.
 * The runs themselves (parameters, metrics, model) stay as history.
 */
export async function pruneRunRows(db: Db, shopId: number, keep: number): Promise<number> {
  const oldestKept = await oldestRunKeepingRows(db, shopId, keep);
  if (oldestKept === 0) return 0;
  const { count } = await db.customerSegment.deleteMany({ where: { shopId, runId: { lt: oldestKept } } });
  return count;
}

/**
 * The retention rule, read from the runs alone: the id of the `keep`-th newest completed run (runs
 * older than it lose their customer rows at the next prune), or 0 while fewer runs completed.
 * Cheaper than probing CustomerSegment per run, which PostgreSQL answered with a table scan each.
 */
export async function oldestRunKeepingRows(db: Db, shopId: number, keep = RUNS_KEPT_WITH_ROWS): Promise<number> {
  const kept = await db.segmentRun.findMany({ where: { shopId, status: "completed" }, orderBy: { id: "desc" }, take: keep, select: { id: true } });
  return kept.length < keep ? 0 : kept[kept.length - 1]!.id;
}
