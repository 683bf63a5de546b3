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

/** Serialises ledger claims per shop (pg_advisory_xact_lock(SHOP_CLAIM_LOCK, shopId)); other shops never wait. */
const SHOP_CLAIM_LOCK = 4242004;

/**
 * Marks the ledger rows of the jobs pg-boss handed this worker as running, at most `perShopLimit`
 * running per shop — exact, under a per-shop lock: pg-boss's own group limit is counted inside
 * each concurrent fetch and can be passed under races, so the ledger has the last word (a job it
 * refuses goes back to pg-boss). A row that was 'queued' starts an attempt; one still 'running' was
 * left by a dead worker (pg-boss saw its heartbeat stop) and is taken over without counting an
 * attempt, as on the table backend. Returns the claimed rows and the runnable rows refused by the
 * limit; any other id's row is no longer runnable (cancelled, deleted with its shop, settled).
 * Run it in a transaction (the locks are transaction-scoped).
 */
export async function claimLedger(
  tx: QueueClient,
  ids: readonly JobId[],
  shopIds: readonly number[],
  perShopLimit: number,
  workerId: string,
  now = new Date(),
): Promise<{ claimed: JobRow[]; refused: JobId[] }> {
  if (ids.length === 0) return { claimed: [], refused: [] };
  const shops = [...new Set(shopIds)].sort((a, b) => a - b);
  // In ascending order (unnest keeps the array's), so that two workers claiming for overlapping
  // shops cannot deadlock.
  if (shops.length > 0) {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SHOP_CLAIM_LOCK}, s) FROM unnest($1::int[]) AS s`, shops);
  }
  const rows = await tx.$queryRawUnsafe<JobRow[]>(
    `WITH cand AS (
       SELECT c."id", c."shopId", ROW_NUMBER() OVER (PARTITION BY c."shopId" ORDER BY c."id") AS rn
       FROM "Job" c WHERE c."id" = ANY($1::int[]) AND c."status" IN ('queued', 'running')
     ), busy AS (
       SELECT r."shopId", COUNT(*) AS n FROM "Job" r
       WHERE r."status" = 'running' AND r."shopId" = ANY($5::int[]) AND NOT (r."id" = ANY($1::int[]))
       GROUP BY r."shopId"
     )
     UPDATE "Job" j SET "status" = 'running', "lockedBy" = $2, "lockedAt" = $3, "updatedAt" = $3,
       "attempts" = CASE WHEN j."status" = 'queued' THEN j."attempts" + 1 ELSE j."attempts" END
     FROM cand LEFT JOIN busy ON busy."shopId" = cand."shopId"
     WHERE j."id" = cand."id" AND (cand."shopId" IS NULL OR COALESCE(busy.n, 0) + cand.rn <= $4)
     RETURNING j."id", j."shopId", j."type", j."payload", j."attempts", j."maxAttempts"`,
    ids,
    workerId,
    now,
    perShopLimit,
    shops,
  );
  const claimed = rows.map((r) => ({ ...r, id: Number(r.id), shopId: r.shopId === null ? null : Number(r.shopId) }));
  const taken = new Set(claimed.map((r) => r.id));
  const rest = ids.filter((id) => !taken.has(id));
  const refused =
    rest.length === 0
      ? []
      : (await tx.$queryRawUnsafe<{ id: number }[]>(`SELECT "id" FROM "Job" WHERE "id" = ANY($1::int[]) AND "status" IN ('queued', 'running')`, rest)).map((r) => Number(r.id));
  return { claimed, refused };
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

/** Marks jobs this worker ran succeeded (those still its own: not cancelled or released meanwhile). */
export async function completeLedger(client: QueueClient, ids: readonly JobId[], workerId: string): Promise<void> {
  await client.job.updateMany({ where: { id: { in: [...ids] }, lockedBy: workerId, status: "running" }, data: { status: "succeeded", finishedAt: new Date(), lockedBy: null } });
}
