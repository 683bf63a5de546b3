// Training a shop's recommender on both databases: the baskets come from placed orders only
// (cancelled orders, custom lines and lines refunded in full left out), the stored lists are the
// core's model row for row, the rules and popular lists are the core's, the offline evaluation has
// the stored shape and finds the themes, a retraining replaces the model, another shop is untouched;
// in the refresh job, a training failure never fails the refresh: it is handed to a job.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { basketsFromOrders, DEFAULT_RULE_OPTIONS, mineRules, neighbourLists, popularProducts, trainRecommender } from "../../app/analytics";
import type { Db } from "../../app/db.server";
import { shopAnomalyOrders } from "../../app/models/anomaly-orders.server";
import { latestRecommendationModel } from "../../app/models/recommendations.server";
import type { JobContext } from "../../app/queue/job-queue";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { POPULAR_KEPT, SEGMENT_MIN_CUSTOMERS, trainRecommendations, type RecommendationMetrics } from "../../app/services/train-recommendations.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { seedRecommendationShop, THEME_SIZE, themeOf, type SeededRecommendationShop } from "../support/recommendation-shop";

vi.mock("../../app/logger.server", () => {
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return { logger: () => log };
});

const AS_OF = new Date("2026-07-25T12:00:00Z");

/** The shop's baskets as the service builds them (the anomaly orders' reader, then the core). */
async function basketsOf(db: Db, shopId: number) {
  return basketsFromOrders((await shopAnomalyOrders(db, shopId, { timeZone: "UTC" })).orders);
}

