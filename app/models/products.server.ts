// Product rows (docs/sync.md, "Products"): what the storefront widget may show. Written by the
// products backfill and the products/* webhooks; read by the recommendations (only ACTIVE and
// available products are ever shown). Every query is scoped by shop.
import type { Db } from "../db.server";
import { storedVersion } from "../domain/version";

/** Shopify's ProductStatus; UNLISTED (2026-10: reachable by link only) is never recommended. */
export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";

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

// ---- writes (the products backfill and the products/* webhooks; docs/sync.md, "Products") ----

/** A product's state to store (app/shopify/mappers' ProductState once its availability is known). */
export interface ProductWrite extends Omit<ProductRow, "id"> {
  readonly shopifyId: string;
  readonly updatedAt: Date;
}

export type ProductApplyResult = "inserted" | "updated" | "stale" | "deleted";

function columnsOf(p: ProductWrite) {
  return {
    handle: p.handle,
    title: p.title,
    status: p.status,
    priceMilli: p.priceMilli === null ? null : BigInt(p.priceMilli),
    currency: p.currency,
    imageUrl: p.imageUrl,
    imageAlt: p.imageAlt,
    available: p.available,
    shopifyUpdatedAt: p.updatedAt,
  };
}

const DELETE_TOPIC = "products/delete";

/**
 * Shopify ids of the shop's products whose products/delete the inbox holds. Product ids are never
 * reused, so a deleted product stays deleted: a late products/update or an export taken before the
 * delete must not bring its row back. The inbox keeps every event with its minimised payload
 * (`{"id":"<product id>"}`, ADR 0008), which makes it the tombstone.
 */
export async function productsDeletedByWebhook(db: Pick<Db, "webhookEvent">, shopId: number, ids?: readonly string[]): Promise<Set<string>> {
  const deleted = new Set<string>();
  const payloads = ids === undefined ? undefined : ids.map((id) => JSON.stringify({ id }));
  for (let i = 0; i < (payloads?.length ?? 1); i += IDS_PER_QUERY) {
    const rows = await db.webhookEvent.findMany({
      where: { shopId, topic: DELETE_TOPIC, ...(payloads ? { payload: { in: payloads.slice(i, i + IDS_PER_QUERY) } } : {}) },
      select: { payload: true },
    });
    for (const r of rows) {
      const id = (JSON.parse(r.payload) as { id?: unknown }).id;
      if (typeof id === "string") deleted.add(id);
    }
  }
  return deleted;
}

/** Stores `state` unless the stored product is as new or newer, or the product was deleted. */
export async function applyProductState(db: Db, shopId: number, state: ProductWrite): Promise<ProductApplyResult> {
  return db.$transaction(async (tx) => {
    const existing = await tx.product.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: state.shopifyId } }, select: { id: true, shopifyUpdatedAt: true } });
    if (existing) {
      if (existing.shopifyUpdatedAt && storedVersion(existing.shopifyUpdatedAt, state.updatedAt) !== "older") return "stale";
      await tx.product.update({ where: { id: existing.id }, data: columnsOf(state) });
      return "updated";
    }
    if ((await productsDeletedByWebhook(tx, shopId, [state.shopifyId])).size > 0) return "deleted";
    await tx.product.create({ data: { shopId, shopifyId: state.shopifyId, ...columnsOf(state) } });
    return "inserted";
  });
}

/** products/delete: the row goes (the inbox keeps the event, which keeps it gone). */
export async function deleteProduct(db: Db, shopId: number, shopifyId: string): Promise<boolean> {
  return (await db.product.deleteMany({ where: { shopId, shopifyId } })).count > 0;
}

/**
 * The shop's currency as Segmint knows it, for a webhook's prices (REST product payloads have
 * none): the stored products', else the latest order's; null when the shop has neither.
 */
export async function storedProductCurrency(db: Db, shopId: number): Promise<string | null> {
  const product = await db.product.findFirst({ where: { shopId, currency: { not: null } }, orderBy: { shopifyUpdatedAt: "desc" }, select: { currency: true } });
  if (product?.currency) return product.currency;
  const order = await db.order.findFirst({ where: { shopId }, orderBy: [{ processedAt: "desc" }, { id: "desc" }], select: { currency: true } });
  return order?.currency ?? null;
}

export interface ProductExportResult {
  /** New rows (a batch that met rows the drain wrote meanwhile is not counted). */
  readonly inserted: number;
  readonly updated: number;
  readonly stale: number;
  /** In the export but deleted by a webhook since (not stored). */
  readonly deleted: number;
  /** Stored rows the export no longer has (deleted in Shopify, their webhook missed), removed. */
  readonly swept: number;
}

/**
 * Applies a full export of the shop's products taken at `snapshotAt` (the bulk operation's
 * creation, Shopify's clock): newer states are written, products deleted by webhook are skipped,
 * and stored products the export lacks are removed unless they changed after the snapshot (a
 * products/create that came in while Shopify exported).
 */
export async function applyProductExport(db: Db, shopId: number, states: readonly ProductWrite[], snapshotAt: Date): Promise<ProductExportResult> {
  const deleted = await productsDeletedByWebhook(db, shopId);
  const stored = new Map<string, Date | null>();
  for (const r of await db.product.findMany({ where: { shopId }, select: { shopifyId: true, shopifyUpdatedAt: true } })) stored.set(r.shopifyId, r.shopifyUpdatedAt);
  let inserted = 0;
  let updated = 0;
  let stale = 0;
  let skipped = 0;
  const creates: ProductWrite[] = [];
  for (const state of states) {
    if (deleted.has(state.shopifyId)) {
      skipped++;
      continue;
    }
    const at = stored.get(state.shopifyId);
    if (at === undefined) {
      creates.push(state);
      continue;
    }
    if (at !== null && storedVersion(at, state.updatedAt) !== "older") {
      stale++;
      continue;
    }
    await db.product.update({ where: { shopId_shopifyId: { shopId, shopifyId: state.shopifyId } }, data: columnsOf(state) });
    updated++;
  }
  for (let i = 0; i < creates.length; i += IDS_PER_QUERY) {
    const part = creates.slice(i, i + IDS_PER_QUERY);
    try {
      inserted += (await db.product.createMany({ data: part.map((s) => ({ shopId, shopifyId: s.shopifyId, ...columnsOf(s) })) })).count;
    } catch {
      // A products/create applied by the drain meanwhile (it is newer than the snapshot): keep it.
      for (const s of part) {
        await db.product.upsert({ where: { shopId_shopifyId: { shopId, shopifyId: s.shopifyId } }, create: { shopId, shopifyId: s.shopifyId, ...columnsOf(s) }, update: {} });
      }
    }
  }
  const exported = new Set(states.map((s) => s.shopifyId));
  const gone = [...stored.keys()].filter((id) => !exported.has(id));
  let swept = 0;
  for (let i = 0; i < gone.length; i += IDS_PER_QUERY) {
    const part = gone.slice(i, i + IDS_PER_QUERY);
    swept += (await db.product.deleteMany({ where: { shopId, shopifyId: { in: part }, OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lt: snapshotAt } }] } })).count;
  }
  return { inserted, updated, stale, deleted: skipped, swept };
}
