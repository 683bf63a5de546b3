// The `assess-order-risk` job: writes Shopify order risk assessments for flagged orders, queued by
// detection (refresh and webhook scoring) when the shop's setting is on. Shopify's refusals are
// settled by the service; throttling beyond the Admin client's own retries fails the job, and the
// queue retries it (the orders already assessed are not sent again).
import { shopById } from "../models/shops.server";
import { assessOrderRisk } from "../services/risk-assessments.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";

export const assessOrderRiskJob = defineJob(JOB.assessOrderRisk, async ({ anomalyIds }, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("assess-order-risk needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed" || !shop.riskAssessments) return;
  await assessOrderRisk(db, await adminClientFor(shop.domain), shop.id, anomalyIds);
});
