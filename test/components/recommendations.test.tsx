// The Recommendations page's components as server-rendered HTML with realistic views (Online
// Retail's heart T-light holder and its neighbours): the model's sentence and Train now as a real
// form, the evaluation chart (a column per method, Segmint's emphasised) with its figures, the
// rules table (sort state, products linking to their preview, the rule in words, the measures
// explained), and the preview (each list, why each product is there — best sellers only in
// "Recommended for you", never in "Frequently bought together" —, what a shopper is not shown, a
// product the model does not know, product not found).
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { EvaluationChart, evaluationSummary } from "../../app/components/recommendations/evaluation-chart";
import { EvaluationCard, ModelCard, modelSentence } from "../../app/components/recommendations/model-summary";
import { ProductPreview, whySentence } from "../../app/components/recommendations/product-preview";
import { RulesTable } from "../../app/components/recommendations/rules-table";
import { formatLift, formatSupport, productAdminUrl, recommendationsHref } from "../../app/components/recommendations/view";
import { ruleSentence, type ModelView, type PreviewItem, type ProductRef, type RecommendationsPageView, type RuleView } from "../../app/domain/recommendation";

const html = (node: ReactNode) => renderToStaticMarkup(<AppProvider i18n={en}>{node}</AppProvider>);
/** Components with links and forms need a data router around them, as the Remix app's server render has. */
async function routed(node: ReactNode): Promise<string> {
  const { query, dataRoutes } = createStaticHandler([{ path: "/app/recommendations", element: node }]);
  const context = await query(new Request("http://localhost/app/recommendations"));
  if (context instanceof Response) throw new Error("the static handler answered a Response");
  return html(<StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} hydrate={false} />);
}
const text = (out: string) => out.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/\s+/g, " ");

const SHOP = "segmint-demo.myshopify.com";
const ref = (id: string, title: string | null, status: string | null = "ACTIVE", available = true): ProductRef => ({ id, title, status, available });
const heart = ref("7001", "WHITE HANGING HEART T-LIGHT HOLDER");
const bunting = ref("7002", "RED HEART BUNTING");
const bag = ref("7003", "JUMBO BAG RED RETROSPOT");
const rule = (id: number, antecedent: ProductRef[], consequent: ProductRef, count: number, confidence: number, lift: number): RuleView => {
  const m = { count, support: count / 1000, confidence, lift };
  return { id, antecedent, consequent, ...m, sentence: ruleSentence({ ...m, antecedent, consequent }) };
};
const r1 = rule(1, [heart], bunting, 120, 0.34, 5.234);
const r2 = rule(2, [heart, bunting], bag, 35, 0.1, 2);

const model: ModelView = {
  trainedAt: "2011-12-10T02:00:00.000Z",
  basketCount: 16_766,
  productCount: 3_630,
  ruleCount: 1_234,
  trainMs: 41_000,
  thresholds: { minSupport: 0.001, minCount: 3, minConfidence: 0.05 },
  evaluation: {
    cutoffDay: "2011-09-01",
    trainBaskets: 12_869,
    queries: 6_901,
    methods: [
      { method: "segmint", hit5: 0.21, hit10: 0.295, mrr10: 0.1412 },
      { method: "item-knn", hit5: 0.12, hit10: 0.166, mrr10: 0.07 },
      { method: "cooccurrence", hit5: 0.08, hit10: 0.117, mrr10: 0.05 },
      { method: "popularity", hit5: 0.02, hit10: 0.036, mrr10: 0.012 },
    ],
  },
};

const buntingItem: PreviewItem = { id: "7002", title: "RED HEART BUNTING", handle: "red-heart-bunting", price: "£12.50", image: { url: "https://cdn.example/bunting.png", alt: "Red bunting" }, url: "/products/red-heart-bunting", why: { kind: "rule", rules: [r1] } };
const starItem: PreviewItem = { id: "7010", title: "GLASS STAR FROSTED", handle: "glass-star", price: "£2.55", image: null, url: "/products/glass-star", why: { kind: "model", score: 0.1 } };
const mugItem: PreviewItem = { id: "7006", title: "POPULAR MUG", handle: "popular-mug", price: null, image: null, url: "/products/popular-mug", why: { kind: "popular" } };

const view: RecommendationsPageView = {
  model,
  training: null,
  rules: { rows: [r1, r2], total: 27, page: 2, pageCount: 2, pageSize: 25, sort: "lift", direction: "desc", search: "heart", searchCapped: false },
  preview: {
    kind: "product",
    product: heart,
    known: true,
    lists: [
      { block: "together", items: [buntingItem, starItem] },
      // A guest's "for you" starts from the same product, then fills up from the best sellers.
      { block: "for-you", items: [buntingItem, starItem, mugItem] },
    ],
    leftOut: [
      { product: ref("7004", "HEART OF WICKER SMALL", "DRAFT"), reason: "draft" },
      { product: ref("7009", null, null, false), reason: "deleted" },
    ],
  },
  productSearch: { text: "heart", results: [heart, ref("7004", "HEART OF WICKER SMALL", "DRAFT")] },
  limit: 4,
  timeZone: "Europe/London",
  shopDomain: SHOP,
};

