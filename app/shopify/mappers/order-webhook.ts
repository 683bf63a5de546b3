// REST-shaped webhook payloads (orders/*, refunds/create) → OrderState, the one shape the sync
// stores (its GraphQL twin, for the backfill and reconciliation, is order-graphql.ts). The
// payloads were validated and minimised by app/shopify/webhook-payloads.ts.
import type { Milli } from "../../analytics";
import type { OrderState, RefundEvent, RefundState } from "../../domain/order";
import { toMilli } from "../money";
import type { OrderPayload, RefundPayload } from "../webhook-payloads";

/**
 * The amount a refund returned: its successful refund transactions; without any (a refund of
 * goods only, or a payload that omits them), the subtotals of its refunded lines.
 */
export function refundAmount(r: Pick<RefundPayload, "transactions" | "refund_line_items">): Milli {
  const tx = r.transactions.filter((t) => t.kind === "refund" && (t.status === undefined || t.status === "success"));
  if (tx.length > 0) return tx.reduce((sum, t) => sum + toMilli(t.amount), 0);
  return r.refund_line_items.reduce((sum, li) => sum + (li.subtotal ? toMilli(li.subtotal) : 0), 0);
}

/** A refund payload (inside an order, or refunds/create) → RefundState. */
export function refundStateFromWebhook(r: Pick<RefundPayload, "id" | "created_at" | "processed_at" | "transactions" | "refund_line_items">): RefundState {
  return {
    shopifyId: r.id,
    processedAt: new Date(r.processed_at ?? r.created_at),
    amountMilli: refundAmount(r),
  };
}

/** refunds/create → the refund and the line quantities it returns, for the stored order. */
export function refundEventFromWebhook(r: RefundPayload): RefundEvent {
  return {
    orderShopifyId: r.order_id,
    refund: refundStateFromWebhook(r),
    lines: r.refund_line_items.map((li) => ({ lineShopifyId: li.line_item_id, quantity: li.quantity })),
  };
}

/** Webhook (REST-shaped) order → OrderState. */
export function orderStateFromWebhook(p: OrderPayload): OrderState {
  const refundedByLine = new Map<string, number>();
  for (const r of p.refunds) {
    for (const li of r.refund_line_items) refundedByLine.set(li.line_item_id, (refundedByLine.get(li.line_item_id) ?? 0) + li.quantity);
  }
  const refunds = p.refunds.map(refundStateFromWebhook);
  const gross = toMilli(p.total_price);
  const refunded = refunds.reduce((s, r) => s + r.amountMilli, 0);
  return {
    shopifyId: p.id,
    customerShopifyId: p.customer?.id ?? null,
    processedAt: new Date(p.processed_at ?? p.created_at),
    updatedAt: new Date(p.updated_at),
    currency: p.currency,
    grossMilli: gross,
    // Without current_total_price (optional in the payload): the total less what was refunded.
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
