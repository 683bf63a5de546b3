// Admin GraphQL order shapes (bulk JSONL and paginated queries) → OrderState, the one shape the
// sync stores (its REST twin, for webhooks, is order-webhook.ts). Hand-written checks rather than
// zod: the backfill maps millions of lines.
import type { Milli } from "../../analytics";
import type { LineState, OrderState } from "../../domain/order";
import { shopifyIdOf } from "../ids";
import { toMilli } from "../money";

type Json = Record<string, unknown>;

export class MalformedShopifyData extends Error {
  constructor(what: string, value: unknown) {
    super(`malformed ${what}: ${JSON.stringify(value)?.slice(0, 200)}`);
    this.name = "MalformedShopifyData";
  }
}

function obj(v: unknown, what: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new MalformedShopifyData(what, v);
  return v as Json;
}
function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw new MalformedShopifyData(what, v);
  return v;
}
function date(v: unknown, what: string): Date {
  const d = new Date(str(v, what));
  if (Number.isNaN(d.getTime())) throw new MalformedShopifyData(what, v);
  return d;
}
function int(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw new MalformedShopifyData(what, v);
  return v;
}
function shopMoney(v: unknown, what: string): Milli {
  return toMilli(str(obj(obj(v, what).shopMoney, what).amount, what));
}
function optionalId(v: unknown): string | null {
  return v === null || v === undefined ? null : shopifyIdOf(str(obj(v, "reference").id, "reference id"));
}

export function lineFromGraphql(node: unknown): LineState {
  const n = obj(node, "line item");
  const quantity = int(n.quantity, "quantity");
  const current = n.currentQuantity === undefined ? quantity : int(n.currentQuantity, "currentQuantity");
  return {
    shopifyId: shopifyIdOf(str(n.id, "line id")),
    productId: optionalId(n.product),
    variantId: optionalId(n.variant),
    quantity,
    unitPriceMilli: shopMoney(n.originalUnitPriceSet, "originalUnitPriceSet"),
    // currentQuantity excludes refunded and removed units.
    refundedQuantity: Math.max(0, quantity - current),
  };
}

/** An order node; `lines` come from `lineItems.nodes` when present (paginated queries), else []. */
export function orderFromGraphql(node: unknown): OrderState {
  const n = obj(node, "order");
  const refunds = Array.isArray(n.refunds) ? n.refunds : [];
  const lineNodes = n.lineItems && Array.isArray(obj(n.lineItems, "lineItems").nodes) ? (obj(n.lineItems, "lineItems").nodes as unknown[]) : [];
  return {
    shopifyId: shopifyIdOf(str(n.id, "order id")),
    customerShopifyId: optionalId(n.customer),
    processedAt: date(n.processedAt ?? n.createdAt, "processedAt"),
    updatedAt: date(n.updatedAt, "updatedAt"),
    currency: str(n.currencyCode, "currencyCode"),
    grossMilli: shopMoney(n.totalPriceSet, "totalPriceSet"),
    netMilli: shopMoney(n.currentTotalPriceSet, "currentTotalPriceSet"),
    cancelledAt: n.cancelledAt ? date(n.cancelledAt, "cancelledAt") : null,
    test: n.test === true,
    lines: lineNodes.map(lineFromGraphql),
    refunds: refunds.map((r) => {
      const ro = obj(r, "refund");
      return {
        shopifyId: shopifyIdOf(str(ro.id, "refund id")),
        processedAt: date(ro.createdAt, "refund createdAt"),
        amountMilli: shopMoney(ro.totalRefundedSet, "totalRefundedSet"),
      };
    }),
  };
}
