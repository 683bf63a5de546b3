// The bridge's whole-shop read on PostgreSQL (the refresh's features), through raw SQL on the
// app's client instead of `findMany` with lines and refunds: the same batches as the SQLite
// driver read (order-facts-sqlite.server.ts), in Order.id order, an order's lines as one text
// (string_agg) decoded per batch (order-facts-batch.server.ts), the shop's customers read once.
// Money travels as text, so no value is rounded on the way; beyond 2^53 it is refused by the mapping.
import { sqlOf, type Db } from "../db.server";
import { assembleBatch, type OrderFactsRecord, type OrderLinesText, type OrderRowFacts, type RefundFacts } from "./order-facts-batch.server";

/** Milli as text → number (NaN beyond ±(2^53 − 1): refused by the mapping). */
function milliOf(text: string): number {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

/** The shop's orders with lines and refunds, `batchSize` orders at a time in Order.id order. */
export async function* postgresOrderFacts(db: Db, shopId: number, batchSize: number): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  const { sql } = sqlOf(db);
  const customers = new Map<number, string>();
  for (const c of await db.$queryRaw<{ id: number; shopifyId: string }[]>(sql`SELECT "id", "shopifyId" FROM "Customer" WHERE "shopId" = ${shopId}`)) customers.set(c.id, c.shopifyId);
  let after = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ id: number; shopifyId: string; processedAt: Date; cancelledAt: Date | null; grossMilli: string; test: boolean; customerId: number | null }[]>(sql`
      SELECT "id", "shopifyId", "processedAt", "cancelledAt", "grossMilli"::text AS "grossMilli", "test", "customerId"
      FROM "Order" WHERE "shopId" = ${shopId} AND "id" > ${after} ORDER BY "id" LIMIT ${batchSize}`);
    if (rows.length === 0) return;
    const first = rows[0]!.id;
    after = rows[rows.length - 1]!.id;
    // A customer created while the read runs is looked up on its own.
    const unknown = [...new Set(rows.flatMap((r) => (r.customerId !== null && !customers.has(r.customerId) ? [r.customerId] : [])))];
    if (unknown.length > 0) {
      for (const c of await db.customer.findMany({ where: { shopId, id: { in: unknown } }, select: { id: true, shopifyId: true } })) customers.set(c.id, c.shopifyId);
    }
    const orders = rows.map(
      (r): OrderRowFacts => ({
        id: r.id,
        shopifyId: r.shopifyId,
        processedAt: r.processedAt,
        cancelledAt: r.cancelledAt,
        grossMilli: milliOf(r.grossMilli),
        test: r.test,
        customerShopifyId: r.customerId === null ? null : (customers.get(r.customerId) ?? null),
      }),
    );
    // Every order of the shop with an id in [first, last] is in the batch: its lines and refunds
    // are those of that id range and shop (the (orderId, shopifyId) unique index).
    const lines = await db.$queryRaw<{ orderId: number; count: number; text: string }[]>(sql`
      SELECT "orderId", count(*)::int AS "count", string_agg("quantity"::text || ' ' || "unitPriceMilli"::text, ' ') AS "text"
      FROM "OrderLine" WHERE "orderId" BETWEEN ${first} AND ${after} AND "shopId" = ${shopId} GROUP BY "orderId" ORDER BY "orderId"`);
    const refunds = await db.$queryRaw<{ orderId: number; processedAt: Date; amountMilli: string }[]>(sql`
      SELECT "orderId", "processedAt", "amountMilli"::text AS "amountMilli"
      FROM "Refund" WHERE "orderId" BETWEEN ${first} AND ${after} AND "shopId" = ${shopId} ORDER BY "orderId", "id"`);
    yield assembleBatch(
      orders,
      lines.map((l): OrderLinesText => [l.orderId, l.count, l.text]),
      refunds.map((f): RefundFacts => ({ orderId: f.orderId, processedAt: f.processedAt, amountMilli: milliOf(f.amountMilli) })),
    );
  }
}
