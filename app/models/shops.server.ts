// Shop rows: the root every piece of shop data hangs off (deleting a shop deletes it all).
import type { Db } from "../db.server";

export async function ensureShop(db: Db, domain: string) {
  return db.shop.upsert({ where: { domain }, update: {}, create: { domain } });
}

export async function findShop(db: Db, domain: string) {
  return db.shop.findUnique({ where: { domain } });
}

export async function shopById(db: Db, id: number) {
  return db.shop.findUnique({ where: { id } });
}

/** The merchant settings a caller may change (the columns of the Shop row's settings block). */
export interface ShopSettingsPatch {
  algorithm?: "hybrid" | "rfm" | "kmeans" | "dbscan";
  writeBackMode?: "off" | "dry-run" | "live";
  clusterCount?: number | null;
  tagPrefix?: string;
  shopifySegments?: boolean;
  bulkThreshold?: number;
}

export async function updateShopSettings(db: Db, shopId: number, patch: ShopSettingsPatch) {
  return db.shop.update({ where: { id: shopId }, data: patch });
}

/**
 * The shop's currency for display: the currency of its most recent order (USD before any order).
 * Ordered by (processedAt, id) so the (shopId, processedAt) index answers it: ordering by id
 * alone sorted every order of the shop (~130 ms at 300k orders, bench/results/admin.md).
 */
export async function shopCurrency(db: Db, shopId: number): Promise<string> {
  const order = await db.order.findFirst({ where: { shopId }, orderBy: [{ processedAt: "desc" }, { id: "desc" }], select: { currency: true } });
  return order?.currency ?? "USD";
}
