// Product rows (docs/sync.md, "Products"): what the storefront widget may show. Written by the
// products backfill and the products/* webhooks; read by the recommendations (only ACTIVE and
// available products are ever shown). Every query is scoped by shop.
import type { Db } from "../db.server";

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT";

/** A stored product as its readers see it (money in milli-units of `currency`, ADR 0010). */
export interface ProductRow {
  /** Shopify's numeric product id (as OrderLine.productId). */
  readonly id: string;
  readonly handle: string;
  readonly title: string;
  readonly status: ProductStatus;
  /** The lowest variant price, or null when the product has no variant. */
  readonly priceMilli: number | null;
  readonly currency: string | null;
  readonly imageUrl: string | null;
  readonly imageAlt: string | null;
  /** Some variant can be sold (in stock, not tracked, or sold when out of stock). */
  readonly available: boolean;
}

// SQLite caps bound parameters per statement; 500 ids per `IN` stays far below it.
const IDS_PER_QUERY = 500;

const ROW_SELECT = {
  shopifyId: true,
  handle: true,
  title: true,
  status: true,
  priceMilli: true,
  currency: true,
  imageUrl: true,
  imageAlt: true,
  available: true,
} as const;

type SelectedRow = {
  shopifyId: string;
  handle: string;
  title: string;
  status: string;
  priceMilli: bigint | null;
  currency: string | null;
  imageUrl: string | null;
  imageAlt: string | null;
  available: boolean;
};

function rowOf(r: SelectedRow): ProductRow {
  return {
    id: r.shopifyId,
    handle: r.handle,
    title: r.title,
    status: r.status as ProductStatus,
    priceMilli: r.priceMilli === null ? null : Number(r.priceMilli),
    currency: r.currency,
    imageUrl: r.imageUrl,
    imageAlt: r.imageAlt,
    available: r.available,
  };
}

/** The stored products among these Shopify ids, in no particular order (unknown or deleted ids are left out). */
export async function productsByIds(db: Db, shopId: number, ids: readonly string[]): Promise<ProductRow[]> {
  const unique = [...new Set(ids)];
  const rows: ProductRow[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const part = unique.slice(i, i + IDS_PER_QUERY);
    const found = await db.product.findMany({ where: { shopId, shopifyId: { in: part } }, select: ROW_SELECT });
    for (const r of found) rows.push(rowOf(r));
  }
  return rows;
}

/** Shopify ids of the products a shopper may be shown: ACTIVE and available (deleted products have no row). */
export async function sellableProductIds(db: Db, shopId: number): Promise<Set<string>> {
  const rows = await db.product.findMany({ where: { shopId, status: "ACTIVE", available: true }, select: { shopifyId: true } });
  return new Set(rows.map((r) => r.shopifyId));
}
