/**
 * Training the recommender (issue 10 target: 50,000 products train in ≤ 10 min and ≤ 2 GB on 2
 * cores; docs/recommendations.md, ADR 0022).
 *
 * Two catalogues, each trained by trainRecommender (defaults: exact EASE λ 20 on the 4,000
 * products in most baskets, scaled cosine on the rest, 100 neighbours per row) in its own child
 * process, so the peak RSS is that training's own (it includes the baskets and the runtime):
 *  - online-retail: the baskets of ../shared/data/online_retail.csv.gz dated before 2011-09-01
 *    (issue 10's training set: 3,630 products, all in the head), read by cli/recommend.ts;
 *  - synthetic: seeded baskets over a 50,000-product catalogue (syntheticBaskets below: Zipf-like
 *    popularity and planted bundles bought together), 1M baskets by default.
 * The reference is numpy's EASE on the same head, in the same run: XᵀX of the head's columns
 * (scipy sparse), inverse and B, from the same baskets written to a temporary file; it has no tail
 * and no truncation, so it is the exact model's cost alone.
 *
 * Flags: --baskets=1M (synthetic baskets)  --products=50k  --cases=online-retail,synthetic
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, parseIsoDay, trainRecommender, type Basket } from "../app/analytics";
import { csvBaskets, readBasketOrders } from "../cli/recommend";
import {
  ChildFailure, environmentNote, fmtMB, fmtS, mdTable, numberList, parseArgs, peakMB, runPython, runTsChild, TMP_DIR, writeResults,
  type Measurement,
} from "./run";

const SELF = fileURLToPath(import.meta.url);
const ONLINE_RETAIL = fileURLToPath(new URL("../../shared/data/online_retail.csv.gz", import.meta.url));
const CUTOFF = "2011-09-01";
const DATA_SEED = 20261201;
const HEAD_MAX = 4_000;
/** Products per planted bundle (products bought together more often than popularity says). */
const BUNDLE = 4;
const args = parseArgs();

/**
 * `baskets` seeded baskets over `products` products: each has an anchor product drawn with
 * Zipf-like popularity (weight 1 / (rank + 10)), with probability 0.6 one or two products of the
 * anchor's bundle (products are shuffled into bundles of 4: the planted co-purchase structure), and
 * a geometric number (mean 2) of further independent Zipf draws; mean ≈ 3.6 distinct products.
 * Product ids are zero-padded so that id order is rank order.
 */
