// Every job type and the handler that runs it. One file per job under app/jobs/.
import { backfillJob } from "./backfill.server";
import { JOB } from "./job-types";
import { processWebhooksJob } from "./process-webhooks.server";
import { reconcileJob } from "./reconcile.server";
import type { JobHandlers } from "./runner.server";

export const jobHandlers: JobHandlers = {
  [JOB.processWebhooks]: processWebhooksJob,
  [JOB.backfill]: backfillJob,
  [JOB.reconcile]: reconcileJob,
};
