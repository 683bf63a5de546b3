// The shop's background jobs as the admin's Jobs page reads them (Job table), every query scoped
// by shop. Writes go through the queue seam (app/queue), never through here.
import type { Db } from "../db.server";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobListRow {
  readonly id: number;
  readonly type: string;
  readonly status: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: Date;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  readonly lastError: string | null;
}

const LIST_FIELDS = { id: true, type: true, status: true, attempts: true, maxAttempts: true, runAt: true, createdAt: true, finishedAt: true, lastError: true } as const;

/**
 * One page of the shop's jobs, newest first, optionally of one status. Reads one row more than
 * the page to know whether a next page exists (no COUNT over a table that grows with every webhook drain).
 */
export async function recentJobs(db: Db, shopId: number, o: { status?: JobStatus; skip: number; take: number }): Promise<{ rows: JobListRow[]; hasMore: boolean }> {
  const rows = await db.job.findMany({
    where: { shopId, ...(o.status ? { status: o.status } : {}) },
    orderBy: { id: "desc" },
    skip: o.skip,
    take: o.take + 1,
    select: LIST_FIELDS,
  });
  return { rows: rows.slice(0, o.take), hasMore: rows.length > o.take };
}

/** A job of the shop by id (its status and type), or null: another shop's id reads as absent. */
export async function shopJob(db: Db, shopId: number, jobId: number): Promise<{ id: number; type: string; status: string } | null> {
  return db.job.findFirst({ where: { id: jobId, shopId }, select: { id: true, type: true, status: true } });
}

/** How many of the shop's jobs failed for good (the page's filter says so). */
export async function failedJobCount(db: Db, shopId: number): Promise<number> {
  return db.job.count({ where: { shopId, status: "failed" } });
}
