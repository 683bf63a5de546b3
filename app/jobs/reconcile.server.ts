// The nightly `reconcile` job: heals missed webhooks, then books the next night's run.
import { adminClientFor } from "../shopify/admin.server";
import { reconcileOrders } from "../services/reconcile.server";
import { TerminalJobError } from "./errors.server";
import { JOB } from "./job-types";
import { enqueue } from "./queue.server";
import type { JobHandler } from "./runner.server";
import { nextNightlyRun } from "./schedule";

export const reconcileJob: JobHandler = async (payload, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("reconcile needs a shop");
  const shop = await db.shop.findUnique({ where: { id: job.shopId } });
  if (!shop || shop.installState !== "installed") return;
  await reconcileOrders(db, await adminClientFor(shop.domain), shop.id);
  const onDemand = typeof payload === "object" && payload !== null && (payload as { onDemand?: boolean }).onDemand === true;
  if (!onDemand) {
    await enqueue(db, { type: JOB.reconcile, shopId: shop.id, singletonKey: JOB.reconcile, runAt: nextNightlyRun(new Date(), shop.timezone) });
  }
};
