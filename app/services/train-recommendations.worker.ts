// The recommender's computation for one shop, in a worker thread (docs/storefront.md, "Training"):
// the offline evaluation, the model, its rules and popular lists. The solve is seconds to minutes
// of synchronous work; in a thread of its own it leaves the process's event loop free, so the web
// requests of the in-process runner are served and the job's lease is renewed meanwhile. Loaded
// as a thread by train-recommendations.server.ts; pure otherwise (data in, data out).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import {
  completionQueries,
  customerHistories,
  evaluateCompletion,
  formatDay,
  mineRules,
  neighbourLists,
  popularProducts,
  recommend,
  trainBaseline,
  trainRecommender,
  type AssociationRule,
  type Basket,
  type CompletionMetrics,
  type Neighbour,
  type RecommenderOptions,
  type RuleOptions,
} from "../analytics";

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

export interface TrainingInput {
  readonly baskets: readonly Basket[];
  readonly params: RecommenderOptions;
  readonly rules: RuleOptions;
  readonly evaluate: boolean;
  /** Shopify customer id → segment key in the latest completed run. */
  readonly segments: ReadonlyMap<string, string>;
}

export interface TrainingOutput {
  readonly evaluation: RecommendationEvaluation | null;
  readonly evaluationMs: number;
  readonly trainMs: number;
  readonly version: number;
  readonly basketCount: number;
  readonly products: number;
  readonly head: number;
  readonly lists: [string, Neighbour[]][];
  readonly rules: AssociationRule[];
  readonly popularity: Record<string, string[]>;
}

/** The evaluation (unless turned off), the model on every basket, its rules and popular lists. */
export function computeTraining(input: TrainingInput): TrainingOutput {
  const evaluationStarted = Date.now();
  const evaluation = input.evaluate ? evaluateOnShop(input.baskets, input.params) : null;
  const evaluationMs = Date.now() - evaluationStarted;
  const trainStarted = Date.now();
  const model = trainRecommender(input.baskets, input.params);
  const rules = mineRules(input.baskets, input.rules);
  const popularity = popularProducts(input.baskets, { segmentOf: (customerId) => input.segments.get(customerId) ?? null, limit: POPULAR_KEPT });
  for (const [segment, customers] of segmentBuyers(input.baskets, input.segments)) if (customers < SEGMENT_MIN_CUSTOMERS) delete popularity[segment];
  return {
    evaluation,
    evaluationMs,
    trainMs: Date.now() - trainStarted,
    version: model.version,
    basketCount: model.basketCount,
    products: model.items.length,
    head: model.head,
    lists: [...neighbourLists(model)],
    rules,
    popularity,
  };
}

/** Marks the thread's input, so importing this module elsewhere never starts a computation. */
export const TRAINING_THREAD = "segmint.train-recommendations";

if (!isMainThread && parentPort !== null && (workerData as { kind?: unknown } | null)?.kind === TRAINING_THREAD) {
  parentPort.postMessage(computeTraining((workerData as { input: TrainingInput }).input));
}
