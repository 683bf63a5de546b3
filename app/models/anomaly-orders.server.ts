// What the anomaly detectors read (docs/anomalies.md): the shop's orders as the core's
// AnomalyOrder (lines with their refunded quantities, the refunds' sum, cancelled or not, the
// customer's Shopify id, the shop's calendar day), for a refit of the whole shop or for the few
// orders a webhook drain touched together with their customers' other orders. Test orders and
// cancellation records (never purchases: docs/data-model.md) are left out.
import type { Prisma } from "@prisma/client";
import type { AnomalyOrder } from "../analytics";
import type { Db } from "../db.server";
import { isCancellationRecord } from "../domain/order";
import { DEFAULT_ORDER_BATCH, shopDayNumber } from "./order-facts.server";
import { latestCompletedRunRef } from "./segment-runs.server";

const ANOMALY_ORDER = {
  id: true,
  shopifyId: true,
  processedAt: true,
  cancelledAt: true,
  grossMilli: true,
  customer: { select: { shopifyId: true } },
  lines: { select: { productId: true, quantity: true, unitPriceMilli: true, refundedQuantity: true }, orderBy: { id: "asc" } },
  refunds: { select: { amountMilli: true } },
} satisfies Prisma.OrderSelect;

type OrderRow = Prisma.OrderGetPayload<{ select: typeof ANOMALY_ORDER }>;

/** Placed, real orders: what a merchant reviews. */
const PURCHASES = { test: false } satisfies Prisma.OrderWhereInput;

/** A stored milli amount as a number; beyond 2^53 it is refused, never rounded (ADR 0010). */
function milliOf(value: bigint, orderId: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`order ${orderId}: an amount exceeds 2^53 milli`);
  return n;
}

function anomalyOrderOf(row: OrderRow, dayOf: (instant: Date) => number): AnomalyOrder {
  const grossMilli = milliOf(row.grossMilli, row.shopifyId);
  const refunded = row.refunds.reduce((sum, r) => sum + Math.abs(milliOf(r.amountMilli, row.shopifyId)), 0);
  return {
    id: row.shopifyId,
    customerId: row.customer?.shopifyId ?? null,
    at: row.processedAt.getTime(),
    day: dayOf(row.processedAt),
    grossMilli,
    refundedMilli: Math.min(refunded, Math.max(grossMilli, 0)),
    cancelled: row.cancelledAt !== null,
    lines: row.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      unitPriceMilli: milliOf(l.unitPriceMilli, row.shopifyId),
      refundedQuantity: Math.min(Math.max(l.refundedQuantity, 0), l.quantity),
    })),
  };
}

export interface ShopAnomalyOrders {
  /** In processedAt order (then Order.id). */
  readonly orders: AnomalyOrder[];
  /** The shop's IANA zone the days were taken in. */
  readonly timeZone: string;
}

/**
 * Every purchase of the shop, `batchSize` orders per query (keyset over processedAt and id, which
 * the (shopId, processedAt) index serves). The forest is fitted on all of them, so they are held
 * at once: ~200 bytes an order plus its lines.
 */
export async function shopAnomalyOrders(db: Db, shopId: number, options: { batchSize?: number; timeZone?: string } = {}): Promise<ShopAnomalyOrders> {
  const batchSize = options.batchSize ?? DEFAULT_ORDER_BATCH;
  const timeZone = options.timeZone ?? (await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } })).timezone;
  const dayOf = shopDayNumber(timeZone);
  const orders: AnomalyOrder[] = [];
  let after: { processedAt: Date; id: number } | null = null;
  for (;;) {
    const rows: OrderRow[] = await db.order.findMany({
      where: after === null ? { shopId, ...PURCHASES } : { shopId, ...PURCHASES, processedAt: { gte: after.processedAt }, OR: [{ processedAt: { gt: after.processedAt } }, { id: { gt: after.id } }] },
      orderBy: [{ processedAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: ANOMALY_ORDER,
    });
    if (rows.length === 0) return { orders, timeZone };
    const last = rows[rows.length - 1]!;
    after = { processedAt: last.processedAt, id: last.id };
    for (const row of rows) if (!isCancellationRecord(row)) orders.push(anomalyOrderOf(row, dayOf));
  }
}

export interface OrdersWithHistory {
  /** The targets found and their customers' other purchases, in processedAt order. */
  readonly orders: AnomalyOrder[];
  /** The Shopify ids of the targets that are purchases of this shop (unknown, test and cancellation records left out). */
  readonly targets: ReadonlySet<string>;
}

/**
 * These orders (Shopify ids) with their customers' other purchases: the customer-history features
 * of a webhook order need them. Two indexed queries, the work is these customers' own orders.
 */
export async function ordersWithCustomerHistory(db: Db, shopId: number, orderShopifyIds: readonly string[], timeZone: string): Promise<OrdersWithHistory> {
  const ids = [...new Set(orderShopifyIds)];
  if (ids.length === 0) return { orders: [], targets: new Set() };
  const found = await db.order.findMany({ where: { shopId, ...PURCHASES, shopifyId: { in: ids } }, select: { ...ANOMALY_ORDER, customerId: true } });
  const placed = found.filter((o) => !isCancellationRecord(o));
  const customerRowIds = [...new Set(placed.flatMap((o) => (o.customerId === null ? [] : [o.customerId])))];
  const history = customerRowIds.length === 0 ? [] : await db.order.findMany({ where: { shopId, ...PURCHASES, customerId: { in: customerRowIds } }, select: { ...ANOMALY_ORDER, customerId: true } });
  const byId = new Map<number, OrderRow & { customerId: number | null }>();
  for (const row of [...placed, ...history]) if (!isCancellationRecord(row)) byId.set(row.id, row);
  const rows = [...byId.values()].sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.id - b.id);
  const dayOf = shopDayNumber(timeZone);
  return { orders: rows.map((row) => anomalyOrderOf(row, dayOf)), targets: new Set(placed.map((o) => o.shopifyId)) };
}

/** The Shopify ids of the customers the shop's latest completed segment run called outliers. */
export async function segmentOutlierIds(db: Db, shopId: number): Promise<Set<string>> {
  const run = await latestCompletedRunRef(db, shopId);
  if (run === null) return new Set();
  const rows = await db.customerSegment.findMany({ where: { shopId, runId: run.id, outlier: true }, select: { customer: { select: { shopifyId: true } } } });
  return new Set(rows.map((r) => r.customer.shopifyId));
}
