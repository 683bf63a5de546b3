// The backfill's SQLite writer: prepared statements in one transaction per batch, on a
// better-sqlite3 connection of its own to the same file (WAL: readers are not blocked, and the
// app's connection waits up to its busy timeout for the few milliseconds a batch holds the lock).
// Measured on the Online Retail lines: ~3× faster than multi-row statements through Prisma.
// Storage formats are Prisma's own (verified in test/sync/backfill.test.ts by reading back through
// Prisma): DateTime as ISO-8601 text with "+00:00", Boolean as 0/1, BigInt (money: Milli) as INTEGER.
import { Worker } from "node:worker_threads";
import type { Db } from "../../db.server";
import {
  ORDER_COLUMNS,
  orderColumns,
  orderColumnValues,
  orderWriteDecision,
  type ColumnValue,
  type LineState,
  type OrderBulkWriter,
  type OrderState,
} from "../../domain/order";
import { customerRowIds } from "../customers.server";
import { LINES_THREAD, lineColumnsOf, openBulkConnection, type LinesReply, type LinesThreadData } from "./sqlite-lines.worker";

const iso = (d: Date | null) => (d === null ? null : d.toISOString().replace("Z", "+00:00"));
const bind = (v: ColumnValue) => (v instanceof Date ? iso(v) : typeof v === "boolean" ? (v ? 1 : 0) : v);
const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(",");

/** `db` is the app's client (customer rows go through it); `file` is its SQLite file. */
export function sqliteBulkWriter(db: Db, file: string, shopId: number): OrderBulkWriter {
  const sql = openBulkConnection(file);

  // Column names come from the code (ORDER_COLUMNS), never from data.
  const columns = ORDER_COLUMNS.map((c) => `"${c}"`);
  const existingOrder = sql.prepare(`SELECT "id", "shopifyUpdatedAt" FROM "Order" WHERE "shopId" = ? AND "shopifyId" = ?`);
  const insertOrder = sql
    .prepare(
      `INSERT INTO "Order" ("shopId","shopifyId",${columns.join(",")},"createdAt","updatedAt") VALUES (${placeholders(columns.length + 4)}) RETURNING "id"`,
    )
    .pluck();
  const updateOrder = sql.prepare(`UPDATE "Order" SET ${columns.map((c) => `${c}=?`).join(",")},"updatedAt"=? WHERE "id"=?`);
  const deleteLines = sql.prepare(`DELETE FROM "OrderLine" WHERE "orderId" = ?`);
  const deleteRefunds = sql.prepare(`DELETE FROM "Refund" WHERE "orderId" = ?`);
  const insertRefund = sql.prepare(
    `INSERT INTO "Refund" ("shopId","orderId","shopifyId","processedAt","amountMilli") VALUES (?,?,?,?,?) ON CONFLICT ("orderId","shopifyId") DO NOTHING`,
  );

  // Customer rows already resolved in this run: each customer is upserted once per backfill.
  const customers = new Map<string, number>();

  const writeOrders = sql.transaction((orders: OrderState[]) => {
    const now = iso(new Date());
    const result = new Map<string, number | null>();
    for (const o of orders) {
      const cid = o.customerShopifyId ? (customers.get(o.customerShopifyId) ?? null) : null;
      const values = orderColumnValues(orderColumns(o, cid)).map(bind);
      const row = existingOrder.get(shopId, o.shopifyId) as { id: bigint; shopifyUpdatedAt: string } | undefined;
      const stored = row ? { id: Number(row.id), updatedAt: new Date(row.shopifyUpdatedAt) } : null;
      const decision = orderWriteDecision(stored, o, "resume");
      let id: number;
      if (decision === "insert" || stored === null) {
        id = Number(insertOrder.get(shopId, o.shopifyId, ...values, now, now));
      } else if (decision === "skip") {
        result.set(o.shopifyId, null); // a webhook already stored a later state
        continue;
      } else {
        id = stored.id;
        if (decision === "replace") {
          updateOrder.run(...values, now, id);
          deleteLines.run(id);
          deleteRefunds.run(id);
        }
      }
      for (const r of o.refunds) insertRefund.run(shopId, id, r.shopifyId, iso(r.processedAt), BigInt(r.amountMilli));
      result.set(o.shopifyId, id);
    }
    return result;
  });

  // Lines go to a thread of their own (sqlite-lines.worker.ts), started with the first batch.
  let linesThread: LinesThread | null = null;

  return {
    writeOrders: async (orders) => {
      // Through the app's client, before this batch's transaction (as the per-event path does).
      const unknown = orders.flatMap((o) => (o.customerShopifyId && !customers.has(o.customerShopifyId) ? [o.customerShopifyId] : []));
      for (const [shopifyId, id] of await customerRowIds(db, shopId, unknown)) customers.set(shopifyId, id);
      return writeOrders(orders);
    },
    insertLines: async (rows) => {
      if (rows.length === 0) return;
      if (!linesThread) {
        linesThread = startLinesThread(file, shopId);
        sql.pragma("shrink_memory"); // pass 1 is over: this connection's page cache is not needed now
      }
      await linesThread.insert(rows);
    },
    close: async () => {
      await linesThread?.stop();
      sql.close();
    },
  };
}

interface LinesThread {
  /** Resolves when the batch has committed; one batch at a time. */
  insert(rows: { orderId: number; line: LineState }[]): Promise<void>;
  stop(): Promise<void>;
}

function startLinesThread(file: string, shopId: number): LinesThread {
  // The thread loads the TypeScript source through tsx, as the app's job runners do.
  const worker = new Worker(new URL("./sqlite-lines.worker.ts", import.meta.url), {
    workerData: { kind: LINES_THREAD, file, shopId } satisfies LinesThreadData,
    execArgv: [...process.execArgv, "--import", "tsx"],
  });
  let failure: Error | null = null;
  let pending: { resolve(): void; reject(error: Error): void } | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    pending?.reject(failure);
    pending = null;
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the backfill's line-writing thread stopped (exit code ${code})`)));
  worker.on("message", (reply: LinesReply) => {
    const settle = pending;
    pending = null;
    if (reply.ok) settle?.resolve();
    else settle?.reject(new Error(reply.message));
  });
  return {
    insert: (rows) =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        if (pending) return reject(new Error("a batch of lines is already being written"));
        pending = { resolve, reject };
        const columns = lineColumnsOf(rows);
        const numeric = [columns.orderId, columns.quantity, columns.unitPriceMilli, columns.refundedQuantity];
        worker.postMessage(columns, numeric.map((a) => a.buffer as ArrayBuffer));
      }),
    stop: async () => {
      worker.removeAllListeners("exit");
      if (failure) return void (await worker.terminate());
      // The thread closes its connection and ends; a thread that does not within 5 s is ended.
      const ended = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage(null);
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      await ended;
      clearTimeout(timer);
    },
  };
}
