// Webhook scoring on both databases. With the seeded shop: nothing without a stored model; a new
// extreme order becomes an open webhook anomaly with its reasons, an ordinary one does not; an
// edit that makes it ordinary removes the open row but never a reviewed one; a failure in the
// drain is handed to a score-orders job. End to end in the simulator: a real signed orders/create
// webhook of an extreme order → the app's webhook route → inbox → drain → an order anomaly row
// whose reason names the product (its title read from Shopify through the app's Admin client).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../app/db.server";
import { processWebhooksJob } from "../../app/jobs/process-webhooks.server";
import { insertWebhookEvent } from "../../app/models/webhook-events.server";
import type { JobContext } from "../../app/queue/job-queue";
import { detectAnomalies } from "../../app/services/detect-anomalies.server";
import { scoreOrders } from "../../app/services/score-orders.server";
import { simulatorAdmin } from "../../simulator/admin-client";
import type { SimulatorServer } from "../../simulator/server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { addOrder, seedAnomalyShop, type SeededAnomalyShop } from "../support/anomaly-shop";
import { backfillShop, startWriteBackSimulator } from "../support/write-back-harness";

const DAY = 86_400_000;
const API_SECRET = "s"; // the write-back simulator's
const APP_URL = "http://127.0.0.1:9";

