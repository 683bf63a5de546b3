// Anomaly detection of a shop on both databases: a refit stores the flagged orders (reasons with
// the products named from the Product table, else from Shopify's nodes, in the shop's currency),
// the customer and store-day anomalies and the order model; test orders are left out; a refit
// keeps the merchant's reviews and deletes open rows no longer flagged; new flagged orders are
// handed to a risk-assessment job, and a changed VIP set starts a write-back pass.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flaggedCount } from "../../app/analytics";
import type { Db } from "../../app/db.server";
import { detectAnomalies } from "../../app/services/detect-anomalies.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { PRODUCT_TITLES } from "../../app/shopify/graphql";
import { startBusinessClock } from "../../app/clock.server";
import type { JobContext } from "../../app/queue/job-queue";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { seedAnomalyShop, type SeededAnomalyShop } from "../support/anomaly-shop";

vi.mock("../../app/logger.server", () => {
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return { logger: () => log };
});

/** An Admin client that answers ProductTitles from `titles` and records the ids asked for. */
function titlesAdmin(titles: Record<string, string>, asked: string[][]): AdminClient {
  return {
    throttle: null,
    request: async <T,>(document: string, variables?: Record<string, unknown>) => {
      expect(document).toBe(PRODUCT_TITLES);
      const ids = variables!.ids as string[];
      asked.push(ids);
      return { nodes: ids.map((gid) => (titles[gid] === undefined ? null : { id: gid, title: titles[gid] })) } as T;
    },
  };
}

const anomalyRows = (db: Db, shopId: number, kind: string) => db.anomaly.findMany({ where: { shopId, kind }, orderBy: { id: "asc" } });

/** An ordinary customer the detection did not flag. */
async function unflaggedCustomer(db: Db, shop: SeededAnomalyShop): Promise<string> {
  const flagged = new Set((await anomalyRows(db, shop.id, "customer")).map((c) => c.subjectKey));
  return shop.ordinaryCustomerIds.find((id) => !flagged.has(id))!;
}

