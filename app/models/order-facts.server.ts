// The bridge from the database to the analytics core: one shop's orders, lines and refunds as the
// core's TransactionRows, batch by batch (keyset pagination over processedAt and Order.id), with
// every date turned into the shop's calendar day. Memory is bounded by the batch: one array of
// orders with their lines and refunds at a time, never the shop's history
// (docs/decisions/0011-analytics-bridge.md). The refresh's whole-shop read (`addShopLines` with
// `driverRead`) bypasses Prisma and feeds the core's accumulator row by row (docs/segments.md).
import type { Prisma } from "@prisma/client";
import type { LineInput, TransactionRow } from "../analytics";
import { sqliteFileOf, type Db } from "../db.server";
import { isCancellationRecord } from "../domain/order";
import type { OrderFactsRecord } from "./order-facts-batch.server";
import { postgresOrderFacts } from "./order-facts-postgres.server";
import { sqliteOrderFacts } from "./order-facts-sqlite.server";

/** Orders per batch (each with its lines and refunds): ~5 lines an order keeps a batch near 10k rows. */
export const DEFAULT_ORDER_BATCH = 2000;

/**
 * Orders per batch of the PostgreSQL driver read: a round trip per batch, so fewer and larger
 * batches (~50k lines, a few MB) spend less time waiting on the server (bench/results/refresh.md).
 */
const POSTGRES_DRIVER_BATCH = 10_000;

export interface OrderFactsOptions {
  /** Orders read per query, with their lines and refunds (≥ 1). Default 2000. */
  readonly batchSize?: number;
  /** IANA zone the days are taken in. Default: the shop's `Shop.timezone`. */
  readonly timeZone?: string;
}

export interface ShopLinesOptions extends OrderFactsOptions {
  /**
   * The whole-shop read of the refresh's RFM features, instead of Prisma's `findMany`: a driver
   * connection of its own (better-sqlite3 or pg); in Order.id order rather than time order, the
   * lines of an order in index order (same rows per order, for reads that do not
   * depend on row order: see order-facts-sqlite.server.ts). Default false.
   */
  readonly driverRead?: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The calendar day of instants in `timeZone` (IANA; throws a RangeError for an unknown zone), as a
 * day number (days since 1970-01-01, the core's calendar.ts numbering).
 *
 * `Intl.DateTimeFormat#formatToParts` costs microseconds, too slow per row at millions of rows.
 * The zone's UTC offset is asked of Intl twice per distinct UTC hour instead (at its first and
 * last millisecond) and cached: when both agree, every instant of that hour has that offset
 * (zone transitions are hours apart), and the day is `floor((t + offset) / 1 day)`, exact also
 * for zones whose midnight falls inside a UTC hour (+05:30, +05:45). An hour holding a transition
 * (a DST change) asks Intl for each instant.
 */
export function shopDayNumber(timeZone: string): (instant: Date) => number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const offsetAt = (t: number): number => {
    const f: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
    for (const p of parts.formatToParts(t)) if (p.type !== "literal") f[p.type] = Number(p.value);
    // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
    const wall = new Date(Date.UTC(2000, (f.month ?? 1) - 1, f.day, f.hour, f.minute, f.second));
    wall.setUTCFullYear(f.year ?? 2000);
    return wall.getTime() - (t - (((t % 1000) + 1000) % 1000));
  };
  const TRANSITION = Number.NaN;
  const hourOffsets = new Map<number, number>();
  let lastHour = Number.NaN;
  let lastOffset = 0;
  return (instant: Date): number => {
    const t = instant.getTime();
    if (Number.isNaN(t)) throw new RangeError("invalid date");
    const hour = Math.floor(t / HOUR_MS);
    let offset: number;
    if (hour === lastHour) offset = lastOffset;
    else {
      let cached = hourOffsets.get(hour);
      if (cached === undefined) {
        const start = offsetAt(hour * HOUR_MS);
        cached = start === offsetAt(hour * HOUR_MS + HOUR_MS - 1) ? start : TRANSITION;
        hourOffsets.set(hour, cached);
      }
      offset = Number.isNaN(cached) ? offsetAt(t) : cached;
      if (!Number.isNaN(cached)) {
        lastHour = hour;
        lastOffset = cached;
      }
    }
    return Math.floor((t + offset) / DAY_MS);
  };
}

