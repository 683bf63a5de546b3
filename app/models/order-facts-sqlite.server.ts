// The bridge's read path on SQLite: the shop's orders with their lines and refunds in keyset
// batches, read through a driver connection of its own (better-sqlite3, read-only) instead of
// Prisma, whose per-row object mapping made the refresh ~20× slower than the CLI on 5M lines
// (bench/results/refresh.md). Orders come in Order.id order, not in time order: ids follow
// insertion, so an order's lines sit next to its neighbours' and each batch reads a few
// contiguous pages, where time order (a backfill inserts orders in any order) jumped across the
// whole file (~10× slower at 1M orders). The RFM accumulator does not depend on the order of rows.
// The shapes are those of the Prisma path in order-facts.server.ts, which maps both alike.
import Database from "better-sqlite3";

/** One order and what the bridge reads with it (the shape of order-facts' Prisma select). */
export interface OrderFactsRecord {
  id: number;
  shopifyId: string;
  processedAt: Date;
  cancelledAt: Date | null;
  grossMilli: bigint;
  test: boolean;
  customer: { shopifyId: string } | null;
  lines: { productId: string | null; quantity: number; unitPriceMilli: bigint }[];
  refunds: { processedAt: Date; amountMilli: bigint }[];
}

interface OrderRow {
  id: bigint;
  shopifyId: string;
  processedAt: string | bigint;
  cancelledAt: string | bigint | null;
  grossMilli: bigint;
  test: bigint;
  customer: string | null;
}

/** Prisma's SQLite DateTime storage (ISO text, or epoch milliseconds) → Date. */
function dateOf(v: string | bigint): Date {
  return typeof v === "bigint" ? new Date(Number(v)) : new Date(v);
}

/** The shop's orders with lines and refunds, `batchSize` orders at a time in Order.id order, from the SQLite file. */
export async function* sqliteOrderFacts(file: string, shopId: number, batchSize: number): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  try {
    conn.pragma("busy_timeout = 10000");
    const columns = `o."id", o."shopifyId", o."processedAt", o."cancelledAt", o."grossMilli", o."test", c."shopifyId" AS "customer"`;
    const from = `FROM "Order" o LEFT JOIN "Customer" c ON c."id" = o."customerId"`;
    // Keyset over the primary key: `+shopId` keeps SQLite on the rowid range (a seek, then
    // storage order) rather than the (shopId, processedAt) index, which would sort every batch.
    const next = conn.prepare(`SELECT ${columns} ${from} WHERE +o."shopId" = ? AND o."id" > ? ORDER BY o."id" LIMIT ?`).safeIntegers(true);
    const lines = conn
      .prepare(`SELECT "orderId", "productId", "quantity", "unitPriceMilli" FROM "OrderLine" WHERE "orderId" IN (SELECT value FROM json_each(?)) ORDER BY "orderId", "id"`)
      .safeIntegers(true);
    const refunds = conn
      .prepare(`SELECT "orderId", "processedAt", "amountMilli" FROM "Refund" WHERE "orderId" IN (SELECT value FROM json_each(?)) ORDER BY "orderId", "id"`)
      .safeIntegers(true);
    let after = 0n;
    for (;;) {
      const rows = next.all(shopId, after, batchSize) as OrderRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      const byId = new Map<number, OrderFactsRecord>();
      const batch = rows.map((r) => {
        const order: OrderFactsRecord = {
          id: Number(r.id),
          shopifyId: r.shopifyId,
          processedAt: dateOf(r.processedAt),
          cancelledAt: r.cancelledAt === null ? null : dateOf(r.cancelledAt),
          grossMilli: r.grossMilli,
          test: r.test !== 0n,
          customer: r.customer === null ? null : { shopifyId: r.customer },
          lines: [],
          refunds: [],
        };
        byId.set(order.id, order);
        return order;
      });
      const ids = JSON.stringify(batch.map((o) => o.id));
      for (const l of lines.all(ids) as { orderId: bigint; productId: string | null; quantity: bigint; unitPriceMilli: bigint }[]) {
        byId.get(Number(l.orderId))!.lines.push({ productId: l.productId, quantity: Number(l.quantity), unitPriceMilli: l.unitPriceMilli });
      }
      for (const f of refunds.all(ids) as { orderId: bigint; processedAt: string | bigint; amountMilli: bigint }[]) {
        byId.get(Number(f.orderId))!.refunds.push({ processedAt: dateOf(f.processedAt), amountMilli: f.amountMilli });
      }
      yield batch;
    }
  } finally {
    conn.close();
  }
}
