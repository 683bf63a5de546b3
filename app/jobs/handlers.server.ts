// Every job type and the handler that runs it. One file per job under app/jobs/.
import type { JobHandlers } from "./runner.server";
import { processWebhooksJob } from "./process-webhooks.server";
import { JOB } from "./job-types";

export const jobHandlers: JobHandlers = {
  [JOB.processWebhooks]: processWebhooksJob,
};