/** Day number → `YYYY-MM-DD`, cached per day (a shop's history spans a few thousand days). */
function dayTexts(): (day: number) => string {
  const texts = new Map<number, string>();
  return (day) => {
    let text = texts.get(day);
    if (text === undefined) {
      text = new Date(day * DAY_MS).toISOString().slice(0, 10);
      texts.set(day, text);
    }
    return text;
  };
}

/** Formats instants as `YYYY-MM-DD` in `timeZone`: `shopDayNumber`'s day, as text. */
export function shopDayFormatter(timeZone: string): (instant: Date) => string {
  const dayOf = shopDayNumber(timeZone);
  const textOf = dayTexts();
  return (instant) => textOf(dayOf(instant));
}

/** What one order brings along: Prisma loads lines and refunds for the whole batch in a few queries. */
const ORDER_FACTS = {
  id: true,
  shopifyId: true,
  processedAt: true,
  cancelledAt: true,
  grossMilli: true,
  test: true,
  customer: { select: { shopifyId: true } },
  lines: { select: { productId: true, quantity: true, unitPriceMilli: true }, orderBy: { id: "asc" } },
  refunds: { select: { processedAt: true, amountMilli: true }, orderBy: { id: "asc" } },
} satisfies Prisma.OrderSelect;

type OrderWithFacts = Prisma.OrderGetPayload<{ select: typeof ORDER_FACTS }>;

/** BigInt milli column → number; NaN beyond ±(2^53 − 1), which the mapping refuses (ADR 0010: never rounded). */
function milliOf(value: bigint): number {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

/** A Prisma order in the bridge's shape (order-facts-batch.server.ts: lines as columns). */
function factsOf(order: OrderWithFacts): OrderFactsRecord {
  return {
    shopifyId: order.shopifyId,
    customerShopifyId: order.customer?.shopifyId ?? null,
    processedAt: order.processedAt,
    cancelledAt: order.cancelledAt,
    grossMilli: milliOf(order.grossMilli),
    test: order.test,
    quantities: order.lines.map((l) => l.quantity),
    unitPricesMilli: order.lines.map((l) => milliOf(l.unitPriceMilli)),
    productIds: order.lines.map((l) => l.productId),
    linesFrom: 0,
    linesTo: order.lines.length,
    refunds: order.refunds.map((r) => ({ processedAt: r.processedAt, amountMilli: milliOf(r.amountMilli) })),
  };
}

/** A milli amount as read (NaN: beyond 2^53) → `Milli`, or a RangeError (ADR 0010). `what` is built only on error. */
function milli(value: number, orderId: string, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`order ${orderId}: ${what} exceeds 2^53 milli`);
  return value;
}

/**
 * Where an order's rows go: a line (`quantity` × `milli`, the unit price) or an amount row
 * (`quantity` null, `milli` the signed amount), on `day` (the day type the caller's `dayOf` gives).
 */
type RowSink<D> = (customerId: string | null, orderId: string, day: D, quantity: number | null, milli: number, productId: string | null) => void;

/**
 * One order's transaction rows, in order (lines, the rest amount, refunds), given to `emit`: the
 * mapping `streamTransactionRows` documents, in one place for every reader of orders.
 */
function visitOrderRows<D>(order: OrderFactsRecord, dayOf: (instant: Date) => D, emit: RowSink<D>): void {
  if (order.test) return;
  const customerId = order.customerShopifyId;
  const orderId = order.shopifyId;
  const processedAt = dayOf(order.processedAt);
  const record = isCancellationRecord(order);
  let linesTotal = 0;
  const { quantities, unitPricesMilli, productIds } = order;
  for (let i = order.linesFrom; i < order.linesTo; i++) {
    const unitPriceMilli = milli(unitPricesMilli[i]!, orderId, "unit price");
    const quantity = record ? -Math.abs(quantities[i]!) : quantities[i]!;
    milli(quantity * unitPriceMilli, orderId, "line amount");
    linesTotal += quantity * unitPriceMilli;
    emit(customerId, orderId, processedAt, quantity, unitPriceMilli, productIds === null ? null : productIds[i]!);
  }
  const total = milli(order.grossMilli, orderId, "total");
  const rest = (record ? -total : total) - linesTotal;
  if (!Number.isSafeInteger(rest)) throw new RangeError(`order ${orderId}: amounts exceed 2^53 milli`);
  if (rest !== 0) emit(customerId, orderId, processedAt, null, rest, null);
  if (record) return;
  for (const refund of order.refunds) {
    const amount = milli(refund.amountMilli, orderId, "refund");
    if (amount !== 0) emit(customerId, orderId, dayOf(refund.processedAt), null, -Math.abs(amount), null);
  }
}

