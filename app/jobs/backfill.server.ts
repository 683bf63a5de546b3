// The `backfill` job: advances the shop's backfill (orders, then the products export) one step and,
// while Shopify is still exporting, schedules itself again (the bulk_operations/finish webhook
// wakes it early).
import { advanceShopSync } from "../services/backfill.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";

export const backfillJob = defineJob(JOB.backfill, async (_payload, { db, job, heartbeat }) => {
  if (job.shopId === null) throw new TerminalJobError("backfill needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  const step = await advanceShopSync({ db, admin: await adminClientFor(shop.domain), shopId: shop.id, heartbeat });
  if (!step.done) {
    // This job is still "running" while it enqueues, so the singleton check lets the next one in.
    await enqueue(db, {
      type: JOB.backfill,
      shopId: shop.id,
      singletonKey: JOB.backfill,
      runAt: new Date(Date.now() + step.pollAfterMs),
    });
  }
});
