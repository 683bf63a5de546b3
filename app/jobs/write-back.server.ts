// The `write-back` job: advances one write-back pass (services/write-back.server.ts) and, while
// Shopify works on a bulk operation, books itself again (bulk_operations/finish wakes it early).
import { advanceWriteBack, failWriteBackIfFinal } from "../services/write-back.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";

export const writeBackJob = defineJob(JOB.writeBack, async ({ writeBackId }, { db, job, heartbeat }) => {
  if (job.shopId === null) throw new TerminalJobError("write-back needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  let step;
  try {
    step = await advanceWriteBack({ db, admin: await adminClientFor(shop.domain), shopId: shop.id, writeBackId, heartbeat });
  } catch (error) {
    await failWriteBackIfFinal(db, shop.id, writeBackId, error, job);
    throw error;
  }
  if (!step.done) {
    await enqueue(db, {
      type: JOB.writeBack,
      shopId: shop.id,
      payload: { writeBackId },
      singletonKey: `${JOB.writeBack}:${writeBackId}`,
      runAt: new Date(Date.now() + step.pollAfterMs),
    });
  }
});