/** One order's transaction rows (the mapping `streamTransactionRows` documents), appended to `rows`. */
function pushOrderRows(rows: TransactionRow[], order: OrderFactsRecord, dayOf: (instant: Date) => string): void {
  visitOrderRows(order, dayOf, (customerId, orderId, processedAt, quantity, milliValue, productId) => {
    rows.push(quantity === null ? { customerId, orderId, processedAt, amountMilli: milliValue } : { customerId, orderId, processedAt, productId, quantity, unitPriceMilli: milliValue });
  });
}

/** The shop's orders with their facts, `batchSize` at a time: the driver read, or Prisma (see `ShopLinesOptions.driverRead`). */
async function shopOrderBatches(db: Db, shopId: number, options: ShopLinesOptions): Promise<{ timeZone: string; batches: AsyncGenerator<OrderFactsRecord[], void, undefined> }> {
  // undefined: Prisma's read; null: PostgreSQL's driver read; else the SQLite file to read.
  const file = options.driverRead === true ? sqliteFileOf(db) : undefined;
  const batchSize = options.batchSize ?? (file === null ? POSTGRES_DRIVER_BATCH : DEFAULT_ORDER_BATCH);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const timeZone = options.timeZone ?? (await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } })).timezone;
  if (file === undefined) return { timeZone, batches: prismaOrderFacts(db, shopId, batchSize) };
  // When asked: without Prisma's per-row mapping, the refresh's main cost at millions of lines
  // (bench/results/refresh.md).
  return { timeZone, batches: file === null ? postgresOrderFacts(db, shopId, batchSize) : sqliteOrderFacts(file, shopId, batchSize) };
}

/**
 * The shop's orders as the core's transaction rows, one array per batch of `batchSize` orders
 * (ascending processedAt, then Order.id), lazily: a batch is read when the consumer asks for it.
 * Rows of one order are contiguous. The mapping (ADR 0011):
 * - test orders are left out; a guest order (no customer) has `customerId: null`;
 * - ids are Shopify's (order and customer), so rows and results mean the same across re-installs;
 * - a placed order gives one row per line (`quantity` × `unitPriceMilli`, signed as stored) on its
 *   processing day, plus one amount row for the difference between the order's total
 *   (`grossMilli`: after discounts, with shipping and tax) and its lines, when there is one; so an
 *   order adds exactly what the customer paid, as Shopify's "amount spent" counts it;
 * - each refund of a placed order is an amount row of −amount on the refund's own day: a return
 *   (lowers monetary value, never an order, never recency), whatever its date; a zero refund
 *   (restock only) gives no row;
 * - a cancelled order that was placed (cancelled after it was processed) is still an order on its
 *   day; what was given back comes through its refunds;
 * - a cancellation record (cancelled at or before it was processed, docs/data-model.md) was never a
 *   purchase: its rows are those of a placed order with every sign turned to a return (lines at
 *   −|quantity|, −total in all), and its refunds are not counted again (they are those same units).
 */
export async function* streamTransactionRows(db: Db, shopId: number, options: OrderFactsOptions = {}): AsyncGenerator<TransactionRow[], void, undefined> {
  const { timeZone, batches } = await shopOrderBatches(db, shopId, { ...options, driverRead: false });
  const dayOf = shopDayFormatter(timeZone);
  for await (const orders of batches) {
    const rows: TransactionRow[] = [];
    for (const order of orders) pushOrderRows(rows, order, dayOf);
    yield rows;
  }
}

/**
 * The rows of `streamTransactionRows` (same mapping; with `driverRead`, orders in storage order),
 * handed to `addLine` one at a time as the core's `LineInput` with day numbers: one object reused
 * for every row and each order's day computed once, so nothing is allocated per row (the refresh
 * reads millions of lines this way: bench/results/refresh.md). The event loop gets a turn between
 * batches. Returns the shop's time zone.
 */
