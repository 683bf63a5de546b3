// The app-wide `schedule-refreshes` job on both databases, through the real table queue: booked on
// start, it books its own next pass at the next full hour, then queues the weekly refresh of each
// due shop (which the queue then runs); a pass given a shop is refused for good.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  expect,
  it,
  vi,
} from "vitest";
import type { Db } from "../../app/db.server";
import { scheduleRefreshesJob } from "../../app/jobs/schedule-refreshes.server";
import type { JobContext, JobQueue } from "../../app/queue/job-queue";
import { JOB, type JobPayload } from "../../app/queue/job-types";
import { defineJob, jobRegistry } from "../../app/queue/registry";
import { bookScheduleRefreshes } from "../../app/queue/start.server";
import { createTableQueue } from "../../app/queue/table/table-queue.server";
import {
  createTestDatabase,
  describeEachDatabase,
  type TestDatabase,
} from "../support/databases";
import { waitFor } from "../support/wait-for";

const HOUR_MS = 3_600_000;

describeEachDatabase("schedule-refreshes job", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let queue: JobQueue | undefined;
  const refreshed: {
    shopId: number | null;
    payload: JobPayload<typeof JOB.refreshSegments>;
  }[] = [];
  // The real pass, and a stand-in refresh that records what it was asked (the refresh itself is tested elsewhere).
  const jobs = jobRegistry([
    scheduleRefreshesJob,
    defineJob(JOB.refreshSegments, async (payload, { job }) => {
      refreshed.push({ shopId: job.shopId, payload });
    }),
  ]);

  beforeAll(async () => {
    // The job logs through the app's logger, which reads the validated configuration.
    vi.stubEnv("SHOPIFY_API_KEY", "test-key");
    vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
    vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
    vi.stubEnv("LOG_LEVEL", "error");
    t = await createTestDatabase(provider);
    db = t.db;
  });
  beforeEach(async () => {
    await db.job.deleteMany({});
    await db.shop.deleteMany({});
    refreshed.length = 0;
  });
  afterEach(async () => queue?.stop());
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.drop();
  });

  it("runs when booked, books the next full hour, and fans out one schedule refresh per due shop", async () => {
    const past = new Date(Date.now() - HOUR_MS);
    const due = await db.shop.create({
      data: {
        domain: `due-${provider}.myshopify.com`,
        timezone: "Asia/Kolkata",
        nextRefreshAt: past,
      },
    });
    const notYet = await db.shop.create({
      data: {
        domain: `later-${provider}.myshopify.com`,
        nextRefreshAt: new Date(Date.now() + 2 * 86_400_000),
      },
    });
    const manual = await db.shop.create({
      data: {
        domain: `manual-${provider}.myshopify.com`,
        refreshSchedule: "manual",
        nextRefreshAt: past,
      },
    });

    const before = Date.now();
    expect(await bookScheduleRefreshes(db)).toBe(true); // what the queue's start does
    queue = createTableQueue();
    queue.start({ db, jobs, soleRunner: true });
    // Until the pass and the refresh it queued have both finished (drain alone can resolve between two claims).
    await waitFor(
      "the pass and its refresh",
      async () =>
        (await db.job.count({ where: { status: "succeeded" } })) === 2 &&
        (await db.job.count({ where: { status: "running" } })) === 0
          ? true
          : undefined,
      30_000,
      20
    );
    const after = Date.now();

    const passes = await db.job.findMany({
      where: { type: JOB.scheduleRefreshes },
      orderBy: { id: "asc" },
    });
    expect(passes.map((p) => p.status)).toEqual(["succeeded", "queued"]);
    const next = passes[1]!;
    expect(next.shopId).toBeNull();
    expect(next.singletonKey).toBe(JOB.scheduleRefreshes);
    expect(next.runAt.getTime() % HOUR_MS).toBe(0);
    expect(next.runAt.getTime()).toBeGreaterThan(before);
    expect(next.runAt.getTime()).toBeLessThanOrEqual(after + HOUR_MS);

    expect(refreshed).toEqual([
      { shopId: due.id, payload: { reason: "schedule" } },
    ]);
    const booked = await db.shop.findUniqueOrThrow({ where: { id: due.id } });
    expect(booked.nextRefreshAt!.getTime()).toBeGreaterThan(after);
    expect(
      booked.nextRefreshAt!.getUTCHours() * 60 +
        booked.nextRefreshAt!.getUTCMinutes()
    ).toBe(21 * 60 + 30); // Monday 03:00 IST
    expect(
      (await db.shop.findUniqueOrThrow({ where: { id: notYet.id } }))
        .nextRefreshAt
    ).toEqual(notYet.nextRefreshAt);
    expect(
      (await db.shop.findUniqueOrThrow({ where: { id: manual.id } }))
        .nextRefreshAt
    ).toEqual(past);

    // Booking again (a restart, another process) adds nothing: the next pass is already waiting.
    expect(await bookScheduleRefreshes(db)).toBe(false);
    expect(
      await db.job.count({
        where: { type: JOB.scheduleRefreshes, status: "queued" },
      })
    ).toBe(1);
  });

  it("a pass run twice in the same hour queues the due shop once and keeps one next pass", async () => {
    await db.shop.create({
      data: {
        domain: `twice-${provider}.myshopify.com`,
        nextRefreshAt: new Date(Date.now() - 60_000),
      },
    });
    const ctx: JobContext = {
      db,
      job: {
        id: 1,
        shopId: null,
        type: JOB.scheduleRefreshes,
        attempts: 1,
        maxAttempts: 5,
      },
      heartbeat: async () => true,
    };
    await Promise.all([
      scheduleRefreshesJob.run({}, ctx),
      scheduleRefreshesJob.run({}, ctx),
    ]);
    await scheduleRefreshesJob.run({}, ctx);
    expect(await db.job.count({ where: { type: JOB.refreshSegments } })).toBe(
      1
    );
    expect(
      await db.job.count({
        where: { type: JOB.scheduleRefreshes, status: "queued" },
      })
    ).toBe(1);
  });

  it("refuses a pass given a shop, for good", async () => {
    const ctx: JobContext = {
      db,
      job: {
        id: 1,
        shopId: 7,
        type: JOB.scheduleRefreshes,
        attempts: 1,
        maxAttempts: 5,
      },
      heartbeat: async () => true,
    };
    await expect(scheduleRefreshesJob.run({}, ctx)).rejects.toThrow(
      "schedule-refreshes is app-wide"
    );
  });
});
