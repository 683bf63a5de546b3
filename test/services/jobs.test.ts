// The Jobs page: the shop's jobs newest first, by status, paginated; Retry validates its form,
// re-queues only a failed job of the asking shop, and the route answers another shop's job with 404.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JOB_STATUS_FILTERS, LABELLED_JOB_TYPES, jobTypeLabel } from "../../app/components/jobs/job-labels";
import { JOB } from "../../app/queue/job-types";
import { JOBS_PAGE_SIZE, JOB_STATUSES, jobsPage, parseJobsQuery, parseRetryForm, retryShopJob } from "../../app/services/jobs.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

// The route's session: the demo seam would return the demo shop's; here the test picks the shop.
const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe("job names", () => {
  it("has a plain name for every job type the queue knows", () => {
    for (const type of Object.values(JOB)) {
      expect(LABELLED_JOB_TYPES).toContain(type);
      expect(jobTypeLabel(type)).not.toBe(type);
    }
    expect(jobTypeLabel(JOB.backfill)).toBe("Order sync (backfill)");
    expect(jobTypeLabel("from-the-future")).toBe("from-the-future");
  });
  it("offers every stored status, and all, as a filter", () => {
    expect(JOB_STATUS_FILTERS.map((f) => f.value).sort()).toEqual(["all", ...JOB_STATUSES].sort());
  });
});

describe("retry form", () => {
  it("accepts intent=retry with a positive whole job id", () => {
    expect(parseRetryForm(form({ intent: "retry", jobId: "42" }))).toEqual({ ok: true, jobId: 42 });
  });

  it("names each bad field in plain words", () => {
    expect(parseRetryForm(form({ intent: "retry" }))).toEqual({ ok: false, errors: { jobId: "Choose the job to retry." } });
    expect(parseRetryForm(form({ intent: "retry", jobId: "" }))).toEqual({ ok: false, errors: { jobId: "Choose the job to retry." } });
    expect(parseRetryForm(form({ intent: "retry", jobId: "abc" }))).toEqual({ ok: false, errors: { jobId: "Choose the job to retry." } });
    expect(parseRetryForm(form({ intent: "retry", jobId: "1.5" }))).toEqual({ ok: false, errors: { jobId: "A job number is a whole number." } });
    expect(parseRetryForm(form({ intent: "retry", jobId: "0" }))).toEqual({ ok: false, errors: { jobId: "A job number is a positive whole number." } });
    expect(parseRetryForm(form({ intent: "retry", jobId: "-3" }))).toEqual({ ok: false, errors: { jobId: "A job number is a positive whole number." } });
    expect(parseRetryForm(form({ intent: "delete", jobId: "3" }))).toEqual({ ok: false, errors: { intent: "Unknown action: this form can only retry a job." } });
  });
});

describe("jobs query", () => {
  const q = (s: string) => parseJobsQuery(new URL(`http://x/app/jobs${s}`));
  it("reads status and page, falling back to the first page of all jobs", () => {
    expect(q("")).toEqual({ status: "all", page: 1 });
    expect(q("?status=failed&page=3")).toEqual({ status: "failed", page: 3 });
    expect(q("?status=nope&page=-2")).toEqual({ status: "all", page: 1 });
    expect(q("?page=2.5")).toEqual({ status: "all", page: 1 });
  });
});

