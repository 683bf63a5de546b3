// The `refresh-segments` job: recomputes the shop's segments, stores the run, fits and stores the
// shop's anomalies, queues the write-back pass that takes the run to Shopify (tags, VIP tags
// of the whales just found, and customer segments in live mode; the plan in dry-run; only the read
// of Shopify's RFM groups when write-back is off), then trains the shop's recommender (its
// per-segment popular products use the new run). A segmentation failure is recorded on the run
// by the service and rethrown, so the queue retries with backoff; a crash between the steps re-runs
// the job, whose new run gets the pass, and the run the crash left "running" is marked interrupted
// at the next start. An anomaly detection failure never fails the refresh: it is logged and handed
// to a `detect-anomalies` job, which the queue retries (docs/anomalies.md). The recommender's
// training is on the same terms: a failure is logged and handed to a `train-recommendations` job
// (docs/storefront.md); it runs once the pass is queued, so a crash while training loses no pass.
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { failInterruptedRuns, pruneRunRows, RUNS_KEPT_WITH_ROWS } from "../models/segment-runs.server";
import { detectAnomalies } from "../services/detect-anomalies.server";
import { refreshSegments } from "../services/refresh-segments.server";
import { trainRecommendations } from "../services/train-recommendations.server";
import { startWriteBack } from "../services/write-back.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";

export const refreshSegmentsJob = defineJob(JOB.refreshSegments, async ({ reason }, { db, job, heartbeat }) => {
  if (job.shopId === null) throw new TerminalJobError("refresh-segments needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await failInterruptedRuns(db, shop.id);
  const outcome = await refreshSegments(db, shop.id, { reason });
  // Before the write-back, so the pass it queues carries the VIP tags of this refit's whales.
  await detectAnomaliesOrQueue(db, shop.id, shop.domain);
  if (outcome.result !== null) await startWriteBack(db, shop.id, { kind: "refresh", runId: outcome.runId });
  await trainRecommendationsOrQueue(db, shop.id, heartbeat);
  await pruneRunRows(db, shop.id, RUNS_KEPT_WITH_ROWS);
});

async function detectAnomaliesOrQueue(db: Db, shopId: number, domain: string): Promise<void> {
  try {
    await detectAnomalies(db, shopId, { admin: () => adminClientFor(domain), vipWriteBack: false });
  } catch (err) {
    const log = logger("anomalies");
    log.warn({ err, shopId }, "anomaly detection failed after the refresh; queued a detect-anomalies job");
    await enqueue(db, { type: JOB.detectAnomalies, shopId, payload: { reason: "refresh" } }).catch((error: unknown) =>
      log.error({ err: error, shopId }, "anomaly detection failed and could not be queued; the next refresh detects them"),
    );
  }
}

async function trainRecommendationsOrQueue(db: Db, shopId: number, heartbeat: () => Promise<boolean>): Promise<void> {
  try {
    await trainRecommendations(db, shopId, { heartbeat });
  } catch (err) {
    const log = logger("recommendations");
    log.warn({ err, shopId }, "recommendations training failed after the refresh; queued a train-recommendations job");
    await enqueue(db, { type: JOB.trainRecommendations, shopId, singletonKey: JOB.trainRecommendations, payload: { reason: "refresh" } }).catch((error: unknown) =>
      log.error({ err: error, shopId }, "recommendations training failed and could not be queued; the next refresh trains them"),
    );
  }
}
