// The queue seam (docs/decisions/0007-queue-seam.md): what producers, handlers and the process
// entry points see of the queue. The Job table (app/queue/table/) is one implementation; another
// backend (pg-boss) implements JobQueue and reuses the registry and the error classification,
// and no producer or handler changes.
import type { Prisma } from "@prisma/client";
import type { z } from "zod";
import type { Db } from "../db.server";
import type { JobPayloadInput, JobType } from "./job-types";

/** A job's id; opaque to handlers (they only hand it back, e.g. to cancelShopJobs). */
export type JobId = number;

/** Where an enqueue is written: the app's client, or a transaction the caller has open. */
export type QueueClient = Db | Prisma.TransactionClient;

export interface EnqueueOptions<T extends JobType = JobType> {
  type: T;
  shopId?: number | null;
  payload?: JobPayloadInput<T>;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Attempts before the job fails for good (default 5). */
  maxAttempts?: number;
  /** At most one queued job per (shop, key): enqueueing again while one waits is a no-op. */
  singletonKey?: string;
  /**
   * With `singletonKey`: when a job with the key already waits, bring its run time forward to
   * `runAt` (a webhook waking a job that polls slowly) instead of doing nothing.
   */
  wake?: boolean;
}

/** What a handler knows of the job it runs. */
export interface JobInfo {
  id: JobId;
  shopId: number | null;
  type: string;
  attempts: number;
  maxAttempts: number;
}

export interface JobContext {
  db: Db;
  job: JobInfo;
  /** Refreshes the lease; resolves false when the job was cancelled meanwhile (stop early). */
  heartbeat(): Promise<boolean>;
}

/** A handler and the schema of its payload (build one with `defineJob`). */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  payload: S;
  run(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

/** The handlers a process runs, by job type (build it with `jobRegistry`). */
export type JobRegistry = ReadonlyMap<string, JobDefinition>;

export type JobEvent = { type: "done" | "retry" | "failed"; job: JobInfo; error?: unknown };

export interface QueueStartOptions {
  db: Db;
  jobs: JobRegistry;
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** Jobs of one shop running at once, across every process. */
  perShopLimit?: number;
  /** A running job not heard from (heartbeat) for this long is taken for dead and run again. */
  leaseMs?: number;
  /** How often an idle slot looks for a due job (ms; default 250). */
  pollMs?: number;
  /** This process is the only runner: whatever is marked running was left by a dead process. */
  soleRunner?: boolean;
  onEvent?: (e: JobEvent) => void;
}

export interface QueueStopOptions {
  /** How long running jobs may take to finish before they are released (default: no limit). */
  graceMs?: number;
}

export interface JobQueue {
  /**
   * Adds a job. Given a transaction client, the job exists only if that transaction commits.
   * Resolves to the job's id, or null when `singletonKey` found one already waiting.
   */
  enqueue<T extends JobType>(client: QueueClient, job: EnqueueOptions<T>): Promise<JobId | null>;
  /**
   * Cancels a shop's waiting and running jobs (uninstall) except `exceptJobId`; running handlers
   * notice on their next heartbeat. Joins the caller's transaction when given one.
   */
  cancelShopJobs(client: QueueClient, shopId: number, exceptJobId?: JobId): Promise<number>;
  /**
   * Whether a job with this singleton key (per shop; null: app-wide) is waiting or running:
   * "running" when one runs (whether or not another waits), else "queued", else null.
   */
  singletonState(client: QueueClient, shopId: number | null, singletonKey: string): Promise<"queued" | "running" | null>;
  /**
   * Runs a failed job of this shop again (the merchant's "Retry"): queued, due now, attempts from
   * zero. False when the job is not a failed job of this shop, or when a job with its singleton
   * key already waits (that one does the same work).
   */
  retryJob(client: QueueClient, shopId: number, jobId: JobId): Promise<boolean>;
  /** Starts running the registered jobs in this process (once; later calls are no-ops). */
  start(o: QueueStartOptions): void;
  /** Resolves when no runnable job is left (tests). */
  drain(): Promise<void>;
  /**
   * Graceful stop (SIGTERM, deploys): stops claiming, waits up to `graceMs` (default: for as long
   * as they take) for the running jobs, then releases the ones still running in this process —
   * queued again, due now, the attempt not counted — so another process takes them at once.
   * A released job's handler may still be running here; its outcome is no longer recorded.
   */
  stop(options?: QueueStopOptions): Promise<void>;
}
