// Runs jobs from the Job table: in the web process (embedded default) or in `npm run worker`
// processes (PostgreSQL). Each claimed job goes through runJob (payload parsed by its schema);
// a failure goes through decideFailure (in failJob).
import { randomUUID } from "node:crypto";
import { logger } from "../../logger.server";
import type { JobContext, QueueStartOptions, QueueStopOptions } from "../job-queue";
import { runJob } from "../registry";
import { claimNext, completeJob, failJob, heartbeat, releaseRunning, requeueAbandoned, type JobRow } from "./claim.server";

export interface RunnerOptions extends QueueStartOptions {
  workerId?: string;
}

export interface JobRunner {
  /** Resolves when no runnable job is left (tests and the demo use it). */
  drain(): Promise<void>;
  /** See JobQueue.stop. */
  stop(options?: QueueStopOptions): Promise<void>;
}

export function startJobRunner(o: RunnerOptions): JobRunner {
  const workerId = o.workerId ?? `worker-${randomUUID()}`;
  const concurrency = o.concurrency ?? 2;
  const perShopLimit = o.perShopLimit ?? 1;
  const pollMs = o.pollMs ?? 250;
  const leaseMs = o.leaseMs ?? 60_000;
  let stopped = false;
  let active = 0;
  const idleWaiters: (() => void)[] = [];
  let wake: (() => void) | undefined;

  async function runOne(row: JobRow): Promise<void> {
    const { payload, ...job } = row;
    const ctx: JobContext = { db: o.db, job, heartbeat: () => heartbeat(o.db, job.id, workerId) };
    try {
      await runJob(o.jobs, job.type, JSON.parse(payload) as unknown, ctx);
      await completeJob(o.db, job.id, workerId);
      o.onEvent?.({ type: "done", job });
    } catch (error) {
      const decision = await failJob(o.db, row, workerId, error);
      if (decision) o.onEvent?.({ type: decision.retry ? "retry" : "failed", job, error });
    }
  }

  async function loop(slot: number): Promise<void> {
    while (!stopped) {
      let job: JobRow | null = null;
      // A slot that is claiming counts as busy, so drain() does not resolve while a peer slot
      // holds a job it has claimed but not yet started.
      active++;
      try {
        job = await claimNext(o.db, workerId, perShopLimit);
      } catch (error) {
        if (stopped) {
          active--;
          return;
        }
        logger("jobs").error({ err: error, slot }, "claim failed");
      }
      if (job) {
        await runOne(job);
        active--;
        continue;
      }
      active--;
      if (active === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  // Workers also look for dead peers' jobs now and then, not only at start.
  const sweep = setInterval(() => void requeueAbandoned(o.db, leaseMs).catch(() => undefined), Math.max(1000, leaseMs / 2));
  sweep.unref();
  const loops = (async () => {
    await requeueAbandoned(o.db, o.soleRunner ? 0 : leaseMs);
    await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  })();

  return {
    drain: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake?.();
      }),
    async stop(options = {}) {
      stopped = true;
      clearInterval(sweep);
      wake?.();
      idleWaiters.splice(0).forEach((resolve) => resolve());
      if (options.graceMs === undefined) return loops;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        loops.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), options.graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) await releaseRunning(o.db, workerId);
    },
  };
}
