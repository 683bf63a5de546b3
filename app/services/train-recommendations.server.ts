// Training of one shop's recommender (docs/storefront.md, "Training"): its purchases → baskets →
// an offline evaluation (a model trained on the baskets before the day at 80 % of the shop's day
// range, asked to complete the later baskets, side by side with the baselines) → the final model
// on every basket, its association rules and popular products (the store's and each segment's of
// the latest completed run) → stored in one transaction, replacing the previous model.
import {
  basketsFromOrders,
  completionQueries,
  customerHistories,
  DEFAULT_RECOMMENDER_OPTIONS,
  DEFAULT_RULE_OPTIONS,
  evaluateCompletion,
  formatDay,
  mineRules,
  neighbourLists,
  popularProducts,
  recommend,
  trainBaseline,
  trainRecommender,
  type Basket,
  type CompletionMetrics,
  type RecommenderOptions,
  type RuleOptions,
} from "../analytics";
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { shopAnomalyOrders } from "../models/anomaly-orders.server";
import { saveRecommendationModel } from "../models/recommendations.server";
import { latestCompletedRunRef, runSegments } from "../models/segment-runs.server";
import { shopById } from "../models/shops.server";

const log = () => logger("recommendations");

/** The evaluation's query draw: fixed, so two trainings on the same orders report the same figures. */
export const EVALUATION_SEED = 2026;
/** Share of the shop's day range the evaluation trains on; the rest is asked to be completed. */
export const EVALUATION_TRAIN_SHARE = 0.8;
/** Fewer training baskets or queries than these: the figures would say nothing, so none are reported. */
export const EVALUATION_MIN_TRAIN_BASKETS = 20;
export const EVALUATION_MIN_QUERIES = 10;
/** The evaluation's list length (hit@10, MRR@10). */
const EVALUATION_LIMIT = 10;
/** Popular products kept per list (the store's and each segment's): the storefront's cold start. */
export const POPULAR_KEPT = 50;
/**
 * A segment's own popular list is kept only when this many of its customers have baskets: a
 * smaller segment's list would show its few members what the others bought.
 */
export const SEGMENT_MIN_CUSTOMERS = 10;

export type EvaluationMethod = "segmint" | "popularity" | "cooccurrence" | "item-knn";

/** The offline evaluation as stored in RecommendationModel.metrics (the admin page reads it). */
export interface RecommendationEvaluation {
  /** The first day asked about (YYYY-MM-DD, the shop's calendar): training used the baskets before it. */
  readonly cutoffDay: string;
  readonly trainBaskets: number;
  readonly queries: number;
  readonly methods: Record<EvaluationMethod, { hit5: number; hit10: number; mrr10: number }>;
}

export interface RecommendationMetrics {
  readonly evaluation: RecommendationEvaluation | null;
  readonly trainMs: number;
  readonly evaluationMs: number;
  readonly rules: number;
  /** Products solved exactly (EASE's head). */
  readonly head: number;
}

export interface TrainRecommendationsOptions {
  /** Recommender settings (tests, the bench); default: the core's defaults. */
  readonly recommender?: Partial<RecommenderOptions>;
  readonly rules?: Partial<RuleOptions>;
  /** Skip the offline evaluation (metrics.evaluation null): the bench's large catalogues. Default true. */
  readonly evaluate?: boolean;
  /** The queue's lease keeper, called between the long steps; false: the job was cancelled, stop. */
  readonly heartbeat?: () => Promise<boolean>;
}

export type TrainRecommendationsOutcome =
  | { readonly trained: true; readonly modelId: number; readonly baskets: number; readonly products: number; readonly lists: number; readonly rules: number; readonly metrics: RecommendationMetrics }
  | { readonly trained: false; readonly reason: "not-installed" | "no-baskets" | "cancelled" };

function metricsOf(m: CompletionMetrics): { hit5: number; hit10: number; mrr10: number } {
  return { hit5: m.hit5, hit10: m.hit10, mrr10: m.mrr10 };
}

const productIdsOf = (recs: readonly { productId: string }[]): string[] => recs.map((r) => r.productId);

/**
 * Basket completion on the shop's own orders: train before the day at 80 % of its day range, hide
 * one product (seeded) of each later basket with ≥ 2 products, ask each method for 10. Segmint is
 * asked as the storefront asks it (with the customer's own earlier baskets); the baselines with
 * the basket alone. Null when the shop has too little history to say anything.
 */
