// The inbox drain on its own: each event's outcome (processed, ignored, waiting, parked as failed)
// and the rule that a poison event is parked while a possibly transient failure fails the job.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { processWebhooksJob } from "../../app/jobs/process-webhooks.server";
import { insertWebhookEvent, type IncomingWebhook } from "../../app/models/webhook-events.server";
import type { JobContext } from "../../app/queue/job-queue";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const order = (updatedAt: string, total: string) => ({
  id: 100,
  created_at: "2026-01-01T10:00:00Z",
  updated_at: updatedAt,
  processed_at: "2026-01-01T10:00:00Z",
  currency: "GBP",
  total_price: total,
  line_items: [{ id: 7, quantity: 2, price: "5.00" }],
});
const refund = { id: 900, order_id: 100, created_at: "2026-01-02T10:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "5.00" }] };

describeEachDatabase("process-webhooks job", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  const shopDomain = `drain-${provider}.myshopify.com`;
  const ctx = (db: Db): JobContext => ({ db, job: { id: 1, shopId, type: "process-webhooks", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });
  let n = 0;
  /** Puts an event straight into the inbox, as stored (already validated), or anything for a poison event. */
  async function inbox(topic: string, payload: unknown): Promise<string> {
    const eventId = `ev-${++n}`;
    const w: IncomingWebhook = { shopDomain, topic, eventId, webhookId: `w-${eventId}`, apiVersion: "2026-10", triggeredAt: null, payload };
    await insertWebhookEvent(t.db, w);
    return eventId;
  }
  const statusOf = async (eventId: string) => t.db.webhookEvent.findFirstOrThrow({ where: { eventId }, select: { status: true, error: true } });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: shopDomain } })).id;
  });
  afterAll(async () => t?.drop());

  it("applies events in order, lets a refund wait for its order, and parks poison events", async () => {
    const early = await inbox("refunds/create", refund); // before its order: waits a pass
    const created = await inbox("orders/create", order("2026-01-01T10:00:00Z", "10.00"));
    const poison = await inbox("orders/create", { id: "not-a-number" });
    const unknown = await inbox("orders/delete", { id: 100 });
    const stale = await inbox("orders/updated", order("2025-12-31T10:00:00Z", "99.00"));
    await processWebhooksJob.run({}, ctx(t.db));

    expect(await statusOf(created)).toEqual({ status: "processed", error: null });
    expect(await statusOf(early)).toEqual({ status: "processed", error: null });
    expect(await statusOf(stale)).toEqual({ status: "ignored", error: null });
    expect(await statusOf(poison)).toMatchObject({ status: "failed", error: expect.stringContaining("created_at") });
    expect(await statusOf(unknown)).toEqual({ status: "failed", error: "unknown topic orders/delete" });
    const stored = await t.db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: "100" } }, include: { refunds: true } });
    expect(stored.netMilli).toBe(5_000n);
    expect(stored.refunds).toHaveLength(1);
  });

  it("fails the job on a possibly transient error and leaves the event for the retry", async () => {
    const pending = await inbox("orders/updated", order("2026-01-03T10:00:00Z", "12.00"));
    // The database drops the order's transaction: not the event's fault.
    const flaky = new Proxy(t.db, {
      get: (target, prop, receiver) =>
        prop === "$transaction" ? () => Promise.reject(new Error("connection reset")) : Reflect.get(target, prop, receiver),
    });
    await expect(processWebhooksJob.run({}, ctx(flaky))).rejects.toThrow("connection reset");
    expect(await statusOf(pending)).toEqual({ status: "received", error: null });
    await processWebhooksJob.run({}, ctx(t.db));
    expect(await statusOf(pending)).toEqual({ status: "processed", error: null });
  });
});