describeEachDatabase("recommendations training", (provider) => {
  let t: TestDatabase;
  let shop: SeededRecommendationShop;
  let other: SeededRecommendationShop;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shop = await seedRecommendationShop(t.db, `train-${provider}.myshopify.com`, 7000);
    other = await seedRecommendationShop(t.db, `train-other-${provider}.myshopify.com`, 8000, 11);
    await refreshSegments(t.db, shop.id, { reason: "backfill", asOf: AS_OF });
  }, 180_000);
  afterAll(async () => t?.drop());

  it("baskets: placed orders only, product lines only, lines refunded in full out", async () => {
    const baskets = await basketsOf(t.db, shop.id);
    expect(baskets).toHaveLength(shop.orders);
    const items = new Set(baskets.flatMap((b) => b.items));
    expect(items.has(shop.cancelledOnly)).toBe(false);
    expect([...items].every((id) => shop.products.includes(id))).toBe(true);
    // Every basket is one theme's products (2–4), plus at most one other product.
    for (const b of baskets) {
      const themes = new Map<number, number>();
      for (const id of b.items) themes.set(themeOf(shop, id), (themes.get(themeOf(shop, id)) ?? 0) + 1);
      expect(Math.max(...themes.values())).toBeGreaterThanOrEqual(b.items.length - 1);
    }
  });

  it("stores the core's model: every product's list, the rules and the popular lists, with the evaluation", async () => {
    const outcome = await trainRecommendations(t.db, shop.id);
    expect(outcome.trained).toBe(true);
    if (!outcome.trained) return;
    const baskets = await basketsOf(t.db, shop.id);
    const model = trainRecommender(baskets);
    const expected = neighbourLists(model);

    const stored = await t.db.productRecommendation.findMany({ where: { shopId: shop.id }, orderBy: { productId: "asc" } });
    expect(stored.map((r) => r.productId)).toEqual([...expected.keys()].filter((id) => expected.get(id)!.length > 0).sort());
    for (const row of stored) {
      expect(row.modelId).toBe(outcome.modelId);
      expect(JSON.parse(row.neighbours)).toEqual(expected.get(row.productId));
    }
    // The theme mates carry the largest weights of each product's list.
    for (const row of stored) {
      const best = (JSON.parse(row.neighbours) as { id: string; score: number }[]).filter((n) => n.score > 0).slice(0, THEME_SIZE - 1);
      expect(best.every((n) => themeOf(shop, n.id) === themeOf(shop, row.productId))).toBe(true);
    }

    const rules = await t.db.productRule.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    const mined = mineRules(baskets, DEFAULT_RULE_OPTIONS);
    expect(rules).toHaveLength(mined.length);
    // Prisma's SQLite driver reads REAL columns back to 15 significant digits.
    const close = (x: number) => Number(x.toPrecision(12));
    expect(rules.map((r) => ({ antecedent: r.antecedent.split(","), consequent: r.consequent, count: r.count, support: close(r.support), confidence: close(r.confidence), lift: close(r.lift) }))).toEqual(
      mined.map((r) => ({ antecedent: [...r.antecedent], consequent: r.consequent, count: r.count, support: close(r.support), confidence: close(r.confidence), lift: close(r.lift) })),
    );

    const saved = (await latestRecommendationModel(t.db, shop.id))!;
    expect(saved.id).toBe(outcome.modelId);
    expect(saved).toMatchObject({ basketCount: shop.orders, productCount: shop.products.length, version: model.version });
    expect(saved.params).toEqual({ lambda: 20, headMax: 4000, neighbours: 100, historyWeight: 0.1, ...DEFAULT_RULE_OPTIONS, fingerprint: expect.stringMatching(/^\d+:[0-9a-f]+:[0-9a-f]+$/) });
    const run = await t.db.segmentRun.findFirstOrThrow({ where: { shopId: shop.id, status: "completed" }, orderBy: { id: "desc" } });
    expect(saved.runId).toBe(run.id);
    // The store's list, and each segment's with enough customers, as the core ranks them.
    const segmentOf = new Map((await t.db.customerSegment.findMany({ where: { runId: run.id }, include: { customer: true } })).map((r) => [r.customer.shopifyId, r.segmentKey]));
    const popular = popularProducts(baskets, { segmentOf: (c) => segmentOf.get(c) ?? null, limit: POPULAR_KEPT });
    expect(saved.popularity.all).toEqual(popular.all);
    for (const [segment, list] of Object.entries(saved.popularity)) expect(list).toEqual(popular[segment]);
    for (const segment of Object.keys(popular).filter((k) => k !== "all")) {
      const buyers = new Set(baskets.filter((b) => b.customerId !== null && segmentOf.get(b.customerId) === segment).map((b) => b.customerId));
      expect(segment in saved.popularity).toBe(buyers.size >= SEGMENT_MIN_CUSTOMERS);
    }

    const metrics = saved.metrics as RecommendationMetrics;
    expect(metrics.rules).toBe(mined.length);
    expect(metrics.head).toBe(shop.products.length);
    expect(metrics.trainMs).toBeGreaterThanOrEqual(0);
    const evaluation = metrics.evaluation!;
    // Day range 0…199: trained on the days before day 159 (2026-06-09), asked about the rest.
    expect(evaluation.cutoffDay).toBe("2026-06-09");
    expect(evaluation.trainBaskets).toBe(baskets.filter((b) => b.day < baskets[0]!.day + 159).length);
    expect(Object.keys(evaluation.methods).sort()).toEqual(["cooccurrence", "item-knn", "popularity", "segmint"]);
    for (const m of Object.values(evaluation.methods)) {
      expect(m.hit5).toBeLessThanOrEqual(m.hit10);
      expect(m.mrr10).toBeLessThanOrEqual(m.hit10);
    }
    // A hidden product is a theme mate 7 times in 10: the themes are found, popularity cannot.
    expect(evaluation.methods.segmint.hit10).toBeGreaterThan(0.6);
    expect(evaluation.methods.segmint.hit10).toBeGreaterThan(evaluation.methods.popularity.hit10 + 0.2);
  }, 120_000);

  it("a retraining replaces the shop's model, lists and rules; another shop's stay", async () => {
    const otherOutcome = await trainRecommendations(t.db, other.id, { evaluate: false });
    expect(otherOutcome.trained).toBe(true);
    const otherLists = await t.db.productRecommendation.count({ where: { shopId: other.id } });
    const before = await t.db.productRecommendation.count({ where: { shopId: shop.id } });
    const outcome = await trainRecommendations(t.db, shop.id, { evaluate: false });
    expect(outcome.trained).toBe(true);
    expect(await t.db.recommendationModel.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await t.db.productRecommendation.count({ where: { shopId: shop.id } })).toBe(before);
    expect(await t.db.productRecommendation.count({ where: { shopId: shop.id, modelId: { not: outcome.trained ? outcome.modelId : -1 } } })).toBe(0);
    expect(await t.db.productRule.count({ where: { shopId: shop.id, modelId: { not: outcome.trained ? outcome.modelId : -1 } } })).toBe(0);
    expect(((await latestRecommendationModel(t.db, shop.id))!.metrics as RecommendationMetrics).evaluation).toBeNull();
    expect(await t.db.productRecommendation.count({ where: { shopId: other.id } })).toBe(otherLists);
    // Neither shop's lists name the other's products.
    const lists = await t.db.productRecommendation.findMany({ where: { shopId: other.id } });
    expect(lists.every((l) => other.products.includes(l.productId) && (JSON.parse(l.neighbours) as { id: string }[]).every((n) => other.products.includes(n.id)))).toBe(true);
  }, 120_000);

  it("a training on the same baskets, segments and settings keeps the stored model; Train now (force), new settings or a changed order train again", async () => {
    const first = await trainRecommendations(t.db, shop.id, { evaluate: false, force: true });
    expect(first.trained).toBe(true);
    const modelId = first.trained ? first.modelId : -1;
    expect(await trainRecommendations(t.db, shop.id, { evaluate: false })).toEqual({ trained: false, reason: "unchanged" });
    expect((await latestRecommendationModel(t.db, shop.id))!.id).toBe(modelId);

    const forced = await trainRecommendations(t.db, shop.id, { evaluate: false, force: true });
    expect(forced.trained && forced.modelId !== modelId).toBe(true);
    const resettled = await trainRecommendations(t.db, shop.id, { evaluate: false, rules: { minConfidence: 0.5 } });
    expect(resettled.trained).toBe(true);

    // One order cancelled: its basket leaves the data, so the model is trained again (then restored).
    const order = (await t.db.order.findFirst({ where: { shopId: shop.id, cancelledAt: null }, orderBy: { id: "asc" } }))!;
    await t.db.order.update({ where: { id: order.id }, data: { cancelledAt: new Date(order.processedAt.getTime() + 60_000) } });
    try {
      expect((await trainRecommendations(t.db, shop.id, { evaluate: false, rules: { minConfidence: 0.5 } })).trained).toBe(true);
    } finally {
      await t.db.order.update({ where: { id: order.id }, data: { cancelledAt: null } });
    }
  }, 120_000);

  it("a shop without a basket stores nothing; a cancelled job stores nothing", async () => {
    const empty = await t.db.shop.create({ data: { domain: `train-empty-${provider}.myshopify.com` } });
    expect(await trainRecommendations(t.db, empty.id)).toEqual({ trained: false, reason: "no-baskets" });
    const modelsBefore = await t.db.recommendationModel.findMany({ where: { shopId: shop.id }, select: { id: true } });
    expect(await trainRecommendations(t.db, shop.id, { evaluate: false, force: true, heartbeat: async () => false })).toEqual({ trained: false, reason: "cancelled" });
    expect(await t.db.recommendationModel.findMany({ where: { shopId: shop.id }, select: { id: true } })).toEqual(modelsBefore);
    expect(await t.db.recommendationModel.count({ where: { shopId: empty.id } })).toBe(0);
  }, 120_000);

  it("uninstall deletes the shop's model, lists and rules; shop/redact too; another shop's stay", async () => {
    const { deleteCustomerDerivedData, redactShop } = await import("../../app/services/privacy.server");
    const otherLists = await t.db.productRecommendation.count({ where: { shopId: other.id } });
    expect(otherLists).toBeGreaterThan(0);
    await deleteCustomerDerivedData(t.db, shop.id);
    for (const table of [t.db.recommendationModel, t.db.productRecommendation, t.db.productRule] as unknown as { count(a: unknown): Promise<number> }[]) {
      expect(await table.count({ where: { shopId: shop.id } })).toBe(0);
    }
    await trainRecommendations(t.db, shop.id, { evaluate: false });
    expect(await t.db.productRule.count({ where: { shopId: shop.id } })).toBeGreaterThan(0);
    await redactShop(t.db, shop.domain);
    expect(await t.db.productRecommendation.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await t.db.productRule.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await t.db.productRecommendation.count({ where: { shopId: other.id } })).toBe(otherLists);
  }, 120_000);

  describe("in the refresh job", () => {
    const refreshContext = (db: Db, shopId: number): JobContext => ({ db, job: { id: 1, shopId, type: "refresh-segments", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });
    /** The refresh job with the app's environment; `train` replaces the training service, `detect` the anomaly detection. */
    async function refreshJob(train?: () => Promise<never>) {
      vi.stubEnv("SHOPIFY_API_KEY", "test-key");
      vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
      vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
      globalThis.__segmintDb = t.db;
      vi.resetModules();
      if (train) vi.doMock("../../app/services/train-recommendations.server", () => ({ trainRecommendations: train }));
      else vi.doUnmock("../../app/services/train-recommendations.server");
      return (await import("../../app/jobs/refresh-segments.server")).refreshSegmentsJob;
    }
    afterAll(() => {
      globalThis.__segmintDb = undefined;
      vi.doUnmock("../../app/services/train-recommendations.server");
      vi.unstubAllEnvs();
    });

    it("trains the shop's recommender on the run it just stored", async () => {
      await (await refreshJob()).run({ reason: "on-demand" }, refreshContext(t.db, other.id));
      const run = await t.db.segmentRun.findFirstOrThrow({ where: { shopId: other.id, status: "completed" }, orderBy: { id: "desc" } });
      const model = (await latestRecommendationModel(t.db, other.id))!;
      expect(model.runId).toBe(run.id);
      expect(model.basketCount).toBe(other.orders);
    }, 120_000);

    it("a training failure never fails the refresh: it is handed to one train-recommendations job", async () => {
      const runs = await t.db.segmentRun.count({ where: { shopId: other.id, status: "completed" } });
      const job = await refreshJob(() => Promise.reject(new Error("database went away")));
      await expect(job.run({ reason: "on-demand" }, refreshContext(t.db, other.id))).resolves.toBeUndefined();
      await expect(job.run({ reason: "on-demand" }, refreshContext(t.db, other.id))).resolves.toBeUndefined();
      expect(await t.db.segmentRun.count({ where: { shopId: other.id, status: "completed" } })).toBe(runs + 2);
      const queued = await t.db.job.findMany({ where: { shopId: other.id, type: "train-recommendations" } });
      expect(queued.map((j) => JSON.parse(j.payload))).toEqual([{ reason: "refresh" }]);
    }, 120_000);
  });
});
