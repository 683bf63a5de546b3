// The bridge's read path on SQLite for whole-shop features (the refresh): the shop's orders with
// their lines and refunds in keyset batches, read through a driver connection of its own
// (better-sqlite3, read-only) instead of Prisma, whose per-row object mapping made the refresh
// ~20× slower than the CLI on 5M lines (bench/results/refresh.md).
// - Orders come in Order.id order, not in time order: ids follow insertion, so an order's lines
//   sit next to its neighbours' and each batch reads a few contiguous pages, where time order (a
//   backfill inserts orders in any order) jumped across the whole file (~10× slower at 1M orders).
//   The RFM features do not depend on the order of orders beyond the customers' listing order.
// - An order's lines come as one text per order (`quantity unitPrice …`, SQLite's group_concat),
//   decoded into two number columns per batch: a row object per line and the values' conversion
//   were most of the read, and their garbage most of the rest.
// - The shop's customers are read once (O(customers)) instead of joined to every order.
// The records are order-facts.server.ts's `OrderFactsRecord`, which maps them as the Prisma path's.
import Database from "better-sqlite3";

/**
 * One order and what the bridge reads with it. Money is in milli as numbers: NaN stands for a
 * stored value beyond ±(2^53 − 1), which the mapping refuses (never rounded).
 */
export interface OrderFactsRecord {
  readonly shopifyId: string;
  /** The customer's Shopify id; null for a guest order. */
  readonly customerShopifyId: string | null;
  readonly processedAt: Date;
  readonly cancelledAt: Date | null;
  readonly grossMilli: number;
  readonly test: boolean;
  /** The order's lines are the entries [linesFrom, linesTo) of these columns (its batch's, or its own). */
  readonly quantities: ArrayLike<number>;
  readonly unitPricesMilli: ArrayLike<number>;
  /** null: not read (the features do not need them). */
  readonly productIds: ArrayLike<string | null> | null;
  readonly linesFrom: number;
  readonly linesTo: number;
  readonly refunds: readonly { readonly processedAt: Date; readonly amountMilli: number }[];
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

type LinesRow = [orderId: number, count: number, lines: string];
type RefundRow = [orderId: number, processedAt: string | number, amountMilli: number | null];

interface BatchOrder extends OrderFactsRecord {
  linesFrom: number;
  linesTo: number;
  refunds: { processedAt: Date; amountMilli: number }[];
}

const NO_REFUNDS: BatchOrder["refunds"] = [];
const NO_LINES = new Float64Array(0);

/** A milli column as a number, or null beyond ±(2^53 − 1) (a double would round it). */
const exactMilli = (column: string): string => `CASE WHEN ${column} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${column} END`;

/**
 * Decodes `count` pairs of integers (`q p q p …`, single spaces, optional minus) from `text` into
 * the columns from `at`. An integer beyond 2^53 decodes to a value past MAX_SAFE_INTEGER, which
 * the mapping refuses: the digits are accumulated exactly up to 2^53.
 */
function decodeLines(text: string, count: number, quantities: Float64Array, prices: Float64Array, at: number): void {
  let i = 0;
  const end = text.length;
  for (let k = 0; k < 2 * count; k++) {
    let negative = false;
    if (text.charCodeAt(i) === 45) {
      negative = true;
      i++;
    }
    let v = 0;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    i++; // the separator
    const value = negative ? -v : v;
    if ((k & 1) === 0) quantities[at + (k >> 1)] = value;
    else prices[at + (k >> 1)] = value;
  }
}

/** The shop's orders with lines and refunds, `batchSize` orders at a time in Order.id order, from the SQLite file. */
export async function* sqliteOrderFacts(file: string, shopId: number, batchSize: number): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  try {
    conn.pragma("busy_timeout = 10000");
    conn.pragma("cache_size = -65536"); // 64 MiB: the batch's lines and their index pages
    // The shop's customers once, rather than a join per order: half the orders' read, and one
    // string per customer instead of one per order. One created while the read runs is looked up.
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
    // each (`+shopId`: not the (shopId, …) index, which would visit the whole shop). Integers as
    // text are exact whatever their size. The lines of one order come in that index's order, not
    // by line id: sorting them would cost as much as the read, and the features do not depend on
    // it (a line's day, customer and order are its order's; integer milli sums are exact in any order).
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
      const grouped = lines.all(first, after, shopId) as LinesRow[];
      let lineCount = 0;
      for (const g of grouped) lineCount += g[1];
      // Typed columns per batch: off the JS heap, no object per line.
      const quantities = lineCount === 0 ? NO_LINES : new Float64Array(lineCount);
      const unitPricesMilli = lineCount === 0 ? NO_LINES : new Float64Array(lineCount);
      const batch: BatchOrder[] = rows.map((r) => ({
        shopifyId: r.shopifyId,
        customerShopifyId: customerShopifyId(r.customerId),
        processedAt: new Date(r.processedAt),
        cancelledAt: r.cancelledAt === null ? null : new Date(r.cancelledAt),
        grossMilli: r.grossMilli ?? Number.NaN,
        test: r.test !== 0,
        quantities,
        unitPricesMilli,
        productIds: null,
        linesFrom: 0,
        linesTo: 0,
        refunds: NO_REFUNDS,
      }));
      // Both lists are in order-id order, as the batch is: a merge, no lookup per row.
      const at = (orderId: number, from: number): number => {
        while (from < rows.length && rows[from]!.id < orderId) from++;
        return from;
      };
      let o = 0;
      let filled = 0;
      for (const [orderId, count, text] of grouped) {
        o = at(orderId, o);
        if (rows[o]?.id !== orderId) continue;
        decodeLines(text, count, quantities, unitPricesMilli, filled);
        batch[o]!.linesFrom = filled;
        filled += count;
        batch[o]!.linesTo = filled;
      }
      o = 0;
      for (const [orderId, processedAt, amountMilli] of refunds.all(first, after, shopId) as RefundRow[]) {
        o = at(orderId, o);
        if (rows[o]?.id !== orderId) continue;
        const order = batch[o]!;
        if (order.refunds === NO_REFUNDS) order.refunds = [];
        order.refunds.push({ processedAt: new Date(processedAt), amountMilli: amountMilli ?? Number.NaN });
      }
      yield batch;
    }
  } finally {
    conn.close();
  }
}
