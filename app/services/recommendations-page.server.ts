// The Recommendations page (/app/recommendations): the shop's latest trained recommender (when,
// on how many baskets and products, its offline evaluation against the baselines), its
// association rules (sorted by a measure, searched by product title or id, 25 a page), and a
// product's preview: the storefront blocks' lists exactly as the app proxy serves them
// (services/recommendations.server's storefrontRecommendations; no scoring here) with why each
// product is there, and which strong neighbours a shopper is not shown. The one write is "Train
// now" (a queued job). Loaders read stored rows only.
import { db as defaultDb, type Db } from "../db.server";
import {
  DEFAULT_RULE_SORT, hiddenReason, parseRecommendationMetrics, parseRuleThresholds, RULE_SORTS, ruleSentence,
  type HiddenReason, type ModelView, type PreviewBlock, type PreviewItem, type PreviewView, type ProductRef,
  type RecommendationsPageView, type RuleSort, type RuleSortDirection, type RulesPageView, type RuleView,
} from "../domain/recommendation";
import {
  catalogueProducts, countRules, latestRecommendationModel, rulesBetween, rulesPage, searchCatalogue, storedNeighbours,
  type StoredModelSummary, type StoredRule,
} from "../models/recommendation-rules.server";
import { JOB } from "../queue/job-types";
import { enqueue, singletonState } from "../queue/queue.server";
import type { AdminShop } from "./admin-shop.server";
import { storefrontRecommendations, type StorefrontProduct } from "./recommendations.server";

export const RULES_PAGE_SIZE = 25;
/** Products per block in the preview: the blocks' default setting. */
export const PREVIEW_LIMIT = 4;
/** The product picker lists this many matches. */
export const PRODUCT_SEARCH_RESULTS = 10;
/** A rules search by title looks through at most this many matching products. */
export const SEARCH_PRODUCTS_MAX = 200;
/** The preview lists at most this many neighbours a shopper is not shown (a store whose catalogue is not synced yet would list them all). */
export const LEFT_OUT_SHOWN = 10;
export const PAGE_BLOCKS: readonly PreviewBlock[] = ["together", "for-you"];

export interface RecommendationsQuery {
  readonly search: string;
  readonly sort: RuleSort;
  readonly direction: RuleSortDirection;
  readonly page: number;
  /** The previewed product's Shopify id (null: none picked). */
  readonly product: string | null;
  /** The product picker's search text. */
  readonly find: string;
}

