/**
 * Order anomalies at scale (issue 11 target: fit + score of 1M orders no slower than
 * scikit-learn's IsolationForest on the same data, peak memory ≤ 1 GB).
 *
 * Seeded synthetic orders (see syntheticOrders) → Segmint's full order detection
 * (detectOrderAnomalies: features, forest fit, forest + robust scores, budget, reasons) and, like
 * for like, Segmint's forest alone (fit + score) on the order feature matrix; scikit-learn's
 * IsolationForest (100 trees, ψ = 256, fit + score_samples) on the SAME matrix, written to a
 * temporary file, by scripts/reference/bench_isolation_forest.py. Each side runs in its own child
 * process, so peak RSS is that measurement's own (it includes the orders and the runtime).
 *
 * Flags: --sizes=100k,1M  --repeats=3
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, detectOrderAnomalies, fitIsolationForest, orderFeatureMatrix, type AnomalyLine, type AnomalyOrder } from "../app/analytics";
import { randomNormal } from "../app/analytics/util/random";
import {
  environmentNote, fmtMB, fmtN, fmtS, mdTable, median, numberList, parseArgs, peakMB, PYTHON, runTsChild, TMP_DIR, writeResults,
  type Measurement,
} from "./run";

const SELF = fileURLToPath(import.meta.url);
const SKLEARN_SCRIPT = fileURLToPath(new URL("../scripts/reference/bench_isolation_forest.py", import.meta.url));
const DATA_SEED = 20261130;
const FOREST_SEED = 42;
const args = parseArgs();

const DAY = 86_400_000;
const PRODUCTS = 4_000;
/** Two years of orders ending here. */
const END = Date.UTC(2026, 10, 30);

/**
 * `n` orders of a store with 4,000 products, seeded: Zipf-like product popularity; each product a
 * log-normal list price (median 4.00) and a usual quantity (log-normal, median 2); lines per order
 * 1 + geometric (mean 2.5); one customer per order drawn with a heavy tail (n / 4 customers, so
 * repeat buyers and a few very frequent ones), 5 % guest checkouts; 10 % of lines at a 20 %
 * discount; 4 % of orders partly refunded, 0.5 % cancelled; and one order in a thousand carrying a
 * planted oddity (a quantity 50× the usual, a price ÷ 100, a free line), as real stores have.
 * Orders are in time order over two years.
 */
export function syntheticOrders(n: number, seed: number): AnomalyOrder[] {
  const rng = createRng(seed);
  const price = new Float64Array(PRODUCTS);
  const usualQuantity = new Float64Array(PRODUCTS);
  for (let p = 0; p < PRODUCTS; p++) {
    price[p] = Math.max(100, Math.round(4000 * Math.exp(0.9 * randomNormal(rng)) / 10) * 10);
    usualQuantity[p] = 2 * Math.exp(0.8 * randomNormal(rng));
  }
  // Ids made once and shared, as a reader that interns them would (a string per line would be most of the memory).
  const productIds = Array.from({ length: PRODUCTS }, (_, p) => String(1000 + p));
  const customers = Math.max(1, Math.floor(n / 4));
  const customerIds = Array.from({ length: customers }, (_, c) => `c${c}`);
  const start = END - 730 * DAY;
  const orders: AnomalyOrder[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = start + Math.floor(((i + rng()) / n) * 730 * DAY);
    const lineCount = Math.min(30, 1 + Math.floor(Math.log(1 - rng()) / Math.log(0.6)));
    const odd = rng() < 0.001 ? Math.floor(rng() * 3) : -1;
    const refunded = rng() < 0.04;
    const cancelled = rng() < 0.005;
    const lines: AnomalyLine[] = new Array(lineCount);
    let grossMilli = 0;
    let refundedMilli = 0;
    for (let l = 0; l < lineCount; l++) {
      const p = Math.floor(PRODUCTS * rng() ** 3); // popular products first
      let quantity = Math.max(1, Math.round(usualQuantity[p]! * Math.exp(0.5 * randomNormal(rng))));
      let unitPriceMilli = rng() < 0.1 ? Math.round(price[p]! * 0.8) : price[p]!;
      if (l === 0 && odd === 0) quantity *= 50;
      if (l === 0 && odd === 1) unitPriceMilli = Math.round(unitPriceMilli / 100);
      if (l === 0 && odd === 2) unitPriceMilli = 0;
      const refundedQuantity = cancelled ? quantity : refunded && l === 0 ? Math.ceil(quantity / 2) : 0;
      grossMilli += quantity * unitPriceMilli;
      refundedMilli += refundedQuantity * unitPriceMilli;
      lines[l] = { productId: productIds[p]!, quantity, unitPriceMilli, refundedQuantity };
    }
    const customer = rng() < 0.05 ? null : customerIds[Math.floor(customers * rng() ** 2)]!;
    orders[i] = { id: String(100_000 + i), customerId: customer, at, day: Math.floor(at / DAY), grossMilli, refundedMilli, cancelled, lines };
  }
  return orders;
}

