// The Job table's consumer side, the same for both databases:
// - SQLite (embedded default): one process claims jobs; SQLite serialises writers.
// - PostgreSQL (scale): any number of worker processes claim with FOR UPDATE SKIP LOCKED under a
//   short transaction-scoped advisory lock, which also makes the per-shop concurrency limit exact.
// Why a table of our own: docs/decisions/0004-job-queue.md; the seam around it: 0007.
import { providerOf, sqlOf, type Db } from "../../db.server";
import { decideFailure, type FailureDecision } from "../errors.server";
import type { QueueClient } from "../job-queue";

export interface JobRow {
  id: number;
  shopId: number | null;
  type: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

const CLAIM_LOCK = 4242002;

/** Takes the next runnable job for this worker, or null. `perShopLimit` caps running jobs per shop. */
export async function claimNext(db: Db, workerId: string, perShopLimit: number, now = new Date()): Promise<JobRow | null> {
  const provider = providerOf(db);
  return db.$transaction(async (tx) => {
    if (provider === "postgresql") await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`;
    const { sql, empty } = sqlOf(db);
    const skipLocked = provider === "postgresql" ? sql`FOR UPDATE SKIP LOCKED` : empty;
    const candidates = await tx.$queryRaw<{ id: number }[]>`
      SELECT j."id" FROM "Job" j
      WHERE j."status" = 'queued' AND j."runAt" <= ${now}
        AND (j."shopId" IS NULL OR (
          SELECT COUNT(*) FROM "Job" r WHERE r."shopId" = j."shopId" AND r."status" = 'running'
        ) < ${perShopLimit})
      ORDER BY j."runAt", j."id"
      LIMIT 1 ${skipLocked}`;
    const id = candidates[0]?.id;
    if (id === undefined) return null;
    return tx.job.update({
      where: { id: Number(id) },
      data: { status: "running", lockedBy: workerId, lockedAt: now, attempts: { increment: 1 } },
      select: { id: true, shopId: true, type: true, payload: true, attempts: true, maxAttempts: true },
    });
  });
}

/**
 * Marks the job succeeded if it is still this worker's: a job cancelled (uninstall) or released
 * (graceful stop) meanwhile keeps the state it was given.
 */
export async function completeJob(db: QueueClient, id: number, workerId: string): Promise<void> {
  await db.job.updateMany({ where: { id, lockedBy: workerId, status: "running" }, data: { status: "succeeded", finishedAt: new Date(), lockedBy: null } });
}

/**
 * Records a failure and either schedules the retry or marks the job failed for good, if the job is
 * still this worker's (as in completeJob); null when it is not (cancelled or released meanwhile).
 */
export async function failJob(db: QueueClient, job: JobRow, workerId: string, error: unknown, now = new Date()): Promise<FailureDecision | null> {
  const decision = decideFailure(error, job.attempts, job.maxAttempts);
  const { count } = await db.job.updateMany({
    where: { id: job.id, lockedBy: workerId, status: "running" },
    data: decision.retry
      ? { status: "queued", runAt: new Date(now.getTime() + decision.delayMs), lastError: decision.reason, lockedBy: null }
      : { status: "failed", finishedAt: now, lastError: decision.reason, lockedBy: null },
  });
  return count === 1 ? decision : null;
}

/**
 * Keeps a long job's lease fresh so other workers don't take it for dead; false once it is no
 * longer this worker's (cancelled, or released by a graceful stop): the handler should stop.
 */
export async function heartbeat(db: QueueClient, id: number, workerId: string): Promise<boolean> {
  const { count } = await db.job.updateMany({ where: { id, lockedBy: workerId, status: "running" }, data: { lockedAt: new Date() } });
  return count === 1;
}

/**
 * Graceful stop: this worker's still-running jobs are queued again, due now, the attempt not
 * counted, so another process takes them at once instead of after the lease.
 */
export async function releaseRunning(db: QueueClient, workerId: string, now = new Date()): Promise<number> {
  const { count } = await db.job.updateMany({
    where: { status: "running", lockedBy: workerId },
    data: { status: "queued", lockedBy: null, lockedAt: null, runAt: now, attempts: { decrement: 1 } },
  });
  return count;
}

/**
 * Jobs whose worker died (kill -9, crash, deploy) are queued again: any running job whose lease
 * is `leaseMs` old or older (0 = every running job). Handlers are written to resume (they are
 * idempotent), and a resumed job does not count as a new attempt.
 */
export async function requeueAbandoned(db: Db, leaseMs: number, now = new Date()): Promise<number> {
  const { count } = await db.job.updateMany({
    where: { status: "running", lockedAt: { lte: new Date(now.getTime() - leaseMs) } },
    data: { status: "queued", lockedBy: null, runAt: now, attempts: { decrement: 1 } },
  });
  return count;
}
