// Runs jobs pg-boss hands out, in any number of worker processes. One dispatcher per process
// fetches as many jobs as it has free slots, with pg-boss's global per-shop limit
// (`groupConcurrency`); the ledger claim makes that limit exact (claimLedger); each job runs through
// runJob like on the table runner, settling as it ends (a long job holds no short one back):
// success, a retry at decideFailure's time, or a terminal failure (dead letter).
import { randomUUID } from "node:crypto";
import { fromPrisma, type Job, type JobAttempt, type PgBoss } from "pg-boss";
import { logger } from "../../logger.server";
import type { JobContext, JobQueue, QueueStartOptions, QueueStopOptions } from "../job-queue";
import { JOB } from "../job-types";
import { APP_WIDE_BOOKING_LOCK } from "../locks";
import { runJob } from "../registry";
import { failJob, heartbeat, releaseRunning, type JobRow } from "../table/claim.server";
import { claimLedger, completeLedger, failAbandonedLedger, type BossJobData } from "./ledger.server";
import { CRON_QUEUE, DEAD_LETTER_QUEUE, JOBS_QUEUE } from "./queues";

export interface BossRunnerOptions extends QueueStartOptions {
  heartbeatSeconds: number;
  /** The queue's own enqueue (the cron tick books the hourly pass through it). */
  enqueue: JobQueue["enqueue"];
  workerId?: string;
}

export interface BossRunner {
  drain(): Promise<void>;
  stop(options?: QueueStopOptions): Promise<void>;
}

/** The hourly pass, booked by pg-boss cron on the hour (the pass also keeps booking itself). */
const HOURLY = "0 * * * *";

const attemptOf = (j: Job<BossJobData>): JobAttempt => ({ id: j.id, retryCount: j.retryCount });

