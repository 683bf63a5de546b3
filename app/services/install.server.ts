// What happens when a shop installs (or re-installs) Segmint: the shop is active again, its
// order history is backfilled, nightly reconciliation is scheduled and the weekly segment refresh
// booked.
import type { Db } from "../db.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { nextNightlyRun } from "../queue/schedule";
import { beginBackfill } from "./backfill.server";
import { bookNextRefresh } from "./refresh-schedule.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { SHOP_INFO } from "../shopify/graphql";

/**
 * `admin`, when given, is asked for the shop's IANA time zone, kept in Shop.timezone: segment days
 * and schedules are the shop's own (docs/decisions/0011-analytics-bridge.md). Without it the stored
 * zone stays as it is (UTC for a new shop).
 */
export async function onShopInstalled(db: Db, domain: string, scopes: string | undefined, now = new Date(), admin?: AdminClient): Promise<number> {
  const zone = admin ? { timezone: (await admin.request<{ shop: { ianaTimezone: string } }>(SHOP_INFO)).shop.ianaTimezone } : {};
  const shop = await db.shop.upsert({
    where: { domain },
    update: { installState: "installed", uninstalledAt: null, scopes: scopes ?? null, ...zone },
    create: { domain, scopes: scopes ?? null, ...zone },
  });
  const hasData = (await db.syncRun.count({ where: { shopId: shop.id, kind: "backfill", status: "completed" } })) > 0;
  if (!hasData) {
    await beginBackfill(db, shop.id);
    await enqueue(db, { type: JOB.backfill, shopId: shop.id, singletonKey: JOB.backfill });
  }
  await enqueue(db, {
    type: JOB.reconcile,
    shopId: shop.id,
    singletonKey: JOB.reconcile,
    runAt: nextNightlyRun(now, shop.timezone),
  });
  await bookNextRefresh(db, shop.id, now);
  return shop.id;
}
