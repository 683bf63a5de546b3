// The `refresh-segments` job: recomputes the shop's segments and stores the run. A failure is
// recorded on the run by the service and rethrown, so the queue retries with backoff.
import { refreshSegments } from "../services/refresh-segments.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";

export const refreshSegmentsJob = defineJob(JOB.refreshSegments, async ({ reason }, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("refresh-segments needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await refreshSegments(db, shop.id, { reason });
});