function matrixFile(n: number): string {
  return join(TMP_DIR, `anomalies-${n}-${DATA_SEED}.f64`);
}

/** Child: one implementation, once (seed FOREST_SEED + repeat), printing a Measurement line. */
function worker(kind: string): void {
  const n = Number(args.get("n"));
  const repeat = Number(args.get("repeat") ?? 0);
  const orders = syntheticOrders(n, DATA_SEED);
  const dataMB = process.memoryUsage().rss / 2 ** 20;
  const seed = FOREST_SEED + repeat;
  const lines = orders.reduce((sum, o) => sum + o.lines.length, 0);
  if (kind === "detect") {
    const t = performance.now();
    const detection = detectOrderAnomalies(orders, { seed });
    const seconds = (performance.now() - t) / 1000;
    const flagged = detection.orders.filter((o) => o.flagged).length;
    console.log(JSON.stringify({ times: [seconds], flagged, lines, dataMB, peakMB: peakMB() }));
    return;
  }
  const t0 = performance.now();
  const matrix = orderFeatureMatrix(orders);
  const t1 = performance.now();
  const forest = fitIsolationForest(matrix.values, matrix.rows, matrix.columns.length, { trees: 100, sampleSize: 256, seed });
  const t2 = performance.now();
  forest.scoreAll(matrix.values, matrix.rows);
  const t3 = performance.now();
  if (args.has("write-matrix")) {
    mkdirSync(TMP_DIR, { recursive: true });
    writeFileSync(matrixFile(n), new Uint8Array(matrix.values.buffer, matrix.values.byteOffset, matrix.values.byteLength));
  }
  const seconds = (a: number, b: number): number[] => [(b - a) / 1000];
  console.log(JSON.stringify({
    times: seconds(t1, t3), features: seconds(t0, t1), fit: seconds(t1, t2), score: seconds(t2, t3),
    columns: matrix.columns.length, lines, dataMB, peakMB: peakMB(),
  }));
}

