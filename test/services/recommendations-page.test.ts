// The Recommendations page's service and route on both databases, with a trained model seeded as
// training stores it (the model row with its metrics and params, per-product neighbour lists,
// association rules, the catalogue): the rules sorted by each measure, searched by title (any
// case) or id (also inside two-product antecedents), 25 a page; a rule in words; the preview
// (the storefront's lists for a guest, each product's why: a rule, the recommender's link, or —
// in "for you" only, never in "together" — the store's best sellers; the strong neighbours a
// shopper is not shown and why); "Train now"
// (queued once); the empty states (no model, no rules, product not found) and the shop scoping.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../app/db.server";
import { ruleSentence } from "../../app/domain/recommendation";
import type { AdminShop } from "../../app/services/admin-shop.server";
import { LEFT_OUT_SHOWN, recommendationsPageView, recommendationsQueryOf, RULES_PAGE_SIZE, trainNow, type RecommendationsQuery } from "../../app/services/recommendations-page.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { stubAppEnv } from "../support/write-back-harness";

const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

const post = (fields: Record<string, string>) => new Request("http://localhost/app/recommendations", { method: "POST", body: new URLSearchParams(fields) });

/** A route call's answer: its Response, the thrown Response, or single fetch's data() value. */
async function answer(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const result = await call.catch((e: unknown) => e);
  if (result instanceof Response) return { status: result.status, body: await result.text() };
  const d = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, body: d.data };
  return { status: 200, body: result };
}

const QUERY: RecommendationsQuery = { search: "", sort: "count", direction: "desc", page: 1, product: null, find: "" };
const BASKETS = 1000;
const FILLERS = 30;

interface SeededRule {
  antecedent: string;
  consequent: string;
  count: number;
  confidence: number;
  lift: number;
}

/** The named rules (the filler ring's rules come after them). */
const NAMED_RULES: SeededRule[] = [
  { antecedent: "7001", consequent: "7002", count: 120, confidence: 0.34, lift: 5.234 },
  { antecedent: "7001", consequent: "7003", count: 40, confidence: 0.085, lift: 1.7 },
  { antecedent: "7001,7002", consequent: "7003", count: 35, confidence: 0.1, lift: 2 },
  { antecedent: "7003", consequent: "7006", count: 50, confidence: 0.2, lift: 1.1 },
];
// A ring of filler products, each rule with its own count (3…32: no tie with the named rules), confidence and lift.
const FILLER_RULES: SeededRule[] = Array.from({ length: FILLERS }, (_, i) => ({
  antecedent: String(7100 + i),
  consequent: String(7100 + ((i + 1) % FILLERS)),
  count: 3 + i,
  confidence: (((i * 7) % FILLERS) + 5) / 100,
  lift: ((i * 11) % FILLERS) + 1.25,
}));

