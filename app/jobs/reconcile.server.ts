// The nightly `reconcile` job: heals missed webhooks, then books the next night's run (unless this
// pass was asked for on demand).
import { reconcileOrders } from "../services/reconcile.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { defineJob } from "../queue/registry";
import { nextNightlyRun } from "../queue/schedule";
import { shopById } from "../models/shops.server";

export const reconcileJob = defineJob(JOB.reconcile, async ({ onDemand }, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("reconcile needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await reconcileOrders(db, await adminClientFor(shop.domain), shop.id);
  if (onDemand !== true) {
    await enqueue(db, { type: JOB.reconcile, shopId: shop.id, singletonKey: JOB.reconcile, runAt: nextNightlyRun(new Date(), shop.timezone) });
  }
});