const drainContext = (db: Db, shopId: number): JobContext => ({ db, job: { id: 1, shopId, type: "process-webhooks", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });
const orderAnomaly = (db: Db, shopId: number, subjectKey: string) => db.anomaly.findUnique({ where: { shopId_kind_subjectKey: { shopId, kind: "order", subjectKey } } });
const reasonsOf = (row: { reasons: string } | null) => JSON.parse(row?.reasons ?? "[]") as { feature: string; text: string }[];

// One simulator for the file: the app's configuration (the simulator's URL for the Admin client) is read once per process.
let sim: SimulatorServer;
const domains = { sqlite: "score-e2e-sqlite.myshopify.com", postgresql: "score-e2e-postgresql.myshopify.com" };
beforeAll(async () => {
  sim = await startWriteBackSimulator([{ domain: domains.sqlite }, { domain: domains.postgresql }]);
  vi.stubEnv("SHOPIFY_API_KEY", "test-key");
  vi.stubEnv("SHOPIFY_API_SECRET", API_SECRET);
  vi.stubEnv("SHOPIFY_APP_URL", APP_URL);
  vi.stubEnv("SEGMINT_SIMULATOR_URL", sim.url);
  vi.stubEnv("LOG_LEVEL", "error");
});
afterAll(async () => {
  globalThis.__segmintDb = undefined;
  vi.unstubAllEnvs();
  await sim?.close();
});

describeEachDatabase("webhook scoring", (provider) => {
  describe("with the seeded shop", () => {
    let t: TestDatabase;
    let shop: SeededAnomalyShop;
    let customerRow: number;
    beforeAll(async () => {
      t = await createTestDatabase(provider);
      shop = await seedAnomalyShop(t.db, `score-${provider}.myshopify.com`);
      customerRow = (await t.db.customer.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: "7030" } })).id;
    }, 120_000);
    afterAll(async () => t?.drop());
    const recent = () => new Date(shop.now.getTime() - 2 * 3_600_000);

    it("does nothing before the first refit has stored a model", async () => {
      expect(await scoreOrders(t.db, shop.id, [shop.extremeOrderId])).toBeNull();
      expect(await t.db.anomaly.count({ where: { shopId: shop.id } })).toBe(0);
    });

    it("a model an earlier version fitted scores nothing and queues one refit (not one per drain)", async () => {
      await t.db.anomalyModel.create({ data: { shopId: shop.id, asOf: "2011-12-09", orderCount: 1, threshold: 0.5, model: JSON.stringify({ kind: "segmint.anomaly-orders", version: 1 }) } });
      expect(await scoreOrders(t.db, shop.id, [shop.extremeOrderId])).toBeNull();
      expect(await scoreOrders(t.db, shop.id, [shop.extremeOrderId])).toBeNull();
      const refits = await t.db.job.findMany({ where: { shopId: shop.id, type: "detect-anomalies" } });
      expect(refits.map((j) => [j.status, JSON.parse(j.payload)])).toEqual([["queued", { reason: "on-demand" }]]);
      expect(await t.db.anomaly.count({ where: { shopId: shop.id } })).toBe(0);
      await t.db.job.deleteMany({ where: { shopId: shop.id } });
      await t.db.anomalyModel.delete({ where: { shopId: shop.id } });
    });

    it("scores an order of the fitting data as the refit did", async () => {
      await detectAnomalies(t.db, shop.id, { now: () => shop.now });
      const fitted = await orderAnomaly(t.db, shop.id, shop.extremeOrderId);
      const outcome = await scoreOrders(t.db, shop.id, [shop.extremeOrderId, shop.testOrderId, "no-such-order"]);
      expect(outcome).toMatchObject({ scored: 1, flagged: [shop.extremeOrderId], removed: 0 });
      const rescored = await orderAnomaly(t.db, shop.id, shop.extremeOrderId);
      expect(rescored!.score).toBeCloseTo(fitted!.score, 12);
      expect(rescored!.reasons).toBe(fitted!.reasons);
    }, 120_000);

    it("stores a new extreme order as an open webhook anomaly with its reasons, and not an ordinary one", async () => {
      await addOrder(t.db, shop.id, "9999", customerRow, recent(), [{ product: 2, quantity: 4000 }]);
      await addOrder(t.db, shop.id, "9998", customerRow, recent(), [{ product: 4, quantity: 2 }]);
      const outcome = await scoreOrders(t.db, shop.id, ["9999", "9998"]);
      expect(outcome).toMatchObject({ scored: 2, flagged: ["9999"], removed: 0 });
      const row = await orderAnomaly(t.db, shop.id, "9999");
      const model = await t.db.anomalyModel.findUniqueOrThrow({ where: { shopId: shop.id } });
      expect(row).toMatchObject({ source: "webhook", status: "open", category: "review", customerId: customerRow });
      expect(row!.score).toBeGreaterThanOrEqual(model.threshold);
      expect(reasonsOf(row)[0]!.text).toMatch(/^4,000 × MEDIUM CERAMIC TOP STORAGE JAR is [\d,]+× (?:this product's median quantity of \d|the most this product sold in any other line \(\d)/);
      expect(await orderAnomaly(t.db, shop.id, "9998")).toBeNull();
    });

    it("removes the open row when an edit makes the order ordinary, but keeps a reviewed one", async () => {
      const makeOrdinary = async (shopifyId: string) => {
        const order = await t.db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId } } });
        await t.db.orderLine.updateMany({ where: { orderId: order.id }, data: { quantity: 2 } });
        await t.db.order.update({ where: { id: order.id }, data: { grossMilli: 5_100n, netMilli: 5_100n } });
      };
      await makeOrdinary("9999");
      expect(await scoreOrders(t.db, shop.id, ["9999"])).toMatchObject({ flagged: [], removed: 1 });
      expect(await orderAnomaly(t.db, shop.id, "9999")).toBeNull();

      await addOrder(t.db, shop.id, "9997", customerRow, recent(), [{ product: 2, quantity: 4000 }]);
      await scoreOrders(t.db, shop.id, ["9997"]);
      await t.db.anomaly.update({ where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "order", subjectKey: "9997" } }, data: { status: "dismissed", reviewedAt: new Date() } });
      await makeOrdinary("9997");
      expect(await scoreOrders(t.db, shop.id, ["9997"])).toMatchObject({ flagged: [], removed: 0 });
      expect(await orderAnomaly(t.db, shop.id, "9997")).toMatchObject({ status: "dismissed" });
    });

    it("a guest's order is scored without customer history and stored without a customer", async () => {
      // The row's storage is under test, not the guest's score: a threshold of 0 flags every order scored.
      const { threshold } = await t.db.anomalyModel.findUniqueOrThrow({ where: { shopId: shop.id } });
      await t.db.anomalyModel.update({ where: { shopId: shop.id }, data: { threshold: 0 } });
      await addOrder(t.db, shop.id, "9996", null, recent(), [{ product: 2, quantity: 4000 }]);
      expect((await scoreOrders(t.db, shop.id, ["9996"]))!.flagged).toEqual(["9996"]);
      const row = await orderAnomaly(t.db, shop.id, "9996");
      expect(row).toMatchObject({ customerId: null, source: "webhook" });
      expect(reasonsOf(row).map((r) => r.feature)).not.toContain("value-vs-customer");
      await t.db.anomalyModel.update({ where: { shopId: shop.id }, data: { threshold } });
    });

    it("the drain never fails for scoring: the failure is handed to a score-orders job", async () => {
      const payload = { id: 9995, created_at: recent().toISOString(), updated_at: recent().toISOString(), processed_at: recent().toISOString(), currency: "GBP", total_price: "5.10", line_items: [{ id: 1, quantity: 2, price: "2.55", product_id: 9005 }] };
      await insertWebhookEvent(t.db, { shopDomain: shop.domain, topic: "orders/create", eventId: "score-fail", webhookId: "w-score-fail", apiVersion: "2026-10", triggeredAt: null, payload });
      const broken = new Proxy(t.db, {
        get: (target, prop, receiver) => (prop === "anomalyModel" ? { findUnique: () => Promise.reject(new Error("connection reset")) } : Reflect.get(target, prop, receiver)),
      });
      await processWebhooksJob.run({}, drainContext(broken, shop.id));
      expect((await t.db.webhookEvent.findFirstOrThrow({ where: { eventId: "score-fail" } })).status).toBe("processed");
      const jobs = await t.db.job.findMany({ where: { shopId: shop.id, type: "score-orders" } });
      expect(jobs.map((j) => JSON.parse(j.payload))).toEqual([{ orderIds: ["9995"] }]);
    });
  });

  describe("end to end in the simulator", () => {
    let t: TestDatabase;
    let shopId: number;
    const domain = domains[provider];

    beforeAll(async () => {
      t = await createTestDatabase(provider);
      globalThis.__segmintDb = t.db;
      const store = sim.simulator.shop(domain);
      const products = Array.from({ length: 12 }, (_, p) => store.createProduct({ title: p === 2 ? "MEDIUM CERAMIC TOP STORAGE JAR" : `Product ${p}`, priceCents: 85 * (1 + (p % 6)) }));
      const customers = Array.from({ length: 60 }, () => store.createCustomer({ silent: true }));
      let k = 0;
      for (let daysAgo = 70; daysAgo >= 1; daysAgo--) {
        for (let i = 0; i < 6; i++, k++) {
          const lines = Array.from({ length: 1 + (k % 3) }, (_, j) => ({ variantId: products[(k * 5 + j * 3) % 12]!.variants[0]!.id, quantity: 1 + ((k + j * 2) % 4) }));
          store.createOrder({ customerId: customers[k % 60]!.id, lines, processedAt: Date.now() - daysAgo * DAY + i * 3_600_000 }, { silent: true });
        }
      }
      await t.db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "installed", isOnline: false, accessToken: sim.simulator.accessToken(domain), scope: "read_orders,read_customers,write_customers,read_products" } });
      shopId = (await t.db.shop.create({ data: { domain, timezone: "Europe/London" } })).id;
      const admin = simulatorAdmin(sim, domain);
      await backfillShop(t.db, admin, shopId);
      await detectAnomalies(t.db, shopId, { admin: async () => admin });
    }, 180_000);
    afterAll(async () => t?.drop());

    it("a signed orders/create webhook of an extreme order ends as an order anomaly with reasons naming the product", async () => {
      expect(await t.db.anomalyModel.count({ where: { shopId } })).toBe(1);
      // The Shopify app object binds its session storage to the database it first sees: a fresh one for this database.
      vi.resetModules();
      const { receiveWebhook } = await import("../../app/webhooks.server");
      sim.simulator.webhooks.transport = (request) => receiveWebhook(request);
      const store = sim.simulator.shop(domain);
      const jar = [...store.products.values()].find((p) => p.title === "MEDIUM CERAMIC TOP STORAGE JAR")!;
      const buyer = [...store.customers.values()][3]!;
      const order = store.createOrder({ customerId: buyer.id, lines: [{ variantId: jar.variants[0]!.id, quantity: 5000 }] });

      const deliveries = await sim.simulator.flushWebhooks();
      expect(deliveries.filter((d) => d.topic.startsWith("orders/")).map((d) => [d.topic, d.status])).toEqual([
        ["orders/create", 200],
        ["orders/paid", 200],
      ]);
      expect(await t.db.webhookEvent.count({ where: { shopId, status: "received" } })).toBeGreaterThanOrEqual(2);

      await processWebhooksJob.run({}, drainContext(t.db, shopId));

      const row = await orderAnomaly(t.db, shopId, String(order.id));
      const stored = await t.db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: String(order.id) } } });
      expect(row).toMatchObject({ source: "webhook", status: "open", orderId: stored.id, customerId: stored.customerId });
      expect(reasonsOf(row)[0]).toMatchObject({ feature: "line-quantity" });
      expect(reasonsOf(row)[0]!.text).toMatch(/^5,000 × MEDIUM CERAMIC TOP STORAGE JAR is [\d,]+× (?:this product's median quantity of \d|the most this product sold in any other line \(\d)/);
      expect(JSON.parse(row!.facts)).toMatchObject({ currency: "GBP", valueMilli: Number(stored.grossMilli) });
    }, 120_000);
  });
});