describeEachDatabase("recommendations page", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let n = 0;

  /** A shop whose model knows the named products and the filler ring; `rules: false` stores the model without rules. */
  async function seedShop(opts: { rules?: boolean; model?: boolean } = {}): Promise<AdminShop> {
    const domain = `recs-${++n}-${provider}.myshopify.com`;
    const row = await db.shop.create({ data: { domain, timezone: "Europe/London" } });
    const product = (shopifyId: string, title: string, extra: { status?: string; available?: boolean; priceMilli?: bigint } = {}) =>
      db.product.create({ data: { shopId: row.id, shopifyId, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"), title, status: extra.status ?? "ACTIVE", available: extra.available ?? true, priceMilli: extra.priceMilli ?? 2550n, currency: "GBP" } });
    await product("7001", "WHITE HANGING HEART T-LIGHT HOLDER");
    await product("7002", "RED HEART BUNTING", { priceMilli: 12_500n });
    await product("7003", "JUMBO BAG RED RETROSPOT");
    await product("7004", "HEART OF WICKER SMALL", { status: "DRAFT" });
    await product("7005", "PAPER LANTERN", { available: false });
    await product("7006", "POPULAR MUG");
    await product("7010", "GLASS STAR FROSTED");
    // 7009 is in the model but not in the catalogue (deleted since the training).
    for (let i = 0; i < FILLERS; i++) await product(String(7100 + i), `FILLER ITEM ${i}`);
    if (opts.model === false) return { id: row.id, domain, currency: "GBP", timeZone: "Europe/London" };
    const model = await db.recommendationModel.create({
      data: {
        shopId: row.id,
        version: 1,
        basketCount: BASKETS,
        productCount: 40,
        params: JSON.stringify({ lambda: 20, headMax: 4000, neighbours: 100, historyWeight: 0.1, minSupport: 0.001, minCount: 3, minConfidence: 0.05, maxAntecedent: 2 }),
        metrics: JSON.stringify({
          evaluation: {
            cutoffDay: "2011-09-01",
            trainBaskets: 12_869,
            queries: 6_901,
            methods: { segmint: { hit5: 0.21, hit10: 0.295, mrr10: 0.14 }, popularity: { hit5: 0.02, hit10: 0.036, mrr10: 0.012 }, cooccurrence: { hit5: 0.08, hit10: 0.117, mrr10: 0.05 }, "item-knn": { hit5: 0.12, hit10: 0.166, mrr10: 0.07 } },
          },
          trainMs: 41_000,
          evaluationMs: 40_000,
          rules: 34,
          head: 40,
        }),
        popularity: JSON.stringify({ all: ["7006", "7003", "7002"] }),
        trainedAt: new Date("2011-12-10T02:00:00Z"),
      },
    });
    await db.productRecommendation.create({
      data: {
        shopId: row.id,
        modelId: model.id,
        productId: "7001",
        // Best first: a draft, a rule's consequent, a deleted product, a sold-out one, another rule's, a link without a rule.
        neighbours: JSON.stringify([{ id: "7004", score: 0.5 }, { id: "7002", score: 0.4 }, { id: "7009", score: 0.3 }, { id: "7005", score: 0.25 }, { id: "7003", score: 0.2 }, { id: "7010", score: 0.1 }]),
      },
    });
    if (opts.rules !== false) {
      // Inserted fillers first and shuffled, so every order is the query's doing.
      const all = [...FILLER_RULES.map((_, i) => FILLER_RULES[(i * 7) % FILLERS]!), ...NAMED_RULES];
      for (const r of all) await db.productRule.create({ data: { shopId: row.id, modelId: model.id, ...r, support: r.count / BASKETS } });
    }
    return { id: row.id, domain, currency: "GBP", timeZone: "Europe/London" };
  }

  const ALL_RULES = [...NAMED_RULES, ...FILLER_RULES];
  const key = (r: { antecedent: readonly string[] | string; consequent: string }) => `${Array.isArray(r.antecedent) ? r.antecedent.join(",") : r.antecedent}>${r.consequent}`;
  const keys = (rows: readonly { antecedent: readonly { id: string }[]; consequent: { id: string } }[]) => rows.map((r) => `${r.antecedent.map((p) => p.id).join(",")}>${r.consequent.id}`);

  beforeAll(async () => {
    stubAppEnv();
    t = await createTestDatabase(provider);
    db = t.db;
    globalThis.__segmintDb = db;
  }, 120_000);
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    vi.unstubAllEnvs();
    await t?.drop();
  });

  it("reads the URL's search, sort, direction, page, product and find, and falls back to the defaults", () => {
    expect(recommendationsQueryOf(new URLSearchParams("q=%20heart%20&sort=lift&dir=asc&page=2&product=gid://shopify/Product/7001&find=bag"))).toEqual({ search: "heart", sort: "lift", direction: "asc", page: 2, product: "7001", find: "bag" });
    expect(recommendationsQueryOf(new URLSearchParams("sort=price&dir=up&page=-1&product=%20"))).toEqual(QUERY);
    expect(recommendationsQueryOf(new URLSearchParams("page=1.5")).page).toBe(1);
  });

  it("the summary: when it was trained, on how many baskets and products, its rules, the evaluation in the page's order, the rule thresholds", async () => {
    const shop = await seedShop();
    const view = await recommendationsPageView(db, shop, QUERY);
    expect(view.model).toEqual({
      trainedAt: "2011-12-10T02:00:00.000Z",
      basketCount: BASKETS,
      productCount: 40,
      ruleCount: ALL_RULES.length,
      trainMs: 41_000,
      thresholds: { minSupport: 0.001, minCount: 3, minConfidence: 0.05 },
      evaluation: {
        cutoffDay: "2011-09-01",
        trainBaskets: 12_869,
        queries: 6_901,
        methods: [
          { method: "segmint", hit5: 0.21, hit10: 0.295, mrr10: 0.14 },
          { method: "item-knn", hit5: 0.12, hit10: 0.166, mrr10: 0.07 },
          { method: "cooccurrence", hit5: 0.08, hit10: 0.117, mrr10: 0.05 },
          { method: "popularity", hit5: 0.02, hit10: 0.036, mrr10: 0.012 },
        ],
      },
    });
    expect(view.training).toBeNull();
  });

  it("rules: sorted by each measure either way (ties: more orders first), 25 a page, a page past the end shows the last", async () => {
    const shop = await seedShop();
    for (const sort of ["count", "lift", "confidence", "support"] as const) {
      for (const direction of ["desc", "asc"] as const) {
        const sign = direction === "desc" ? -1 : 1;
        const expected = [...ALL_RULES].sort((a, b) => sign * ((sort === "support" ? a.count - b.count : a[sort] - b[sort]) || 0) || b.count - a.count).map(key);
        const first = await recommendationsPageView(db, shop, { ...QUERY, sort, direction });
        const second = await recommendationsPageView(db, shop, { ...QUERY, sort, direction, page: 2 });
        expect([...keys(first.rules.rows), ...keys(second.rules.rows)], `${sort} ${direction}`).toEqual(expected);
      }
    }
    const first = await recommendationsPageView(db, shop, QUERY);
    expect(first.rules).toMatchObject({ total: ALL_RULES.length, page: 1, pageCount: 2, pageSize: RULES_PAGE_SIZE, sort: "count", direction: "desc" });
    expect(first.rules.rows).toHaveLength(RULES_PAGE_SIZE);
    expect((await recommendationsPageView(db, shop, { ...QUERY, page: 9 })).rules).toMatchObject({ page: 2, rows: expect.any(Array) });
    expect((await recommendationsPageView(db, shop, { ...QUERY, page: 9 })).rules.rows).toHaveLength(ALL_RULES.length - RULES_PAGE_SIZE);
  });

  it("a rule reads in words with the products' titles; a product no longer in the catalogue is named by its id", async () => {
    const shop = await seedShop();
    const view = await recommendationsPageView(db, shop, { ...QUERY, search: "heart" });
    const byKey = new Map(view.rules.rows.map((r) => [key({ antecedent: r.antecedent.map((p) => p.id), consequent: r.consequent.id }), r]));
    expect(byKey.get("7001>7002")).toMatchObject({ count: 120, support: 0.12, confidence: 0.34, lift: 5.234, consequent: { id: "7002", title: "RED HEART BUNTING", status: "ACTIVE", available: true } });
    expect(byKey.get("7001>7002")!.sentence).toBe(
      "Bought together in 120 orders (12% of all baskets): 34% of baskets with WHITE HANGING HEART T-LIGHT HOLDER also hold RED HEART BUNTING, 5.2× more often than usual.",
    );
    expect(byKey.get("7001,7002>7003")!.sentence).toBe(
      "Bought together in 35 orders (3.5% of all baskets): 10% of baskets with WHITE HANGING HEART T-LIGHT HOLDER and RED HEART BUNTING also hold JUMBO BAG RED RETROSPOT, 2.0× more often than usual.",
    );
    const gone = { id: "7009", title: null, status: null, available: false };
    const mug = { id: "7006", title: "POPULAR MUG", status: "ACTIVE", available: true };
    expect(ruleSentence({ antecedent: [gone], consequent: mug, count: 1, support: 0.0004, confidence: 0.5, lift: 0.8 })).toBe(
      "Bought together in 1 order (0.04% of all baskets): 50% of baskets with product 7009 also hold POPULAR MUG, only 0.8× as often as usual.",
    );
  });

  it("search: by title in any case, by id as antecedent, inside a two-product antecedent or as consequent; nothing matching says 0", async () => {
    const shop = await seedShop();
    const find = async (search: string) => keys((await recommendationsPageView(db, shop, { ...QUERY, search })).rules.rows).sort();
    expect(await find("heart")).toEqual(["7001,7002>7003", "7001>7002", "7001>7003"]);
    expect(await find("Red Heart")).toEqual(["7001,7002>7003", "7001>7002"]);
    expect(await find("7002")).toEqual(["7001,7002>7003", "7001>7002"]);
    expect(await find("7003")).toEqual(["7001,7002>7003", "7001>7003", "7003>7006"]);
    // A product's gid is read as its id.
    expect(await find("gid://shopify/Product/7110")).toEqual(["7109>7110", "7110>7111"]);
    expect(await find("100%_")).toEqual([]);
    const none = await recommendationsPageView(db, shop, { ...QUERY, search: "teapot" });
    expect(none.rules).toMatchObject({ total: 0, rows: [], pageCount: 1, search: "teapot", searchCapped: false });
  });

  it("preview: the storefront's lists for a guest, why each product is there, and the neighbours a shopper is not shown", async () => {
    const shop = await seedShop();
    const view = await recommendationsPageView(db, shop, { ...QUERY, product: "7001" });
    const preview = view.preview;
    expect(preview?.kind).toBe("product");
    if (preview?.kind !== "product") return;
    expect(preview.product).toEqual({ id: "7001", title: "WHITE HANGING HEART T-LIGHT HOLDER", status: "ACTIVE", available: true });
    expect(preview.known).toBe(true);
    expect(preview.lists.map((l) => l.block)).toEqual(["together", "for-you"]);
    const together = preview.lists[0]!.items;
    // The allowed neighbours best first, and nothing else: three, not padded to four with a best seller.
    expect(together.map((i) => [i.id, i.why.kind])).toEqual([["7002", "rule"], ["7003", "rule"], ["7010", "model"]]);
    expect(together[0]).toMatchObject({ title: "RED HEART BUNTING", price: "£12.50", image: null, url: "/products/red-heart-bunting" });
    const why = together[0]!.why;
    expect(why.kind === "rule" && why.rules.map((r) => r.sentence)).toEqual(["Bought together in 120 orders (12% of all baskets): 34% of baskets with WHITE HANGING HEART T-LIGHT HOLDER also hold RED HEART BUNTING, 5.2× more often than usual."]);
    expect(together[2]!.why).toEqual({ kind: "model", score: 0.1 });
    // A guest's "for you" on a product page starts from the same product, then fills from the best sellers (7003 is already in).
    expect(preview.lists[1]!.items.map((i) => [i.id, i.why.kind])).toEqual([...together.map((i) => [i.id, i.why.kind]), ["7006", "popular"]]);
    expect(preview.leftOut.map((l) => [l.product.id, l.reason])).toEqual([["7004", "draft"], ["7009", "deleted"], ["7005", "unavailable"]]);
  });

  it("preview: at most LEFT_OUT_SHOWN neighbours a shopper is not shown are listed (a catalogue not synced yet hides them all)", async () => {
    const shop = await seedShop();
    const model = await db.recommendationModel.findFirstOrThrow({ where: { shopId: shop.id } });
    await db.productRecommendation.create({ data: { shopId: shop.id, modelId: model.id, productId: "7002", neighbours: JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ id: String(9100 + i), score: 1 - i / 100 }))) } });
    const preview = (await recommendationsPageView(db, shop, { ...QUERY, product: "7002" })).preview;
    expect(preview?.kind === "product" && preview.leftOut.map((l) => [l.product.id, l.reason])).toEqual(Array.from({ length: LEFT_OUT_SHOWN }, (_, i) => [String(9100 + i), "deleted"]));
  });

  it("preview: a product the model does not know: nothing bought together, the best sellers for you; a draft product says so; the picker finds products by title or id", async () => {
    const shop = await seedShop();
    const lantern = (await recommendationsPageView(db, shop, { ...QUERY, product: "7005" })).preview;
    expect(lantern).toMatchObject({ kind: "product", known: false, product: { id: "7005", available: false }, leftOut: [] });
    if (lantern?.kind !== "product") return;
    expect(lantern.lists.map((l) => [l.block, l.items.map((i) => [i.id, i.why.kind])])).toEqual([
      ["together", []],
      ["for-you", [["7006", "popular"], ["7003", "popular"], ["7002", "popular"]]],
    ]);
    expect((await recommendationsPageView(db, shop, { ...QUERY, product: "7004" })).preview).toMatchObject({ kind: "product", product: { status: "DRAFT" } });
    const found = await recommendationsPageView(db, shop, { ...QUERY, find: "heart" });
    expect(found.productSearch?.results.map((p) => p.id)).toEqual(["7004", "7002", "7001"]);
    expect((await recommendationsPageView(db, shop, { ...QUERY, find: "7003" })).productSearch?.results).toEqual([{ id: "7003", title: "JUMBO BAG RED RETROSPOT", status: "ACTIVE", available: true }]);
    expect((await recommendationsPageView(db, shop, { ...QUERY, find: "teapot" })).productSearch).toEqual({ text: "teapot", results: [] });
  });

  it("shop scoping: another shop's product is not found, its rules and products never show; an unknown id is not found", async () => {
    const a = await seedShop();
    const b = await seedShop();
    await db.product.create({ data: { shopId: b.id, shopifyId: "8001", handle: "only-in-b", title: "ONLY IN SHOP B", status: "ACTIVE" } });
    const bModel = await db.recommendationModel.findFirstOrThrow({ where: { shopId: b.id } });
    await db.productRule.create({ data: { shopId: b.id, modelId: bModel.id, antecedent: "8001", consequent: "7001", count: 999, support: 0.999, confidence: 0.9, lift: 9 } });
    const view = await recommendationsPageView(db, a, { ...QUERY, product: "8001", find: "only in" });
    expect(view.preview).toEqual({ kind: "not-found", productId: "8001" });
    expect(view.productSearch?.results).toEqual([]);
    expect(view.rules.total).toBe(ALL_RULES.length);
    expect(view.rules.rows[0]!.count).toBe(120);
    expect((await recommendationsPageView(db, a, { ...QUERY, search: "8001" })).rules.total).toBe(0);
    expect((await recommendationsPageView(db, a, { ...QUERY, product: "99999" })).preview).toEqual({ kind: "not-found", productId: "99999" });
    expect((await recommendationsPageView(db, b, { ...QUERY, search: "8001" })).rules.total).toBe(1);
  });

  it("empty states: no model yet (no rules, no preview), a model without rules at the thresholds", async () => {
    const none = await seedShop({ model: false });
    const view = await recommendationsPageView(db, none, { ...QUERY, product: "7001", search: "heart" });
    expect(view.model).toBeNull();
    expect(view.rules).toMatchObject({ rows: [], total: 0, page: 1, pageCount: 1 });
    expect(view.preview).toBeNull();
    const noRules = await seedShop({ rules: false });
    const bare = await recommendationsPageView(db, noRules, { ...QUERY, product: "7001" });
    expect(bare.model?.ruleCount).toBe(0);
    expect(bare.rules.total).toBe(0);
    // Without rules, the recommender's links still explain the lists; only "for you" adds a best seller.
    expect(bare.preview?.kind === "product" && bare.preview.lists.map((l) => l.items.map((i) => i.why.kind))).toEqual([
      ["model", "model", "model"],
      ["model", "model", "model", "popular"],
    ]);
  });

  it("Train now queues one training (on demand) and says so; asking again while it waits adds none; the page shows it queued", async () => {
    const shop = await seedShop();
    expect(await trainNow(db, shop.id)).toMatchObject({ outcome: "queued", message: expect.stringMatching(/^Training queued/) });
    expect(await trainNow(db, shop.id)).toMatchObject({ outcome: "already-queued" });
    const jobs = await db.job.findMany({ where: { shopId: shop.id, type: "train-recommendations" } });
    expect(jobs.map((j) => [j.status, JSON.parse(j.payload)])).toEqual([["queued", { reason: "on-demand" }]]);
    expect((await recommendationsPageView(db, shop, QUERY)).training).toBe("queued");
  });

  describe("/app/recommendations route", () => {
    it("loader: the session shop's view from the URL; action: train → 200 with a message, an unknown intent → 400", async () => {
      const { loader, action } = await import("../../app/routes/app.recommendations");
      const shop = await seedShop();
      session.shop = shop.domain;
      const page = (await answer(loader({ request: new Request("http://localhost/app/recommendations?sort=lift&q=heart"), params: {}, context: {} }))).body as {
        installed: true;
        view: { rules: { sort: string; rows: { lift: number }[] } };
      };
      expect(page.view.rules.sort).toBe("lift");
      expect(page.view.rules.rows.map((r) => r.lift)).toEqual([5.234, 2, 1.7]);
      expect(await answer(action({ request: post({ intent: "train" }), params: {}, context: {} }))).toMatchObject({ status: 200, body: { ok: true, message: expect.stringMatching(/^Training queued/) } });
      expect((await answer(action({ request: post({ intent: "delete" }), params: {}, context: {} }))).status).toBe(400);
    });
  });
});
