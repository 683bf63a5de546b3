// Customer anomalies (docs/anomalies.md "Customers"): per-customer features → isolation forest +
// robust scores, then a kind: whale (high value, healthy pattern: a VIP candidate), review (heavy
// returns, bursts, price-error buys, or a high score without a healthy pattern), or normal.
import type { AnomalyOptions, AnomalyOrder, AnomalyReason, ScoredCustomer, ScoredOrder } from "./types";
import { BURST_WINDOW_MS, compareIds } from "./features";
import { fitIsolationForest } from "./isolation-forest";
import { combineScores, DEFAULTS, flaggedCount, ROBUST_HALF } from "./orders";
import { defaultFormatMoney, formatCount, formatRatio, REASON_MIN_STRENGTH, MAX_REASONS } from "./reasons";
import { robustYardstick, upperZ, zToUnit } from "./robust";

export interface CustomerDetectionOptions extends AnomalyOptions {
  /** Customers the segmentation called outliers (DBSCAN noise, K-means far-out): candidates too. */
  readonly segmentOutliers?: ReadonlySet<string>;
}

/** Robust z of log net spend from which a healthy customer is a whale. */
export const WHALE_SPEND_Z = 3.5;
/** …or, for a segmentation outlier, from which its spend counts as high. */
export const OUTLIER_WHALE_SPEND_Z = 2;
/** A healthy pattern returns less than this share of what it bought. */
export const HEALTHY_REFUND_SHARE = 0.2;
/** Heavy returns: at least this share refunded, over at least HEAVY_RETURN_ORDERS orders. */
export const HEAVY_REFUND_SHARE = 0.5;
export const HEAVY_RETURN_ORDERS = 2;
/** A burst: the customer's most orders in 24 h at this robust z against the store's customers (and at least 3 orders). */
export const BURST_Z = 3.5;
export const BURST_MIN_ORDERS = 3;
/**
 * A pattern reviews a customer only when it is a meaningful share of their orders: one price error
 * or one busy day among a wholesale buyer's dozens of orders is not a reason to distrust them.
 */
export const MEANINGFUL_SHARE = 0.25;

const FEATURES = ["spend", "orders", "average-order", "refund-share", "burst", "price-error-orders", "flagged-share"] as const;
type CustomerFeature = (typeof FEATURES)[number];
const FLOORS: Record<CustomerFeature, number> = {
  spend: 0.25,
  orders: 0.25,
  "average-order": 0.25,
  "refund-share": 0.1,
  burst: 0.5,
  "price-error-orders": 0.25,
  "flagged-share": 0.1,
};

interface CustomerFacts {
  readonly customerId: string;
  grossMilli: number;
  refundedMilli: number;
  orders: number;
  maxBurst: number;
  priceErrorOrders: number;
  flaggedOrders: number;
  readonly times: number[];
}

const PRICE_FEATURES = new Set(["unit-price", "zero-price"]);

function collectFacts(orders: readonly AnomalyOrder[], scoredOrders: readonly ScoredOrder[]): CustomerFacts[] {
  const scoredById = new Map<string, ScoredOrder>();
  for (const s of scoredOrders) scoredById.set(s.id, s);
  const byCustomer = new Map<string, CustomerFacts>();
  for (const order of orders) {
    if (order.customerId === null) continue;
    let facts = byCustomer.get(order.customerId);
    if (facts === undefined) {
      facts = { customerId: order.customerId, grossMilli: 0, refundedMilli: 0, orders: 0, maxBurst: 0, priceErrorOrders: 0, flaggedOrders: 0, times: [] };
      byCustomer.set(order.customerId, facts);
    }
    facts.grossMilli += Math.max(order.grossMilli, 0);
    facts.refundedMilli += Math.max(order.refundedMilli, 0);
    facts.orders++;
    facts.times.push(order.at);
    const scored = scoredById.get(order.id);
    if (scored?.flagged) facts.flaggedOrders++;
    // a price error counts when it put the order in the review set — its strongest reason — not when it rides
    // along with a bigger one (volume tiers make weaker ones common: a huge order's discounted line)
    if (scored?.flagged && scored.reasons[0] !== undefined && PRICE_FEATURES.has(scored.reasons[0].feature)) facts.priceErrorOrders++;
  }
  const all = [...byCustomer.values()].sort((a, b) => compareIds(a.customerId, b.customerId));
  for (const facts of all) {
    facts.times.sort((a, b) => a - b);
    let start = 0;
    for (let k = 0; k < facts.times.length; k++) {
      while (facts.times[start]! < facts.times[k]! - BURST_WINDOW_MS) start++;
      facts.maxBurst = Math.max(facts.maxBurst, k - start + 1);
    }
  }
  return all;
}

function featureValue(feature: CustomerFeature, f: CustomerFacts): number {
  const net = Math.max(f.grossMilli - f.refundedMilli, 0);
  switch (feature) {
    case "spend":
      return Math.log1p(net / 1000);
    case "orders":
      return Math.log(f.orders);
    case "average-order":
      return Math.log1p(net / 1000 / f.orders);
    case "refund-share":
      return f.grossMilli > 0 ? Math.min(f.refundedMilli / f.grossMilli, 1) : 0;
    case "burst":
      return f.maxBurst;
    case "price-error-orders":
      return f.priceErrorOrders;
    case "flagged-share":
      return f.flaggedOrders / f.orders;
  }
}

