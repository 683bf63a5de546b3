// Backfill: export every order with a bulk query, then ingest the JSONL.
//
// A state machine driven by the `backfill` job (re-enqueued while Shopify works, and woken early by
// the bulk_operations/finish webhook):  start → poll → download → pass 1 (orders, customers,
// refunds) → pass 2 (lines) → completed. Lines may come before their order in the file (Shopify
// does not group them), hence two passes over a local copy. Every write is idempotent, so a crash
// anywhere resumes without duplicates; pass 2 also skips the lines it had already committed.
import { rmSync } from "node:fs";
import type { Db } from "../db.server";
import type { LineState, OrderBulkWriter, OrderState } from "../domain/order";
import { orderBulkWriter } from "../models/orders-bulk/index.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { ordersBulkQuery } from "../shopify/graphql";
import { jsonLinesMarked } from "../shopify/bulk-results.server";
import { shopifyIdOf } from "../shopify/ids";
import { lineFromGraphql, orderFromGraphql } from "../shopify/mappers/order-graphql";
import { downloadBulkExport, stepBulkExport, type SyncStep } from "./bulk-export-step.server";
import { advanceProductSync, beginProductSync, hasActiveProductSync } from "./product-sync.server";

const ORDER_BATCH = 5000;
const LINE_BATCH = 50_000;

export type BackfillStep = SyncStep;

export interface BackfillDeps {
  db: Db;
  admin: AdminClient;
  shopId: number;
  /** Where downloaded JSONL files are kept until the run completes. */
  workDir?: string;
  /** Called between batches; resolves false when the job was cancelled (stop early). */
  heartbeat?: () => Promise<boolean>;
}

/** Starts a backfill run unless one is already in progress. Returns the run id. */
export async function beginBackfill(db: Db, shopId: number): Promise<number> {
  const active = await db.syncRun.findFirst({
    where: { shopId, kind: "backfill", status: { in: ["pending", "running"] } },
    select: { id: true },
  });
  if (active) return active.id;
  const run = await db.syncRun.create({ data: { shopId, kind: "backfill", status: "pending" } });
  return run.id;
}

/** Advances the shop's active backfill by one step. */
export async function advanceBackfill(deps: BackfillDeps): Promise<BackfillStep> {
  const { db, admin, shopId } = deps;
  const run = await db.syncRun.findFirst({
    where: { shopId, kind: "backfill", status: { in: ["pending", "running"] } },
    orderBy: { id: "desc" },
  });
  if (!run) return { done: true };

  const next = await stepBulkExport(db, admin, run, ordersBulkQuery());
  if ("step" in next) return next.step;
  const op = next.completed;

  await db.syncRun.update({ where: { id: run.id }, data: { rowsTotal: op.total } });
  if (op.url) {
    const file = await downloadBulkExport(op.url, deps.workDir);
    const completed = await ingest(deps, run.id, file, run.resumeLine);
    if (!completed) return { done: true }; // cancelled (uninstall) mid-way
    rmSync(file, { force: true });
  }
  // The first segmentation follows the backfill, and so does the products export (the same job
  // runs it next: one bulk query at a time per shop); in one transaction, so a completed backfill
  // always has both queued (singleton: a refresh already waiting covers it).
  await db.$transaction(async (tx) => {
    await tx.syncRun.update({ where: { id: run.id }, data: { status: "completed", finishedAt: new Date() } });
    await beginProductSync(tx, shopId);
    await enqueue(tx, { type: JOB.refreshSegments, shopId, singletonKey: JOB.refreshSegments, payload: { reason: "backfill" } });
  });
  return { done: true };
}

/**
 * One step of whatever the shop's `backfill` job has to do, one bulk query at a time: the orders
 * backfill first, then a products export (queued when the backfill completes, or by a re-sync).
 */
export async function advanceShopSync(deps: BackfillDeps): Promise<BackfillStep> {
  const { db, shopId } = deps;
  const ordersActive = await db.syncRun.count({ where: { shopId, kind: "backfill", status: { in: ["pending", "running"] } } });
  if (ordersActive > 0) {
    const step = await advanceBackfill(deps);
    if (!step.done) return step;
    return (await hasActiveProductSync(db, shopId)) ? { done: false, pollAfterMs: 0 } : step;
  }
  return advanceProductSync(deps);
}

// Children carry "__parentId"; our selection has no free text where that string could appear.
const CHILD_MARKER = '"__parentId"';

