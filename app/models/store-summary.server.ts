// What the admin overview shows about a shop's synced data. Every count is scoped by shop.
import type { Prisma } from "@prisma/client";
import type { Db } from "../db.server";

export interface StoreSummary {
  customers: number;
  customersWithPurchase: number;
  orders: number;
  customerOrders: number;
  guestOrders: number;
  cancellationRecords: number;
  orderLines: number;
  refunds: number;
  lastSync: { kind: string; status: string; rowsDone: number; rowsTotal: number | null; finishedAt: Date | null } | null;
}

/** A placed order: the database form of app/domain/order.ts's `isCancellationRecord`, negated. */
export function placedOrder(db: Db): Prisma.OrderWhereInput {
  return { OR: [{ cancelledAt: null }, { cancelledAt: { gt: db.order.fields.processedAt } }] };
}

export async function storeSummary(db: Db, shopId: number): Promise<StoreSummary> {
  const placed = placedOrder(db);
  const [customers, customersWithPurchase, orders, customerOrders, guestOrders, orderLines, refunds, lastSync] = await Promise.all([
    db.customer.count({ where: { shopId, deletedAt: null } }),
    db.customer.count({ where: { shopId, deletedAt: null, orders: { some: placed } } }),
    db.order.count({ where: { shopId } }),
    db.order.count({ where: { shopId, customerId: { not: null }, ...placed } }),
    db.order.count({ where: { shopId, customerId: null, ...placed } }),
    db.orderLine.count({ where: { shopId } }),
    db.refund.count({ where: { shopId } }),
    db.syncRun.findFirst({
      where: { shopId },
      orderBy: { startedAt: "desc" },
      select: { kind: true, status: true, rowsDone: true, rowsTotal: true, finishedAt: true },
    }),
  ]);
  return {
    customers,
    customersWithPurchase,
    orders,
    customerOrders,
    guestOrders,
    cancellationRecords: orders - customerOrders - guestOrders,
    orderLines,
    refunds,
    lastSync,
  };
}