/** "gid://shopify/Product/123" → "123"; other text as typed, trimmed. */
function productIdOf(text: string): string {
  return text.trim().replace(/^gid:\/\/shopify\/Product\//i, "");
}

/** The URL's `q`, `sort`, `dir`, `page`, `product`, `find`; anything malformed is the default. */
export function recommendationsQueryOf(sp: URLSearchParams): RecommendationsQuery {
  const sort = sp.get("sort");
  const page = Number(sp.get("page") ?? "1");
  const product = productIdOf(sp.get("product") ?? "").slice(0, 100);
  return {
    search: (sp.get("q") ?? "").trim().slice(0, 100),
    sort: (RULE_SORTS as readonly string[]).includes(sort ?? "") ? (sort as RuleSort) : DEFAULT_RULE_SORT,
    direction: sp.get("dir") === "asc" ? "asc" : "desc",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    product: product === "" ? null : product,
    find: (sp.get("find") ?? "").trim().slice(0, 100),
  };
}

/** The catalogue's view of these ids (ids not in it: title null). */
async function productRefs(db: Db, shopId: number, ids: readonly string[]): Promise<Map<string, ProductRef>> {
  const found = new Map((await catalogueProducts(db, shopId, ids)).map((p) => [p.id, p]));
  return new Map(ids.map((id) => {
    const p = found.get(id);
    return [id, p ? { id, title: p.title, status: p.status, available: p.available } : { id, title: null, status: null, available: false }];
  }));
}

function ruleViews(rules: readonly StoredRule[], refs: ReadonlyMap<string, ProductRef>): RuleView[] {
  const refOf = (id: string): ProductRef => refs.get(id) ?? { id, title: null, status: null, available: false };
  return rules.map((r) => {
    const antecedent = r.antecedent.map(refOf);
    const consequent = refOf(r.consequent);
    const measures = { count: r.count, support: r.support, confidence: r.confidence, lift: r.lift };
    return { id: r.id, antecedent, consequent, ...measures, sentence: ruleSentence({ ...measures, antecedent, consequent }) };
  });
}

function modelView(model: StoredModelSummary): ModelView {
  const metrics = parseRecommendationMetrics(model.metrics);
  return {
    trainedAt: model.trainedAt.toISOString(),
    basketCount: model.basketCount,
    productCount: model.productCount,
    ruleCount: model.ruleCount,
    evaluation: metrics.evaluation,
    trainMs: metrics.trainMs,
    thresholds: parseRuleThresholds(model.params),
  };
}

/** The products a rules search names: titles containing the text, the id typed, capped. */
async function searchedProductIds(db: Db, shopId: number, search: string): Promise<{ ids: string[]; capped: boolean }> {
  const matches = await searchCatalogue(db, shopId, search, SEARCH_PRODUCTS_MAX + 1);
  const ids = matches.slice(0, SEARCH_PRODUCTS_MAX).map((p) => p.id);
  const id = productIdOf(search);
  // An id is searched even when the catalogue has no such product (a deleted product's rules stay until the next training).
  if (/^\d+$/.test(id) && !ids.includes(id)) ids.push(id);
  return { ids, capped: matches.length > SEARCH_PRODUCTS_MAX };
}

async function rulesView(db: Db, shopId: number, model: StoredModelSummary | null, query: RecommendationsQuery): Promise<RulesPageView> {
  const base = { pageSize: RULES_PAGE_SIZE, sort: query.sort, direction: query.direction, search: query.search };
  if (!model) return { ...base, rows: [], total: 0, page: 1, pageCount: 1, searchCapped: false };
  const searched = query.search ? await searchedProductIds(db, shopId, query.search) : null;
  const productIds = searched?.ids;
  // Without a search the model's own count is the total (a count over every rule costs as much as a page of them).
  const total = !productIds ? model.ruleCount : productIds.length === 0 ? 0 : await countRules(db, shopId, model.id, productIds);
  const pageCount = Math.max(1, Math.ceil(total / RULES_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const rules = total === 0 ? [] : await rulesPage(db, shopId, model.id, { sort: query.sort, direction: query.direction, offset: (page - 1) * RULES_PAGE_SIZE, limit: RULES_PAGE_SIZE, productIds });
  const refs = await productRefs(db, shopId, [...new Set(rules.flatMap((r) => [...r.antecedent, r.consequent]))]);
  return { ...base, rows: ruleViews(rules, refs), total, page, pageCount, searchCapped: searched?.capped ?? false };
}

/**
 * The preview of one product's page: each block's list from the storefront, each product with
 * why (the rule from the viewed product, else the recommender's link, else — "for you" only —
 * popularity: "together" is never filled), and the
 * viewed product's strongest neighbours a shopper is not shown (deleted, draft, archived, sold out).
 */
async function previewView(db: Db, shop: AdminShop, model: StoredModelSummary, productId: string): Promise<PreviewView> {
  const neighbours = await storedNeighbours(db, shop.id, model.id, productId);
  const linked = neighbours.filter((n) => n.score > 0);
  const refs = await productRefs(db, shop.id, [productId, ...linked.map((n) => n.id)]);
  const product = refs.get(productId)!;
  // Not in this shop's catalogue nor in its model: nothing of this shop is called that (another shop's id reads the same).
  if (product.title === null && neighbours.length === 0) return { kind: "not-found", productId };

  const lists = await Promise.all(PAGE_BLOCKS.map(async (block) => ({ block, products: (await storefrontRecommendations(shop.domain, { context: "product", block, productId, cart: [], customerId: null, limit: PREVIEW_LIMIT }, db)).products })));
  const shown = [...new Set(lists.flatMap((l) => l.products.map((p) => p.id)))];
  const rules = await rulesBetween(db, shop.id, model.id, productId, shown);
  const ruleRefs = await productRefs(db, shop.id, [productId, ...shown]);
  const rulesTo = new Map<string, RuleView[]>();
  for (const view of ruleViews(rules, ruleRefs)) rulesTo.set(view.consequent.id, [...(rulesTo.get(view.consequent.id) ?? []), view]);
  const score = new Map(linked.map((n) => [n.id, n.score]));
  const itemOf = (p: StorefrontProduct): PreviewItem => {
    const viaRules = rulesTo.get(p.id);
    const weight = score.get(p.id);
    const why: PreviewItem["why"] = viaRules ? { kind: "rule", rules: viaRules } : weight !== undefined ? { kind: "model", score: weight } : { kind: "popular" };
    return { id: p.id, title: p.title, handle: p.handle, price: p.price, image: p.image, url: p.url, why };
  };

  // Walk the neighbours as the storefront does: the hidden ones met before PREVIEW_LIMIT shown ones are what a shopper misses.
  const leftOut: { product: ProductRef; reason: HiddenReason }[] = [];
  let visible = 0;
  for (const n of linked) {
    if (visible >= PREVIEW_LIMIT || leftOut.length >= LEFT_OUT_SHOWN) break;
    const ref = refs.get(n.id)!;
    const reason = hiddenReason(ref);
    if (reason === null) visible++;
    else leftOut.push({ product: ref, reason });
  }
  return { kind: "product", product, lists: lists.map((l) => ({ block: l.block, items: l.products.map(itemOf) })), leftOut, known: neighbours.length > 0 };
}

/** Everything the Recommendations page shows for its URL. */
export async function recommendationsPageView(db: Db, shop: AdminShop, query: RecommendationsQuery): Promise<RecommendationsPageView> {
  const [model, training] = await Promise.all([latestRecommendationModel(db, shop.id), singletonState(db, shop.id, JOB.trainRecommendations)]);
  const rules = await rulesView(db, shop.id, model, query);
  const preview = model && query.product ? await previewView(db, shop, model, query.product) : null;
  const productSearch = query.find
    ? { text: query.find, results: (await searchCatalogue(db, shop.id, productIdOf(query.find), PRODUCT_SEARCH_RESULTS)).map((p) => ({ id: p.id, title: p.title, status: p.status, available: p.available })) }
    : null;
  return { model: model ? modelView(model) : null, training, rules, preview, productSearch, limit: PREVIEW_LIMIT, timeZone: shop.timeZone, shopDomain: shop.domain };
}

export interface TrainNowResult {
  readonly outcome: "queued" | "already-queued" | "running";
  readonly message: string;
}

const TRAIN_MESSAGES: Record<TrainNowResult["outcome"], string> = {
  queued: "Training queued. Segmint learns from your orders in the background; this page shows the new model, its rules and its evaluation when it is done.",
  "already-queued": "A training is already queued and starts shortly; no second one was added.",
  running: "A training is in progress; its model, rules and evaluation appear here when it is done.",
};

/** "Train now": queues a training of the shop's recommender unless one is waiting or running, and says which. */
export async function trainNow(db: Db, shopId: number): Promise<TrainNowResult> {
  const state = await singletonState(db, shopId, JOB.trainRecommendations);
  const outcome: TrainNowResult["outcome"] =
    state === "running" ? "running" : state === "queued" ? "already-queued" : (await enqueue(db, { type: JOB.trainRecommendations, shopId, singletonKey: JOB.trainRecommendations, payload: { reason: "on-demand" } })) === null ? "already-queued" : "queued";
  return { outcome, message: TRAIN_MESSAGES[outcome] };
}

/** The page's entry points on the app's database (routes never reach db.server themselves). */
export const recommendationsPageService = {
  view: (shop: AdminShop, search: URLSearchParams) => recommendationsPageView(defaultDb(), shop, recommendationsQueryOf(search)),
  trainNow: (shopId: number) => trainNow(defaultDb(), shopId),
};
