// One order at a time through Prisma: webhooks and reconciliation. The rule and the columns are
// app/domain/order.ts's; the backfill's batched writers (app/models/orders-bulk) share both.
// Money: Milli (number) in the states, BigInt in the columns, converted here.
import type { Db } from "../db.server";
import { orderColumns, orderWriteDecision, type OrderState, type RefundEvent } from "../domain/order";
import { customerRowId } from "./customers.server";

export type ApplyResult = "inserted" | "updated" | "stale";

/** Stores `state` unless the stored order is as new or newer (an equal version is complete: skip). */
export async function applyOrderState(db: Db, shopId: number, state: OrderState): Promise<ApplyResult> {
  // Outside the order's transaction: a customer row is harmless on its own and never undone.
  const customerId = state.customerShopifyId ? await customerRowId(db, shopId, state.customerShopifyId) : null;
  return db.$transaction(async (tx) => {
    const existing = await tx.order.findUnique({
      where: { shopId_shopifyId: { shopId, shopifyId: state.shopifyId } },
      select: { id: true, shopifyUpdatedAt: true },
    });
    const decision = orderWriteDecision(existing && { updatedAt: existing.shopifyUpdatedAt }, state, "skip");
    if (decision === "skip") return "stale";
    const data = orderColumns(state, customerId);
    let orderId: number;
    if (decision === "replace" && existing) {
      orderId = existing.id;
      await tx.order.update({ where: { id: orderId }, data });
      await tx.orderLine.deleteMany({ where: { orderId } });
      await tx.refund.deleteMany({ where: { orderId } });
    } else {
      orderId = (await tx.order.create({ data: { shopId, shopifyId: state.shopifyId, ...data }, select: { id: true } })).id;
    }
    if (state.lines.length > 0) {
      await tx.orderLine.createMany({ data: state.lines.map((l) => ({ shopId, orderId, ...l, unitPriceMilli: BigInt(l.unitPriceMilli) })) });
    }
    if (state.refunds.length > 0) {
      await tx.refund.createMany({ data: state.refunds.map((r) => ({ shopId, orderId, ...r, amountMilli: BigInt(r.amountMilli) })) });
    }
    return decision === "replace" ? "updated" : "inserted";
  });
}

/**
 * refunds/create carries no order totals: add the refund to the stored order unless it is known.
 * Returns "missing-order" when the order has not arrived yet (the caller retries later).
 */
export async function applyRefund(db: Db, shopId: number, event: RefundEvent): Promise<"applied" | "known" | "missing-order"> {
  const { refund } = event;
  return db.$transaction(async (tx) => {
    const order = await tx.order.findUnique({
      where: { shopId_shopifyId: { shopId, shopifyId: event.orderShopifyId } },
      select: { id: true, netMilli: true },
    });
    if (!order) return "missing-order";
    const known = await tx.refund.findUnique({ where: { orderId_shopifyId: { orderId: order.id, shopifyId: refund.shopifyId } } });
    if (known) return "known";
    await tx.refund.create({ data: { shopId, orderId: order.id, ...refund, amountMilli: BigInt(refund.amountMilli) } });
    for (const line of event.lines) {
      await tx.orderLine.updateMany({
        where: { orderId: order.id, shopifyId: line.lineShopifyId },
        data: { refundedQuantity: { increment: line.quantity } },
      });
    }
    await tx.order.update({ where: { id: order.id }, data: { netMilli: order.netMilli - BigInt(refund.amountMilli) } });
    return "applied";
  });
}
