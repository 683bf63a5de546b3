// The bridge's read path on SQLite: the shop's orders with their lines and refunds in keyset
// batches, read through a driver connection of its own (better-sqlite3, read-only) instead of
// Prisma, whose per-row object mapping made the refresh ~20× slower than the CLI on 5M lines
// (bench/results/refresh.md). Orders come in Order.id order, not in time order: ids follow
// insertion, so an order's lines sit next to its neighbours' and each batch reads a few
// contiguous pages, where time order (a backfill inserts orders in any order) jumped across the
// whole file (~10× slower at 1M orders). The RFM accumulator does not depend on the order of rows.
// The shapes are those of the Prisma path in order-facts.server.ts, which maps both alike; money
// comes as numbers, not bigints (no BigInt per line): SQL gives null for a value beyond 2^53, which
// the mapping refuses, so nothing is ever rounded.
import Database from "better-sqlite3";

/**
 * One line as the bridge reads it: a tuple, as the driver gives rows (no object per line). The
 * first slot is the Order row id the line belongs to (the driver read merges on it).
 */
export type LineFact = readonly [orderRowId: number, quantity: number, unitPriceMilli: bigint | number | null, productId: string | null];

/** One order and what the bridge reads with it (the driver read's shape; the Prisma path maps to it). */
export interface OrderFactsRecord {
  readonly shopifyId: string;
  /** The customer's Shopify id; null for a guest order. */
  readonly customerShopifyId: string | null;
  readonly processedAt: Date;
  readonly cancelledAt: Date | null;
  /** null: beyond 2^53 (driver read). */
  readonly grossMilli: bigint | number | null;
  readonly test: boolean;
  readonly lines: readonly LineFact[];
  readonly refunds: readonly { readonly processedAt: Date; readonly amountMilli: bigint | number | null }[];
}

export interface SqliteOrderFactsOptions {
  /** Read each line's product id (the transaction rows carry it; the RFM features do not need it). */
  readonly productIds: boolean;
}

interface OrderRow {
  id: number;
  shopifyId: string;
  processedAt: string | number;
  cancelledAt: string | number | null;
  grossMilli: number | null;
  test: number;
  customerId: number | null;
}

type LineRow = [orderId: number, quantity: number, unitPriceMilli: number | null, productId: string | null];
type RefundRow = [orderId: number, processedAt: string | number, amountMilli: number | null];

interface BatchOrder extends OrderFactsRecord {
  readonly lines: LineRow[];
  refunds: { processedAt: Date; amountMilli: number | null }[];
}

const NO_REFUNDS: BatchOrder["refunds"] = [];

/** A milli column as a number, or null beyond ±(2^53 − 1) (a double would round it). */
const exactMilli = (column: string): string => `CASE WHEN ${column} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${column} END`;

/** The shop's orders with lines and refunds, `batchSize` orders at a time in Order.id order, from the SQLite file. */
export async function* sqliteOrderFacts(file: string, shopId: number, batchSize: number, options: SqliteOrderFactsOptions): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  try {
    conn.pragma("busy_timeout = 10000");
    conn.pragma("cache_size = -65536"); // 64 MiB: the batch's lines and their index pages
    // The shop's customers once (O(customers)), rather than a join per order: half the orders'
    // read, and one string per customer instead of one per order. A customer created while the
    // read runs is looked up on its own.
    const customers = new Map<number, string>();
    for (const [id, shopifyId] of conn.prepare(`SELECT "id", "shopifyId" FROM "Customer" WHERE "shopId" = ?`).raw(true).iterate(shopId) as IterableIterator<[number, string]>) {
      customers.set(id, shopifyId);
    }
    const customer = conn.prepare(`SELECT "shopifyId" FROM "Customer" WHERE "id" = ?`).pluck();
    const customerShopifyId = (id: number | null): string | null => {
      if (id === null) return null;
      let shopifyId = customers.get(id);
      if (shopifyId === undefined) {
        shopifyId = customer.get(id) as string;
        customers.set(id, shopifyId);
      }
      return shopifyId;
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
    // order's; sums of integer milli amounts are exact in any order). Product ids only when asked
    // for: a string per line is a third of the read at millions of lines.
    const lines = conn
      .prepare(`SELECT "orderId", "quantity", ${exactMilli(`"unitPriceMilli"`)}, ${options.productIds ? `"productId"` : "NULL"} FROM "OrderLine" WHERE "orderId" BETWEEN ? AND ? AND +"shopId" = ? ORDER BY "orderId"`)
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
      const batch: BatchOrder[] = rows.map((r) => ({
        shopifyId: r.shopifyId,
        customerShopifyId: customerShopifyId(r.customerId),
        processedAt: new Date(r.processedAt),
        cancelledAt: r.cancelledAt === null ? null : new Date(r.cancelledAt),
        grossMilli: r.grossMilli,
        test: r.test !== 0,
        lines: [],
        refunds: NO_REFUNDS,
      }));
      // Both lists are in order-id order, as the batch is: a merge, no lookup per row.
      const at = (orderId: number, from: number): number => {
        while (from < rows.length && rows[from]!.id < orderId) from++;
        return from;
      };
      let o = 0;
      for (const l of lines.all(first, after, shopId) as LineRow[]) {
        o = at(l[0], o);
        if (rows[o]?.id === l[0]) batch[o]!.lines.push(l);
      }
      o = 0;
      for (const [orderId, processedAt, amountMilli] of refunds.all(first, after, shopId) as RefundRow[]) {
        o = at(orderId, o);
        if (rows[o]?.id !== orderId) continue;
        const order = batch[o]!;
        if (order.refunds === NO_REFUNDS) order.refunds = [];
        order.refunds.push({ processedAt: new Date(processedAt), amountMilli });
      }
      yield batch;
    }
  } finally {
    conn.close();
  }
}
