// The inbox write on its own: once per event, one waiting drain per shop, and a shop deleted by
// another process (shop/redact in a worker) gets a new row on its next delivery.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { IncomingWebhook } from "../../app/models/webhook-events.server";
import { JOB } from "../../app/queue/job-types";
import { recordWebhook } from "../../app/services/webhook-inbox.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const event = (eventId: string, shopDomain: string): IncomingWebhook => ({
  shopDomain,
  topic: "orders/create",
  eventId,
  webhookId: `w-${eventId}`,
  apiVersion: "2026-10",
  triggeredAt: null,
  payload: { id: "1" },
});

describeEachDatabase("webhook inbox", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.drop());

  it("stores an event once and queues a single drain", async () => {
    const shop = `inbox-${provider}.myshopify.com`;
    expect(await recordWebhook(t.db, event("e1", shop))).toBe(true);
    expect(await recordWebhook(t.db, event("e1", shop))).toBe(false);
    expect(await recordWebhook(t.db, event("e2", shop))).toBe(true);
    expect(await t.db.webhookEvent.count({ where: { shop: { domain: shop } } })).toBe(2);
    expect(await t.db.job.count({ where: { type: JOB.processWebhooks, status: "queued", shop: { domain: shop } } })).toBe(1);
  });

  it("recovers when the shop row was deleted by another process", async () => {
    const shop = `redacted-${provider}.myshopify.com`;
    await recordWebhook(t.db, event("a", shop)); // creates the shop row
    const before = await t.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await t.db.shop.delete({ where: { id: before.id } }); // as shop/redact in a worker would
    expect(await recordWebhook(t.db, event("b", shop))).toBe(true);
    const after = await t.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(after.id).not.toBe(before.id);
    expect(await t.db.webhookEvent.count({ where: { shopId: after.id } })).toBe(1);
  });
});
