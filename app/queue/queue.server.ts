// The app's queue. Producers (services, handlers, the webhook inbox) call `enqueue` and
// `cancelShopJobs` from here, never a backend directly, so this is the one place the backend is
// chosen (docs/decisions/0007-queue-seam.md): the Job table (QUEUE_BACKEND=table, the embedded
// default) or pg-boss (QUEUE_BACKEND=pg-boss, scale mode on PostgreSQL, docs/decisions/0024).
import { config, queueBackend } from "../config.server";
import type { JobQueue } from "./job-queue";
import { createPgBossQueue } from "./pgboss/pgboss-queue.server";
import { createTableQueue } from "./table/table-queue.server";

let chosen: JobQueue | undefined;
let override: JobQueue | null = null;

/**
 * Tests only: this process's producers use `queue` (null: the configured backend again), so a
 * test driving an app process on pg-boss enqueues from its own process through pg-boss too.
 */
export function overrideJobQueue(queue: JobQueue | null): void {
  override = queue;
}

/** Chosen on first use, not at import: modules that only import a producer need no configuration. */
function backend(): JobQueue {
  if (override) return override;
  if (chosen) return chosen;
  // The default needs no configuration (tests drive services without an app environment);
  // pg-boss is validated by config() (it needs a PostgreSQL DATABASE_URL).
  if (queueBackend() === "table") return (chosen = createTableQueue());
  const cfg = config();
  chosen =
    cfg.QUEUE_BACKEND === "pg-boss"
      ? createPgBossQueue({ connectionString: cfg.DATABASE_URL, leaseMs: cfg.JOB_LEASE_MS })
      : createTableQueue();
  return chosen;
}

export const jobQueue: JobQueue = {
  enqueue: (client, job) => backend().enqueue(client, job),
  cancelShopJobs: (client, shopId, exceptJobId) => backend().cancelShopJobs(client, shopId, exceptJobId),
  singletonState: (client, shopId, singletonKey) => backend().singletonState(client, shopId, singletonKey),
  retryJob: (client, shopId, jobId) => backend().retryJob(client, shopId, jobId),
  start: (o) => backend().start(o),
  drain: () => backend().drain(),
  stop: (options) => backend().stop(options),
};

/** Adds a job; pass a transaction client to make it part of that transaction. See JobQueue. */
export const enqueue: JobQueue["enqueue"] = (client, job) => jobQueue.enqueue(client, job);

/** Cancels a shop's waiting and running jobs except one. See JobQueue. */
export const cancelShopJobs: JobQueue["cancelShopJobs"] = (client, shopId, exceptJobId) =>
  jobQueue.cancelShopJobs(client, shopId, exceptJobId);

/** Whether a singleton job is waiting or running. See JobQueue. */
export const singletonState: JobQueue["singletonState"] = (client, shopId, singletonKey) => jobQueue.singletonState(client, shopId, singletonKey);

/** Queues a failed job of the shop again. See JobQueue. */
export const retryJob: JobQueue["retryJob"] = (client, shopId, jobId) => jobQueue.retryJob(client, shopId, jobId);
