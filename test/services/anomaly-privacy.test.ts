// Anomalies and privacy on both databases: customers/redact (through the webhook drain) deletes
// the customer's customer anomaly and their orders' anomalies and nothing else; uninstall deletes
// the shop's anomalies and its order model; shop/redact deletes everything of the shop.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Db } from "../../app/db.server";
import { processWebhooksJob } from "../../app/jobs/process-webhooks.server";
import { insertWebhookEvent } from "../../app/models/webhook-events.server";
import type { JobContext } from "../../app/queue/job-queue";
import { detectAnomalies } from "../../app/services/detect-anomalies.server";
import { deleteCustomerDerivedData, recordDataRequest } from "../../app/services/privacy.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { seedAnomalyShop, type SeededAnomalyShop } from "../support/anomaly-shop";

vi.mock("../../app/logger.server", () => {
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return { logger: () => log };
});

describeEachDatabase("anomalies and privacy", (provider) => {
  let t: TestDatabase;
  let shop: SeededAnomalyShop;
  let other: SeededAnomalyShop;
  const drain = (db: Db, shopId: number): JobContext => ({ db, job: { id: 1, shopId, type: "process-webhooks", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });
  const count = (shopId: number) => t.db.anomaly.count({ where: { shopId } });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shop = await seedAnomalyShop(t.db, `privacy-${provider}.myshopify.com`);
    other = await seedAnomalyShop(t.db, `privacy-other-${provider}.myshopify.com`);
    for (const s of [shop, other]) await detectAnomalies(t.db, s.id, { now: () => s.now });
  }, 180_000);
  afterAll(async () => t?.drop());

  it("customers/data_request reports the anomalies about the customer and their orders, with their reasons", async () => {
    const extreme = await t.db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: shop.extremeOrderId } }, include: { customer: true } });
    const flagged = await t.db.anomaly.findUniqueOrThrow({ where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "order", subjectKey: shop.extremeOrderId } } });
    const report = await recordDataRequest(t.db, shop.id, extreme.customer!.shopifyId);
    const theirs = await t.db.anomaly.count({ where: { shopId: shop.id, OR: [{ customerId: extreme.customerId }, { order: { customerId: extreme.customerId } }] } });
    expect(report.anomalies).toHaveLength(theirs);
    expect(report.anomalies).toContainEqual({ kind: "order", subject: shop.extremeOrderId, category: flagged.category, score: flagged.score, reasons: JSON.parse(flagged.reasons).map((r: { text: string }) => r.text), status: "open" });
    expect(report.anomalies.every((a) => a.reasons.length > 0 || a.kind === "customer")).toBe(true);
    expect(report.experiments).toEqual([]);
  });

  it("customers/redact deletes the customer's anomaly and their orders' anomalies, nothing else", async () => {
    const extreme = await t.db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: shop.extremeOrderId } }, include: { customer: true } });
    const customer = extreme.customer!;
    // The customer anomaly the refit may or may not have found: present either way.
    await t.db.anomaly.upsert({
      where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "customer", subjectKey: customer.shopifyId } },
      create: { shopId: shop.id, kind: "customer", subjectKey: customer.shopifyId, customerId: customer.id, score: 0.9, category: "review", reasons: "[]" },
      update: {},
    });
    const theirs = await t.db.anomaly.count({ where: { shopId: shop.id, OR: [{ customerId: customer.id }, { subjectKey: { in: [customer.shopifyId, shop.extremeOrderId] } }] } });
    expect(theirs).toBeGreaterThanOrEqual(2);
    const before = await count(shop.id);
    const otherBefore = await count(other.id);

    await insertWebhookEvent(t.db, {
      shopDomain: shop.domain,
      topic: "customers/redact",
      eventId: "redact-1",
      webhookId: "w-redact-1",
      apiVersion: "2026-10",
      triggeredAt: null,
      payload: { shop_domain: shop.domain, customer: { id: Number(customer.shopifyId) }, orders_to_redact: [Number(shop.extremeOrderId)] },
    });
    await processWebhooksJob.run({}, drain(t.db, shop.id));

    expect(await t.db.anomaly.count({ where: { shopId: shop.id, OR: [{ customerId: customer.id }, { subjectKey: { in: [customer.shopifyId, shop.extremeOrderId] } }] } })).toBe(0);
    expect(await count(shop.id)).toBe(before - theirs);
    expect(await t.db.anomaly.count({ where: { shopId: shop.id, subjectKey: shop.secondExtremeOrderId } })).toBe(1);
    expect(await count(other.id)).toBe(otherBefore);
  });

  it("uninstall deletes the shop's anomalies and order model, not another shop's", async () => {
    const otherBefore = await count(other.id);
    await deleteCustomerDerivedData(t.db, shop.id);
    expect(await count(shop.id)).toBe(0);
    expect(await t.db.anomalyModel.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await count(other.id)).toBe(otherBefore);
    expect(await t.db.anomalyModel.count({ where: { shopId: other.id } })).toBe(1);
  });

  it("shop/redact deletes every anomaly row and the model of the shop", async () => {
    await detectAnomalies(t.db, shop.id, { now: () => shop.now });
    expect(await count(shop.id)).toBeGreaterThan(0);
    await insertWebhookEvent(t.db, { shopDomain: shop.domain, topic: "shop/redact", eventId: "redact-shop", webhookId: "w-redact-shop", apiVersion: "2026-10", triggeredAt: null, payload: { shop_domain: shop.domain } });
    await processWebhooksJob.run({}, drain(t.db, shop.id));
    expect(await count(shop.id)).toBe(0);
    expect(await t.db.anomalyModel.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await count(other.id)).toBeGreaterThan(0);
  }, 120_000);
});
