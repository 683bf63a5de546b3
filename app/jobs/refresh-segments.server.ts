// The `refresh-segments` job: recomputes the shop's segments, stores the run, then queues the
// write-back pass that takes the run to Shopify (tags and customer segments in live mode, the
// plan in dry-run, only the read of Shopify's RFM groups when write-back is off). A failure is
// recorded on the run by the service and rethrown, so the queue retries with backoff; a crash
// between the steps re-runs the job, whose new run gets the pass, and the run the crash left
// "running" is marked interrupted at the next start.
import { failInterruptedRuns, pruneRunRows, RUNS_KEPT_WITH_ROWS } from "../models/segment-runs.server";
import { refreshSegments } from "../services/refresh-segments.server";
import { startWriteBack } from "../services/write-back.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";

export const refreshSegmentsJob = defineJob(JOB.refreshSegments, async ({ reason }, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("refresh-segments needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await failInterruptedRuns(db, shop.id);
  const outcome = await refreshSegments(db, shop.id, { reason });
  if (outcome.result !== null) await startWriteBack(db, shop.id, { kind: "refresh", runId: outcome.runId });
  await pruneRunRows(db, shop.id, RUNS_KEPT_WITH_ROWS);
});
