// The Jobs page: the shop's recent background jobs (newest first, by status) and "Retry" for a
// failed one, which re-queues it through the queue seam. Every read and write is scoped by shop.
import { z } from "zod";
import { db as defaultDb, type Db } from "../db.server";
import { JOB_STATUSES, failedJobCount, recentJobs, shopJob, type JobListRow, type JobStatus } from "../models/jobs.server";
import { retryJob } from "../queue/queue.server";

export const JOBS_PAGE_SIZE = 25;
/** Deep pages are never useful here and cost an OFFSET scan: the page number stops at this. */
const MAX_PAGE = 400;

export { JOB_STATUSES, type JobStatus };

export interface JobsQuery {
  readonly status: JobStatus | "all";
  readonly page: number;
}

const querySchema = z.object({
  status: z.enum([...JOB_STATUSES, "all"]).catch("all"),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
});

/** The page's URL search parameters; anything unreadable falls back to the first page of all jobs. */
export function parseJobsQuery(url: URL): JobsQuery {
  return querySchema.parse({ status: url.searchParams.get("status") ?? undefined, page: url.searchParams.get("page") ?? undefined });
}

export interface JobsPage {
  readonly jobs: readonly JobListRow[];
  readonly query: JobsQuery;
  readonly pageSize: number;
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
  /** Failed jobs of the shop (all pages): the page points the merchant at them. */
  readonly failed: number;
}

export async function jobsPage(shopId: number, query: JobsQuery, db: Db = defaultDb()): Promise<JobsPage> {
  const [{ rows, hasMore }, failed] = await Promise.all([
    recentJobs(db, shopId, {
      ...(query.status === "all" ? {} : { status: query.status }),
      skip: (query.page - 1) * JOBS_PAGE_SIZE,
      take: JOBS_PAGE_SIZE,
    }),
    failedJobCount(db, shopId),
  ]);
  return { jobs: rows, query, pageSize: JOBS_PAGE_SIZE, hasNext: hasMore, hasPrevious: query.page > 1, failed };
}

const retrySchema = z.object({
  intent: z.literal("retry", { error: "Unknown action: this form can only retry a job." }),
  jobId: z.coerce
    .number({ error: "Choose the job to retry." })
    .int({ error: "A job number is a whole number." })
    .positive({ error: "A job number is a positive whole number." }),
});

export type RetryForm = { ok: true; jobId: number } | { ok: false; errors: Record<string, string> };

/** Validates the Retry form: `intent=retry` and a positive whole `jobId`; one plain message per field. */
export function parseRetryForm(form: FormData): RetryForm {
  const raw = { intent: form.get("intent"), jobId: form.get("jobId") === "" ? undefined : (form.get("jobId") ?? undefined) };
  const parsed = retrySchema.safeParse(raw);
  if (parsed.success) return { ok: true, jobId: parsed.data.jobId };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

export type RetryOutcome = { outcome: "queued"; jobId: number } | { outcome: "not-found" } | { outcome: "refused"; message: string };

/** Re-queues a failed job of the shop. Another shop's (or an unknown) job id is "not-found". */
export async function retryShopJob(shopId: number, jobId: number, db: Db = defaultDb()): Promise<RetryOutcome> {
  const job = await shopJob(db, shopId, jobId);
  if (!job) return { outcome: "not-found" };
  if (job.status !== "failed") return { outcome: "refused", message: `Job #${jobId} is ${job.status}, not failed: only a failed job can be retried.` };
  if (await retryJob(db, shopId, jobId)) return { outcome: "queued", jobId };
  // It failed a moment ago; it either changed meanwhile or a job doing the same work waits.
  const now = await shopJob(db, shopId, jobId);
  if (now?.status !== "failed") return { outcome: "refused", message: `Job #${jobId} is already ${now?.status ?? "gone"}.` };
  return { outcome: "refused", message: `A job doing the same work is already waiting to run, so job #${jobId} was not queued again.` };
}
