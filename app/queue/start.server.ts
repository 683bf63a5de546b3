// Starts this process's job runner against the app database with the given handlers, configured
// from the environment. Called by the two entry points (server.ts in-process, worker.ts), which
// pass app/jobs' registry: the queue itself knows no handler.
import { startBusinessClock } from "../clock.server";
import { config } from "../config.server";
import { db as appDb, providerOf, type Db } from "../db.server";
import { logger } from "../logger.server";
import type { JobQueue, JobRegistry } from "./job-queue";
import { JOB } from "./job-types";
import { APP_WIDE_BOOKING_LOCK } from "./locks";
import { enqueue, jobQueue } from "./queue.server";

/**
 * Books the app-wide hourly `schedule-refreshes` pass at `runAt` (default: now) unless one is
 * already waiting: a singleton, booked under a lock so that processes starting together on
 * PostgreSQL cannot both add one. Returns whether this call added it.
 */
export async function bookScheduleRefreshes(db: Db, runAt = new Date()): Promise<boolean> {
  const postgres = providerOf(db) === "postgresql";
  const id = await db.$transaction(async (tx) => {
    if (postgres) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APP_WIDE_BOOKING_LOCK})`;
    return enqueue(tx, { type: JOB.scheduleRefreshes, shopId: null, singletonKey: JOB.scheduleRefreshes, runAt });
  });
  return id !== null;
}

/**
 * Something that runs beside the job runner in its process and stops before it: the inbox
 * dispatcher (app/services/inbox-dispatch.server.ts). The entry points pass it in: the queue
 * knows no use case (eslint layers).
 */
export type QueueCompanion = (db: Db) => { stop(): Promise<void> };

export function startAppQueue(jobs: JobRegistry, companions: readonly QueueCompanion[] = []): JobQueue {
  const cfg = config();
  const db = appDb();
  // The jobs' business dates (refresh as-of, live assignment's today): the demo's store "now".
  startBusinessClock(cfg.SEGMINT_DEMO_NOW);
  jobQueue.start({
    db,
    jobs,
    concurrency: cfg.JOB_CONCURRENCY,
    perShopLimit: cfg.JOB_CONCURRENCY_PER_SHOP,
    leaseMs: cfg.JOB_LEASE_MS,
    // WEB_CONCURRENCY > 1: each web process has a runner; none may requeue the others' jobs.
    soleRunner: cfg.JOB_RUNNER === "in-process" && cfg.WEB_CONCURRENCY === 1,
  });
  // The hourly pass keeps itself booked; this starts the chain on a first start (or after it was
  // lost) and is a no-op on every other start, in any number of processes.
  bookScheduleRefreshes(db).catch((err: unknown) => logger("jobs").error({ err }, "could not book the hourly schedule-refreshes pass"));
  if (companions.length === 0) return jobQueue;
  const started = companions.map((start) => start(db));
  // jobQueue's members are arrow functions over the chosen backend: only the stop differs.
  return {
    ...jobQueue,
    async stop(options) {
      await Promise.all(started.map((c) => c.stop()));
      await jobQueue.stop(options);
    },
  };
}
