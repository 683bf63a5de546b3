// The bridge from the database to the analytics core: one shop's orders, lines and refunds as the
// core's TransactionRows, batch by batch (keyset pagination over processedAt and Order.id), with
// every date turned into the shop's calendar day. Memory is bounded by the batch: one array of
// orders with their lines and refunds at a time, never the shop's history
// (docs/decisions/0011-analytics-bridge.md).
import type { Prisma } from "@prisma/client";
import type { TransactionRow } from "../analytics";
import { sqliteFileOf, type Db } from "../db.server";
import { isCancellationRecord } from "../domain/order";
import { sqliteOrderFacts } from "./order-facts-sqlite.server";

/** Orders per batch (each with its lines and refunds): ~5 lines an order keeps a batch near 10k rows. */
export const DEFAULT_ORDER_BATCH = 2000;

export interface OrderFactsOptions {
  /** Orders read per query, with their lines and refunds (≥ 1). Default 2000. */
  readonly batchSize?: number;
  /** IANA zone the days are taken in. Default: the shop's `Shop.timezone`. */
  readonly timeZone?: string;
  /**
   * SQLite: read on a driver connection of its own instead of through Prisma, in Order.id order
   * rather than time order (same rows per order; for whole-shop reads that do not depend on row
   * order, such as the refresh's RFM features: see order-facts-sqlite.server.ts). Default false.
   * Ignored on PostgreSQL.
   */
  readonly driverRead?: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Formats instants as `YYYY-MM-DD` in `timeZone` (IANA; throws a RangeError for an unknown zone).
 *
 * `Intl.DateTimeFormat#formatToParts` costs microseconds, too slow per row at millions of rows.
 * The zone's UTC offset is asked of Intl twice per distinct UTC hour instead (at its first and
 * last millisecond) and cached: when both agree, every instant of that hour has that offset
 * (zone transitions are hours apart), and the day is `floor((t + offset) / 1 day)`, exact also
 * for zones whose midnight falls inside a UTC hour (+05:30, +05:45). An hour holding a transition
 * (a DST change) asks Intl for each instant. Day strings are cached per day number.
 */
export function shopDayFormatter(timeZone: string): (instant: Date) => string {
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
  const dayTexts = new Map<number, string>();
  let lastHour = Number.NaN;
  let lastOffset = 0;
  return (instant: Date): string => {
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
    const day = Math.floor((t + offset) / DAY_MS);
    let text = dayTexts.get(day);
    if (text === undefined) {
      text = new Date(day * DAY_MS).toISOString().slice(0, 10);
      dayTexts.set(day, text);
    }
    return text;
  };
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

/** BigInt milli column → `Milli` (ADR 0010): exact, or a RangeError, never rounded. */
function milli(value: bigint, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} exceeds 2^53 milli: ${value}`);
  return n;
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
  const batchSize = options.batchSize ?? DEFAULT_ORDER_BATCH;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const timeZone = options.timeZone ?? (await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } })).timezone;
  const dayOf = shopDayFormatter(timeZone);

  // SQLite, when asked: a driver connection of its own (same shapes, without Prisma's per-row
  // mapping, the refresh's main cost at millions of lines: bench/results/refresh.md).
  const file = options.driverRead === true ? sqliteFileOf(db) : null;
  const batches = file === null ? prismaOrderFacts(db, shopId, batchSize) : sqliteOrderFacts(file, shopId, batchSize);
  for await (const orders of batches) {
    const rows: TransactionRow[] = [];
    for (const order of orders) pushOrderRows(rows, order, dayOf);
    yield rows;
  }
}

/** The shop's orders with their facts through Prisma, `batchSize` at a time. */
async function* prismaOrderFacts(db: Db, shopId: number, batchSize: number): AsyncGenerator<OrderWithFacts[], void, undefined> {
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
    yield orders;
  }
}

/** One order's transaction rows (the mapping `streamTransactionRows` documents), appended to `rows`. */
function pushOrderRows(rows: TransactionRow[], order: OrderWithFacts, dayOf: (instant: Date) => string): void {
  if (order.test) return;
  const customerId = order.customer?.shopifyId ?? null;
  const orderId = order.shopifyId;
  const processedAt = dayOf(order.processedAt);
  const record = isCancellationRecord(order);
  let linesTotal = 0;
  for (const line of order.lines) {
    const unitPriceMilli = milli(line.unitPriceMilli, `order ${orderId}: unit price`);
    const quantity = record ? -Math.abs(line.quantity) : line.quantity;
    linesTotal += quantity * unitPriceMilli;
    rows.push({ customerId, orderId, processedAt, productId: line.productId, quantity, unitPriceMilli });
  }
  const total = milli(order.grossMilli, `order ${orderId}: total`);
  const rest = (record ? -total : total) - linesTotal;
  if (!Number.isSafeInteger(rest)) throw new RangeError(`order ${orderId}: amounts exceed 2^53 milli`);
  if (rest !== 0) rows.push({ customerId, orderId, processedAt, amountMilli: rest });
  if (record) return;
  for (const refund of order.refunds) {
    const amount = milli(refund.amountMilli, `order ${orderId}: refund`);
    if (amount !== 0) rows.push({ customerId, orderId, processedAt: dayOf(refund.processedAt), amountMilli: -Math.abs(amount) });
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
  for (const order of orders) pushOrderRows(rows, order, dayOf);
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
