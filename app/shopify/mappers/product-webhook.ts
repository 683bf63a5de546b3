// products/create|update payloads (REST, validated by webhook-payloads.ts) → ProductState.
import { toMilli } from "../money";
import type { ProductPayload } from "../webhook-payloads";
import { productStatusOf, type ProductState } from "./product-state";

type Variant = ProductPayload["variants"][number];

/**
 * Whether this variant can be sold by what the payload says: it has units, it is sold when out of
 * stock, or (payload versions before 2024-07) its stock is not tracked. Null: the payload cannot
 * tell — no units and "deny", which is either out of stock or not tracked at all.
 */
function variantSellable(v: Variant): boolean | null {
  if ((v.inventory_quantity ?? 0) > 0 || v.inventory_policy === "continue") return true;
  if (v.inventory_management !== undefined) return v.inventory_management === null;
  return null;
}

/** Available when a variant is sellable; false without variants; null when only Shopify can say. */
export function payloadAvailability(variants: readonly Variant[]): boolean | null {
  let unknown = false;
  for (const v of variants) {
    const sellable = variantSellable(v);
    if (sellable === true) return true;
    if (sellable === null) unknown = true;
  }
  return unknown ? null : false;
}

/**
 * The product's state from a webhook. The payload has no currency (prices are in the shop's):
 * `currency` is the shop's as Segmint knows it.
 */
export function productStateFromWebhook(p: ProductPayload, currency: string | null): ProductState {
  const prices = p.variants.map((v) => toMilli(v.price));
  return {
    shopifyId: p.id,
    handle: p.handle,
    title: p.title,
    status: productStatusOf(p.status),
    priceMilli: prices.length > 0 ? Math.min(...prices) : null,
    currency,
    imageUrl: p.image?.src ?? null,
    imageAlt: p.image ? p.image.alt || p.title : null,
    available: payloadAvailability(p.variants),
    updatedAt: new Date(p.updated_at),
  };
}
