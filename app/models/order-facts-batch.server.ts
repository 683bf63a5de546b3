// What the bridge's whole-shop readers (order-facts-sqlite, order-facts-postgres) share: the
// record of one order with its lines and refunds, and how a batch is put together from three
// queries (the orders, their lines as one text per order, their refunds), all in Order.id order.
// Lines come as text (`quantity unitPrice …`) and are decoded into two number columns per batch:
// a row object per line and the values' conversion were most of the read at millions of lines,
// and their garbage most of the rest (bench/results/refresh.md).

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

/** One order row as read (money already a number, NaN beyond 2^53). */
export interface OrderRowFacts {
  readonly id: number;
  readonly shopifyId: string;
  readonly processedAt: Date;
  readonly cancelledAt: Date | null;
  readonly grossMilli: number;
  readonly test: boolean;
  readonly customerShopifyId: string | null;
}

/** An order's lines: its id, how many, and `quantity unitPrice` pairs separated by single spaces. */
export type OrderLinesText = readonly [orderId: number, count: number, text: string];

export interface RefundFacts {
  readonly orderId: number;
  readonly processedAt: Date;
  readonly amountMilli: number;
}

interface BatchOrder extends OrderFactsRecord {
  linesFrom: number;
  linesTo: number;
  refunds: { processedAt: Date; amountMilli: number }[];
}

const NO_REFUNDS: BatchOrder["refunds"] = [];
const NO_LINES = new Float64Array(0);

/**
 * Decodes `count` pairs of integers (`q p q p …`, single spaces, optional minus) from `text` into
 * the columns from `at`. Integers as text are exact whatever their size; one beyond 2^53 decodes
 * to a value past MAX_SAFE_INTEGER, which the mapping refuses (digits accumulate exactly up to 2^53).
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

/**
 * A batch of orders (ascending id) with their lines and refunds (each ascending by order id): a
 * merge, no lookup per row. Lines or refunds of an order not in `orders` are ignored.
 */
export function assembleBatch(orders: readonly OrderRowFacts[], lines: readonly OrderLinesText[], refunds: readonly RefundFacts[]): OrderFactsRecord[] {
  let lineCount = 0;
  for (const l of lines) lineCount += l[1];
  // Typed columns per batch: off the JS heap, no object per line.
  const quantities = lineCount === 0 ? NO_LINES : new Float64Array(lineCount);
  const unitPricesMilli = lineCount === 0 ? NO_LINES : new Float64Array(lineCount);
  const batch: BatchOrder[] = orders.map((r) => ({
    shopifyId: r.shopifyId,
    customerShopifyId: r.customerShopifyId,
    processedAt: r.processedAt,
    cancelledAt: r.cancelledAt,
    grossMilli: r.grossMilli,
    test: r.test,
    quantities,
    unitPricesMilli,
    productIds: null,
    linesFrom: 0,
    linesTo: 0,
    refunds: NO_REFUNDS,
  }));
  const at = (orderId: number, from: number): number => {
    while (from < orders.length && orders[from]!.id < orderId) from++;
    return from;
  };
  let o = 0;
  let filled = 0;
  for (const [orderId, count, text] of lines) {
    o = at(orderId, o);
    if (orders[o]?.id !== orderId) continue;
    decodeLines(text, count, quantities, unitPricesMilli, filled);
    batch[o]!.linesFrom = filled;
    filled += count;
    batch[o]!.linesTo = filled;
  }
  o = 0;
  for (const f of refunds) {
    o = at(f.orderId, o);
    if (orders[o]?.id !== f.orderId) continue;
    const order = batch[o]!;
    if (order.refunds === NO_REFUNDS) order.refunds = [];
    order.refunds.push({ processedAt: f.processedAt, amountMilli: f.amountMilli });
  }
  return batch;
}
