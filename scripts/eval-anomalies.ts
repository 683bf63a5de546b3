// `npm run eval:anomalies -- <transactions.csv[.gz]> [--seed 42] [--plant-seed 2026]`
// Plants documented, seeded anomalies (scripts/eval/inject.ts) in a real order set, in two tiers
// (clear: beyond the store's real range, the target's set; subtle: within it, reported), and reports
// precision and recall at the review budget for Segmint's combined score, for its forest alone and
// for scikit-learn's IsolationForest on the same feature matrix; plants customers and store days;
// checks that the known extreme invoices of Online Retail are flagged on the real data and lists
// the real store's top customers by spend with their kind. Writes bench/results/anomalies-eval.{json,md};
// exits 1 only when the clear tier misses a target (or a known extreme is not flagged).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAnomalyOrders } from "../cli/csv/anomaly-orders";
import {
  detectCustomerAnomalies,
  detectOrderAnomaliesDetailed,
  detectStoreDayAnomalies,
  flaggedCount,
  ORDER_FEATURES,
  orderFeatureMatrix,
  type AnomalyOrder,
} from "../app/analytics/index";
import {
  CUSTOMER_KINDS,
  DAY_KINDS,
  describeRules,
  PLANTED,
  plantCustomersAndDays,
  plantOrderAnomalies,
  realRange,
  TIER_KINDS,
  TIERS,
  type OrderKind,
  type PlantedOrders,
  type RealRange,
  type Tier,
} from "./eval/inject";

const KNOWN_EXTREMES = ["581483", "541431"];
const BUDGET = 0.01;
const PYTHON = "/usr/bin/python3";

interface Args {
  readonly csv: string;
  readonly seed: number;
  readonly plantSeed: number;
}

function parseArgs(argv: string[]): Args {
  let csv: string | null = null;
  let seed = 42;
  let plantSeed = 2026;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--seed") seed = Number(argv[++i]);
    else if (a === "--plant-seed") plantSeed = Number(argv[++i]);
    else if (!a.startsWith("--") && csv === null) csv = a;
    else throw new Error(`Unknown argument ${a}. Usage: npm run eval:anomalies -- <transactions.csv[.gz]> [--seed 42] [--plant-seed 2026]`);
  }
  if (csv === null) throw new Error("Give the transactions CSV: npm run eval:anomalies -- <transactions.csv[.gz]>");
  if (!Number.isInteger(seed) || !Number.isInteger(plantSeed)) throw new Error("--seed and --plant-seed take whole numbers.");
  return { csv, seed, plantSeed };
}

/** Flags of the top `ceil(budget × n)` scores (ties by input position). */
function topFlags(scores: ArrayLike<number>): Uint8Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const flags = new Uint8Array(n);
  for (let r = 0; r < flaggedCount(n, BUDGET); r++) flags[order[r]!] = 1;
  return flags;
}

interface OrderTable {
  readonly recall: Record<string, { found: number; planted: number }>;
  readonly overall: { found: number; planted: number; recall: number };
  /** Flagged orders that were planted / flagged orders. */
  readonly precision: number;
  readonly flagged: number;
}

/** Recall per kind (a burst counts once, found when any of its orders is flagged) and precision. */
function orderTable(orders: readonly AnomalyOrder[], flags: Uint8Array, planted: PlantedOrders): OrderTable {
  const found = new Map<string, boolean>();
  let flaggedPlanted = 0;
  let flagged = 0;
  orders.forEach((order, i) => {
    const label = planted.orderKind.get(order.id);
    if (flags[i] === 1) flagged++;
    if (label === undefined) return;
    if (flags[i] === 1) flaggedPlanted++;
    found.set(label.key, (found.get(label.key) ?? false) || flags[i] === 1);
  });
  const keyKind = new Map<string, string>();
  for (const { kind, key } of planted.orderKind.values()) keyKind.set(key, kind);
  const recall: OrderTable["recall"] = {};
  for (const kind of TIER_KINDS[planted.tier]) recall[kind] = { found: 0, planted: 0 };
  for (const [key, kind] of keyKind) {
    recall[kind]!.planted++;
    if (found.get(key) === true) recall[kind]!.found++;
  }
  const total = Object.values(recall).reduce((s, r) => ({ found: s.found + r.found, planted: s.planted + r.planted }), { found: 0, planted: 0 });
  return { recall, overall: { ...total, recall: total.found / total.planted }, precision: flagged > 0 ? flaggedPlanted / flagged : 0, flagged };
}

