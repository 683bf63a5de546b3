// The Job table as the ledger of the pg-boss backend (docs/decisions/0024-pg-boss-scale-mode.md):
// pg-boss decides who runs what and when; the Job row keeps what the merchant sees (status,
// attempts, last error) and what producers ask (singletons, cancellation). PostgreSQL only.
import type { JobId, QueueClient } from "../job-queue";
import type { JobRow } from "../table/claim.server";

/**
 * The pg-boss job of a ledger row has an id derived from the row's id, so the two can be found
 * from each other without a column of their own (wake, cancel, retry act on it by id).
 */
export function bossIdOf(jobId: JobId): string {
  return `00000000-0000-4000-8000-${jobId.toString(16).padStart(12, "0")}`;
}

/** The ledger id a pg-boss job carries. */
export interface BossJobData {
  jobId: JobId;
}

/**
 * Marks the ledger rows of the jobs pg-boss handed this worker as running. A row that was
 * 'queued' starts an attempt; one still 'running' was left by a dead worker (pg-boss saw its
 * heartbeat stop) and is taken over without counting an attempt, as the table backend does.
 * Rows that are no longer runnable (cancelled on uninstall, deleted with the shop, already
 * settled) are not returned: their pg-boss jobs are dropped.
 */
export async function claimLedger(client: QueueClient, ids: readonly JobId[], workerId: string, now = new Date()): Promise<JobRow[]> {
  if (ids.length === 0) return [];
  const rows = await client.$queryRawUnsafe<JobRow[]>(
    `UPDATE "Job" SET "status" = 'running', "lockedBy" = $2, "lockedAt" = $3, "updatedAt" = $3,
       "attempts" = CASE WHEN "status" = 'queued' THEN "attempts" + 1 ELSE "attempts" END
     WHERE "id" = ANY($1::int[]) AND "status" IN ('queued', 'running')
     RETURNING "id", "shopId", "type", "payload", "attempts", "maxAttempts"`,
    ids,
    workerId,
    now,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), shopId: r.shopId === null ? null : Number(r.shopId) }));
}

/** Waiting jobs of a singleton key whose run time `wake` brought forward (their pg-boss jobs follow). */
export async function wakeLedger(client: QueueClient, shopId: number | null, singletonKey: string, runAt: Date): Promise<JobId[]> {
  const rows = await client.$queryRawUnsafe<{ id: number }[]>(
    `UPDATE "Job" SET "runAt" = $3, "updatedAt" = now()
     WHERE "shopId" IS NOT DISTINCT FROM $1::int AND "singletonKey" = $2 AND "status" = 'queued' AND "runAt" > $3
     RETURNING "id"`,
    shopId,
    singletonKey,
    runAt,
  );
  return rows.map((r) => Number(r.id));
}

/** Cancels a shop's waiting and running ledger rows except one; returns the cancelled ids. */
export async function cancelLedger(client: QueueClient, shopId: number, exceptJobId?: JobId): Promise<JobId[]> {
  const rows = await client.$queryRawUnsafe<{ id: number }[]>(
    `UPDATE "Job" SET "status" = 'cancelled', "finishedAt" = now(), "lockedBy" = NULL, "updatedAt" = now()
     WHERE "shopId" = $1 AND "status" IN ('queued', 'running') AND "id" <> $2
     RETURNING "id"`,
    shopId,
    exceptJobId ?? 0,
  );
  return rows.map((r) => Number(r.id));
}

/**
 * A job pg-boss gave up on by itself (its retries spent on workers that died under it) reaches the
 * dead-letter queue with its ledger row still open: fail the row, so the Jobs page says so.
 */
export async function failAbandonedLedger(client: QueueClient, jobId: JobId, reason: string): Promise<boolean> {
  const count = await client.$executeRawUnsafe(
    `UPDATE "Job" SET "status" = 'failed', "finishedAt" = now(), "lockedBy" = NULL, "updatedAt" = now(),
       "lastError" = $2
     WHERE "id" = $1 AND "status" IN ('queued', 'running')`,
    jobId,
    reason,
  );
  return count === 1;
}