export async function addShopLines(db: Db, shopId: number, addLine: (line: Readonly<LineInput>) => unknown, options: ShopLinesOptions = {}): Promise<string> {
  const { timeZone, batches } = await shopOrderBatches(db, shopId, options);
  const dayOf = shopDayNumber(timeZone);
  const line = { customerId: null as string | null, orderId: "", day: 0, amountMilli: 0, quantity: null as number | null, cancelled: false };
  const emit: RowSink<number> = (customerId, orderId, day, quantity, milliValue) => {
    line.customerId = customerId;
    line.orderId = orderId;
    line.day = day;
    line.quantity = quantity;
    line.amountMilli = quantity === null ? milliValue : quantity * milliValue;
    addLine(line);
  };
  for await (const orders of batches) {
    for (const order of orders) visitOrderRows(order, dayOf, emit);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return timeZone;
}

/** The shop's orders with their facts through Prisma, `batchSize` at a time. */
async function* prismaOrderFacts(db: Db, shopId: number, batchSize: number): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  // Keyset over (processedAt, id): the (shopId, processedAt) index serves both the seek and the
  // order, so each batch costs its own rows. Keyset over id alone would sort the shop's remaining
  // orders for every batch (no index has shopId then id): quadratic in the shop's size.
  let after: { processedAt: Date; id: number } | null = null;
  for (;;) {
    const orders: OrderWithFacts[] = await db.order.findMany({
      where: after === null ? { shopId } : { shopId, processedAt: { gte: after.processedAt }, OR: [{ processedAt: { gt: after.processedAt } }, { id: { gt: after.id } }] },
      orderBy: [{ processedAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: ORDER_FACTS,
    });
    if (orders.length === 0) return;
    const last = orders[orders.length - 1]!;
    after = { processedAt: last.processedAt, id: last.id };
    yield orders.map(factsOf);
  }
}

/** A few customers' facts: their Customer row ids and their transaction rows. */
export interface CustomersFacts {
  /** Shopify customer id → Customer row id, for the customers found (tombstoned ones left out). */
  readonly customerRowIds: ReadonlyMap<string, number>;
  readonly rows: TransactionRow[];
}

/**
 * The transaction rows of a few customers of the shop (Shopify customer ids), mapped exactly as
 * `streamTransactionRows` maps the whole shop, in the same order (processedAt, then Order.id):
 * live assignment rebuilds these customers' features from them. A deleted customer (tombstone) is
 * left out, as everywhere. Two indexed queries (the customers by (shopId, shopifyId), their orders
 * by (shopId, customerId) with lines and refunds): the work is the customers' own orders, never
 * the shop's. `dayOf`: the shop's day formatter (`shopDayFormatter`).
 */
export async function customersTransactionRows(db: Db, shopId: number, shopifyCustomerIds: readonly string[], dayOf: (instant: Date) => string): Promise<CustomersFacts> {
  const rows: TransactionRow[] = [];
  if (shopifyCustomerIds.length === 0) return { customerRowIds: new Map(), rows };
  const customers = await db.customer.findMany({
    where: { shopId, shopifyId: { in: [...new Set(shopifyCustomerIds)] }, deletedAt: null },
    select: { id: true, shopifyId: true },
  });
  const customerRowIds = new Map(customers.map((c) => [c.shopifyId, c.id]));
  if (customers.length === 0) return { customerRowIds, rows };
  // No ORDER BY: with one, SQLite's planner walks the (shopId, processedAt) index through the
  // whole shop to spare a sort; a few customers' orders are sorted here instead.
  const orders = await db.order.findMany({ where: { shopId, customerId: { in: customers.map((c) => c.id) } }, select: ORDER_FACTS });
  orders.sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.id - b.id);
  for (const order of orders) pushOrderRows(rows, factsOf(order), dayOf);
  return { customerRowIds, rows };
}

/** The Shopify customer ids of the shop's orders given by Shopify order id (guest orders have none). */
export async function orderCustomerIds(db: Db, shopId: number, orderShopifyIds: readonly string[]): Promise<string[]> {
  if (orderShopifyIds.length === 0) return [];
  const orders = await db.order.findMany({
    where: { shopId, shopifyId: { in: [...orderShopifyIds] }, customerId: { not: null } },
    select: { customer: { select: { shopifyId: true } } },
  });
  return [...new Set(orders.flatMap((o) => (o.customer ? [o.customer.shopifyId] : [])))];
}