const isOrder = (v: Record<string, unknown>) => typeof v.id === "string" && v.id.startsWith("gid://shopify/Order/") && v.__parentId === undefined;
const isLine = (v: Record<string, unknown>) => typeof v.id === "string" && v.id.startsWith("gid://shopify/LineItem/");

/**
 * Shopify order id → the row pass 2 writes its lines to (null: stored state is newer). A
 * million-order backfill holds a million of these: keyed by the id as a number (Shopify's ids are
 * below 2^53), not by the id's text, which kept the parsed GID alive behind each key.
 */
class OrderRows {
  private readonly byNumber = new Map<number, number | null>();
  private readonly byText = new Map<string, number | null>(); // an id beyond 2^53: exact as text

  set(shopifyId: string, row: number | null): void {
    const n = Number(shopifyId);
    if (Number.isSafeInteger(n)) this.byNumber.set(n, row);
    else this.byText.set(shopifyId, row);
  }

  get(shopifyId: string): number | null | undefined {
    const n = Number(shopifyId);
    return Number.isSafeInteger(n) ? this.byNumber.get(n) : this.byText.get(shopifyId);
  }
}

/** The two passes. Returns false if the job was cancelled meanwhile. */
async function ingest(deps: BackfillDeps, runId: number, file: string, resumeLine: number): Promise<boolean> {
  const writer = orderBulkWriter(deps.db, deps.shopId);
  try {
    return await ingestWith(deps, writer, runId, file, resumeLine);
  } finally {
    await writer.close();
  }
}

async function ingestWith(deps: BackfillDeps, writer: OrderBulkWriter, runId: number, file: string, resumeLine: number): Promise<boolean> {
  const { db } = deps;
  // Pass 1: orders (+ customers, refunds). Idempotent, so it always runs in full: it rebuilds the
  // map from Shopify order id to the row whose lines pass 2 writes (null: stored state is newer).
  const orderRows = new OrderRows();
  let batch: OrderState[] = [];
  let done = 0;
  const flushOrders = async () => {
    for (const [id, row] of await writer.writeOrders(batch)) orderRows.set(id, row);
    done += batch.length;
    batch = [];
  };
  for await (const { value } of jsonLinesMarked(file, CHILD_MARKER, false)) {
    if (!isOrder(value)) continue;
    batch.push(orderFromGraphql(value));
    if (batch.length >= ORDER_BATCH) {
      await flushOrders();
      if (deps.heartbeat && !(await deps.heartbeat())) return false;
    }
  }
  if (batch.length > 0) await flushOrders();
  await db.syncRun.update({ where: { id: runId }, data: { rowsDone: done } });

  // Pass 2: lines, skipping what a previous attempt committed (resumeLine = file line number).
  // One batch is written while the next is read and mapped (the database works while this process
  // parses: on PostgreSQL they are two processes); batches commit in file order, and the progress
  // row records a batch's last line only after that batch committed, so a crash resumes exactly.
  let lines: { orderId: number; line: LineState }[] = [];
  let lastLine = resumeLine;
  let writing: Promise<void> | null = null;
  const flushLines = async (upTo: number) => {
    const batch = lines;
    lines = [];
    lastLine = upTo;
    if (writing) await writing;
    writing = (async () => {
      await writer.insertLines(batch);
      done += batch.length;
      await db.syncRun.update({ where: { id: runId }, data: { rowsDone: done, resumeLine: upTo } });
    })();
    writing.catch(() => undefined); // awaited by the next flush or below; never unhandled
  };
  try {
    let lineNo = 0;
    for await (const { n, value } of jsonLinesMarked(file, CHILD_MARKER, true)) {
      lineNo = n;
      if (n <= resumeLine || !isLine(value)) continue;
      const orderRow = orderRows.get(shopifyIdOf(String(value.__parentId)));
      if (orderRow === undefined) throw new Error(`line ${n}: line item of an order not in the export (${String(value.__parentId)})`);
      if (orderRow !== null) lines.push({ orderId: orderRow, line: lineFromGraphql(value) });
      if (lines.length >= LINE_BATCH) {
        await flushLines(n);
        if (deps.heartbeat && !(await deps.heartbeat())) return false;
      }
    }
    if (lines.length > 0 || lineNo > lastLine) await flushLines(lineNo);
    await writing;
  } finally {
    // Stopped early (an error, a cancellation): the batch in flight ends before the writer closes.
    await (writing as Promise<void> | null)?.catch(() => undefined);
  }
  return true;
}
