// The shop an admin request acts for: every admin loader and action starts here with the
// session's shop domain, and every query after it is scoped by the returned id (a segment, run,
// customer or job id from the URL is then looked up inside this shop only: another shop's → 404).
import { db as defaultDb, type Db } from "../db.server";
import { findShop, shopCurrency } from "../models/shops.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export interface AdminShop {
  readonly id: number;
  readonly domain: string;
  /** Display currency (the latest order's). */
  readonly currency: string;
  /** IANA zone the merchant's dates are shown in. */
  readonly timeZone: string;
}

/** The installed shop behind an admin session, or null while the install hook has not run yet. */
export async function adminShop(shopDomain: string, db: Db = defaultDb()): Promise<AdminShop | null> {
  const shop = await findShop(db, shopDomain);
  if (!shop || shop.installState !== "installed") return null;
  return { id: shop.id, domain: shop.domain, currency: await shopCurrency(db, shop.id), timeZone: shop.timezone };
}

/**
 * The installed shop of an admin request that changes something (an action, a download): a 404
 * while the install hook has not run yet. Loaders instead render their "finishing installation" state.
 */
export async function requireInstalledShop(request: Request): Promise<AdminShop> {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) throw new Response("Segmint is not installed in this store yet", { status: 404 });
  return shop;
}
