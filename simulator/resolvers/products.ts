// Products and their variants as GraphQL views (referenced from every line item, so both are
// classes with prototype getters) and the `products` / `product` root fields.
import { iso } from "../clock";
import type { SortValue } from "../connections";
import type { ResolverContext } from "../context";
import { gid } from "../ids";
import { formatCents, moneyV2 } from "../money";
import type { SearchFields } from "../search-query";
import { variantAvailableForSale, type ProductRecord, type VariantRecord } from "../state";
import { listConnection, resolveGidOfType, rootConnection, type Args, type View } from "./common";

const productSearch: SearchFields<ProductRecord> = {
  created_at: { kind: "date", get: (p) => p.createdAt },
  updated_at: { kind: "date", get: (p) => p.updatedAt },
  id: { kind: "id", get: (p) => p.id },
  handle: { kind: "string", get: (p) => p.handle },
  title: { kind: "string", get: (p) => p.title },
  status: { kind: "string", get: (p) => p.status.toLowerCase() },
  tag: { kind: "tags", get: (p) => p.tags },
  sku: { kind: "string", get: (p) => p.variants[0]?.sku ?? null },
};

const productSortKeys: Record<string, (p: ProductRecord) => SortValue> = {
  ID: (p) => p.id,
  CREATED_AT: (p) => p.createdAt,
  UPDATED_AT: (p) => p.updatedAt,
  TITLE: (p) => p.title.toLowerCase(),
};

/** Product and variant GIDs recur on every line item that references them: formatted once per record. */
const recordGids = new WeakMap<ProductRecord | VariantRecord, string>();

function cachedGid(record: ProductRecord | VariantRecord, type: "Product" | "ProductVariant"): string {
  let value = recordGids.get(record);
  if (value === undefined) {
    value = gid(type, record.id);
    recordGids.set(record, value);
  }
  return value;
}

/** Referenced from every line item (`product { id }`): prototype getters, nothing eager. */
class ProductGql {
  readonly __typename = "Product";
  readonly #ctx: ResolverContext;
  readonly #p: ProductRecord;
  constructor(ctx: ResolverContext, product: ProductRecord) {
    this.#ctx = ctx;
    this.#p = product;
  }
  get id(): string {
    return cachedGid(this.#p, "Product");
  }
  get legacyResourceId(): string {
    return String(this.#p.id);
  }
  get title(): string {
    return this.#p.title;
  }
  get handle(): string {
    return this.#p.handle;
  }
  get status(): string {
    return this.#p.status;
  }
  get tags(): string[] {
    return this.#p.tags;
  }
  get vendor(): string {
    return this.#ctx.shop.settings.name;
  }
  get productType(): string {
    return "";
  }
  get createdAt(): string {
    return iso(this.#p.createdAt);
  }
  get updatedAt(): string {
    return iso(this.#p.updatedAt);
  }
  get publishedAt(): string | null {
    return this.#p.status === "ACTIVE" ? iso(this.#p.createdAt) : null;
  }
  // Shopify returns null for products not published to the online store.
  get onlineStoreUrl(): string | null {
    return this.#p.status === "ACTIVE" ? `https://${this.#ctx.shop.domain}/products/${this.#p.handle}` : null;
  }
  get totalVariants(): number {
    return this.#p.variants.length;
  }
  get hasOnlyDefaultVariant(): boolean {
    return this.#p.variants.length === 1;
  }
  get featuredImage(): View | null {
    const p = this.#p;
    return p.imageUrl ? { __typename: "Image", url: p.imageUrl, altText: p.title, src: p.imageUrl, originalSrc: p.imageUrl, width: 800, height: 800, id: gid("ProductImage", p.mediaId) } : null;
  }
  get featuredMedia(): View | null {
    const image = this.featuredImage;
    return image ? { __typename: "MediaImage", id: gid("MediaImage", this.#p.mediaId), alt: this.#p.title, mediaContentType: "IMAGE", status: "READY", image, preview: { image, status: "READY" } } : null;
  }
  get tracksInventory(): boolean {
    return this.#p.variants.some((v) => v.tracked);
  }
  get totalInventory(): number {
    return this.#p.variants.reduce((sum, v) => sum + (v.tracked ? v.inventoryQuantity : 0), 0);
  }
  get hasOutOfStockVariants(): boolean {
    return this.#p.variants.some((v) => v.tracked && v.inventoryQuantity <= 0);
  }
  get priceRangeV2(): View {
    const prices = this.#p.variants.map((v) => v.priceCents);
    const currency = this.#ctx.shop.settings.currencyCode;
    return { minVariantPrice: moneyV2(prices.length ? Math.min(...prices) : 0, currency), maxVariantPrice: moneyV2(prices.length ? Math.max(...prices) : 0, currency) };
  }
  variants(args: Args): View {
    return listConnection(this.#ctx, this.#p.variants, args, (v) => variantView(this.#ctx, v));
  }
}

export function productView(ctx: ResolverContext, product: ProductRecord): View {
  return new ProductGql(ctx, product) as unknown as View;
}

/** Referenced from every line item (`variant { id }`): prototype getters, nothing eager. */
class VariantGql {
  readonly __typename = "ProductVariant";
  readonly #ctx: ResolverContext;
  readonly #v: VariantRecord;
  constructor(ctx: ResolverContext, variant: VariantRecord) {
    this.#ctx = ctx;
    this.#v = variant;
  }
  get #product(): ProductRecord | undefined {
    return this.#ctx.shop.products.get(this.#v.productId);
  }
  get id(): string {
    return cachedGid(this.#v, "ProductVariant");
  }
  get legacyResourceId(): string {
    return String(this.#v.id);
  }
  get title(): string {
    return this.#v.title;
  }
  get displayName(): string {
    return `${this.#product?.title ?? ""} - ${this.#v.title}`;
  }
  get sku(): string | null {
    return this.#v.sku;
  }
  get price(): string {
    return formatCents(this.#v.priceCents);
  }
  get availableForSale(): boolean {
    const product = this.#product;
    return product !== undefined && variantAvailableForSale(product, this.#v);
  }
  get inventoryPolicy(): string {
    return this.#v.inventoryPolicy;
  }
  get inventoryQuantity(): number {
    return this.#v.inventoryQuantity;
  }
  get inventoryItem(): View {
    return { __typename: "InventoryItem", id: gid("InventoryItem", this.#v.id), tracked: this.#v.tracked, sku: this.#v.sku };
  }
  get createdAt(): string {
    return iso(this.#product?.createdAt ?? 0);
  }
  get updatedAt(): string {
    return iso(this.#product?.updatedAt ?? 0);
  }
  product(): View | null {
    const product = this.#product;
    return product ? productView(this.#ctx, product) : null;
  }
}

export function variantView(ctx: ResolverContext, variant: VariantRecord): View {
  return new VariantGql(ctx, variant) as unknown as View;
}

/** Root fields: `products`, `product`. */
export function productQueries(ctx: ResolverContext): View {
  const shop = ctx.shop;
  return {
    products: (args: Args) =>
      rootConnection(ctx, "products", () => shop.products.values(), args, productSortKeys, "ID", (p) => p.id, productSearch, (p) => productView(ctx, p)),
    product: (args: Args) => {
      const id = resolveGidOfType(args.id, "Product");
      const product = id === null ? undefined : shop.products.get(id);
      return product ? productView(ctx, product) : null;
    },
  };
}
