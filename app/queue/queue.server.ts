// The app's queue. Producers (services, handlers, the webhook inbox) call `enqueue` and
// `cancelShopJobs` from here, never a backend directly, so this line is the one place a second
// backend (pg-boss) would be chosen (docs/decisions/0007-queue-seam.md).
import type { JobQueue } from "./job-queue";
import { createTableQueue } from "./table/table-queue.server";

export const jobQueue: JobQueue = createTableQueue();

/** Adds a job; pass a transaction client to make it part of that transaction. See JobQueue. */
export const enqueue: JobQueue["enqueue"] = (client, job) => jobQueue.enqueue(client, job);

/** Cancels a shop's waiting and running jobs except one. See JobQueue. */
export const cancelShopJobs: JobQueue["cancelShopJobs"] = (client, shopId, exceptJobId) =>
  jobQueue.cancelShopJobs(client, shopId, exceptJobId);

/** Whether a singleton job is waiting or running. See JobQueue. */
export const singletonState: JobQueue["singletonState"] = (client, shopId, singletonKey) => jobQueue.singletonState(client, shopId, singletonKey);

/** Queues a failed job of the shop again. See JobQueue. */
export const retryJob: JobQueue["retryJob"] = (client, shopId, jobId) => jobQueue.retryJob(client, shopId, jobId);
