// What Segmint keeps of a Shopify product (docs/sync.md, "Products"): the facts the storefront
// widget shows and the ones that decide whether it may show the product at all. Both the bulk
// export (product-graphql.ts) and the products/* webhooks (product-webhook.ts) map to it.
import type { Milli } from "../../analytics";

/** Shopify's ProductStatus (2026-10 adds UNLISTED: reachable by link only, never recommended). */
export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";

export const PRODUCT_STATUSES: readonly ProductStatus[] = ["ACTIVE", "ARCHIVED", "DRAFT", "UNLISTED"];

export interface ProductState {
  /** The numeric Shopify id (as OrderLine.productId). */
  readonly shopifyId: string;
  readonly handle: string;
  readonly title: string;
  readonly status: ProductStatus;
  /** The lowest variant price, null without variants. */
  readonly priceMilli: Milli | null;
  /** The shop's currency (prices are in it); null when the source did not say. */
  readonly currency: string | null;
  readonly imageUrl: string | null;
  /** The featured image's alt text, else the title (what the widget's <img alt> needs). */
  readonly imageAlt: string | null;
  /** Some variant can be sold; null when the webhook payload cannot tell (ask Shopify). */
  readonly available: boolean | null;
  /** Shopify's updatedAt: the version, only a newer one is applied. */
  readonly updatedAt: Date;
}

export function productStatusOf(value: string): ProductStatus {
  const status = value.toUpperCase() as ProductStatus;
  if (!PRODUCT_STATUSES.includes(status)) throw new Error(`unknown product status "${value}"`);
  return status;
}
