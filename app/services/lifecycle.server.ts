// Install state: uninstall and scope changes.
import type { Db } from "../db.server";
import { cancelShopJobs } from "../queue/queue.server";

/** app/uninstalled: sessions go, the shop is marked inactive and its other jobs are cancelled.
 * Business data stays until shop/redact (Shopify sends it 48 h later). */
export async function uninstallShop(db: Db, shopId: number, domain: string, exceptJobId?: number): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop: domain } });
    await tx.shop.update({ where: { id: shopId }, data: { installState: "uninstalled", uninstalledAt: new Date() } });
    await cancelShopJobs(tx, shopId, exceptJobId);
  });
}

export async function updateScopes(db: Db, shopId: number, domain: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop: domain }, data: { scope } }),
    db.shop.update({ where: { id: shopId }, data: { scopes: scope } }),
  ]);
}
