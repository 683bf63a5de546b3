// The `train-recommendations` job: trains and stores the shop's recommender (services/train-recommendations).
// Queued on demand, and by the refresh job when its own inline training failed: the queue retries
// it with backoff, and a refresh never fails for it (docs/storefront.md).
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";
import { trainRecommendations } from "../services/train-recommendations.server";

export const trainRecommendationsJob = defineJob(JOB.trainRecommendations, async ({ reason }, { db, job, heartbeat }) => {
  if (job.shopId === null) throw new TerminalJobError("train-recommendations needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  // "Train now" always trains; a retried refresh training skips data its model already has.
  await trainRecommendations(db, shop.id, { heartbeat, force: reason === "on-demand" });
});
