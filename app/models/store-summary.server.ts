// What the admin overview shows about a shop's synced data. Every count is scoped by shop.
import type { Db } from "../db.server";

export interface StoreSummary {
  customers: number;
  customersWithPurchase: number;
  orders: number;
  customerOrders: number;
  guestOrders: number;
  orderLines: number;
  refunds: number;
  lastSync: { kind: string; status: string; rowsDone: number; rowsTotal: number | null; finishedAt: Date | null } | null;
}

export async function storeSummary(db: Db, shopId: number): Promise<StoreSummary> {
  const [customers, customersWithPurchase, orders, guestOrders, orderLines, refunds, lastSync] = await Promise.all([
    db.customer.count({ where: { shopId, deletedAt: null } }),
    db.customer.count({ where: { shopId, deletedAt: null, orders: { some: { lines: { some: { quantity: { gt: 0 } } } } } } }),
    db.order.count({ where: { shopId } }),
    db.order.count({ where: { shopId, customerId: null } }),
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
    customerOrders: orders - guestOrders,
    guestOrders,
    orderLines,
    refunds,
    lastSync,
  };
}
