// A shop's synced orders as comparable plain data (ids, facts, lines, refunds), for asserting that
// two ways of syncing (webhooks + reconciliation vs a backfill) end in the same database state.
import type { Db } from "../../app/db.server";

export async function syncedOrders(db: Db, domain: string): Promise<Record<string, unknown>[]> {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const orders = await db.order.findMany({
    where: { shopId: shop.id },
    orderBy: { shopifyId: "asc" },
    include: {
      customer: { select: { shopifyId: true } },
      lines: { orderBy: { shopifyId: "asc" } },
      refunds: { orderBy: { shopifyId: "asc" } },
    },
  });
  return orders.map((o) => ({
    id: o.shopifyId,
    customer: o.customer?.shopifyId ?? null,
    processedAt: o.processedAt.toISOString(),
    updatedAt: o.shopifyUpdatedAt.toISOString(),
    currency: o.currency,
    gross: o.grossMilli.toString(),
    net: o.netMilli.toString(),
    cancelledAt: o.cancelledAt?.toISOString() ?? null,
    lines: o.lines.map((l) => [l.shopifyId, l.productId, l.variantId, l.quantity, l.unitPriceMilli.toString(), l.refundedQuantity].join("|")),
    refunds: o.refunds.map((r) => [r.shopifyId, r.processedAt.toISOString(), r.amountMilli.toString()].join("|")),
  }));
}