describeEachDatabase("jobs page and retry", (provider) => {
  let t: TestDatabase;
  let shopA: { id: number; domain: string };
  let shopB: { id: number; domain: string };
  let failedA: number;
  let failedB: number;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    globalThis.__segmintDb = t.db; // the routes' default client
    shopA = await t.db.shop.create({ data: { domain: `jobs-a-${provider}.myshopify.com` } });
    shopB = await t.db.shop.create({ data: { domain: `jobs-b-${provider}.myshopify.com` } });
    // Shop A: 30 succeeded refreshes, then one failed backfill (newest). Shop B: one failed job.
    for (let i = 0; i < 30; i++) await t.db.job.create({ data: { shopId: shopA.id, type: JOB.refreshSegments, status: "succeeded", attempts: 1 } });
    failedA = (await t.db.job.create({ data: { shopId: shopA.id, type: JOB.backfill, status: "failed", attempts: 5, lastError: "gave up after 5 attempts: Error: Shopify answered 503" } })).id;
    failedB = (await t.db.job.create({ data: { shopId: shopB.id, type: JOB.writeBack, status: "failed", attempts: 5, lastError: "B's secret reason" } })).id;
  });
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    await t?.drop();
  });

  it("lists the shop's jobs newest first, a page at a time, and never another shop's", async () => {
    const first = await jobsPage(shopA.id, { status: "all", page: 1 }, t.db);
    expect(first.jobs).toHaveLength(JOBS_PAGE_SIZE);
    expect(first.jobs[0]).toMatchObject({ id: failedA, type: "backfill", status: "failed", lastError: expect.stringMatching(/503/) });
    const ids = first.jobs.map((j) => j.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first).toMatchObject({ hasNext: true, hasPrevious: false, failed: 1 });
    const second = await jobsPage(shopA.id, { status: "all", page: 2 }, t.db);
    expect(second.jobs).toHaveLength(31 - JOBS_PAGE_SIZE);
    expect(second).toMatchObject({ hasNext: false, hasPrevious: true });
    expect(new Set([...ids, ...second.jobs.map((j) => j.id)]).size).toBe(31);
    expect([...first.jobs, ...second.jobs].some((j) => j.id === failedB)).toBe(false);
  });

  it("filters by status", async () => {
    const failed = await jobsPage(shopA.id, { status: "failed", page: 1 }, t.db);
    expect(failed.jobs.map((j) => j.id)).toEqual([failedA]);
    expect((await jobsPage(shopA.id, { status: "running", page: 1 }, t.db)).jobs).toEqual([]);
  });

  it("re-queues a failed job of the shop; another shop's job is not found", async () => {
    expect(await retryShopJob(shopA.id, failedB, t.db)).toEqual({ outcome: "not-found" });
    expect((await t.db.job.findUniqueOrThrow({ where: { id: failedB } })).status).toBe("failed");
    const succeeded = (await t.db.job.findFirstOrThrow({ where: { shopId: shopA.id, status: "succeeded" } })).id;
    expect(await retryShopJob(shopA.id, succeeded, t.db)).toEqual({ outcome: "refused", message: expect.stringMatching(/only a failed job can be retried/) });
  });

  describe("the route", () => {
    it("loader: shop A's page holds none of shop B's rows", async () => {
      const { loader } = await import("../../app/routes/app.jobs");
      session.shop = shopA.domain;
      const res = await loader({ request: new Request("http://localhost/app/jobs?status=failed"), params: {}, context: {} });
      const body = (await res.json()) as unknown as { jobs: { id: number; lastError: string | null }[] };
      expect(body.jobs.map((j) => j.id)).toEqual([failedA]);
      expect(JSON.stringify(body)).not.toContain("B's secret reason");
    });

    const post = async (shop: string, fields: Record<string, string>) => {
      const { action } = await import("../../app/routes/app.jobs");
      session.shop = shop;
      const request = new Request("http://localhost/app/jobs", { method: "POST", body: new URLSearchParams(fields) });
      return action({ request, params: {}, context: {} }).catch((e: unknown) => e);
    };

    it("action: a bad form is a 400 naming the field", async () => {
      const res = (await post(shopA.domain, { intent: "retry", jobId: "zero" })) as Response;
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: { jobId: "Choose the job to retry." } });
    });

    it("action: shop B's job id from shop A is 404 'not found in this store' and stays failed", async () => {
      const res = (await post(shopA.domain, { intent: "retry", jobId: String(failedB) })) as Response;
      expect(res).toBeInstanceOf(Response);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/not found in this store/);
      expect((await t.db.job.findUniqueOrThrow({ where: { id: failedB } })).status).toBe("failed");
    });

    it("action: retries shop A's failed job, then refuses the second click with a 409", async () => {
      const res = (await post(shopA.domain, { intent: "retry", jobId: String(failedA) })) as Response;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, message: expect.stringContaining(`#${failedA}`) });
      expect(await t.db.job.findUniqueOrThrow({ where: { id: failedA } })).toMatchObject({ status: "queued", attempts: 0 });
      const again = (await post(shopA.domain, { intent: "retry", jobId: String(failedA) })) as Response;
      expect(again.status).toBe(409);
      expect(((await again.json()) as { errors: { jobId: string } }).errors.jobId).toMatch(/queued, not failed/);
    });
  });
});
