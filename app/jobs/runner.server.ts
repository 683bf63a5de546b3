// Runs jobs from the durable queue: in the web process (embedded default) or in `npm run worker`
// processes (PostgreSQL). Handlers are looked up by job type; failures go through decideFailure.
import { randomUUID } from "node:crypto";
import type { Db } from "../db.server";
import { claimNext, completeJob, failJob, heartbeat, requeueAbandoned, type JobRow } from "./queue.server";

export interface JobContext {
  db: Db;
  job: JobRow;
  /** Refreshes the lease; resolves false when the job was cancelled meanwhile (stop early). */
  heartbeat(): Promise<boolean>;
}
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

export interface RunnerOptions {
  db: Db;
  handlers: JobHandlers;
  workerId?: string;
  /** Jobs run at once by this process. */
  concurrency?: number;
  perShopLimit?: number;
  pollMs?: number;
  /** A running job whose lease is older than this is taken for abandoned and queued again. */
  leaseMs?: number;
  /**
   * This runner is the only one (the embedded default): every job still marked running was left
   * by a previous process that died, so all of them are queued again at start.
   */
  soleRunner?: boolean;
  onEvent?: (e: { type: "done" | "retry" | "failed"; job: JobRow; error?: unknown }) => void;
}

export interface JobRunner {
  /** Resolves when no runnable job is left (tests and the demo use it). */
  drain(): Promise<void>;
  stop(): Promise<void>;
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

  async function runOne(job: JobRow): Promise<void> {
    const handler = o.handlers[job.type];
    const ctx: JobContext = {
      db: o.db,
      job,
      heartbeat: async () => {
        await heartbeat(o.db, job.id, workerId);
        const row = await o.db.job.findUnique({ where: { id: job.id }, select: { status: true } });
        return row?.status === "running";
      },
    };
    try {
      if (!handler) throw new Error(`no handler for job type "${job.type}"`);
      await handler(JSON.parse(job.payload) as unknown, ctx);
      await completeJob(o.db, job.id);
      o.onEvent?.({ type: "done", job });
    } catch (error) {
      const outcome = await failJob(o.db, job, error);
      o.onEvent?.({ type: outcome, job, error });
    }
  }

  async function loop(slot: number): Promise<void> {
    while (!stopped) {
      let job: JobRow | null = null;
      try {
        job = await claimNext(o.db, workerId, perShopLimit);
      } catch (error) {
        if (stopped) return;
        console.error(`[jobs] claim failed (slot ${slot})`, error);
      }
      if (job) {
        active++;
        await runOne(job);
        active--;
        continue;
      }
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
    async stop() {
      stopped = true;
      clearInterval(sweep);
      wake?.();
      idleWaiters.splice(0).forEach((resolve) => resolve());
      await loops;
    },
  };
}
