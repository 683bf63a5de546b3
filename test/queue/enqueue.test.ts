// The one writer of the Job table: defaults, singleton keys, and joining the caller's transaction
// (the webhook inbox relies on it: its row and its drain job commit together or not at all).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertWebhookEvent } from "../../app/models/webhook-events.server";
import { JOB } from "../../app/queue/job-types";
import { cancelShopJobs, enqueue } from "../../app/queue/queue.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

class Rollback extends Error {}

describeEachDatabase("enqueue", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  let otherShopId: number;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: `queue-${provider}.myshopify.com` } })).id;
    otherShopId = (await t.db.shop.create({ data: { domain: `other-${provider}.myshopify.com` } })).id;
  });
  afterAll(async () => t?.drop());

  it("writes a queued job with the defaults, due now", async () => {
    const before = Date.now();
    const id = await enqueue(t.db, { type: JOB.reconcile, shopId, payload: { onDemand: true } });
    const job = await t.db.job.findUniqueOrThrow({ where: { id: id! } });
    expect(job).toMatchObject({ type: "reconcile", shopId, status: "queued", attempts: 0, maxAttempts: 5, singletonKey: null, payload: '{"onDemand":true}' });
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(job.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await enqueue(t.db, { type: JOB.processWebhooks })).toEqual(expect.any(Number)); // app-wide, empty payload
  });

  describe("singleton keys", () => {
    it("queue at most one job per (shop, key) while one waits", async () => {
      const first = await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "single" });
      expect(first).toEqual(expect.any(Number));
      expect(await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "single" })).toBeNull();
      expect(await t.db.job.count({ where: { shopId, singletonKey: "single" } })).toBe(1);
    });

    it("are per shop", async () => {
      expect(await enqueue(t.db, { type: JOB.backfill, shopId: otherShopId, singletonKey: "single" })).toEqual(expect.any(Number));
    });

    it("let the next one in once the waiting one runs (a job may re-enqueue itself)", async () => {
      await t.db.job.updateMany({ where: { shopId, singletonKey: "single" }, data: { status: "running" } });
      expect(await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "single" })).toEqual(expect.any(Number));
    });

    it("with wake, bring a waiting job forward instead of adding one (never pushing it back)", async () => {
      const later = new Date(Date.now() + 60_000);
      const id = await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "wakeable", runAt: later });
      const now = new Date();
      expect(await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "wakeable", runAt: now, wake: true })).toBeNull();
      const job = await t.db.job.findUniqueOrThrow({ where: { id: id! } });
      expect(job.runAt.getTime()).toBe(now.getTime());
      await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "wakeable", runAt: later, wake: true });
      expect((await t.db.job.findUniqueOrThrow({ where: { id: id! } })).runAt.getTime()).toBe(now.getTime());
      // another shop's job with the same key is not touched
      const other = await enqueue(t.db, { type: JOB.backfill, shopId: otherShopId, singletonKey: "wakeable", runAt: later });
      await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "wakeable", runAt: new Date(0), wake: true });
      expect((await t.db.job.findUniqueOrThrow({ where: { id: other! } })).runAt.getTime()).toBe(later.getTime());
    });

    it("hold for app-wide jobs (no shop) too", async () => {
      expect(await enqueue(t.db, { type: JOB.reconcile, singletonKey: "app-wide" })).toEqual(expect.any(Number));
      expect(await enqueue(t.db, { type: JOB.reconcile, singletonKey: "app-wide" })).toBeNull();
      expect(await t.db.job.count({ where: { shopId: null, singletonKey: "app-wide" } })).toBe(1);
    });
  });

  describe("in the caller's transaction", () => {
    it("leaves no job when the transaction rolls back", async () => {
      const before = await t.db.job.count();
      await expect(
        t.db.$transaction(async (tx) => {
          await enqueue(tx, { type: JOB.reconcile, shopId, singletonKey: "rolled-back" });
          expect(await tx.job.count({ where: { singletonKey: "rolled-back" } })).toBe(1); // visible inside
          throw new Rollback();
        }),
      ).rejects.toBeInstanceOf(Rollback);
      expect(await t.db.job.count()).toBe(before);
    });

    it("writes the job when the transaction commits", async () => {
      const id = await t.db.$transaction(async (tx) => enqueue(tx, { type: JOB.reconcile, shopId, singletonKey: "committed" }));
      expect((await t.db.job.findUniqueOrThrow({ where: { id: id! } })).status).toBe("queued");
    });

    it("commits an inbox row and its drain together, or neither", async () => {
      const shopDomain = `queue-${provider}.myshopify.com`;
      const w = { shopDomain, topic: "orders/create", eventId: "tx-1", webhookId: "w-tx-1", apiVersion: "2026-10", triggeredAt: null, payload: { id: "1" } };
      const jobsBefore = await t.db.job.count({ where: { type: JOB.processWebhooks, shopId } });
      await expect(
        t.db.$transaction(async (tx) => {
          const id = await insertWebhookEvent(tx, w);
          await enqueue(tx, { type: JOB.processWebhooks, shopId: id, singletonKey: JOB.processWebhooks });
          throw new Rollback();
        }),
      ).rejects.toBeInstanceOf(Rollback);
      expect(await t.db.webhookEvent.count({ where: { eventId: "tx-1" } })).toBe(0);
      expect(await t.db.job.count({ where: { type: JOB.processWebhooks, shopId } })).toBe(jobsBefore);
    });

    it("cancels a shop's jobs only if the transaction commits, sparing the one named", async () => {
      const spared = (await enqueue(t.db, { type: JOB.reconcile, shopId: otherShopId }))!;
      const waiting = (await enqueue(t.db, { type: JOB.reconcile, shopId: otherShopId }))!;
      await expect(
        t.db.$transaction(async (tx) => {
          await cancelShopJobs(tx, otherShopId, spared);
          throw new Rollback();
        }),
      ).rejects.toBeInstanceOf(Rollback);
      expect((await t.db.job.findUniqueOrThrow({ where: { id: waiting } })).status).toBe("queued");
      await t.db.$transaction(async (tx) => cancelShopJobs(tx, otherShopId, spared));
      expect((await t.db.job.findUniqueOrThrow({ where: { id: waiting } })).status).toBe("cancelled");
      expect((await t.db.job.findUniqueOrThrow({ where: { id: spared } })).status).toBe("queued");
    });
  });
});