/** Every customer with an order, scored and classified (whale / review / normal). */
export function detectCustomerAnomalies(
  orders: readonly AnomalyOrder[],
  scoredOrders: readonly ScoredOrder[],
  options: CustomerDetectionOptions = {},
): ScoredCustomer[] {
  const facts = collectFacts(orders, scoredOrders);
  const n = facts.length;
  if (n === 0) return [];
  const width = FEATURES.length;
  const raw = FEATURES.map((feature) => Float64Array.from(facts, (f) => featureValue(feature, f)));
  const yardsticks = raw.map((column, c) => robustYardstick(column, FLOORS[FEATURES[c]!]));
  const z = new Float64Array(n * width);
  for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) z[i * width + c] = upperZ(raw[c]![i]!, yardsticks[c]!);

  const forest = fitIsolationForest(z, n, width, {
    seed: options.seed ?? DEFAULTS.seed,
    trees: options.trees ?? DEFAULTS.trees,
    sampleSize: options.sampleSize ?? DEFAULTS.sampleSize,
  });
  const forestScores = forest.scoreAll(z, n);
  const scores = facts.map((_, i) => {
    let maxZ = 0;
    for (let c = 0; c < width; c++) maxZ = Math.max(maxZ, z[i * width + c]!);
    return combineScores(forestScores[i]!, zToUnit(maxZ, ROBUST_HALF));
  });
  const ranked = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || compareIds(facts[a]!.customerId, facts[b]!.customerId));
  const highScore = new Uint8Array(n);
  const k = flaggedCount(n, options.budget ?? DEFAULTS.budget);
  for (let r = 0; r < k; r++) highScore[ranked[r]!] = 1;

  const money = options.formatMoney ?? defaultFormatMoney;
  const medianSpendMilli = Math.round(Math.expm1(yardsticks[0]!.median) * 1000);
  return facts.map((f, i) => {
    const zOf = (feature: CustomerFeature) => z[i * width + FEATURES.indexOf(feature)]!;
    const refundShare = featureValue("refund-share", f);
    const heavyReturns = refundShare >= HEAVY_REFUND_SHARE && f.orders >= HEAVY_RETURN_ORDERS;
    const burst = f.maxBurst >= BURST_MIN_ORDERS && zOf("burst") >= BURST_Z && f.maxBurst >= MEANINGFUL_SHARE * f.orders;
    const priceErrors = f.priceErrorOrders > 0 && f.priceErrorOrders >= MEANINGFUL_SHARE * f.orders;
    const healthy = refundShare < HEALTHY_REFUND_SHARE && !burst && !priceErrors;
    const spendZ = zOf("spend");
    const bigSpender = spendZ >= WHALE_SPEND_Z || (options.segmentOutliers?.has(f.customerId) === true && spendZ >= OUTLIER_WHALE_SPEND_Z);
    const kind = healthy && bigSpender ? "whale" : heavyReturns || burst || priceErrors || (highScore[i] === 1 && !healthy) ? "review" : "normal";

    const net = Math.max(f.grossMilli - f.refundedMilli, 0);
    // the reasons that decided the kind come first, then the other strong ones
    const decisive: AnomalyReason[] = [];
    const others: AnomalyReason[] = [];
    const add = (feature: string, strength: number, text: string, values: Record<string, number>, decided = false) => {
      if (decided) decisive.push({ feature, text, strength, values });
      else if (strength >= REASON_MIN_STRENGTH) others.push({ feature, text, strength, values });
    };
    add(
      "spend",
      spendZ,
      `spent ${money(net)} over ${formatCount(f.orders)} ${f.orders === 1 ? "order" : "orders"}, ${formatRatio(medianSpendMilli > 0 ? net / medianSpendMilli : Infinity)} the median customer's ${money(medianSpendMilli)}`,
      { spend: net, orders: f.orders, median: medianSpendMilli },
      kind === "whale",
    );
    add("refund-share", zOf("refund-share"), `returned ${formatCount(Math.round(refundShare * 100))} % of the ${money(f.grossMilli)} they bought`, { share: refundShare, gross: f.grossMilli }, heavyReturns);
    add("burst", zOf("burst"), `${formatCount(f.maxBurst)} orders within 24 hours`, { orders: f.maxBurst }, burst);
    add(
      "price-error-orders",
      zOf("price-error-orders"),
      `${formatCount(f.priceErrorOrders)} flagged ${f.priceErrorOrders === 1 ? "order" : "orders"} with a price error or a free line`,
      { orders: f.priceErrorOrders },
      priceErrors,
    );
    add("flagged-share", zOf("flagged-share"), `${formatCount(f.flaggedOrders)} of ${formatCount(f.orders)} orders flagged for review`, { flagged: f.flaggedOrders, orders: f.orders }, false);
    const byStrength = (a: AnomalyReason, b: AnomalyReason) => b.strength - a.strength;
    const reasons = [...decisive.sort(byStrength), ...others.sort(byStrength)].slice(0, MAX_REASONS);
    return { customerId: f.customerId, score: scores[i]!, kind, reasons };
  });
}
