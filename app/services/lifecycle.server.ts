// Install state: uninstall and scope changes.
import type { Db } from "../db.server";

/** app/uninstalled: sessions go, the shop is marked inactive and its other jobs are cancelled.
 * Business data stays until shop/redact (Shopify sends it 48 h later). */
export async function uninstallShop(db: Db, shopId: number, domain: string, exceptJobId?: number): Promise<void> {
  await db.$transaction([
    db.session.deleteMany({ where: { shop: domain } }),
    db.shop.update({ where: { id: shopId }, data: { installState: "uninstalled", uninstalledAt: new Date() } }),
    db.job.updateMany({
      where: { shopId, status: { in: ["queued", "running"] }, ...(exceptJobId ? { id: { not: exceptJobId } } : {}) },
      data: { status: "cancelled", finishedAt: new Date(), lockedBy: null },
    }),
  ]);
}

export async function updateScopes(db: Db, shopId: number, domain: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop: domain }, data: { scope } }),
    db.shop.update({ where: { id: shopId }, data: { scopes: scope } }),
  ]);
}
