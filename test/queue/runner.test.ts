// Each queue backend behind the JobQueue seam (the Job table on both databases, pg-boss on
// PostgreSQL): a handler gets its payload parsed by its schema; a payload that fails the schema is a
// terminal failure with a clear message, on the first attempt; graceful stop releases what runs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TerminalJobError } from "../../app/queue/errors.server";
import type { JobQueue } from "../../app/queue/job-queue";
import { JOB, type JobPayload } from "../../app/queue/job-types";
import { defineJob, jobRegistry } from "../../app/queue/registry";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { createQueueFor, describeEachQueueBackend } from "../support/queue-backends";
import { waitFor } from "../support/wait-for";

describeEachQueueBackend("job queue", ({ provider, backend }) => {
  let t: TestDatabase;
  let shopId: number;
  let queue: JobQueue;
  const seen: JobPayload<typeof JOB.reconcile>[] = [];
  let failWith: unknown = null;

  const jobs = jobRegistry([
    defineJob(JOB.reconcile, async (payload) => {
      seen.push(payload);
      if (failWith) throw failWith;
    }),
  ]);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: `runner-${provider}-${backend}.myshopify.com` } })).id;
  });
  afterEach(async () => {
    await queue?.stop();
    seen.length = 0;
    failWith = null;
  });
  afterAll(async () => t?.drop());

  async function runAll(): Promise<void> {
    await queue?.stop();
    queue = createQueueFor(backend, t);
    queue.start({ db: t.db, jobs, soleRunner: true });
    await queue.drain();
  }

  it("runs the handler with the parsed payload and marks the job succeeded", async () => {
    const id = (await enqueueReconcile({ onDemand: true }))!;
    await runAll();
    expect(seen).toEqual([{ onDemand: true }]);
    expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("fails a payload that does not match its schema for good, without running the handler", async () => {
    const id = (await enqueueReconcile({ onDemand: "yes" } as never))!;
    await runAll();
    expect(seen).toEqual([]);
    const job = await t.db.job.findUniqueOrThrow({ where: { id } });
    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(1);
    expect(job.lastError).toMatch(/^JobPayloadError: job reconcile: payload does not match its schema: onDemand: /);
  });

  it("queues a retryable failure again, later", async () => {
    failWith = new Error("database is locked");
    const id = (await enqueueReconcile({}))!;
    const before = Date.now();
    await runAll();
    const job = await t.db.job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "queued", attempts: 1, lastError: "Error: database is locked" });
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(before + 1_000);
  });

  it("fails a terminal error on the first attempt", async () => {
    failWith = new TerminalJobError("reconcile needs a shop");
    const id = (await enqueueReconcile({}))!;
    await runAll();
    expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", attempts: 1, lastError: "TerminalJobError: reconcile needs a shop" });
  });

  describe("stop", () => {
    let release: () => void = () => undefined;
    const blocking = jobRegistry([
      defineJob(JOB.reconcile, async () => {
        await new Promise<void>((resolve) => (release = resolve));
      }),
    ]);

    async function startBlocked(): Promise<number> {
      const id = (await enqueueReconcile({}))!;
      queue.start({ db: t.db, jobs: blocking, soleRunner: true });
      await waitFor("the job to run", async () => ((await t.db.job.findUniqueOrThrow({ where: { id } })).status === "running" ? true : undefined), 10_000, 20);
      return id;
    }

    it("waits for a running job that finishes within the grace period", async () => {
      const id = await startBlocked();
      const stopping = queue.stop({ graceMs: 10_000 });
      release();
      await stopping;
      expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 1 });
    });

    it("releases a job still running after the grace period: queued, due now, the attempt not counted", async () => {
      const id = await startBlocked();
      const before = Date.now();
      await queue.stop({ graceMs: 50 });
      const released = await t.db.job.findUniqueOrThrow({ where: { id } });
      expect(released).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });
      expect(released.runAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(released.runAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      // The released handler finishing late records nothing: the job is no longer this process's.
      release();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", attempts: 0 });
      // Another process takes it at once and runs it as its first attempt.
      await runAll();
      expect(seen).toEqual([{}]);
      expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 1 });
    });
  });

  /** Through the seam's enqueue (a fresh queue), after cancelling what earlier tests left queued. */
  async function enqueueReconcile(payload: { onDemand?: boolean }) {
    await queue?.stop();
    queue = createQueueFor(backend, t);
    await queue.cancelShopJobs(t.db, shopId);
    return queue.enqueue(t.db, { type: JOB.reconcile, shopId, payload });
  }
});