describe("view helpers", () => {
  it("URLs keep the state and leave the defaults out; the product's page in Shopify admin; table figures", () => {
    expect(recommendationsHref({})).toBe("/app/recommendations");
    expect(recommendationsHref({ search: "", sort: "count", direction: "desc", page: 1, product: null, find: "" })).toBe("/app/recommendations");
    expect(recommendationsHref({ search: "red heart", sort: "lift", direction: "asc", page: 3, product: "7001", find: "bag" }, "preview")).toBe(
      "/app/recommendations?q=red+heart&sort=lift&dir=asc&page=3&product=7001&find=bag#preview",
    );
    expect(productAdminUrl(SHOP, "7001")).toBe("https://admin.shopify.com/store/segmint-demo/products/7001");
    expect([formatSupport(0.0012), formatSupport(0.12), formatLift(5.234)]).toEqual(["0.12%", "12.0%", "5.23×"]);
  });
});

describe("model and evaluation", () => {
  it("when, on how many baskets and products, how long, how many rules; Train now posts intent=train; a queued training disables it and says so", async () => {
    expect(modelSentence(model, "Europe/London")).toBe("Trained 10 Dec 2011, 02:00 GMT on 16,766 baskets and 3,630 products (in 41 s); 1,234 rules.");
    const out = await routed(<ModelCard model={model} training={null} timeZone="Europe/London" />);
    expect(out).toMatch(/<form[^>]*method="post"[^>]*><input type="hidden" name="intent" value="train"\/>/);
    expect(out).toMatch(/data-testid="recommendations-train"><button[^>]*aria-disabled="false" type="submit"/);
    const queued = await routed(<ModelCard model={model} training="queued" timeZone="UTC" />);
    expect(queued).toMatch(/data-testid="recommendations-train"><button[^>]*aria-disabled="true"/);
    expect(text(queued)).toContain("A training is queued; it starts shortly.");
  });

  it("a named column chart, one column per method with Segmint's emphasised, the figures as a table, and a sentence comparing with the best baseline", async () => {
    const out = html(<EvaluationChart evaluation={model.evaluation!} testId="chart" />);
    expect(out).toMatch(/<svg[^>]*role="img"/);
    expect([...out.matchAll(/data-method="([^"]+)"/g)].map((m) => m[1])).toEqual(["segmint", "item-knn", "cooccurrence", "popularity"]);
    expect(out).toMatch(/data-method="segmint"[^>]*style="fill:var\(--p-color-bg-fill-emphasis/);
    expect(out).toMatch(/data-method="popularity"[^>]*style="fill:var\(--p-color-icon-secondary/);
    expect(evaluationSummary(model.evaluation!)).toBe(
      "On 6,901 baskets from 1 Sep 2011 on, each with one product hidden, after training on the 12,869 baskets before, Segmint found the hidden product in its top 10 for 29.5% of them, ahead of the best simple method (Item-kNN (cosine), 16.6%).",
    );
    const card = text(await routed(<EvaluationCard model={model} />));
    expect(card).toContain("Segmint 21.0% 29.5% 0.141");
    expect(card).toContain("Popularity 2.0% 3.6% 0.012");
    const unmeasured = text(await routed(<EvaluationCard model={{ ...model, evaluation: null }} />));
    expect(unmeasured).toContain("Not measured at this training");
  });
});

describe("RulesTable", () => {
  it("the measures explained, the search kept, each product linking to its preview, figures and the rule in words", async () => {
    const out = await routed(<RulesTable rules={view.rules} product="7001" find="" />);
    const words = text(out);
    expect(words).toContain("Support: the share of all baskets");
    expect(words).toContain("Confidence: of the baskets with the first product(s)");
    expect(words).toContain("Lift: how many times more often");
    expect(words).toContain("Showing 26–27 of 27 rules naming “heart”.");
    expect(out).toMatch(/<input name="q"[^>]*value="heart"/);
    expect(out).toContain('<input type="hidden" name="sort" value="lift"/>');
    expect(out).toContain('href="/app/recommendations?q=heart&amp;sort=lift&amp;page=2&amp;product=7002#preview"');
    expect(words).toContain(r1.sentence);
    expect(words).toContain("5.23×");
    expect(words).toContain("WHITE HANGING HEART T-LIGHT HOLDER #7001 RED HEART BUNTING #7002 JUMBO BAG RED RETROSPOT #7003");
    expect(out).toContain('href="/app/recommendations?q=heart&amp;sort=lift&amp;product=7001#rules"');
  });

  it("no rule at the thresholds, or none for the search, says what that means", async () => {
    const empty = { ...view.rules, rows: [], total: 0, page: 1, pageCount: 1 };
    expect(text(await routed(<RulesTable rules={{ ...empty, search: "" }} product={null} find="" />))).toContain("No rule passed the thresholds");
    expect(text(await routed(<RulesTable rules={empty} product={null} find="" />))).toContain("No rule names a product whose title contains “heart” or whose id is heart.");
  });
});

describe("ProductPreview", () => {
  it("each block's list in order with price, image (or a same-size placeholder) and why; only for you fills from the best sellers; what a shopper is not shown", async () => {
    const out = await routed(<ProductPreview view={view} state={{ search: "heart", sort: "lift", direction: "desc", page: 2, product: "7001", find: "heart" }} />);
    const words = text(out);
    expect(words).toContain("On the page of WHITE HANGING HEART T-LIGHT HOLDER (#7001)");
    expect(out).toContain('href="https://admin.shopify.com/store/segmint-demo/products/7001"');
    const together = out.slice(out.indexOf('data-testid="recommendations-preview-together"'), out.indexOf('data-testid="recommendations-preview-for-you"'));
    const forYou = out.slice(out.indexOf('data-testid="recommendations-preview-for-you"'));
    const whys = (html: string) => [...html.matchAll(/data-product="(\d+)" data-why="(\w+)"/g)].map((m) => [m[1], m[2]]);
    expect(whys(together)).toEqual([["7002", "rule"], ["7010", "model"]]);
    expect(whys(forYou)).toEqual([["7002", "rule"], ["7010", "model"], ["7006", "popular"]]);
    expect(out).toContain('<ol aria-label="Frequently bought together" data-testid="recommendations-preview-together"');
    expect(together).toContain('alt="Red bunting"');
    expect(text(together)).toContain("1. RED HEART BUNTING £12.50 · #7002");
    expect(text(forYou)).toContain("3. POPULAR MUG no price · #7006");
    expect(words).toContain("begins with the same products, then fills up from your best sellers (Frequently bought together never does)");
    expect(words).toContain("HEART OF WICKER SMALL (#7004): a draft");
    expect(words).toContain("product 7009 (#7009): not in the store's catalogue (deleted, or not synced yet)");
    // The picker's matches link to their preview, and say when a shopper cannot see the product.
    expect(words).toContain("HEART OF WICKER SMALL #7004 (a draft)");
  });

  it("why in words: the rule, the recommender's link with the thresholds a rule needs, the best sellers", () => {
    const [rule, link, popular] = (view.preview as Extract<RecommendationsPageView["preview"], { kind: "product" }>).lists[1]!.items;
    expect(whySentence(rule!, heart, model.thresholds)).toBe(r1.sentence);
    expect(whySentence(link!, heart, model.thresholds)).toBe(
      "The recommender links it to WHITE HANGING HEART T-LIGHT HOLDER from the baskets of similar products (score 0.100); the two are bought together too rarely for a rule (a rule needs at least 3 orders, 0.1% of all baskets, and 5% confidence).",
    );
    expect(whySentence(popular!, heart, null)).toBe("Popular in the store: filled in from your best sellers, as nothing is linked more closely to WHITE HANGING HEART T-LIGHT HOLDER.");
  });

  it("a product the model does not know: Frequently bought together is empty and says so, Recommended for you shows the best sellers", async () => {
    const lantern = ref("7005", "PAPER LANTERN", "ACTIVE", false);
    const preview = { kind: "product" as const, product: lantern, known: false, lists: [{ block: "together" as const, items: [] }, { block: "for-you" as const, items: [mugItem] }], leftOut: [] };
    const out = await routed(<ProductPreview view={{ ...view, preview, productSearch: null }} state={{ product: "7005" }} />);
    const words = text(out);
    expect(out).toContain('data-testid="recommendations-preview-empty-together"');
    expect(out).not.toContain('data-testid="recommendations-preview-together"');
    expect(words).toContain("Nothing a shopper can be shown is bought together with this product: on its page the block hides itself rather than fill up with best sellers.");
    expect(words).toContain("Frequently bought together is empty (the block hides on its page) and Recommended for you shows your best sellers.");
    expect(out).toMatch(/data-testid="recommendations-preview-for-you"[^]*data-product="7006" data-why="popular"/);
    expect(words).not.toContain("starts from the same product");
  });

  it("a product not in this store says so and what to do", async () => {
    const out = text(await routed(<ProductPreview view={{ ...view, preview: { kind: "not-found", productId: "8001" }, productSearch: null }} state={{ product: "8001" }} />));
    expect(out).toContain("Product not found in this store");
    expect(out).toContain("No product #8001 is in this store's catalogue or in its model. Check the id, or find the product by its title above.");
  });
});
