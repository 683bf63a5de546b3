// Install state: uninstall and scope changes.
import type { Db } from "../db.server";
import { cancelShopJobs } from "../queue/queue.server";
import { deleteCustomerDerivedData } from "./privacy.server";

/** app/uninstalled: sessions go, the shop is marked inactive, its other jobs are cancelled and its
 * per-customer derived data (segment rows, write history, the recommender mined from the baskets) is
 * deleted. Orders stay until shop/redact
 * (Shopify sends it 48 h later). */
export async function uninstallShop(db: Db, shopId: number, domain: string, exceptJobId?: number): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop: domain } });
    await tx.shop.update({ where: { id: shopId }, data: { installState: "uninstalled", uninstalledAt: new Date() } });
    await cancelShopJobs(tx, shopId, exceptJobId);
    await deleteCustomerDerivedData(tx as Db, shopId);
  });
}

export async function updateScopes(db: Db, shopId: number, domain: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop: domain }, data: { scope } }),
    db.shop.update({ where: { id: shopId }, data: { scopes: scope } }),
  ]);
}
