// The products bulk export (JSONL, productsBulkQuery) → ProductState. Products and their variants
// come on separate lines in no guaranteed order, so the export is folded by product id.
import { shopifyIdOf } from "../ids";
import { toMilli } from "../money";
import { MalformedShopifyData } from "./order-graphql";
import { productStatusOf, type ProductState } from "./product-state";

type Json = Record<string, unknown>;

function obj(v: unknown, what: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new MalformedShopifyData(what, v);
  return v as Json;
}
function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw new MalformedShopifyData(what, v);
  return v;
}
function optional<T>(v: unknown, read: (v: unknown) => T): T | null {
  return v === null || v === undefined ? null : read(v);
}

const isProductLine = (v: Json) => typeof v.id === "string" && v.id.startsWith("gid://shopify/Product/") && v.__parentId === undefined;
const isVariantLine = (v: Json) => typeof v.id === "string" && v.id.startsWith("gid://shopify/ProductVariant/") && typeof v.__parentId === "string";

/** One product line of the export, without its availability (its variants are other lines). */
export function productFromGraphql(v: Json): Omit<ProductState, "available"> {
  const updatedAt = new Date(str(v.updatedAt, "product updatedAt"));
  if (Number.isNaN(updatedAt.getTime())) throw new MalformedShopifyData("product updatedAt", v.updatedAt);
  const min = optional(v.priceRangeV2, (p) => obj(obj(p, "priceRangeV2").minVariantPrice, "minVariantPrice"));
  const image = optional(v.featuredMedia, (m) => optional(obj(m, "featuredMedia").preview, (p) => optional(obj(p, "preview").image, (i) => obj(i, "image"))));
  const title = str(v.title, "product title");
  return {
    shopifyId: shopifyIdOf(str(v.id, "product id")),
    handle: str(v.handle, "product handle"),
    title,
    status: productStatusOf(str(v.status, "product status")),
    priceMilli: min ? toMilli(str(min.amount, "minVariantPrice amount")) : null,
    currency: min ? str(min.currencyCode, "minVariantPrice currencyCode") : null,
    imageUrl: image ? str(image.url, "image url") : null,
    imageAlt: image ? (optional(image.altText, (a) => str(a, "image altText")) || title) : null,
    updatedAt,
  };
}

/**
 * Folds the export's lines into one state per product: available when some variant line under it
 * is `availableForSale`. A variant whose product is not in the export is an error (a broken file).
 */
export class ProductExportFolder {
  private readonly products = new Map<string, Omit<ProductState, "available">>();
  private readonly sellable = new Set<string>();
  private readonly variantParents = new Set<string>();

  add(line: Json): void {
    if (isProductLine(line)) {
      const product = productFromGraphql(line);
      this.products.set(product.shopifyId, product);
    } else if (isVariantLine(line)) {
      const parent = shopifyIdOf(line.__parentId as string);
      this.variantParents.add(parent);
      if (line.availableForSale === true) this.sellable.add(parent);
      else if (line.availableForSale !== false) throw new MalformedShopifyData("variant availableForSale", line.availableForSale);
    }
  }

  /** Every product of the export with its availability. */
  states(): ProductState[] {
    for (const parent of this.variantParents) {
      if (!this.products.has(parent)) throw new MalformedShopifyData("variant of a product not in the export", parent);
    }
    return [...this.products.values()].map((p) => ({ ...p, available: this.sellable.has(p.shopifyId) }));
  }
}
