// A run's customer rows on SQLite, written through a better-sqlite3 connection of its own to the
// app's file (as the backfill's writer, orders-bulk/sqlite.server.ts): the batch's Customer rows in
// one query, then a prepared insert per row, all in one transaction per batch. Through Prisma, 100,000 rows took ~37 s (createMany plus a customer
// lookup per batch); here about a second (bench/results/refresh.md). WAL: readers are not
// blocked, and the app's connection waits up to its busy timeout for the few milliseconds a batch
// holds the lock. Storage formats are Prisma's own: Boolean as 0/1, BigInt (Milli) as INTEGER.
import Database from "better-sqlite3";
import type { SegmentCustomerRow } from "../domain/segment-customers";

/**
 * The stored columns of one customer row, by Shopify customer id (segment-runs.server.ts builds
 * them): the figures the admin reads back (domain/segment-customers), plus the cluster.
 */
export interface SegmentRowValues extends Omit<SegmentCustomerRow, "rowId" | "shopifyCustomerId"> {
  readonly customerId: string;
  readonly cluster: number;
}

export interface SegmentRowWriter {
  /** Writes one batch in one transaction; returns how many rows were inserted. */
  write(rows: readonly SegmentRowValues[]): number;
  close(): void;
}

/**
 * A writer of the run's rows into the SQLite `file`. Each row goes to the shop's Customer row of
 * that Shopify id, looked up for the whole batch inside the batch's transaction (so a customer
 * tombstoned meanwhile is seen as such): a tombstoned or unknown customer gets no row, as through Prisma.
 */
export function sqliteSegmentRowWriter(file: string, shopId: number, runId: number): SegmentRowWriter {
  const sql = new Database(file, { timeout: 10_000, fileMustExist: true });
  try {
    sql.pragma("journal_mode = WAL");
    sql.pragma("foreign_keys = ON");
    sql.pragma("synchronous = NORMAL"); // as the app's connection (db.server.ts)
    const customers = sql
      .prepare(`SELECT "shopifyId", "id" FROM "Customer" WHERE "shopId" = ? AND "deletedAt" IS NULL AND "shopifyId" IN (SELECT value FROM json_each(?))`)
      .raw(true);
    const insert = sql.prepare(
      `INSERT INTO "CustomerSegment" ("shopId","runId","customerId","segmentKey","cluster","outlier","recencyDays","frequency","monetaryMilli","rScore","fScore","mScore","rfmGroup","explanation")
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const write = sql.transaction((rows: readonly SegmentRowValues[]): number => {
      const rowIdOf = new Map(customers.all(shopId, JSON.stringify(rows.map((r) => r.customerId))) as [string, number][]);
      let written = 0;
      for (const r of rows) {
        const customerId = rowIdOf.get(r.customerId);
        if (customerId === undefined) continue;
        written += insert.run(
          shopId,
          runId,
          customerId,
          r.segmentKey,
          r.cluster,
          r.outlier ? 1 : 0,
          r.recencyDays,
          r.frequency,
          BigInt(r.monetaryMilli),
          r.rScore,
          r.fScore,
          r.mScore,
          r.rfmGroup,
          r.explanation,
        ).changes;
      }
      return written;
    });
    return { write: (rows) => write(rows), close: () => sql.close() };
  } catch (error) {
    sql.close();
    throw error;
  }
}