function sklearnScores(values: Float64Array, rows: number, columns: number, seed: number): { scores: Float64Array; seconds: number } | null {
  const dir = mkdtempSync(join(tmpdir(), "segmint-eval-"));
  try {
    const input = join(dir, "matrix.f64");
    const output = join(dir, "scores.f64");
    writeFileSync(input, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    const printed = execFileSync(PYTHON, ["scripts/reference/eval_isolation_forest.py", input, String(rows), String(columns), String(seed), output], { encoding: "utf8" });
    const bytes = readFileSync(output);
    return { scores: new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), seconds: Number(printed.trim()) };
  } catch (error) {
    console.error(`scikit-learn's IsolationForest could not run (${(error as Error).message.split("\n")[0]}): install python3-sklearn for ${PYTHON}.`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The feature each planted kind changes (the clear tier's refunded order is an extreme amount refunded, the subtle tier's a share). */
function kindFeature(kind: OrderKind, tier: Tier): (typeof ORDER_FEATURES)[number] {
  switch (kind) {
    case "price-error":
      return "unit-price";
    case "extreme-first-order":
      return "first-order";
    case "extreme-cancelled":
      return "cancelled-extreme";
    case "mostly-refunded":
      return tier === "clear" ? "cancelled-extreme" : "refund-share";
    default:
      return kind;
  }
}

/**
 * How many real orders are at least as far out on the planted kind's own feature as the planted
 * anomaly (median over the kind's anomalies; a burst by its strongest order): the competition the
 * planted anomalies meet for the budget's places.
 */
function realCompetition(orders: readonly AnomalyOrder[], values: Float64Array, planted: PlantedOrders): Record<string, number> {
  const width = ORDER_FEATURES.length;
  const byKey = new Map<string, { kind: OrderKind; value: number }>();
  const realColumns = ORDER_FEATURES.map(() => [] as number[]);
  orders.forEach((order, i) => {
    const label = planted.orderKind.get(order.id);
    if (label === undefined) {
      if (!order.id.startsWith("planted-")) ORDER_FEATURES.forEach((_, c) => realColumns[c]!.push(values[i * width + c]!));
      return;
    }
    const value = values[i * width + ORDER_FEATURES.indexOf(kindFeature(label.kind, planted.tier))]!;
    const seen = byKey.get(label.key);
    if (seen === undefined || value > seen.value) byKey.set(label.key, { kind: label.kind, value });
  });
  const out: Record<string, number> = {};
  for (const kind of TIER_KINDS[planted.tier]) {
    const column = realColumns[ORDER_FEATURES.indexOf(kindFeature(kind, planted.tier))]!;
    const counts = [...byKey.values()].filter((p) => p.kind === kind).map((p) => column.filter((v) => v >= p.value).length).sort((a, b) => a - b);
    out[kind] = counts.length === 0 ? 0 : counts[Math.floor(counts.length / 2)]!;
  }
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const money = (milli: number) => (milli / 1000).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface TierResult {
  readonly tier: Tier;
  readonly orders: number;
  readonly flagged: number;
  readonly rules: Record<string, string>;
  readonly segmint: OrderTable;
  readonly segmintForestOnly: OrderTable;
  readonly sklearn: OrderTable | null;
  readonly realOrdersAtLeastAsExtreme: Record<string, number>;
  readonly threshold: number;
  readonly times: { segmintSeconds: number; sklearnSeconds: number | null };
}

type Options = Parameters<typeof detectOrderAnomaliesDetailed>[1];

function evaluateTier(real: readonly AnomalyOrder[], tier: Tier, range: RealRange, args: Args, options: Options): TierResult {
  const planted = plantOrderAnomalies(real, args.plantSeed, tier, range);
  const started = performance.now();
  const detection = detectOrderAnomaliesDetailed(planted.orders, options);
  const segmintSeconds = (performance.now() - started) / 1000;
  const segmint = orderTable(planted.orders, Uint8Array.from(detection.orders, (o) => (o.flagged ? 1 : 0)), planted);
  const matrix = orderFeatureMatrix(planted.orders);
  const sk = sklearnScores(matrix.values, matrix.rows, matrix.columns.length, args.seed);
  const rules = describeRules(tier, range);
  return {
    tier,
    orders: planted.orders.length,
    flagged: segmint.flagged,
    rules: Object.fromEntries(TIER_KINDS[tier].map((kind) => [kind, rules[kind]])),
    segmint,
    segmintForestOnly: orderTable(planted.orders, topFlags(detection.forestScores), planted),
    sklearn: sk === null ? null : orderTable(planted.orders, topFlags(sk.scores), planted),
    realOrdersAtLeastAsExtreme: realCompetition(planted.orders, detection.features.values, planted),
    threshold: detection.threshold,
    times: { segmintSeconds, sklearnSeconds: sk?.seconds ?? null },
  };
}

function tierMarkdown(t: TierResult, heading: string): string[] {
  const cell = (table: OrderTable | null, kind: string) => (table === null ? "–" : `${table.recall[kind]!.found}/${table.recall[kind]!.planted}`);
  const overall = (table: OrderTable | null) => (table === null ? "–" : `${table.overall.found}/${table.overall.planted} = ${table.overall.recall.toFixed(2)}`);
  const precision = (table: OrderTable | null) => (table === null ? "–" : pct(table.precision));
  return [
    heading,
    "",
    `${t.orders} orders after planting; ${t.flagged} flagged (threshold score ${t.threshold.toFixed(3)}).`,
    "",
    "| kind | Segmint | Segmint forest only | scikit-learn IsolationForest | real orders at least as extreme on the kind's feature (median) |",
    "|---|---|---|---|---|",
    ...TIER_KINDS[t.tier].map((kind) => `| ${kind} | ${cell(t.segmint, kind)} | ${cell(t.segmintForestOnly, kind)} | ${cell(t.sklearn, kind)} | ${t.realOrdersAtLeastAsExtreme[kind]} |`),
    `| **overall recall** | **${overall(t.segmint)}** | ${overall(t.segmintForestOnly)} | ${overall(t.sklearn)} | |`,
    `| precision | ${precision(t.segmint)} | ${precision(t.segmintForestOnly)} | ${precision(t.sklearn)} | |`,
    "",
    `Time: Segmint features + fit + score ${t.times.segmintSeconds.toFixed(2)} s; scikit-learn fit + score ${t.times.sklearnSeconds === null ? "not run" : `${t.times.sklearnSeconds.toFixed(2)} s`} (features excluded).`,
    "",
    "Planted (10 per kind):",
    ...Object.entries(t.rules).map(([kind, rule]) => `- ${kind}: ${rule}`),
    "",
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const data = await readAnomalyOrders(args.csv);
  const options = { seed: args.seed, budget: BUDGET, productNames: data.productNames };

  // the real data as it is: are the known extremes flagged? who are the top spenders?
  const real = detectOrderAnomaliesDetailed(data.orders, options);
  const known = KNOWN_EXTREMES.map((id) => {
    const i = data.orders.findIndex((o) => o.id === id);
    const scored = i < 0 ? null : real.orders[i]!;
    return { invoice: id, present: scored !== null, flagged: scored?.flagged ?? false, score: scored?.score ?? null, reasons: scored?.reasons.map((r) => r.text) ?? [] };
  });
  const realCustomers = detectCustomerAnomalies(data.orders, real.orders, options);
  const spendOf = new Map<string, { net: number; orders: number; refunded: number; gross: number }>();
  for (const o of data.orders) {
    if (o.customerId === null) continue;
    const s = spendOf.get(o.customerId) ?? { net: 0, orders: 0, refunded: 0, gross: 0 };
    s.net += o.grossMilli - o.refundedMilli;
    s.gross += o.grossMilli;
    s.refunded += o.refundedMilli;
    s.orders++;
    spendOf.set(o.customerId, s);
  }
  const topSpenders = realCustomers
    .map((c) => ({ customerId: c.customerId, kind: c.kind, reasons: c.reasons.map((r) => r.text), ...spendOf.get(c.customerId)! }))
    .sort((a, b) => b.net - a.net)
    .slice(0, 10);
  const realKinds = { whale: 0, review: 0, normal: 0 };
  for (const c of realCustomers) realKinds[c.kind]++;

  const range = realRange(data.orders);
  const tiers = Object.fromEntries(TIERS.map((tier) => [tier, evaluateTier(data.orders, tier, range, args, options)])) as Record<Tier, TierResult>;

  // customers and store days, planted on their own so they take no order budget from the tiers
  const plantedCustomers = plantCustomersAndDays(data.orders, args.plantSeed, range);
  const customerDetection = detectOrderAnomaliesDetailed(plantedCustomers.orders, options);
  const customers = detectCustomerAnomalies(plantedCustomers.orders, customerDetection.orders, options);
  const kindOf = new Map(customers.map((c) => [c.customerId, c.kind]));
  const customerRecall: Record<string, { found: number; planted: number }> = {};
  for (const kind of CUSTOMER_KINDS) customerRecall[kind] = { found: 0, planted: 0 };
  for (const [id, kind] of plantedCustomers.customerKind) {
    customerRecall[kind]!.planted++;
    if (kindOf.get(id) === (kind === "whale" ? "whale" : "review")) customerRecall[kind]!.found++;
  }
  const customerCounts = { whale: 0, review: 0, normal: 0 };
  for (const c of customers) customerCounts[c.kind]++;

  const lastDay = Math.max(...plantedCustomers.orders.map((o) => o.day));
  const dayFlags = detectStoreDayAnomalies(plantedCustomers.orders, { lastDay });
  const dayRecall: Record<string, { found: number; planted: number }> = {};
  for (const kind of DAY_KINDS) dayRecall[kind] = { found: 0, planted: 0 };
  for (const d of plantedCustomers.days) {
    dayRecall[d.kind]!.planted++;
    const direction = d.kind === "spike" ? "spike" : "drop";
    if (dayFlags.some((f) => f.day === d.day && f.metric === d.metric && f.direction === direction)) dayRecall[d.kind]!.found++;
  }

  const clear = tiers.clear;
  const result = {
    data: { file: args.csv.split("/").pop(), orders: data.orders.length },
    seeds: { forest: args.seed, planting: args.plantSeed },
    budget: BUDGET,
    planted: PLANTED,
    realRange: {
      maxFreeLineMilli: range.maxFreeLineMilli,
      maxOrdersIn24h: range.maxOrdersIn24h,
      maxCustomerRatio: range.maxCustomerRatio,
      maxOrderMilli: range.maxOrderMilli,
      extremeOrderMilli: range.extremeOrderMilli,
      maxCustomerSpendMilli: range.maxCustomerSpendMilli,
    },
    tiers,
    customers: { recall: customerRecall, kinds: customerCounts, realKinds, realTopSpenders: topSpenders },
    days: { recall: dayRecall, flagged: dayFlags.length },
    knownExtremes: known,
    targets: {
      clearRecallAtLeast90: clear.segmint.overall.recall >= 0.9,
      clearAtLeastSklearn: clear.sklearn === null ? null : clear.segmint.overall.recall >= clear.sklearn.overall.recall,
      knownExtremesFlagged: known.every((k) => k.flagged),
    },
  };

  const md = [
    `# Anomaly evaluation (${result.data.file}, forest seed ${args.seed}, planting seed ${args.plantSeed})`,
    "",
    `${data.orders.length} real orders; budget ${pct(BUDGET)} of the orders after planting.`,
    "Recall at the budget (found/planted; a burst counts once, found when any of its orders is flagged).",
    "Precision = planted orders among the flagged ones (the real data has its own anomalies, which count against it).",
    "Each tier is planted in its own copy of the data (same planting seed), so one tier's plants take no budget from the other's.",
    "",
    `The store's real range (raw data): largest line quantity per product; largest free line given away ${money(range.maxFreeLineMilli)}; ` +
      `most orders by one customer in 24 hours ${range.maxOrdersIn24h}; largest repeat-customer order against the median of their earlier orders ${range.maxCustomerRatio.toFixed(1)}×; ` +
      `largest order ${money(range.maxOrderMilli)} (99.9th percentile ${money(range.extremeOrderMilli)}); largest customer's net spend ${money(range.maxCustomerSpendMilli)}.`,
    "",
    ...tierMarkdown(tiers.clear, "## Clear anomalies: beyond the store's real range (the target: recall ≥ 0.9 and ≥ scikit-learn)"),
    ...tierMarkdown(tiers.subtle, "## Subtle anomalies: within the store's real range (reported, not the target)"),
    "## Customers and store days (planted in their own copy)",
    "",
    `Whales: ${PLANTED.perCustomerKind} new customers, ${PLANTED.whaleOrders} real orders each scaled so their spend is the largest real customer's ${money(range.maxCustomerSpendMilli)} × U(${PLANTED.beyond[0]}, ${PLANTED.beyond[1]}), nothing returned; heavy returners: ${PLANTED.returnerOrders} real orders refunded ${PLANTED.returnerShare[0] * 100}–${PLANTED.returnerShare[1] * 100} %.`,
    "",
    "| customers | classified right |",
    "|---|---|",
    ...CUSTOMER_KINDS.map((k) => `| ${k} (${k === "whale" ? "whale" : "review"}) | ${customerRecall[k]!.found}/${customerRecall[k]!.planted} |`),
    `All customers: ${customerCounts.whale} whales, ${customerCounts.review} review, ${customerCounts.normal} normal.`,
    "",
    "| store days | flagged |",
    "|---|---|",
    ...DAY_KINDS.map((k) => `| ${k} | ${dayRecall[k]!.found}/${dayRecall[k]!.planted} |`),
    `Days flagged in all: ${dayFlags.length}.`,
    "",
    "## The real data",
    "",
    "Known extremes:",
    ...known.map((k) => `- invoice ${k.invoice}: ${k.flagged ? "flagged" : "NOT flagged"}${k.score === null ? " (not in the file)" : ` (score ${k.score.toFixed(3)}): ${k.reasons.join("; ")}`}`),
    "",
    `Customers: ${realKinds.whale} whales, ${realKinds.review} review, ${realKinds.normal} normal. The top 10 by net spend:`,
    "",
    "| customer | net spend | orders | refunded | kind | reasons |",
    "|---|---|---|---|---|---|",
    ...topSpenders.map((c) => `| ${c.customerId} | ${money(c.net)} | ${c.orders} | ${pct(c.gross > 0 ? c.refunded / c.gross : 0)} | ${c.kind} | ${c.reasons.join("; ")} |`),
    "",
  ].join("\n");
  writeFileSync("bench/results/anomalies-eval.json", `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync("bench/results/anomalies-eval.md", md);
  console.log(md);
  if (!result.targets.clearRecallAtLeast90 || result.targets.clearAtLeastSklearn === false || !result.targets.knownExtremesFlagged) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 2;
});
