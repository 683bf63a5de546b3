// `npm run eval:anomalies -- <transactions.csv[.gz]> [--seed 42] [--plant-seed 2026]`
// Plants documented, seeded anomalies (scripts/eval/inject.ts) in a real order set and reports
// precision and recall at the review budget for Segmint's combined score, for its forest alone and
// for scikit-learn's IsolationForest on the same feature matrix; checks that the known extreme
// invoices of Online Retail are flagged on the real data. Writes bench/results/anomalies-eval.{json,md}.
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
import { CUSTOMER_KINDS, DAY_KINDS, ORDER_KINDS, PLANTED, plantAnomalies, type OrderKind, type Planted } from "./eval/inject";

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
function orderTable(orders: readonly AnomalyOrder[], flags: Uint8Array, planted: Planted): OrderTable {
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
  for (const kind of ORDER_KINDS) recall[kind] = { found: 0, planted: 0 };
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

/** The feature each planted kind changes. */
const KIND_FEATURE: Record<OrderKind, (typeof ORDER_FEATURES)[number]> = {
  "line-quantity": "line-quantity",
  "price-error": "unit-price",
  "zero-price": "zero-price",
  burst: "burst",
  "extreme-first-order": "first-order",
  "extreme-cancelled": "cancelled-extreme",
  "mostly-refunded": "refund-share",
};

/**
 * How many real orders are at least as far out on the planted kind's own feature as the planted
 * anomaly (median over the kind's anomalies; a burst by its strongest order): the competition the
 * planted anomalies meet for the budget's places.
 */
function realCompetition(orders: readonly AnomalyOrder[], values: Float64Array, planted: Planted): Record<string, number> {
  const width = ORDER_FEATURES.length;
  const byKey = new Map<string, { kind: OrderKind; value: number }>();
  const realColumns = ORDER_FEATURES.map(() => [] as number[]);
  orders.forEach((order, i) => {
    const label = planted.orderKind.get(order.id);
    if (label === undefined) {
      if (!order.id.startsWith("planted-")) ORDER_FEATURES.forEach((_, c) => realColumns[c]!.push(values[i * width + c]!));
      return;
    }
    const value = values[i * width + ORDER_FEATURES.indexOf(KIND_FEATURE[label.kind])]!;
    const seen = byKey.get(label.key);
    if (seen === undefined || value > seen.value) byKey.set(label.key, { kind: label.kind, value });
  });
  const out: Record<string, number> = {};
  for (const kind of ORDER_KINDS) {
    const column = realColumns[ORDER_FEATURES.indexOf(KIND_FEATURE[kind])]!;
    const counts = [...byKey.values()].filter((p) => p.kind === kind).map((p) => column.filter((v) => v >= p.value).length).sort((a, b) => a - b);
    out[kind] = counts.length === 0 ? 0 : counts[Math.floor(counts.length / 2)]!;
  }
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const data = await readAnomalyOrders(args.csv);
  const options = { seed: args.seed, budget: BUDGET, productNames: data.productNames };

  // the real data as it is: are the known extremes flagged?
  const real = detectOrderAnomaliesDetailed(data.orders, options);
  const known = KNOWN_EXTREMES.map((id) => {
    const i = data.orders.findIndex((o) => o.id === id);
    const scored = i < 0 ? null : real.orders[i]!;
    return { invoice: id, present: scored !== null, flagged: scored?.flagged ?? false, score: scored?.score ?? null, reasons: scored?.reasons.map((r) => r.text) ?? [] };
  });

  // the planted data
  const planted = plantAnomalies(data.orders, args.plantSeed);
  const started = performance.now();
  const detection = detectOrderAnomaliesDetailed(planted.orders, options);
  const segmintSeconds = (performance.now() - started) / 1000;
  const segmint = orderTable(planted.orders, Uint8Array.from(detection.orders, (o) => (o.flagged ? 1 : 0)), planted);
  const competition = realCompetition(planted.orders, detection.features.values, planted);
  const forestOnly = orderTable(planted.orders, topFlags(detection.forestScores), planted);
  const matrix = orderFeatureMatrix(planted.orders);
  const sk = sklearnScores(matrix.values, matrix.rows, matrix.columns.length, args.seed);
  const sklearn = sk === null ? null : orderTable(planted.orders, topFlags(sk.scores), planted);

  const customers = detectCustomerAnomalies(planted.orders, detection.orders, options);
  const kindOf = new Map(customers.map((c) => [c.customerId, c.kind]));
  const customerRecall: Record<string, { found: number; planted: number }> = {};
  for (const kind of CUSTOMER_KINDS) customerRecall[kind] = { found: 0, planted: 0 };
  for (const [id, kind] of planted.customerKind) {
    customerRecall[kind]!.planted++;
    if (kindOf.get(id) === (kind === "whale" ? "whale" : "review")) customerRecall[kind]!.found++;
  }
  const customerCounts = { whale: 0, review: 0, normal: 0 };
  for (const c of customers) customerCounts[c.kind]++;

  const lastDay = Math.max(...planted.orders.map((o) => o.day));
  const dayFlags = detectStoreDayAnomalies(planted.orders, { lastDay });
  const dayRecall: Record<string, { found: number; planted: number }> = {};
  for (const kind of DAY_KINDS) dayRecall[kind] = { found: 0, planted: 0 };
  for (const d of planted.days) {
    dayRecall[d.kind]!.planted++;
    const direction = d.kind === "spike" ? "spike" : "drop";
    if (dayFlags.some((f) => f.day === d.day && f.metric === d.metric && f.direction === direction)) dayRecall[d.kind]!.found++;
  }

  const result = {
    data: { file: args.csv.split("/").pop(), orders: data.orders.length, plantedOrders: planted.orders.length, flagged: segmint.flagged },
    seeds: { forest: args.seed, planting: args.plantSeed },
    budget: BUDGET,
    planted: PLANTED,
    orders: { segmint, segmintForestOnly: forestOnly, sklearn, realOrdersAtLeastAsExtreme: competition },
    times: { segmintSeconds, sklearnSeconds: sk?.seconds ?? null },
    customers: { recall: customerRecall, kinds: customerCounts },
    days: { recall: dayRecall, flagged: dayFlags.length },
    knownExtremes: known,
    targets: {
      recallAtLeast90: segmint.overall.recall >= 0.9,
      atLeastSklearn: sklearn === null ? null : segmint.overall.recall >= sklearn.overall.recall,
      knownExtremesFlagged: known.every((k) => k.flagged),
    },
  };

  const rows = ORDER_KINDS.map((kind) => {
    const cell = (t: OrderTable | null) => (t === null ? "–" : `${t.recall[kind]!.found}/${t.recall[kind]!.planted}`);
    return `| ${kind} | ${cell(segmint)} | ${cell(forestOnly)} | ${cell(sklearn)} | ${competition[kind]} |`;
  });
  const overall = (t: OrderTable | null) => (t === null ? "–" : `${t.overall.found}/${t.overall.planted} = ${t.overall.recall.toFixed(2)}`);
  const precision = (t: OrderTable | null) => (t === null ? "–" : pct(t.precision));
  const md = [
    `# Anomaly evaluation (${result.data.file}, forest seed ${args.seed}, planting seed ${args.plantSeed})`,
    "",
    `${data.orders.length} real orders, ${planted.orders.length} after planting; budget ${pct(BUDGET)} = ${segmint.flagged} orders flagged.`,
    "Recall at the budget (found/planted; a burst counts once, found when any of its orders is flagged).",
    "Precision = planted orders among the flagged ones (the real data has its own anomalies, which count against it).",
    "",
    "| kind | Segmint | Segmint forest only | scikit-learn IsolationForest | real orders at least as extreme on the kind's feature (median) |",
    "|---|---|---|---|---|",
    ...rows,
    `| **overall recall** | **${overall(segmint)}** | ${overall(forestOnly)} | ${overall(sklearn)} | |`,
    `| precision | ${precision(segmint)} | ${precision(forestOnly)} | ${precision(sklearn)} | |`,
    "",
    `Time: Segmint features + fit + score ${segmintSeconds.toFixed(2)} s; scikit-learn fit + score ${sk === null ? "not run" : `${sk.seconds.toFixed(2)} s`} (features excluded).`,
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
    "Known extremes on the real data:",
    ...known.map((k) => `- invoice ${k.invoice}: ${k.flagged ? "flagged" : "NOT flagged"}${k.score === null ? " (not in the file)" : ` (score ${k.score.toFixed(3)}): ${k.reasons.join("; ")}`}`),
    "",
  ].join("\n");
  writeFileSync("bench/results/anomalies-eval.json", `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync("bench/results/anomalies-eval.md", md);
  console.log(md);
  if (!result.targets.recallAtLeast90 || result.targets.atLeastSklearn === false || !result.targets.knownExtremesFlagged) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 2;
});