function runSklearn(n: number, columns: number, repeat: number): Measurement | string {
  const r = spawnSync(PYTHON, [SKLEARN_SCRIPT, matrixFile(n), String(columns), "1", String(FOREST_SEED + repeat)], { encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.error) return `scikit-learn not measured: ${PYTHON} could not run (${r.error.message})`;
  if (r.status !== 0) return `scikit-learn not measured: the reference script failed (${r.stderr.trim().split("\n").pop() ?? r.status})`;
  const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Measurement & { skipped?: string };
  return out.skipped ? `scikit-learn not measured: ${out.skipped}` : out;
}

interface Row {
  n: number;
  lines: number;
  detectS: number;
  detectTimes: number[];
  detectPeakMB: number;
  dataMB: number;
  flagged: number;
  featuresS: number;
  forestS: number;
  forestFitS: number;
  forestScoreS: number;
  forestPeakMB: number;
  sklearnS: number | null;
  sklearnFitS: number | null;
  sklearnScoreS: number | null;
  sklearnPeakMB: number | null;
  sklearnVersion: string | null;
  sklearnNote: string | null;
}

function orchestrate(): void {
  const sizes = numberList(args.get("sizes"), [100_000, 1_000_000]);
  const repeats = Number(args.get("repeats") ?? 3);
  const rows: Row[] = [];
  for (const n of sizes) {
    // One child per (side, repeat), interleaved, so that load from other work on the shared
    // machine hits every side alike and each peak RSS is one run's own.
    const parts: Record<"forest" | "detect" | "sklearn", Measurement[]> = { forest: [], detect: [], sklearn: [] };
    let sklearnNote: string | null = null;
    for (let r = 0; r < repeats; r++) {
      const one = [`--n=${n}`, `--repeat=${r}`];
      const forest = runTsChild(SELF, ["--worker=forest", ...one, ...(r === 0 ? ["--write-matrix"] : [])]);
      parts.forest.push(forest);
      const sklearn: Measurement | string = sklearnNote === null ? runSklearn(n, forest.columns as number, r) : sklearnNote;
      if (typeof sklearn === "string") sklearnNote = sklearn;
      else parts.sklearn.push(sklearn);
      parts.detect.push(runTsChild(SELF, ["--worker=detect", ...one]));
    }
    rmSync(matrixFile(n), { force: true });
    const merge = (ms: Measurement[]): Measurement => ({
      times: ms.flatMap((m) => m.times),
      fit: ms.flatMap((m) => (m.fit as number[] | undefined) ?? []),
      score: ms.flatMap((m) => (m.score as number[] | undefined) ?? []),
      features: ms.flatMap((m) => (m.features as number[] | undefined) ?? []),
      peakMB: Math.max(...ms.map((m) => m.peakMB)),
      dataMB: Math.max(...ms.map((m) => (m.dataMB as number | undefined) ?? 0)),
      flagged: ms[0]?.flagged,
      lines: ms[0]?.lines,
      sklearn: ms[0]?.sklearn,
    });
    const forest = merge(parts.forest);
    const detect = merge(parts.detect);
    const sk = parts.sklearn.length > 0 ? merge(parts.sklearn) : null;
    const row: Row = {
      n,
      lines: detect.lines as number,
      detectS: median(detect.times),
      detectTimes: detect.times,
      detectPeakMB: detect.peakMB,
      dataMB: detect.dataMB as number,
      flagged: detect.flagged as number,
      featuresS: median(forest.features as number[]),
      forestS: median(forest.times),
      forestFitS: median(forest.fit as number[]),
      forestScoreS: median(forest.score as number[]),
      forestPeakMB: forest.peakMB,
      sklearnS: sk ? median(sk.times) : null,
      sklearnFitS: sk ? median(sk.fit as number[]) : null,
      sklearnScoreS: sk ? median(sk.score as number[]) : null,
      sklearnPeakMB: sk ? sk.peakMB : null,
      sklearnVersion: sk ? (sk.sklearn as string) : null,
      sklearnNote,
    };
    rows.push(row);
    console.log(
      `  ${fmtN(n)}: detection ${fmtS(row.detectS)} (peak ${fmtMB(row.detectPeakMB)}), forest fit + score ${fmtS(row.forestS)}, ` +
        (row.sklearnS === null ? (row.sklearnNote ?? "") : `scikit-learn ${fmtS(row.sklearnS)} (peak ${fmtMB(row.sklearnPeakMB!)})`),
    );
  }
  const ratio = (a: number, b: number | null): string => (b === null ? "–" : `${(a / b).toFixed(2)}×`);
  const env = environmentNote();
  const version = rows.find((r) => r.sklearnVersion)?.sklearnVersion ?? "–";
  const md = [
    "# Order anomalies benchmark",
    "",
    `Synthetic orders (bench/anomalies.bench.ts syntheticOrders, seed ${DATA_SEED}: 4,000 products with Zipf-like popularity, log-normal prices and usual quantities, 2.5 lines per order on average, n / 4 customers with a heavy-tailed number of orders, 5 % guest checkouts, 4 % partly refunded, 0.5 % cancelled, one order in a thousand with a planted oddity). ` +
      `**Segmint detection** = detectOrderAnomalies: the order features, the forest's fit (100 trees, ψ = 256), forest + robust scores of every order, the 1 % budget and the reasons of the flagged orders. ` +
      `**Segmint forest** = fitIsolationForest + scoreAll alone on the order feature matrix; **scikit-learn** = IsolationForest(n_estimators=100, max_samples=256).fit + score_samples on the same matrix (float64 file, scripts/reference/bench_isolation_forest.py, scikit-learn ${version}). ` +
      `Times are medians of ${repeats} runs (seeds ${FOREST_SEED}…), each in its own child process, interleaved across the sides so that load from other work on the shared machine affects all alike; every JS run includes JIT warm-up. Peak memory = the highest peak RSS of one run's child: for Segmint it includes the orders themselves (the "orders in memory" column is the resident memory right after generating them), for scikit-learn the loaded matrix.`,
    "",
    `Machine: ${env.cpu as string}, ${env.cores as number} cores (shared with other work), ${env.memoryGB as number} GB, Node ${env.node as string}; run ${env.date as string}.`,
    "",
    mdTable(
      ["orders", "lines", "Segmint detection", "peak RSS", "orders in memory", "flagged", "features", "Segmint forest fit + score", "(fit / score)", "scikit-learn fit + score", "(fit / score)", "scikit-learn peak RSS"],
      rows.map((r) => [
        fmtN(r.n), r.lines.toLocaleString("en-US"), fmtS(r.detectS), fmtMB(r.detectPeakMB), fmtMB(r.dataMB), r.flagged.toLocaleString("en-US"), fmtS(r.featuresS),
        fmtS(r.forestS), `${fmtS(r.forestFitS)} / ${fmtS(r.forestScoreS)}`,
        r.sklearnS === null ? "not measured" : fmtS(r.sklearnS),
        r.sklearnFitS === null ? "–" : `${fmtS(r.sklearnFitS)} / ${fmtS(r.sklearnScoreS!)}`,
        r.sklearnPeakMB === null ? "–" : fmtMB(r.sklearnPeakMB),
      ]),
    ),
    "",
    "## Ratios (median time)",
    "",
    mdTable(
      ["orders", "Segmint detection / scikit-learn", "Segmint forest / scikit-learn", "target met (detection ≤ scikit-learn, peak ≤ 1 GB)"],
      rows.map((r) => [
        fmtN(r.n), ratio(r.detectS, r.sklearnS), ratio(r.forestS, r.sklearnS),
        r.sklearnS === null ? "–" : r.detectS <= r.sklearnS && r.detectPeakMB <= 1024 ? "yes" : "no",
      ]),
    ),
    ...rows.filter((r) => r.sklearnNote).map((r) => `\n${fmtN(r.n)}: ${r.sklearnNote!}`),
  ].join("\n");
  writeResults("anomalies", md, { bench: "anomalies", dataSeed: DATA_SEED, forestSeed: FOREST_SEED, repeats, env, rows });
  console.log(md.split("## Ratios")[1]);
}

const w = args.get("worker");
if (w) worker(w);
else orchestrate();
