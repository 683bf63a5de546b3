// Runs jobs pg-boss hands out, in any number of worker processes. Each slot fetches one job at a
// time (a batch would hold short jobs behind a long one) with the global per-shop limit
// (`groupConcurrency`), marks its ledger row running, runs it through runJob like the table runner,
// and settles both: success, a retry at decideFailure's time, or a terminal failure (dead letter).
import { randomUUID } from "node:crypto";
import { fromPrisma, type Job, type JobAttempt, type PgBoss } from "pg-boss";
import { logger } from "../../logger.server";
import type { JobContext, JobQueue, QueueStartOptions, QueueStopOptions } from "../job-queue";
import { JOB } from "../job-types";
import { APP_WIDE_BOOKING_LOCK } from "../locks";
import { runJob } from "../registry";
import { completeJob, failJob, heartbeat, releaseRunning, type JobRow } from "../table/claim.server";
import { claimLedger, failAbandonedLedger, type BossJobData } from "./ledger.server";
import { CRON_QUEUE, DEAD_LETTER_QUEUE, JOBS_QUEUE } from "./queues";

export interface BossRunnerOptions extends QueueStartOptions {
  heartbeatSeconds: number;
  /** The queue's own enqueue (the cron tick books the hourly pass through it). */
  enqueue: JobQueue["enqueue"];
  workerId?: string;
  pollMs?: number;
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
  let active = 0;
  const idleWaiters: (() => void)[] = [];
  const sleepers = new Set<() => void>();
  /** pg-boss jobs in hand, by ledger id (released on a stop whose grace ran out). */
  const inHand = new Map<number, JobAttempt>();

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

  async function runOne(b: PgBoss, bossJob: Job<BossJobData>): Promise<void> {
    const attempt = attemptOf(bossJob);
    const [row] = await claimLedger(db, [bossJob.data.jobId], workerId);
    if (!row) {
      // Cancelled, deleted with its shop, or settled already: nothing to run.
      await b.complete(JOBS_QUEUE, attempt);
      return;
    }
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
    if (failure === null) {
      await completeJob(db, job.id, workerId);
      await b.complete(JOBS_QUEUE, attempt); // fenced: a no-op if the job was released or cancelled meanwhile
      o.onEvent?.({ type: "done", job });
      return;
    }
    const outcome = await settleFailure(b, row, attempt, failure.error);
    if (outcome) o.onEvent?.({ type: outcome, job, error: failure.error });
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

  async function loop(slot: number): Promise<void> {
    const b = await bossReady;
    while (!stopped) {
      active++; // a fetching slot counts as busy, so drain() does not resolve under it
      let jobs: Job<BossJobData>[] = [];
      try {
        jobs = await b.fetch<BossJobData>(JOBS_QUEUE, { batchSize: 1, groupConcurrency: perShopLimit });
      } catch (error) {
        if (!stopped) logger("jobs").error({ err: error, slot }, "pg-boss fetch failed");
      }
      if (jobs[0] && !stopped) {
        try {
          await runOne(b, jobs[0]);
        } catch (error) {
          logger("jobs").error({ err: error, slot }, "could not settle a job (pg-boss retries it once its heartbeat stops)");
        }
        active--;
        continue;
      }
      if (jobs[0]) await b.fail(JOBS_QUEUE, attemptOf(jobs[0])).catch(() => undefined); // fetched while stopping
      active--;
      if (active === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
      await sleep(pollMs);
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

  const loops = Promise.all([...Array.from({ length: concurrency }, (_, i) => loop(i)), housekeeping()]).then(() => undefined);
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
