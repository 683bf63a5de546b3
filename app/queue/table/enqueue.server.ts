// The Job table's producer side: the only INSERT INTO "Job" in the app, cancellation and retry.
// Both take the caller's client, so they join its transaction when it has one open (the webhook
// inbox writes its row and queues the drain in one commit).
import type { EnqueueOptions, JobId, QueueClient } from "../job-queue";
import type { JobType } from "../job-types";

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * One statement, also on the webhook hot path: the singleton check is part of the INSERT
 * (`WHERE NOT EXISTS`), so there is no read-then-write gap and no second round trip.
 */
export async function enqueue<T extends JobType>(client: QueueClient, o: EnqueueOptions<T>): Promise<JobId | null> {
  const now = new Date();
  const shopId = o.shopId ?? null;
  const payload = JSON.stringify(o.payload ?? {});
  const runAt = o.runAt ?? now;
  const maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const key = o.singletonKey ?? null;
  let rows: { id: number | bigint }[];
  if (key === null) {
    rows = await client.$queryRaw`
      INSERT INTO "Job" ("shopId", "type", "payload", "status", "attempts", "maxAttempts", "runAt", "singletonKey", "createdAt", "updatedAt")
      VALUES (${shopId}, ${o.type}, ${payload}, 'queued', 0, ${maxAttempts}, ${runAt}, NULL, ${now}, ${now})
      RETURNING "id"`;
  } else if (shopId === null) {
    // `= NULL` never matches: an app-wide singleton needs IS NULL.
    rows = await client.$queryRaw`
      INSERT INTO "Job" ("shopId", "type", "payload", "status", "attempts", "maxAttempts", "runAt", "singletonKey", "createdAt", "updatedAt")
      SELECT NULL, ${o.type}, ${payload}, 'queued', 0, ${maxAttempts}, ${runAt}, ${key}, ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM "Job" WHERE "shopId" IS NULL AND "singletonKey" = ${key} AND "status" = 'queued')
      RETURNING "id"`;
  } else {
    rows = await client.$queryRaw`
      INSERT INTO "Job" ("shopId", "type", "payload", "status", "attempts", "maxAttempts", "runAt", "singletonKey", "createdAt", "updatedAt")
      SELECT ${shopId}, ${o.type}, ${payload}, 'queued', 0, ${maxAttempts}, ${runAt}, ${key}, ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM "Job" WHERE "shopId" = ${shopId} AND "singletonKey" = ${key} AND "status" = 'queued')
      RETURNING "id"`;
  }
  const id = rows[0]?.id;
  if (id === undefined && key !== null && o.wake) {
    if (shopId === null) {
      await client.$executeRaw`
        UPDATE "Job" SET "runAt" = ${runAt}, "updatedAt" = ${now}
        WHERE "shopId" IS NULL AND "singletonKey" = ${key} AND "status" = 'queued' AND "runAt" > ${runAt}`;
    } else {
      await client.$executeRaw`
        UPDATE "Job" SET "runAt" = ${runAt}, "updatedAt" = ${now}
        WHERE "shopId" = ${shopId} AND "singletonKey" = ${key} AND "status" = 'queued' AND "runAt" > ${runAt}`;
    }
  }
  return id === undefined ? null : Number(id);
}

/** Cancels a shop's waiting and running jobs except `exceptJobId` (the job doing the cancelling). */
export async function cancelShopJobs(client: QueueClient, shopId: number, exceptJobId?: JobId): Promise<number> {
  const { count } = await client.job.updateMany({
    where: { shopId, status: { in: ["queued", "running"] }, ...(exceptJobId ? { id: { not: exceptJobId } } : {}) },
    data: { status: "cancelled", finishedAt: new Date(), lockedBy: null },
  });
  return count;
}

/** See JobQueue.singletonState. */
export async function singletonState(client: QueueClient, shopId: number | null, singletonKey: string): Promise<"queued" | "running" | null> {
  const jobs = await client.job.findMany({ where: { shopId, singletonKey, status: { in: ["queued", "running"] } }, select: { status: true } });
  if (jobs.some((j) => j.status === "running")) return "running";
  return jobs.length > 0 ? "queued" : null;
}

/**
 * See JobQueue.retryJob. One conditional UPDATE, so a job that changed meanwhile (or a second
 * click) is not queued twice; the singleton check matches enqueue's (one waiting job per key).
 * The last error stays on the row until the next attempt's outcome replaces or outlives it.
 */
export async function retryJob(client: QueueClient, shopId: number, jobId: JobId): Promise<boolean> {
  const now = new Date();
  const count = await client.$executeRaw`
    UPDATE "Job" SET "status" = 'queued', "attempts" = 0, "runAt" = ${now}, "finishedAt" = NULL, "lockedBy" = NULL, "lockedAt" = NULL, "updatedAt" = ${now}
    WHERE "id" = ${jobId} AND "shopId" = ${shopId} AND "status" = 'failed'
      AND ("singletonKey" IS NULL OR NOT EXISTS (
        SELECT 1 FROM "Job" w WHERE w."shopId" = ${shopId} AND w."singletonKey" = "Job"."singletonKey" AND w."status" = 'queued'))`;
  return count === 1;
}