export function evaluateOnShop(baskets: readonly Basket[], options: RecommenderOptions): RecommendationEvaluation | null {
  if (baskets.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const b of baskets) {
    if (b.day < first) first = b.day;
    if (b.day > last) last = b.day;
  }
  const cutoff = first + Math.floor(EVALUATION_TRAIN_SHARE * (last - first));
  const train = baskets.filter((b) => b.day < cutoff);
  if (train.length < EVALUATION_MIN_TRAIN_BASKETS) return null;
  const queries = completionQueries(baskets.filter((b) => b.day >= cutoff), EVALUATION_SEED);
  if (queries.length < EVALUATION_MIN_QUERIES) return null;

  const segmint = trainRecommender(train, options);
  const histories = customerHistories(train);
  const methods = {
    segmint: metricsOf(
      evaluateCompletion(queries, (q) =>
        productIdsOf(recommend(segmint, { basket: q.basket, history: q.customerId === null ? null : (histories.get(q.customerId) ?? null), limit: EVALUATION_LIMIT })),
      ),
    ),
  } as Record<EvaluationMethod, { hit5: number; hit10: number; mrr10: number }>;
  for (const kind of ["popularity", "cooccurrence", "item-knn"] as const) {
    const baseline = trainBaseline(train, kind);
    methods[kind] = metricsOf(evaluateCompletion(queries, (q) => productIdsOf(recommend(baseline, { basket: q.basket, limit: EVALUATION_LIMIT }))));
  }
  return { cutoffDay: formatDay(cutoff), trainBaskets: train.length, queries: queries.length, methods };
}

/** Per segment: how many of its customers have a basket. */
function segmentBuyers(baskets: readonly Basket[], segments: ReadonlyMap<string, string>): Map<string, number> {
  const buyers = new Map<string, Set<string>>();
  for (const b of baskets) {
    const segment = b.customerId === null ? undefined : segments.get(b.customerId);
    if (segment === undefined) continue;
    let set = buyers.get(segment);
    if (set === undefined) buyers.set(segment, (set = new Set()));
    set.add(b.customerId!);
  }
  return new Map([...buyers].map(([segment, set]) => [segment, set.size]));
}

/**
 * Trains and stores the shop's recommender from its orders. Nothing is stored when the shop has no
 * basket yet (the previous model, if any, stays).
 */
export async function trainRecommendations(db: Db, shopId: number, options: TrainRecommendationsOptions = {}): Promise<TrainRecommendationsOutcome> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.installState !== "installed") return { trained: false, reason: "not-installed" };
  const params: RecommenderOptions = { ...DEFAULT_RECOMMENDER_OPTIONS, ...options.recommender };
  const ruleOptions: RuleOptions = { ...DEFAULT_RULE_OPTIONS, ...options.rules };
  const keepGoing = async () => (options.heartbeat ? options.heartbeat() : true);

  const loadStarted = Date.now();
  const { orders } = await shopAnomalyOrders(db, shopId, { timeZone: shop.timezone });
  // Custom lines (no product) are left out by the core; a product id that is no longer sold
  // still counts in the baskets, and the storefront filters it out when it answers.
  const baskets = basketsFromOrders(orders);
  const loadMs = Date.now() - loadStarted;
  if (baskets.length === 0) return { trained: false, reason: "no-baskets" };

  const evaluationStarted = Date.now();
  const evaluation = options.evaluate === false ? null : evaluateOnShop(baskets, params);
  const evaluationMs = Date.now() - evaluationStarted;
  if (!(await keepGoing())) return { trained: false, reason: "cancelled" };

  const trainStarted = Date.now();
  const model = trainRecommender(baskets, params);
  const rules = mineRules(baskets, ruleOptions);
  const run = await latestCompletedRunRef(db, shopId);
  const segments = run === null ? new Map<string, string>() : await runSegments(db, shopId, run.id);
  const popularity = popularProducts(baskets, { segmentOf: (customerId) => segments.get(customerId) ?? null, limit: POPULAR_KEPT });
  for (const [segment, customers] of segmentBuyers(baskets, segments)) if (customers < SEGMENT_MIN_CUSTOMERS) delete popularity[segment];
  const trainMs = Date.now() - trainStarted;
  if (!(await keepGoing())) return { trained: false, reason: "cancelled" };

  const metrics: RecommendationMetrics = { evaluation, trainMs, evaluationMs, rules: rules.length, head: model.head };
  const storeStarted = Date.now();
  const stored = await saveRecommendationModel(db, shopId, {
    runId: run?.id ?? null,
    version: model.version,
    basketCount: model.basketCount,
    productCount: model.items.length,
    params: { ...params, ...ruleOptions },
    metrics,
    popularity,
    lists: neighbourLists(model),
    rules,
    trainedAt: new Date(),
  });
  const storeMs = Date.now() - storeStarted;
  log().info(
    { shopId, baskets: baskets.length, products: model.items.length, head: model.head, lists: stored.lists, rules: stored.rules, loadMs, evaluationMs, trainMs, storeMs, hit10: evaluation?.methods.segmint.hit10 ?? null },
    "recommendations trained",
  );
  return { trained: true, modelId: stored.id, baskets: baskets.length, products: model.items.length, lists: stored.lists, rules: stored.rules, metrics };
}
