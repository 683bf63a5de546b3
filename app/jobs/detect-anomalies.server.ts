// The `detect-anomalies` job: fits and stores the shop's anomalies (services/detect-anomalies).
// Queued on demand, and by the refresh job when its own inline detection failed: the queue
// retries it with backoff, and a refresh never fails for it (docs/anomalies.md).
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";
import { detectAnomalies } from "../services/detect-anomalies.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";

export const detectAnomaliesJob = defineJob(JOB.detectAnomalies, async (_payload, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("detect-anomalies needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await detectAnomalies(db, shop.id, { admin: () => adminClientFor(shop.domain) });
});
