// The bridge's read path on SQLite for whole-shop features (the refresh): the shop's orders with
// their lines and refunds in keyset batches, read through a driver connection of its own
// (better-sqlite3, read-only) instead of Prisma, whose per-row object mapping made the refresh
// ~20× slower than the CLI on 5M lines (bench/results/refresh.md).
// - Orders come in Order.id order, not in time order: ids follow insertion, so an order's lines
//   sit next to its neighbours' and each batch reads a few contiguous pages, where time order (a
//   backfill inserts orders in any order) jumped across the whole file (~10× slower at 1M orders).
//   The RFM features do not depend on the order of orders beyond the customers' listing order.
// - An order's lines come as one text per order (group_concat), decoded per batch
//   (order-facts-batch.server.ts).
// - The shop's customers are read once (O(customers)) instead of joined to every order: half the
//   orders' read, and one string per customer instead of one per order.
import Database from "better-sqlite3";
import { assembleBatch, type OrderFactsRecord, type OrderLinesText, type OrderRowFacts, type RefundFacts } from "./order-facts-batch.server";

interface OrderRow {
  id: number;
  shopifyId: string;
  processedAt: string | number;
  cancelledAt: string | number | null;
  grossMilli: number | null;
  test: number;
  customerId: number | null;
}

type RefundRow = [orderId: number, processedAt: string | number, amountMilli: number | null];

/** A milli column as a number, or null beyond ±(2^53 − 1) (a double would round it). */
const exactMilli = (column: string): string => `CASE WHEN ${column} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${column} END`;

/** The shop's orders with lines and refunds, `batchSize` orders at a time in Order.id order, from the SQLite file. */
export async function* sqliteOrderFacts(file: string, shopId: number, batchSize: number): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  try {
    conn.pragma("busy_timeout = 10000");
    conn.pragma("cache_size = -65536"); // 64 MiB: the batch's lines and their index pages
    const customers = new Map<number, string>();
    for (const [id, shopifyId] of conn.prepare(`SELECT "id", "shopifyId" FROM "Customer" WHERE "shopId" = ?`).raw(true).iterate(shopId) as IterableIterator<[number, string]>) {
      customers.set(id, shopifyId);
    }
    // A customer created while the read runs is looked up on its own.
    const customer = conn.prepare(`SELECT "shopifyId" FROM "Customer" WHERE "id" = ?`).pluck();
    const customerShopifyId = (id: number | null): string | null => {
      if (id === null) return null;
      let shopifyId = customers.get(id);
      if (shopifyId === undefined) {
        shopifyId = (customer.get(id) as string | undefined) ?? "";
        customers.set(id, shopifyId);
      }
      return shopifyId === "" ? null : shopifyId;
    };
    // Keyset over the primary key: `+shopId` keeps SQLite on the rowid range (a seek, then
    // storage order) rather than the (shopId, processedAt) index, which would sort every batch.
    const next = conn.prepare(
      `SELECT "id", "shopifyId", "processedAt", "cancelledAt", ${exactMilli(`"grossMilli"`)} AS "grossMilli", "test", "customerId" FROM "Order" WHERE +"shopId" = ? AND "id" > ? ORDER BY "id" LIMIT ?`,
    );
    // A batch is every order of the shop with an id in [first, last]: its lines and refunds are
    // those of that id range and shop, one range scan of the (orderId, shopifyId) unique index
    // each (`+shopId`: not the (shopId, …) index, which would visit the whole shop). The lines of
    // one order come in that index's order, not by line id: sorting them would cost as much as
    // the read, and the features do not depend on it (a line's day, customer and order are its
    // order's; integer milli sums are exact in any order).
    const lines = conn
      .prepare(
        `SELECT "orderId", count(*), group_concat("quantity" || ' ' || "unitPriceMilli", ' ') FROM "OrderLine" WHERE "orderId" BETWEEN ? AND ? AND +"shopId" = ? GROUP BY "orderId" ORDER BY "orderId"`,
      )
      .raw(true);
    const refunds = conn
      .prepare(`SELECT "orderId", "processedAt", ${exactMilli(`"amountMilli"`)} FROM "Refund" WHERE "orderId" BETWEEN ? AND ? AND +"shopId" = ? ORDER BY "orderId", "id"`)
      .raw(true);
    let after = 0;
    for (;;) {
      const rows = next.all(shopId, after, batchSize) as OrderRow[];
      if (rows.length === 0) return;
      const first = rows[0]!.id;
      after = rows[rows.length - 1]!.id;
      const orders = rows.map(
        (r): OrderRowFacts => ({
          id: r.id,
          shopifyId: r.shopifyId,
          processedAt: new Date(r.processedAt),
          cancelledAt: r.cancelledAt === null ? null : new Date(r.cancelledAt),
          grossMilli: r.grossMilli ?? Number.NaN,
          test: r.test !== 0,
          customerShopifyId: customerShopifyId(r.customerId),
        }),
      );
      const refundFacts = (refunds.all(first, after, shopId) as RefundRow[]).map(
        ([orderId, processedAt, amountMilli]): RefundFacts => ({ orderId, processedAt: new Date(processedAt), amountMilli: amountMilli ?? Number.NaN }),
      );
      yield assembleBatch(orders, lines.all(first, after, shopId) as OrderLinesText[], refundFacts);
    }
  } finally {
    conn.close();
  }
}