export function syntheticBaskets(baskets: number, products: number, seed: number): Basket[] {
  const rng = createRng(seed);
  const cumulative = new Float64Array(products);
  let total = 0;
  for (let p = 0; p < products; p++) cumulative[p] = total += 1 / (p + 10);
  const draw = (): number => {
    const x = rng() * total;
    let lo = 0;
    let hi = products - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const order = Int32Array.from({ length: products }, (_, p) => p);
  for (let p = products - 1; p > 0; p--) {
    const q = Math.floor(rng() * (p + 1));
    [order[p], order[q]] = [order[q]!, order[p]!];
  }
  const bundleOf = new Int32Array(products);
  order.forEach((p, k) => (bundleOf[p] = Math.floor(k / BUNDLE)));
  const width = String(products - 1).length;
  const ids = Array.from({ length: products }, (_, p) => `P${String(p).padStart(width, "0")}`);
  const out: Basket[] = new Array(baskets);
  const items = new Set<number>();
  for (let b = 0; b < baskets; b++) {
    items.clear();
    const anchor = draw();
    items.add(anchor);
    if (rng() < 0.6) {
      const bundle = bundleOf[anchor]!;
      const mates = rng() < 0.5 ? 1 : 2;
      for (let m = 0; m < mates; m++) {
        const mate = order[bundle * BUNDLE + Math.floor(rng() * BUNDLE)];
        if (mate !== undefined) items.add(mate);
      }
    }
    while (rng() < 2 / 3) items.add(draw());
    out[b] = { id: String(b), customerId: null, day: 0, items: [...items].sort((x, y) => x - y).map((p) => ids[p]!) };
  }
  return out;
}

async function loadBaskets(kind: string): Promise<Basket[]> {
  if (kind === "online-retail") {
    const read = await readBasketOrders(ONLINE_RETAIL, { untilDay: parseIsoDay(CUTOFF)! });
    return csvBaskets(read.orders);
  }
  const products = numberList(args.get("products"), [50_000])[0]!;
  const baskets = numberList(args.get("baskets"), [1_000_000])[0]!;
  return syntheticBaskets(baskets, products, DATA_SEED);
}

function basketsFile(kind: string): string {
  return join(TMP_DIR, `recommend-${kind}-${process.pid}.i32`);
}

/**
 * Writes the baskets for the numpy side: int32 little-endian [baskets, nnz, offsets (baskets + 1),
 * product indices], products indexed by first appearance (numpy ranks them by its own counts).
 */
function writeBaskets(file: string, baskets: readonly Basket[]): void {
  const index = new Map<string, number>();
  let nnz = 0;
  for (const b of baskets) nnz += b.items.length;
  const data = new Int32Array(2 + baskets.length + 1 + nnz);
  data[0] = baskets.length;
  data[1] = nnz;
  let at = 3 + baskets.length;
  baskets.forEach((b, k) => {
    for (const item of b.items) {
      let i = index.get(item);
      if (i === undefined) index.set(item, (i = index.size));
      data[at++] = i;
    }
    data[3 + k] = at - (3 + baskets.length);
  });
  mkdirSync(TMP_DIR, { recursive: true });
  writeFileSync(file, new Uint8Array(data.buffer));
}

/** Child: load one case's baskets, then either write them for numpy or train once, printing a Measurement line. */
async function worker(kind: string, mode: string): Promise<void> {
  const tLoad = performance.now();
  const baskets = await loadBaskets(kind);
  const loadSeconds = (performance.now() - tLoad) / 1000;
  if (mode === "write") {
    writeBaskets(args.get("file")!, baskets);
    console.log(JSON.stringify({ times: [], peakMB: peakMB() }));
    return;
  }
  const dataMB = process.memoryUsage().rss / 2 ** 20;
  // Phase ends from the progress steps: the head's XᵀX (one step per basket), the inverse (3 per head row), the rows.
  const steps: number[] = [];
  const at: number[] = [];
  const t0 = performance.now();
  const model = trainRecommender(baskets, {}, (done) => {
    steps.push(done);
    at.push(performance.now());
  });
  const t1 = performance.now();
  const endOf = (step: number): number => at[steps.findIndex((d) => d >= step)] ?? t0;
  const gramEnd = endOf(baskets.length);
  const solveEnd = endOf(baskets.length + 3 * model.head);
  let headMass = 0;
  let mass = 0;
  model.counts.forEach((c, i) => {
    mass += c;
    if (i < model.head) headMass += c;
  });
  console.log(JSON.stringify({
    times: [(t1 - t0) / 1000],
    gram: (gramEnd - t0) / 1000,
    solve: (solveEnd - gramEnd) / 1000,
    rows: (t1 - solveEnd) / 1000,
    loadSeconds,
    dataMB,
    peakMB: peakMB(),
    baskets: baskets.length,
    products: model.items.length,
    head: model.head,
    headMass: headMass / mass,
    meanBasket: mass / baskets.length,
    neighbours: model.weights.length,
  }));
}

/** numpy/scipy: the exact EASE on the head (the `head` products in most baskets) of the written baskets. */
const NUMPY_EASE = `
import scipy, scipy.sparse as sp
raw = np.fromfile(sys.argv[1], dtype='<i4')
baskets, nnz = int(raw[0]), int(raw[1])
offsets = raw[2:3 + baskets]
items = raw[3 + baskets:]
head = int(sys.argv[2])
t = time.perf_counter()
X = sp.csr_matrix((np.ones(nnz), items, offsets), shape=(baskets, int(items.max()) + 1))
counts = np.asarray(X.sum(axis=0)).ravel()
top = np.argsort(-counts, kind='stable')[:head]
Xh = X[:, top]
G = (Xh.T @ Xh).toarray()
gram = time.perf_counter() - t
t2 = time.perf_counter()
G[np.diag_indices_from(G)] += 20.0
P = np.linalg.inv(G)
B = -P / np.diag(P)
np.fill_diagonal(B, 0.0)
solve = time.perf_counter() - t2
print(json.dumps({"times": [time.perf_counter() - t], "gram": gram, "solve": solve, "peakMB": peak_mb(), "numpy": np.__version__, "scipy": scipy.__version__}))
`;

interface Row {
  kind: string;
  baskets: number;
  products: number;
  head: number;
  headMass: number;
  meanBasket: number;
  trainS: number;
  gramS: number;
  solveS: number;
  rowsS: number;
  peakMB: number;
  dataMB: number;
  numpyS: number | null;
  numpyGramS: number | null;
  numpySolveS: number | null;
  numpyPeakMB: number | null;
  numpyNote: string | null;
  numpyVersion: string | null;
  /** The machine's 1-minute load average before and after the case (2 cores: above 2 means waiting). */
  load: [number, number];
}

function orchestrate(): void {
  const cases = (args.get("cases") ?? "online-retail,synthetic").split(",");
  const rows: Row[] = [];
  for (const kind of cases) {
    if (kind === "online-retail" && !existsSync(ONLINE_RETAIL)) {
      console.log(`  online-retail: skipped (${ONLINE_RETAIL} not found)`);
      continue;
    }
    const loadBefore = loadavg()[0]!;
    const pass = [...(args.has("baskets") ? [`--baskets=${args.get("baskets")!}`] : []), ...(args.has("products") ? [`--products=${args.get("products")!}`] : [])];
    const m = runTsChild(SELF, [`--worker=${kind}`, "--mode=train", ...pass], 900);
    let numpy: Measurement | null = null;
    let numpyNote: string | null = null;
    const file = basketsFile(kind);
    try {
      runTsChild(SELF, [`--worker=${kind}`, "--mode=write", `--file=${file}`, ...pass], 600);
      numpy = runPython(NUMPY_EASE, [file, String(m.head as number)], { OMP_NUM_THREADS: "2", OPENBLAS_NUM_THREADS: "2" }, 900, 6);
    } catch (e) {
      numpyNote = `numpy not measured: ${e instanceof ChildFailure ? e.message : (e as Error).message.split("\n")[0]!}`;
    } finally {
      rmSync(file, { force: true });
    }
    const row: Row = {
      kind,
      baskets: m.baskets as number,
      products: m.products as number,
      head: m.head as number,
      headMass: m.headMass as number,
      meanBasket: m.meanBasket as number,
      trainS: m.times[0]!,
      gramS: m.gram as number,
      solveS: m.solve as number,
      rowsS: m.rows as number,
      peakMB: m.peakMB,
      dataMB: m.dataMB as number,
      numpyS: numpy ? numpy.times[0]! : null,
      numpyGramS: numpy ? (numpy.gram as number) : null,
      numpySolveS: numpy ? (numpy.solve as number) : null,
      numpyPeakMB: numpy ? numpy.peakMB : null,
      numpyNote,
      numpyVersion: numpy ? `numpy ${numpy.numpy as string}, scipy ${numpy.scipy as string}` : null,
      load: [loadBefore, loadavg()[0]!],
    };
    rows.push(row);
    console.log(
      `  ${kind}: ${row.products.toLocaleString("en-US")} products, ${row.baskets.toLocaleString("en-US")} baskets: training ${fmtS(row.trainS)} (XᵀX ${fmtS(row.gramS)}, inverse ${fmtS(row.solveS)}, rows ${fmtS(row.rowsS)}), peak ${fmtMB(row.peakMB)}; ` +
        (row.numpyS === null ? row.numpyNote! : `numpy EASE on the same head ${fmtS(row.numpyS)} (peak ${fmtMB(row.numpyPeakMB!)})`),
    );
  }
  const env = environmentNote();
  const label = (r: Row): string => (r.kind === "online-retail" ? `Online Retail before ${CUTOFF}` : `synthetic (seed ${DATA_SEED})`);
  const md = [
    "# Recommender training benchmark",
    "",
    `**Segmint** = trainRecommender with its defaults (exact EASE λ 20 on the ${HEAD_MAX.toLocaleString("en-US")} products in most baskets, scaled cosine item-kNN on the rest, each row truncated to 100 neighbours), once per catalogue in its own child process; the phases are read from its progress steps (XᵀX of the head, the inverse, the rows: EASE weights, the tail's cosine and the truncation). Peak memory = the child's peak RSS, which includes the baskets (the "baskets in memory" column is the resident memory after loading them) and Node itself. ` +
      `**numpy** = the exact EASE alone on the same head (scipy sparse XᵀX of the head's columns, numpy.linalg.inv, B = −P/diag(P)), from the same baskets written to a temporary file, ${rows.find((r) => r.numpyVersion)?.numpyVersion ?? "not run"} with 2 BLAS threads: the exact model's cost, without a tail or truncation. ` +
      `The synthetic catalogue (bench/recommend.bench.ts syntheticBaskets): Zipf-like popularity (weight 1/(rank + 10)), planted bundles of ${BUNDLE} products bought together, mean ≈ 3.6 products per basket. Targets (issue 10): 50,000 products in ≤ 10 min and ≤ 2 GB on 2 cores.`,
    "",
    `Machine: ${env.cpu as string}, ${env.cores as number} cores (shared with other work), ${env.memoryGB as number} GB, Node ${env.node as string}; run ${env.date as string}. One run per case (the training is deterministic; times vary with the load of the shared machine: its 1-minute load average is in the table, and above 2 the benchmark waited for a core).`,
    "",
    mdTable(
      ["catalogue", "products", "baskets", "products per basket", "head (share of basket lines)", "Segmint training", "XᵀX / inverse / rows", "peak RSS", "baskets in memory", "numpy EASE on the head", "XᵀX / inverse", "numpy peak RSS", "Segmint / numpy", "load average (before → after)", "target met (≤ 10 min, ≤ 2 GB)"],
      rows.map((r) => [
        label(r), r.products.toLocaleString("en-US"), r.baskets.toLocaleString("en-US"), r.meanBasket.toFixed(2), `${r.head.toLocaleString("en-US")} (${(100 * r.headMass).toFixed(0)} %)`,
        fmtS(r.trainS), `${fmtS(r.gramS)} / ${fmtS(r.solveS)} / ${fmtS(r.rowsS)}`, fmtMB(r.peakMB), fmtMB(r.dataMB),
        r.numpyS === null ? "not measured" : fmtS(r.numpyS), r.numpyS === null ? "–" : `${fmtS(r.numpyGramS!)} / ${fmtS(r.numpySolveS!)}`,
        r.numpyPeakMB === null ? "–" : fmtMB(r.numpyPeakMB), r.numpyS === null ? "–" : `${(r.trainS / r.numpyS).toFixed(1)}×`,
        `${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`,
        r.trainS <= 600 && r.peakMB <= 2048 ? "yes" : "no",
      ]),
    ),
    ...rows.filter((r) => r.numpyNote).map((r) => `\n${label(r)}: ${r.numpyNote!}`),
  ].join("\n");
  writeResults("recommend", md, { bench: "recommend", dataSeed: DATA_SEED, cutoff: CUTOFF, env, rows });
  console.log(md.split("\n").slice(-rows.length - 2).join("\n"));
}

const w = args.get("worker");
if (w) await worker(w, args.get("mode") ?? "train");
else orchestrate();
