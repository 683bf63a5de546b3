// Scale mode: pg-boss as the JobQueue (docs/decisions/0024-pg-boss-scale-mode.md), PostgreSQL only.
// pg-boss is the dispatcher — claims (SKIP LOCKED, no global lock), a global per-shop concurrency
// limit (`group` = shop), retries, a dead-letter queue, heartbeats for dead workers, the hourly
// cron. The Job table stays the ledger every reader uses (Jobs page, privacy, singletons): each
// enqueue writes the ledger row and sends its pg-boss job in one transaction, so neither exists
// without the other.
import { fromPrisma, PgBoss, type SendOptions } from "pg-boss";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import type { EnqueueOptions, JobId, JobQueue, QueueClient } from "../job-queue";
import type { JobType } from "../job-types";
import { enqueue as enqueueLedger, retryJob as retryLedger, singletonState } from "../table/enqueue.server";
import { bossIdOf, cancelLedger, wakeLedger, type BossJobData } from "./ledger.server";
import { CRON_QUEUE, DEAD_LETTER_QUEUE, JOBS_QUEUE } from "./queues";
import { startBossRunner, type BossRunner } from "./runner.server";

/**
 * pg-boss's retry count counts claims, not attempts: a job whose worker died (kill -9) is taken over
 * and a job the exact per-shop limit refused is handed back, neither counting in the ledger, whose
 * attempts decide (decideFailure, then the dead-letter queue). This only bounds a job that kills
 * every worker that runs it.
 */
const CLAIM_LIMIT = 1_000;
/** pg-boss's ceiling for `expireInSeconds`; dead workers are found by heartbeat long before. */
const EXPIRE_SECONDS = 24 * 3600;

export interface PgBossQueueOptions {
  /** The PostgreSQL database of the ledger (pg-boss keeps its tables in schema `pgboss` there). */
  connectionString: string;
  /** A running job not heard from for this long is taken for dead and retried (≥ 10 s in pg-boss). */
  leaseMs?: number;
  /** Connections of this process's pg-boss pool. */
  poolSize?: number;
}

export interface PgBossQueue extends JobQueue {
  /** The started pg-boss instance (tests and the benchmark read its state). */
  boss(): Promise<PgBoss>;
}

/** The caller's transaction, or a new one: the ledger row and the pg-boss job are one commit. */
async function inTransaction<T>(client: QueueClient, fn: (tx: QueueClient) => Promise<T>): Promise<T> {
  return "$transaction" in client ? (client as Db).$transaction((tx) => fn(tx)) : fn(client);
}

export function createPgBossQueue(o: PgBossQueueOptions): PgBossQueue {
  const heartbeatSeconds = Math.max(10, Math.ceil((o.leaseMs ?? 60_000) / 1000));
  // How often pg-boss looks for jobs whose heartbeat stopped: a few times per lease.
  const superviseSeconds = Math.min(60, Math.max(1, Math.floor(heartbeatSeconds / 2)));
  let ready: Promise<PgBoss> | undefined;
  let runner: BossRunner | undefined;

  function boss(): Promise<PgBoss> {
    ready ??= (async () => {
      const b = new PgBoss({
        connectionString: o.connectionString,
        application_name: "segmint-queue",
        max: o.poolSize ?? 10,
        superviseIntervalSeconds: superviseSeconds,
        monitorIntervalSeconds: superviseSeconds,
      });
      b.on("error", (err) => logger("jobs").error({ err }, "pg-boss"));
      await b.start();
      // Idempotent, and safe for processes starting together (pg-boss serialises them).
      await b.createQueue(DEAD_LETTER_QUEUE);
      await b.createQueue(CRON_QUEUE);
      await b.createQueue(JOBS_QUEUE, { deadLetter: DEAD_LETTER_QUEUE, heartbeatSeconds, expireInSeconds: EXPIRE_SECONDS });
      return b;
    })().catch((err: unknown) => {
      ready = undefined; // the next call tries again (the database may have been down)
      throw err;
    });
    return ready;
  }

  /** How a ledger row's pg-boss job is sent (the first time, or again on the merchant's Retry). */
  function sendOptions(jobId: JobId, shopId: number | null, runAt: Date, tx: QueueClient): SendOptions {
    return {
      id: bossIdOf(jobId),
      startAfter: runAt,
      // App-wide jobs (the hourly pass) have no group: like the table backend, no per-shop limit.
      ...(shopId === null ? {} : { group: { id: String(shopId) } }),
      retryLimit: CLAIM_LIMIT,
      retryDelay: 0, // a dead worker's job is taken over at once; failures get decideFailure's delay
      heartbeatSeconds,
      expireInSeconds: EXPIRE_SECONDS,
      db: fromPrisma(tx),
    };
  }

  async function enqueue<T extends JobType>(client: QueueClient, job: EnqueueOptions<T>): Promise<JobId | null> {
    const b = await boss();
    const runAt = job.runAt ?? new Date();
    const shopId = job.shopId ?? null;
    return inTransaction(client, async (tx) => {
      const id = await enqueueLedger(tx, { ...job, runAt, wake: false });
      if (id !== null) {
        await b.send(JOBS_QUEUE, { jobId: id } satisfies BossJobData, sendOptions(id, shopId, runAt, tx));
        return id;
      }
      if (job.wake && job.singletonKey) {
        for (const waiting of await wakeLedger(tx, shopId, job.singletonKey, runAt)) {
          await b.update(JOBS_QUEUE, undefined, { id: bossIdOf(waiting), startAfter: runAt, db: fromPrisma(tx) });
        }
      }
      return null;
    });
  }

  return {
    boss,
    enqueue,
    async cancelShopJobs(client, shopId, exceptJobId) {
      const b = await boss();
      return inTransaction(client, async (tx) => {
        const ids = await cancelLedger(tx, shopId, exceptJobId);
        // The shop's whole group, not only these rows: a ledger row closed outside the seam (a
        // customers/redact emptying a job's payload) leaves its pg-boss job behind otherwise.
        // A running handler notices on its next heartbeat (the ledger says cancelled).
        const open = await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text AS id FROM pgboss.job WHERE name = $1 AND group_id = $2 AND state < 'completed' AND id <> $3::uuid`,
          JOBS_QUEUE,
          String(shopId),
          bossIdOf(exceptJobId ?? 0),
        );
        if (open.length > 0) await b.cancel(JOBS_QUEUE, open.map((r) => r.id), { db: fromPrisma(tx) });
        return ids.length;
      });
    },
    singletonState,
    async retryJob(client, shopId, jobId) {
      const b = await boss();
      return inTransaction(client, async (tx) => {
        if (!(await retryLedger(tx, shopId, jobId))) return false;
        const row = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { runAt: true } });
        // The failed attempt's pg-boss job (its copy stays in the dead-letter queue) makes way for a fresh one.
        await b.deleteJob(JOBS_QUEUE, bossIdOf(jobId), { db: fromPrisma(tx) });
        await b.send(JOBS_QUEUE, { jobId } satisfies BossJobData, sendOptions(jobId, shopId, row.runAt, tx));
        return true;
      });
    },
    start(so) {
      runner ??= startBossRunner(boss(), { ...so, heartbeatSeconds, enqueue });
    },
    drain: async () => runner?.drain(),
    async stop(options) {
      const stopping = runner;
      runner = undefined;
      await stopping?.stop(options);
      const b = ready;
      ready = undefined;
      if (b) await (await b.catch(() => null))?.stop({ graceful: false });
    },
  };
}
