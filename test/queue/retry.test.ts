// The merchant's "Retry" through the queue seam: only a failed job of the asking shop is queued
// again (attempts from zero, due now), once, and never beside a waiting job with its singleton key.
import { afterAll, beforeAll, expect, it } from "vitest";
import { JOB } from "../../app/queue/job-types";
import { enqueue, retryJob } from "../../app/queue/queue.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

describeEachDatabase("retryJob", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  let otherShopId: number;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: `retry-${provider}.myshopify.com` } })).id;
    otherShopId = (await t.db.shop.create({ data: { domain: `retry-other-${provider}.myshopify.com` } })).id;
  });
  afterAll(async () => t?.drop());

  /** A job of `shop` that failed for good after 5 attempts. */
  async function failedJob(shop: number, singletonKey?: string): Promise<number> {
    const id = (await enqueue(t.db, { type: JOB.reconcile, shopId: shop, payload: {}, ...(singletonKey ? { singletonKey } : {}) }))!;
    await t.db.job.update({
      where: { id },
      data: { status: "failed", attempts: 5, finishedAt: new Date("2026-01-01T00:00:00Z"), lastError: "Shopify answered 500", runAt: new Date("2026-01-01T00:00:00Z"), lockedBy: "w1" },
    });
    return id;
  }

  it("queues a failed job of the shop again: attempts from zero, due now, no finish time", async () => {
    const id = await failedJob(shopId);
    const before = Date.now();
    expect(await retryJob(t.db, shopId, id)).toBe(true);
    const job = await t.db.job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "queued", attempts: 0, finishedAt: null, lockedBy: null });
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(job.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    // a second click finds it queued, not failed
    expect(await retryJob(t.db, shopId, id)).toBe(false);
  });

  it("refuses another shop's job and leaves it failed", async () => {
    const theirs = await failedJob(otherShopId);
    expect(await retryJob(t.db, shopId, theirs)).toBe(false);
    expect((await t.db.job.findUniqueOrThrow({ where: { id: theirs } })).status).toBe("failed");
    expect(await retryJob(t.db, shopId, 987_654)).toBe(false);
  });

  it("refuses jobs that did not fail", async () => {
    for (const status of ["queued", "running", "succeeded", "cancelled"]) {
      const id = (await enqueue(t.db, { type: JOB.reconcile, shopId, payload: {} }))!;
      await t.db.job.update({ where: { id }, data: { status, attempts: 2 } });
      expect(await retryJob(t.db, shopId, id)).toBe(false);
      expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status, attempts: 2 });
    }
  });

  it("does not queue a second job beside a waiting one with the same singleton key", async () => {
    const failed = await failedJob(shopId, "backfill");
    const waiting = await enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "backfill" });
    expect(waiting).toEqual(expect.any(Number));
    expect(await retryJob(t.db, shopId, failed)).toBe(false);
    expect((await t.db.job.findUniqueOrThrow({ where: { id: failed } })).status).toBe("failed");
    // once the waiting one has run, the retry goes through
    await t.db.job.update({ where: { id: waiting! }, data: { status: "succeeded" } });
    expect(await retryJob(t.db, shopId, failed)).toBe(true);
    // and the other shop's waiting job with the same key is no obstacle
    const otherFailed = await failedJob(shopId, "only-mine");
    await enqueue(t.db, { type: JOB.backfill, shopId: otherShopId, singletonKey: "only-mine" });
    expect(await retryJob(t.db, shopId, otherFailed)).toBe(true);
  });

  it("joins the caller's transaction", async () => {
    const id = await failedJob(shopId);
    await expect(
      t.db.$transaction(async (tx) => {
        expect(await retryJob(tx, shopId, id)).toBe(true);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await t.db.job.findUniqueOrThrow({ where: { id } })).status).toBe("failed");
  });
});
