// Applying order state from webhooks, the backfill and reconciliation. One rule everywhere:
// a state is applied only when it is newer (updated_at) than what is stored, so duplicates and
// out-of-order deliveries converge on Shopify's latest state.
import type { Db } from "../db.server";
import { shopifyIdOf, toMilli } from "../shopify/money";
import type { OrderPayload, RefundPayload } from "../shopify/webhook-payloads";

/** An order as Segmint stores it: ids and order facts only. */
export interface OrderState {
  shopifyId: string;
  customerShopifyId: string | null;
  processedAt: Date;
  updatedAt: Date;
  currency: string;
  grossMilli: bigint;
  netMilli: bigint;
  cancelledAt: Date | null;
  test: boolean;
  lines: { shopifyId: string; productId: string | null; variantId: string | null; quantity: number; unitPriceMilli: bigint; refundedQuantity: number }[];
  refunds: { shopifyId: string; processedAt: Date; amountMilli: bigint }[];
}

function refundAmount(r: Pick<RefundPayload, "transactions" | "refund_line_items">): bigint {
  const tx = r.transactions.filter((t) => t.kind === "refund" && (t.status === undefined || t.status === "success"));
  if (tx.length > 0) return tx.reduce((sum, t) => sum + toMilli(t.amount), 0n);
  return r.refund_line_items.reduce((sum, li) => sum + (li.subtotal ? toMilli(li.subtotal) : 0n), 0n);
}

/** Webhook (REST-shaped) order → OrderState. */
export function orderStateFromWebhook(p: OrderPayload): OrderState {
  const refundedByLine = new Map<string, number>();
  for (const r of p.refunds) {
    for (const li of r.refund_line_items) refundedByLine.set(li.line_item_id, (refundedByLine.get(li.line_item_id) ?? 0) + li.quantity);
  }
  const refunds = p.refunds.map((r) => ({
    shopifyId: r.id,
    processedAt: new Date(r.processed_at ?? r.created_at),
    amountMilli: refundAmount(r),
  }));
  const gross = toMilli(p.total_price);
  const refunded = refunds.reduce((s, r) => s + r.amountMilli, 0n);
  return {
    shopifyId: p.id,
    customerShopifyId: p.customer?.id ?? null,
    processedAt: new Date(p.processed_at ?? p.created_at),
    updatedAt: new Date(p.updated_at),
    currency: p.currency,
    grossMilli: gross,
    netMilli: p.current_total_price !== undefined ? toMilli(p.current_total_price) : gross - refunded,
    cancelledAt: p.cancelled_at ? new Date(p.cancelled_at) : null,
    test: p.test,
    lines: p.line_items.map((li) => ({
      shopifyId: li.id,
      productId: li.product_id,
      variantId: li.variant_id,
      quantity: li.quantity,
      unitPriceMilli: toMilli(li.price),
      refundedQuantity: refundedByLine.get(li.id) ?? 0,
    })),
    refunds,
  };
}

async function customerRowId(db: Db, shopId: number, shopifyId: string): Promise<number> {
  const c = await db.customer.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    update: {},
    create: { shopId, shopifyId },
    select: { id: true },
  });
  return c.id;
}

export type ApplyResult = "inserted" | "updated" | "stale";

/** Stores `state` unless the stored order is as new or newer. */
export async function applyOrderState(db: Db, shopId: number, state: OrderState): Promise<ApplyResult> {
  const customerId = state.customerShopifyId ? await customerRowId(db, shopId, shopifyIdOf(state.customerShopifyId)) : null;
  return db.$transaction(async (tx) => {
    const existing = await tx.order.findUnique({
      where: { shopId_shopifyId: { shopId, shopifyId: state.shopifyId } },
      select: { id: true, shopifyUpdatedAt: true },
    });
    if (existing && existing.shopifyUpdatedAt.getTime() >= state.updatedAt.getTime()) return "stale";
    const data = {
      customerId,
      processedAt: state.processedAt,
      shopifyUpdatedAt: state.updatedAt,
      currency: state.currency,
      grossMilli: state.grossMilli,
      netMilli: state.netMilli,
      cancelledAt: state.cancelledAt,
      test: state.test,
    };
    let orderId: number;
    if (existing) {
      orderId = existing.id;
      await tx.order.update({ where: { id: orderId }, data });
      await tx.orderLine.deleteMany({ where: { orderId } });
      await tx.refund.deleteMany({ where: { orderId } });
    } else {
      orderId = (await tx.order.create({ data: { shopId, shopifyId: state.shopifyId, ...data }, select: { id: true } })).id;
    }
    if (state.lines.length > 0) {
      await tx.orderLine.createMany({ data: state.lines.map((l) => ({ shopId, orderId, ...l })) });
    }
    if (state.refunds.length > 0) {
      await tx.refund.createMany({ data: state.refunds.map((r) => ({ shopId, orderId, ...r })) });
    }
    return existing ? "updated" : "inserted";
  });
}

/**
 * refunds/create carries no order totals: add the refund to the stored order unless it is known.
 * Returns "missing-order" when the order has not arrived yet (the caller retries later).
 */
export async function applyRefund(db: Db, shopId: number, r: RefundPayload): Promise<"applied" | "known" | "missing-order"> {
  return db.$transaction(async (tx) => {
    const order = await tx.order.findUnique({
      where: { shopId_shopifyId: { shopId, shopifyId: r.order_id } },
      select: { id: true, netMilli: true },
    });
    if (!order) return "missing-order";
    const known = await tx.refund.findUnique({ where: { orderId_shopifyId: { orderId: order.id, shopifyId: r.id } } });
    if (known) return "known";
    const amountMilli = refundAmount(r);
    await tx.refund.create({
      data: { shopId, orderId: order.id, shopifyId: r.id, processedAt: new Date(r.processed_at ?? r.created_at), amountMilli },
    });
    for (const li of r.refund_line_items) {
      await tx.orderLine.updateMany({
        where: { orderId: order.id, shopifyId: li.line_item_id },
        data: { refundedQuantity: { increment: li.quantity } },
      });
    }
    await tx.order.update({ where: { id: order.id }, data: { netMilli: order.netMilli - amountMilli } });
    return "applied";
  });
}