describeEachDatabase("anomaly detection (refit)", (provider) => {
  let t: TestDatabase;
  let shop: SeededAnomalyShop;
  const asked: string[][] = [];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shop = await seedAnomalyShop(t.db, `detect-${provider}.myshopify.com`);
  }, 120_000);
  afterAll(async () => t?.drop());

  describe("a first refit", () => {
    let outcome: Awaited<ReturnType<typeof detectAnomalies>>;
    beforeAll(async () => {
      outcome = await detectAnomalies(t.db, shop.id, { now: () => shop.now, admin: async () => titlesAdmin({ "gid://shopify/Product/9007": "PAPER CRAFT , LITTLE BIRDIE" }, asked) });
    }, 120_000);

    it("fits on the shop's purchases (the test order left out) and flags the budget's share", async () => {
      expect(outcome!.orders).toBe(shop.purchases);
      const model = await t.db.anomalyModel.findUniqueOrThrow({ where: { shopId: shop.id } });
      expect(model.orderCount).toBe(shop.purchases);
      expect(model.asOf).toBe(shop.todayText);
      expect(JSON.parse(model.model)).toMatchObject({ kind: "segmint.anomaly-orders", version: 2 });
      const orders = await anomalyRows(t.db, shop.id, "order");
      expect(orders).toHaveLength(flaggedCount(shop.purchases, 0.01));
      expect(orders.map((o) => o.subjectKey)).not.toContain(shop.testOrderId);
      expect(Math.min(...orders.map((o) => o.score))).toBeCloseTo(model.threshold, 12);
    });

    it("stores the planted extreme order with its reason naming the product from the Product table, money in pounds", async () => {
      const row = await t.db.anomaly.findUniqueOrThrow({ where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "order", subjectKey: shop.extremeOrderId } } });
      const order = await t.db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: shop.extremeOrderId } } });
      expect(row).toMatchObject({ orderId: order.id, customerId: order.customerId, category: "review", source: "refresh", status: "open" });
      const reasons = JSON.parse(row.reasons) as { feature: string; text: string; productId?: string }[];
      expect(reasons[0]).toMatchObject({ feature: "line-quantity", productId: "9003" });
      expect(reasons[0]!.text).toMatch(/^5,000 × MEDIUM CERAMIC TOP STORAGE JAR is [\d,]+× (?:this product's median quantity of \d|the most this product sold in any other line \(\d)/);
      expect(reasons.some((r) => /£[\d,]+\.\d\d/.test(r.text))).toBe(true);
      expect(JSON.parse(row.facts)).toEqual({ valueMilli: Number(order.grossMilli), currency: "GBP", processedAt: order.processedAt.toISOString() });
      expect(row.day).toBe(shop.extremeOrderDay);
    });

    it("names a product missing from the Product table through Shopify's nodes, asking only for it", async () => {
      const row = await t.db.anomaly.findUniqueOrThrow({ where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "order", subjectKey: shop.secondExtremeOrderId } } });
      const reasons = JSON.parse(row.reasons) as { text: string }[];
      expect(reasons[0]!.text).toMatch(/^3,000 × PAPER CRAFT , LITTLE BIRDIE is /);
      expect(asked).toEqual([["gid://shopify/Product/9007"]]);
    });

    it("stores the campaign spike as a store day with its expected range", async () => {
      const day = await t.db.anomaly.findUniqueOrThrow({ where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "day", subjectKey: `${shop.spikeDay}:orders` } } });
      expect(day).toMatchObject({ category: "spike", day: shop.spikeDay, orderId: null, customerId: null });
      const facts = JSON.parse(day.facts) as { metric: string; value: number; expected: number; low: number; high: number };
      expect(facts.metric).toBe("orders");
      expect(facts.value).toBe(shop.spikeOrders);
      expect(facts.low).toBeLessThanOrEqual(facts.expected);
      expect(facts.high).toBeLessThan(facts.value);
      expect(day.score).toBeGreaterThan(0);
    });

    it("stores customer anomalies linked to their customers, whales and reviews only", async () => {
      const customers = await anomalyRows(t.db, shop.id, "customer");
      expect(customers.length).toBe(outcome!.whales + outcome!.reviewCustomers);
      for (const c of customers) {
        expect(["whale", "review"]).toContain(c.category);
        const customer = await t.db.customer.findUniqueOrThrow({ where: { id: c.customerId! } });
        expect(customer.shopifyId).toBe(c.subjectKey);
        expect(JSON.parse(c.facts)).toMatchObject({ currency: "GBP", orders: expect.any(Number) });
      }
    });
  });

  describe("a refit after the merchant reviewed", () => {
    it("keeps reviewed rows (status, reviewedAt, id), deletes open rows no longer flagged, and keeps dismissed ones", async () => {
      const reviewedAt = new Date("2030-05-30T09:00:00Z");
      const extreme = await t.db.anomaly.update({
        where: { shopId_kind_subjectKey: { shopId: shop.id, kind: "order", subjectKey: shop.extremeOrderId } },
        data: { status: "confirmed", reviewedAt },
      });
      const flaggedNow = new Set((await anomalyRows(t.db, shop.id, "order")).map((o) => o.subjectKey));
      const [ordinaryA, ordinaryB] = shop.ordinaryOrderIds.filter((id) => !flaggedNow.has(id));
      const seeded = { shopId: shop.id, kind: "order", score: 0.9, category: "review", reasons: "[]" };
      await t.db.anomaly.create({ data: { ...seeded, subjectKey: ordinaryA! } });
      await t.db.anomaly.create({ data: { ...seeded, subjectKey: ordinaryB!, status: "dismissed", reviewedAt } });

      await detectAnomalies(t.db, shop.id, { now: () => shop.now, admin: async () => titlesAdmin({}, []) });

      const after = await t.db.anomaly.findUniqueOrThrow({ where: { id: extreme.id } });
      expect(after).toMatchObject({ status: "confirmed", reviewedAt, source: "refresh" });
      const keys = (await anomalyRows(t.db, shop.id, "order")).map((o) => o.subjectKey);
      expect(keys).not.toContain(ordinaryA);
      expect(keys).toContain(ordinaryB);
      expect(keys.filter((k) => k !== ordinaryB)).toHaveLength(flaggedCount(shop.purchases, 0.01));
    }, 120_000);

    it("queues risk assessments for the flagged orders not dismissed nor assessed, and a write-back pass when the whales changed", async () => {
      await refreshSegments(t.db, shop.id, { reason: "on-demand", asOf: shop.now, now: () => shop.now });
      await t.db.shop.update({ where: { id: shop.id }, data: { riskAssessments: true, vipTags: true } });
      // A whale the refit will not find again: the VIP set changes.
      const gone = await t.db.customer.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: await unflaggedCustomer(t.db, shop) } });
      await t.db.anomaly.create({ data: { shopId: shop.id, kind: "customer", subjectKey: gone.shopifyId, customerId: gone.id, score: 0.9, category: "whale", reasons: "[]" } });
      const assessed = await t.db.anomaly.updateMany({ where: { shopId: shop.id, kind: "order", subjectKey: shop.secondExtremeOrderId }, data: { riskAssessedAt: new Date() } });
      expect(assessed.count).toBe(1);

      const outcome = await detectAnomalies(t.db, shop.id, { now: () => shop.now });

      const expected = await t.db.anomaly.findMany({ where: { shopId: shop.id, kind: "order", status: { not: "dismissed" }, riskAssessedAt: null }, select: { id: true, subjectKey: true }, orderBy: { id: "asc" } });
      expect(expected.map((e) => e.subjectKey)).toContain(shop.extremeOrderId); // confirmed, not yet assessed
      const jobs = await t.db.job.findMany({ where: { shopId: shop.id, type: "assess-order-risk" } });
      expect(jobs.map((j) => JSON.parse(j.payload))).toEqual([{ anomalyIds: expected.map((e) => e.id) }]);
      expect(outcome!.riskAssessments).toBe(expected.length);
      expect(outcome!.writeBackId).not.toBeNull();
      expect(await t.db.writeBack.findUniqueOrThrow({ where: { id: outcome!.writeBackId! } })).toMatchObject({ shopId: shop.id, kind: "refresh" });
    }, 120_000);

    it("starts no write-back pass when the VIP set is unchanged, or when the refresh's own pass follows", async () => {
      const passes = await t.db.writeBack.count({ where: { shopId: shop.id } });
      expect((await detectAnomalies(t.db, shop.id, { now: () => shop.now }))!.writeBackId).toBeNull();
      const whale = await t.db.customer.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: await unflaggedCustomer(t.db, shop) } });
      await t.db.anomaly.create({ data: { shopId: shop.id, kind: "customer", subjectKey: whale.shopifyId, customerId: whale.id, score: 0.9, category: "whale", reasons: "[]" } });
      expect((await detectAnomalies(t.db, shop.id, { now: () => shop.now, vipWriteBack: false }))!.writeBackId).toBeNull();
      expect(await t.db.writeBack.count({ where: { shopId: shop.id } })).toBe(passes);
    }, 120_000);
  });
  describe("in the refresh job", () => {
    const refreshContext = (db: Db, shopId: number): JobContext => ({ db, job: { id: 1, shopId, type: "refresh-segments", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });
    /** The refresh job, loaded with the app's environment (its Shopify client reads it as it loads); `detect` replaces the detection service. */
    async function refreshJob(detect?: () => Promise<never>) {
      vi.stubEnv("SHOPIFY_API_KEY", "test-key");
      vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
      vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
      globalThis.__segmintDb = t.db; // the Shopify app object's session storage
      vi.resetModules();
      if (detect) vi.doMock("../../app/services/detect-anomalies.server", () => ({ detectAnomalies: detect }));
      else vi.doUnmock("../../app/services/detect-anomalies.server");
      return (await import("../../app/jobs/refresh-segments.server")).refreshSegmentsJob;
    }
    let refreshShop: SeededAnomalyShop;
    beforeAll(async () => {
      refreshShop = await seedAnomalyShop(t.db, `refresh-${provider}.myshopify.com`);
      startBusinessClock(refreshShop.now.toISOString());
    }, 120_000);
    afterAll(() => {
      startBusinessClock(undefined);
      globalThis.__segmintDb = undefined;
      vi.doUnmock("../../app/services/detect-anomalies.server");
      vi.unstubAllEnvs();
    });

    it("fits and stores the anomalies before queueing the run's write-back pass", async () => {
      await (await refreshJob()).run({ reason: "on-demand" }, refreshContext(t.db, refreshShop.id));
      const model = await t.db.anomalyModel.findUniqueOrThrow({ where: { shopId: refreshShop.id } });
      expect(model.orderCount).toBe(refreshShop.purchases);
      expect(await t.db.anomaly.count({ where: { shopId: refreshShop.id, kind: "order" } })).toBe(flaggedCount(refreshShop.purchases, 0.01));
      const pass = await t.db.writeBack.findFirstOrThrow({ where: { shopId: refreshShop.id, kind: "refresh" } });
      expect(pass.startedAt.getTime()).toBeGreaterThanOrEqual(model.fittedAt.getTime());
    }, 120_000);

    it("a detection failure never fails the refresh: it is handed to a detect-anomalies job", async () => {
      const runs = await t.db.segmentRun.count({ where: { shopId: refreshShop.id, status: "completed" } });
      const passes = await t.db.writeBack.count({ where: { shopId: refreshShop.id } });
      const job = await refreshJob(() => Promise.reject(new Error("database went away")));
      await expect(job.run({ reason: "on-demand" }, refreshContext(t.db, refreshShop.id))).resolves.toBeUndefined();
      expect(await t.db.segmentRun.count({ where: { shopId: refreshShop.id, status: "completed" } })).toBe(runs + 1);
      expect(await t.db.writeBack.count({ where: { shopId: refreshShop.id } })).toBe(passes + 1);
      const queued = await t.db.job.findMany({ where: { shopId: refreshShop.id, type: "detect-anomalies" } });
      expect(queued.map((j) => JSON.parse(j.payload))).toEqual([{ reason: "refresh" }]);
    }, 120_000);
  });
});