export function startBossRunner(bossReady: Promise<PgBoss>, o: BossRunnerOptions): BossRunner {
  const workerId = o.workerId ?? `worker-${randomUUID()}`;
  const concurrency = o.concurrency ?? 2;
  const perShopLimit = o.perShopLimit ?? 1;
  const pollMs = o.pollMs ?? 250;
  const db = o.db;
  let stopped = false;
  const idleWaiters: (() => void)[] = [];
  const sleepers = new Set<() => void>();
  /** Jobs running in this process. */
  const running = new Set<Promise<void>>();
  /** pg-boss jobs in hand, by ledger id (released on a stop whose grace ran out). */
  const inHand = new Map<number, JobAttempt>();
  /** Ledger ids released by a stop: their handlers' late outcomes are not settled (no longer ours). */
  const released = new Set<number>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(t);
        sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  /**
   * Takes the ledger rows of the jobs pg-boss handed out. A job the per-shop limit refuses goes
   * back to pg-boss as it was (cancel + resume: waiting again, due now); a job whose ledger row is
   * no longer runnable is completed without running (cancelled, deleted with its shop, settled).
   */
  async function claim(b: PgBoss, fetched: Job<BossJobData>[]): Promise<{ bossJob: Job<BossJobData>; row: JobRow }[]> {
    return db.$transaction(async (tx) => {
      const shopIds = fetched.flatMap((j) => (j.groupId ? [Number(j.groupId)] : []));
      const { claimed, refused } = await claimLedger(tx, fetched.map((j) => j.data.jobId), shopIds, perShopLimit, workerId);
      const rows = new Map(claimed.map((r) => [r.id, r]));
      const refusedIds = new Set(refused);
      const conn = { db: fromPrisma(tx) };
      const back = fetched.filter((j) => refusedIds.has(j.data.jobId));
      if (back.length > 0) {
        await b.cancel(JOBS_QUEUE, back.map(attemptOf), conn);
        await b.resume(JOBS_QUEUE, back.map((j) => j.id), conn);
      }
      const dropped = fetched.filter((j) => !rows.has(j.data.jobId) && !refusedIds.has(j.data.jobId));
      if (dropped.length > 0) await b.complete(JOBS_QUEUE, dropped.map(attemptOf), null, conn);
      return fetched.flatMap((bossJob) => {
        const row = rows.get(bossJob.data.jobId);
        return row ? [{ bossJob, row }] : [];
      });
    });
  }

  async function runOne(b: PgBoss, bossJob: Job<BossJobData>, row: JobRow): Promise<void> {
    const attempt = attemptOf(bossJob);
    const { payload, ...job } = row;
    inHand.set(job.id, attempt);
    // pg-boss takes a job whose heartbeat stops for a dead worker's: keep it fresh while it runs.
    // Paced by the job's own heartbeat (its producer's lease), which may differ from this process's.
    const beatSeconds = bossJob.heartbeatSeconds ?? o.heartbeatSeconds;
    const beat = setInterval(() => void b.touch(JOBS_QUEUE, attempt).catch(() => undefined), (beatSeconds * 1000) / 3);
    const ctx: JobContext = { db, job, heartbeat: () => heartbeat(db, job.id, workerId) };
    let failure: { error: unknown } | null = null;
    try {
      await runJob(o.jobs, job.type, JSON.parse(payload) as unknown, ctx);
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(beat);
      inHand.delete(job.id);
    }
    if (released.has(job.id)) return;
    if (failure === null) {
      await settleDone(b, job.id, attempt);
      o.onEvent?.({ type: "done", job });
      return;
    }
    const outcome = await settleFailure(b, row, attempt, failure.error);
    if (outcome) o.onEvent?.({ type: outcome, job, error: failure.error });
  }

  /**
   * Successes are settled together: the jobs that finished since the last flush, in one ledger
   * UPDATE and one pg-boss complete (both fenced: a job released or cancelled meanwhile keeps its
   * state), instead of two statements per job.
   */
  let done: { id: number; attempt: JobAttempt; settled: () => void; failed: (e: unknown) => void }[] = [];
  function settleDone(b: PgBoss, id: number, attempt: JobAttempt): Promise<void> {
    return new Promise((settled, failed) => {
      done.push({ id, attempt, settled, failed });
      if (done.length > 1) return; // a flush is already due
      setImmediate(() => {
        const batch = done;
        done = [];
        (async () => {
          await completeLedger(db, batch.map((d) => d.id), workerId);
          await b.complete(JOBS_QUEUE, batch.map((d) => d.attempt));
        })().then(
          () => batch.forEach((d) => d.settled()),
          (err: unknown) => batch.forEach((d) => d.failed(err)),
        );
      });
    });
  }

  /** The ledger's row and the pg-boss job agree in one commit: retried at the same time, or dead. */
  async function settleFailure(b: PgBoss, row: JobRow, attempt: JobAttempt, error: unknown): Promise<"retry" | "failed" | null> {
    return db.$transaction(async (tx) => {
      const now = new Date();
      const decision = await failJob(tx, row, workerId, error, now);
      if (decision === null) return null; // released or cancelled meanwhile: no longer ours to settle
      const conn = { db: fromPrisma(tx) };
      if (decision.retry) {
        // pg-boss's retry, at the time decideFailure chose (its backoff, or the server's Retry-After).
        await b.fail(JOBS_QUEUE, attempt, { message: decision.reason }, conn);
        await b.update(JOBS_QUEUE, undefined, { id: attempt.id, startAfter: new Date(now.getTime() + decision.delayMs), ...conn });
        return "retry";
      }
      await b.complete(JOBS_QUEUE, attempt, { failed: decision.reason }, conn);
      await b.send(DEAD_LETTER_QUEUE, { jobId: row.id, reason: decision.reason }, conn);
      return "failed";
    });
  }

  /**
   * One fetch per process for all its free slots (a job at a time per slot would hold short jobs
   * behind a long one in a batch; this keeps one fetch statement per process, not per slot).
   */
  async function dispatch(): Promise<void> {
    const b = await bossReady;
    while (!stopped) {
      const free = concurrency - running.size;
      if (free <= 0) {
        await Promise.race(running);
        continue;
      }
      let started = 0;
      try {
        const fetched = await b.fetch<BossJobData>(JOBS_QUEUE, { batchSize: free, groupConcurrency: perShopLimit });
        if (stopped) {
          if (fetched.length > 0) await b.fail(JOBS_QUEUE, fetched.map(attemptOf)).catch(() => undefined);
          break;
        }
        for (const { bossJob, row } of fetched.length > 0 ? await claim(b, fetched) : []) {
          const run: Promise<void> = runOne(b, bossJob, row)
            .catch((err: unknown) => logger("jobs").error({ err, jobId: row.id }, "could not settle a job (pg-boss retries it once its heartbeat stops)"))
            .catch(() => undefined) // the logger itself failing must not reject the runner's loops
            .finally(() => running.delete(run));
          running.add(run);
          started++;
        }
        if (fetched.length > 0) continue; // more may be waiting
      } catch (error) {
        if (!stopped) logger("jobs").error({ err: error }, "pg-boss fetch failed");
      }
      if (started === 0 && running.size === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
      await Promise.race([sleep(pollMs), ...running]);
    }
  }

  /**
   * The dead-letter queue: a job that pg-boss gave up on by itself (its retries spent on dying
   * workers) still has an open ledger row — fail it. The cron queue: book the hourly pass.
   */
  async function housekeeping(): Promise<void> {
    const b = await bossReady;
    await b.schedule(CRON_QUEUE, HOURLY, {}, { tz: "UTC", key: JOB.scheduleRefreshes });
    while (!stopped) {
      try {
        for (const dead of await b.fetch<BossJobData>(DEAD_LETTER_QUEUE, { batchSize: 50 })) {
          await failAbandonedLedger(db, dead.data.jobId, "gave up: the workers running it stopped responding");
          await b.complete(DEAD_LETTER_QUEUE, attemptOf(dead));
        }
        for (const tick of await b.fetch(CRON_QUEUE, { batchSize: 10 })) {
          await db.$transaction(async (tx) => {
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APP_WIDE_BOOKING_LOCK})`;
            await o.enqueue(tx, { type: JOB.scheduleRefreshes, shopId: null, singletonKey: JOB.scheduleRefreshes, wake: true });
          });
          await b.complete(CRON_QUEUE, { id: tick.id, retryCount: tick.retryCount });
        }
      } catch (error) {
        if (!stopped) logger("jobs").error({ err: error }, "pg-boss housekeeping failed");
      }
      await sleep(Math.max(pollMs, 2_000));
    }
  }

  /** Graceful stop ran out of time: these jobs go back to pg-boss, due now, the attempt not counted. */
  async function release(): Promise<void> {
    const b = await bossReady;
    const jobs = [...inHand.values()];
    for (const id of inHand.keys()) released.add(id);
    inHand.clear();
    await db.$transaction(async (tx) => {
      await releaseRunning(tx, workerId);
      const conn = { db: fromPrisma(tx) };
      for (const attempt of jobs) {
        await b.fail(JOBS_QUEUE, attempt, { message: "released: its worker shut down" }, conn);
        await b.update(JOBS_QUEUE, undefined, { id: attempt.id, startAfter: new Date(), ...conn });
      }
    });
  }

  const loops = Promise.all([dispatch(), housekeeping()])
    .then(() => Promise.all(running))
    .then(() => undefined);
  loops.catch((err: unknown) => logger("jobs").error({ err }, "the pg-boss runner could not start"));

  return {
    drain: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        sleepers.forEach((wake) => wake());
      }),
    async stop(options = {}) {
      stopped = true;
      sleepers.forEach((wake) => wake());
      idleWaiters.splice(0).forEach((resolve) => resolve());
      const finished = loops.then(
        () => true,
        () => true,
      );
      if (options.graceMs === undefined) {
        await finished;
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([finished, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.graceMs)))]);
      clearTimeout(timer);
      if (!done) await release();
    },
  };
}
