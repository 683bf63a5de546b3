// Training of one shop's recommender (docs/storefront.md, "Training"): its purchases → baskets →
// an offline evaluation (a model trained on the baskets before the day at 80 % of the shop's day
// range, asked to complete the later baskets, side by side with the baselines) → the final model
// on every basket, its association rules and popular products (the store's and each segment's of
// the latest completed run), computed in a worker thread (train-recommendations.worker.ts) → stored
// in one transaction, replacing the previous model.
import { Worker } from "node:worker_threads";
import { basketsFromOrders, DEFAULT_RECOMMENDER_OPTIONS, DEFAULT_RULE_OPTIONS, RECOMMENDER_VERSION, type Basket, type RecommenderOptions, type RuleOptions } from "../analytics";
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { shopAnomalyOrders } from "../models/anomaly-orders.server";
import { latestRecommendationModel, moveModelToRun, saveRecommendationModel } from "../models/recommendations.server";
import { latestCompletedRunRef, runSegments } from "../models/segment-runs.server";
import { shopById } from "../models/shops.server";
import { TRAINING_THREAD, type RecommendationMetrics, type TrainingInput, type TrainingOutput } from "./train-recommendations.worker";

export { EVALUATION_SEED, evaluateOnShop, POPULAR_KEPT, SEGMENT_MIN_CUSTOMERS, type RecommendationEvaluation, type RecommendationMetrics } from "./train-recommendations.worker";

const log = () => logger("recommendations");
/** How often the job's lease is renewed while the thread computes (well inside the 60 s lease). */
const HEARTBEAT_EVERY_MS = 10_000;

export interface TrainRecommendationsOptions {
  /** Recommender settings (tests, the bench); default: the core's defaults. */
  readonly recommender?: Partial<RecommenderOptions>;
  readonly rules?: Partial<RuleOptions>;
  /** Skip the offline evaluation (metrics.evaluation null): the bench's large catalogues. Default true. */
  readonly evaluate?: boolean;
  /** Train even when the baskets, segments and settings are those of the stored model ("Train now"). Default false. */
  readonly force?: boolean;
  /** The queue's lease keeper, called between the steps and every 10 s while the thread computes; false: the job was cancelled, stop. */
  readonly heartbeat?: () => Promise<boolean>;
}

export type TrainRecommendationsOutcome =
  | { readonly trained: true; readonly modelId: number; readonly baskets: number; readonly products: number; readonly lists: number; readonly rules: number; readonly metrics: RecommendationMetrics }
  | { readonly trained: false; readonly reason: "not-installed" | "no-baskets" | "cancelled" | "unchanged" };

/**
 * What a model was trained from, as one string: its baskets, the customers' segments and the
 * settings. A refresh whose data is unchanged ("Run now", a weekly refresh of a quiet store) keeps
 * the stored model instead of minutes of identical training holding the shop's job queue.
 */
export function trainingFingerprint(baskets: readonly Basket[], segments: ReadonlyMap<string, string>, settings: unknown): string {
  // Two different 32-bit string hashes (FNV-1a and djb2) and the basket count: a change that leaves
  // all three equal is vanishingly unlikely, and its cost would be one skipped retraining.
  let fnv = 0x811c9dc5;
  let djb = 5381;
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      fnv = Math.imul(fnv ^ c, 0x01000193) >>> 0;
      djb = (Math.imul(djb, 33) + c) >>> 0;
    }
  };
  for (const b of baskets) feed(`${b.id}:${b.customerId ?? ""}:${b.day}:${b.items.join(",")};`);
  for (const [customer, segment] of [...segments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) feed(`${customer}=${segment};`);
  feed(JSON.stringify(settings));
  return `${baskets.length}:${fnv.toString(16)}:${djb.toString(16)}`;
}

/**
 * Runs the computation in a worker thread, renewing the job's lease every 10 s meanwhile; resolves
 * "cancelled" (the thread stopped) when the queue says the job was cancelled.
 */
async function computeInThread(input: TrainingInput, heartbeat?: () => Promise<boolean>): Promise<TrainingOutput | "cancelled"> {
  // The thread loads the TypeScript source through tsx, as the app's job runners do.
  const worker = new Worker(new URL("./train-recommendations.worker.ts", import.meta.url), {
    workerData: { kind: TRAINING_THREAD, input },
    execArgv: [...process.execArgv, "--import", "tsx"],
  });
  let beat: NodeJS.Timeout | undefined;
  try {
    return await new Promise<TrainingOutput | "cancelled">((resolve, reject) => {
      worker.once("message", (output: TrainingOutput) => resolve(output));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the recommendations training thread stopped (exit code ${code}) before it answered`)));
      if (heartbeat) {
        beat = setInterval(() => {
          heartbeat().then(
            (alive) => alive || (resolve("cancelled"), void worker.terminate()),
            () => undefined, // a missed beat is retried at the next one; the lease is several beats long
          );
        }, HEARTBEAT_EVERY_MS);
      }
    });
  } finally {
    clearInterval(beat);
    await worker.terminate();
  }
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

  const run = await latestCompletedRunRef(db, shopId);
  const segments = run === null ? new Map<string, string>() : await runSegments(db, shopId, run.id);
  const settings = { ...params, ...ruleOptions, evaluate: options.evaluate !== false };
  const fingerprint = trainingFingerprint(baskets, segments, settings);
  if (options.force !== true) {
    const latest = await latestRecommendationModel(db, shopId);
    const stored = (latest?.params as { fingerprint?: unknown } | undefined)?.fingerprint;
    if (latest !== null && latest.version === RECOMMENDER_VERSION && stored === fingerprint) {
      if (latest.runId !== (run?.id ?? null)) await moveModelToRun(db, shopId, latest.id, run?.id ?? null);
      log().info({ shopId, modelId: latest.id, baskets: baskets.length }, "recommendations unchanged: the stored model was trained on the same baskets, segments and settings");
      return { trained: false, reason: "unchanged" };
    }
  }
  if (!(await keepGoing())) return { trained: false, reason: "cancelled" };
  const output = await computeInThread({ baskets, params, rules: ruleOptions, evaluate: options.evaluate !== false, segments }, options.heartbeat);
  if (output === "cancelled" || !(await keepGoing())) return { trained: false, reason: "cancelled" };

  const { evaluation, evaluationMs, trainMs } = output;
  const metrics: RecommendationMetrics = { evaluation, trainMs, evaluationMs, rules: output.rules.length, head: output.head };
  const storeStarted = Date.now();
  const stored = await saveRecommendationModel(db, shopId, {
    runId: run?.id ?? null,
    version: output.version,
    basketCount: output.basketCount,
    productCount: output.products,
    params: { ...params, ...ruleOptions, fingerprint },
    metrics,
    popularity: output.popularity,
    lists: output.lists,
    rules: output.rules,
    trainedAt: new Date(),
  });
  const storeMs = Date.now() - storeStarted;
  log().info(
    { shopId, baskets: baskets.length, products: output.products, head: output.head, lists: stored.lists, rules: stored.rules, loadMs, evaluationMs, trainMs, storeMs, hit10: evaluation?.methods.segmint.hit10 ?? null },
    "recommendations trained",
  );
  return { trained: true, modelId: stored.id, baskets: baskets.length, products: output.products, lists: stored.lists, rules: stored.rules, metrics };
}
