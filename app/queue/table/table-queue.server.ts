// The Job table as a JobQueue (ADR 0004 for the table, 0007 for the seam).
import type { JobQueue } from "../job-queue";
import { cancelShopJobs, enqueue, retryJob, singletonState } from "./enqueue.server";
import { startJobRunner, type JobRunner } from "./runner.server";

export function createTableQueue(): JobQueue {
  let runner: JobRunner | undefined;
  return {
    enqueue,
    cancelShopJobs,
    singletonState,
    retryJob,
    start(o) {
      runner ??= startJobRunner(o);
    },
    drain: async () => runner?.drain(),
    async stop(options) {
      const stopping = runner;
      runner = undefined;
      await stopping?.stop(options);
    },
  };
}
