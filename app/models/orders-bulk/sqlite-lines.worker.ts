// The backfill's line inserts on SQLite, in a thread of their own (ADR 0025): better-sqlite3 works
// synchronously, so in the job's thread a batch's inserts and the parsing of the next batch took
// turns on one core; here they overlap. The thread owns a connection to the same file and inserts
// each batch it is sent in one transaction, answering when it has committed (or why it failed).
// Loaded by sqlite.server.ts; the batch travels as columns (LineColumns), typed arrays transferred.
import Database from "better-sqlite3";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { LineState } from "../../domain/order";

/** A batch of lines, one array per column (what crosses the thread boundary cheaply). */
export interface LineColumns {
  orderId: Float64Array;
  shopifyId: string[];
  productId: (string | null)[];
  variantId: (string | null)[];
  quantity: Float64Array;
  unitPriceMilli: Float64Array;
  refundedQuantity: Float64Array;
}

/** A batch's answer: committed, or the error that rolled it back. */
export type LinesReply = { ok: true } | { ok: false; message: string };

/** Marks the thread's input, so importing this module elsewhere never opens a connection. */
export const LINES_THREAD = "segmint.sqlite-lines";

export interface LinesThreadData {
  kind: typeof LINES_THREAD;
  file: string;
  shopId: number;
}

export function lineColumnsOf(rows: { orderId: number; line: LineState }[]): LineColumns {
  const n = rows.length;
  const columns: LineColumns = {
    orderId: new Float64Array(n),
    shopifyId: new Array<string>(n),
    productId: new Array<string | null>(n),
    variantId: new Array<string | null>(n),
    quantity: new Float64Array(n),
    unitPriceMilli: new Float64Array(n),
    refundedQuantity: new Float64Array(n),
  };
  rows.forEach(({ orderId, line }, i) => {
    columns.orderId[i] = orderId;
    columns.shopifyId[i] = line.shopifyId;
    columns.productId[i] = line.productId;
    columns.variantId[i] = line.variantId;
    columns.quantity[i] = line.quantity;
    columns.unitPriceMilli[i] = line.unitPriceMilli;
    columns.refundedQuantity[i] = line.refundedQuantity;
  });
  return columns;
}

/** The connection's settings, as the writer in the job's thread has them (sqlite.server.ts). */
export function openBulkConnection(file: string): Database.Database {
  const sql = new Database(file, { timeout: 10_000 });
  sql.pragma("journal_mode = WAL");
  sql.pragma("foreign_keys = ON");
  // In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last batches, which
  // the resumable backfill writes again. Halves the time per batch here.
  sql.pragma("synchronous = NORMAL");
  sql.pragma("cache_size = -65536"); // 64 MiB page cache for index maintenance
  sql.defaultSafeIntegers(true);
  return sql;
}

function serve(data: LinesThreadData): void {
  const sql = openBulkConnection(data.file);
  const insertLine = sql.prepare(
    `INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","variantId","quantity","unitPriceMilli","refundedQuantity")
     VALUES (?,?,?,?,?,?,?,?) ON CONFLICT ("orderId","shopifyId") DO NOTHING`,
  );
  const insertAll = sql.transaction((c: LineColumns) => {
    for (let i = 0; i < c.orderId.length; i++) {
      insertLine.run(data.shopId, c.orderId[i], c.shopifyId[i], c.productId[i], c.variantId[i], c.quantity[i], BigInt(c.unitPriceMilli[i]!), c.refundedQuantity[i]);
    }
  });
  parentPort!.on("message", (columns: LineColumns | null) => {
    if (columns === null) {
      // Stop: nothing is in flight (the writer sends one batch at a time and waits for its answer).
      sql.close();
      parentPort!.close();
      return;
    }
    let reply: LinesReply;
    try {
      insertAll(columns);
      reply = { ok: true };
    } catch (error) {
      reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    parentPort!.postMessage(reply);
  });
}

if (!isMainThread && parentPort !== null && (workerData as { kind?: unknown } | null)?.kind === LINES_THREAD) serve(workerData as LinesThreadData);
