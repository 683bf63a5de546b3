// Starts this process's job runner against the app database with the given handlers, configured
// from the environment. Called by the two entry points (server.ts in-process, worker.ts), which
// pass app/jobs' registry: the queue itself knows no handler.
import { config } from "../config.server";
import { db } from "../db.server";
import type { JobQueue, JobRegistry } from "./job-queue";
import { jobQueue } from "./queue.server";

export function startAppQueue(jobs: JobRegistry): JobQueue {
  const cfg = config();
  jobQueue.start({
    db: db(),
    jobs,
    perShopLimit: cfg.JOB_CONCURRENCY_PER_SHOP,
    leaseMs: cfg.JOB_LEASE_MS,
    soleRunner: cfg.JOB_RUNNER === "in-process",
  });
  return jobQueue;
}
