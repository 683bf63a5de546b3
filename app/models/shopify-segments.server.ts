// ShopifySegment rows: which Shopify customer segment Segmint keeps for each of its segments.
import type { Db } from "../db.server";

export interface ShopifySegmentLink {
  readonly segmentKey: string;
  readonly shopifyId: string;
  readonly name: string;
  readonly query: string;
}

export async function shopifySegmentLinks(db: Db, shopId: number): Promise<ShopifySegmentLink[]> {
  return db.shopifySegment.findMany({ where: { shopId }, orderBy: { id: "asc" }, select: { segmentKey: true, shopifyId: true, name: true, query: true } });
}

export async function saveShopifySegmentLink(db: Db, shopId: number, link: ShopifySegmentLink): Promise<void> {
  await db.shopifySegment.upsert({
    where: { shopId_segmentKey: { shopId, segmentKey: link.segmentKey } },
    create: { shopId, ...link },
    update: { shopifyId: link.shopifyId, name: link.name, query: link.query },
  });
}

export async function deleteShopifySegmentLink(db: Db, shopId: number, segmentKey: string): Promise<void> {
  await db.shopifySegment.deleteMany({ where: { shopId, segmentKey } });
}
