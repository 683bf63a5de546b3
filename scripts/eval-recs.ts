// `npm run eval:recs -- <transactions.csv[.gz]> --cutoff YYYY-MM-DD [--seed 42]`
// Basket completion (issue 10's protocol, docs/recommendations.md §evaluation): baskets are the
// orders without a `C` invoice, positive quantities, product lines only (cli/recommend.ts's reader,
// the core's basketsFromOrders and isNonProductCode); train on the baskets dated before the cutoff;
// every later basket with ≥ 2 products hides one product by a seeded draw (the core's
// completionQueries) and asks for 10 from the rest. Prints hit@5, hit@10 and MRR@10 for Segmint
// (basket + the customer's own history, and basket only) and the core's baselines (popularity,
// co-occurrence, item-kNN), and, side by side on the SAME queries, EASE and the same baselines
// computed with numpy by scripts/reference/eval_recs.py. Target: Segmint's hit@10 ≥ EASE's
// (λ tuned). Writes bench/results/recs-eval.{json,md}.
// Exit codes: 0 target met; 1 target missed; 2 bad arguments or input; 3 the numpy reference
// could not run (the target cannot be checked; Segmint's rows are still printed).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  completionQueries,
  customerHistories,
  evaluateCompletion,
  formatDay,
  parseIsoDay,
  recommend,
  trainBaseline,
  trainRecommender,
  type Basket,
  type CompletionMetrics,
  type CompletionQuery,
  type RecommenderModel,
} from "../app/analytics/index";
import { csvBaskets, readBasketOrders } from "../cli/recommend";

const PYTHON = "/usr/bin/python3";
const REFERENCE = "scripts/reference/eval_recs.py";
const LAMBDAS = [10, 20, 40, 100];
const LIST = 10;
const RESULTS = "bench/results/recs-eval";
const USAGE = "npm run eval:recs -- <transactions.csv[.gz]> --cutoff YYYY-MM-DD [--seed 42]";

interface Args {
  readonly csv: string;
  readonly cutoff: string;
  readonly seed: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  let csv: string | null = null;
  let cutoff: string | null = null;
  let seed = 42;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf("=");
    const flag = raw.startsWith("--") && eq >= 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      const v = eq >= 0 ? raw.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value. Usage: ${USAGE}`);
      return v;
    };
    if (flag === "--cutoff") {
      cutoff = value();
      if (cutoff.length !== 10 || parseIsoDay(cutoff) === null) throw new UsageError(`--cutoff must be a date YYYY-MM-DD, got ${JSON.stringify(cutoff)}`);
    } else if (flag === "--seed") {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--seed must be a whole number, got ${JSON.stringify(v)}`);
      seed = Number(v);
    } else if (!raw.startsWith("--") && csv === null) csv = raw;
    else throw new UsageError(`unknown argument ${raw}. Usage: ${USAGE}`);
  }
  if (csv === null || cutoff === null) throw new UsageError(`Usage: ${USAGE}`);
  return { csv, cutoff, seed };
}

/** One row of the table. */
interface MethodResult extends CompletionMetrics {
  readonly method: string;
  /** Who computed it: Segmint's core (TypeScript) or the numpy reference. */
  readonly by: "core" | "numpy";
  readonly seconds: number;
}

interface ReferenceAnswer {
  readonly numpy: string;
  readonly products: number;
  readonly tunedLambda: number;
  readonly methods: Record<string, { hit5: number; hit10: number; mrr10: number; seconds: number; lambda?: number; solveSeconds?: number }>;
}

/**
 * Starts the numpy reference on the training baskets and the queries (a JSON file it reads) and
 * resolves with its answer, or with the reason it could not run. Started before Segmint trains, so
 * the two run side by side on the two cores.
 */
function startReference(train: readonly Basket[], queries: readonly CompletionQuery[], historyWeight: number): Promise<ReferenceAnswer | string> {
  const dir = mkdtempSync(join(tmpdir(), "segmint-eval-recs-"));
  const input = join(dir, "input.json");
  writeFileSync(
    input,
    JSON.stringify({
      train: train.map((b) => b.items),
      trainCustomers: train.map((b) => b.customerId),
      queries: queries.map((q) => ({ basket: q.basket, hidden: q.hidden, customer: q.customerId })),
      lambdas: LAMBDAS,
      historyWeight,
    }),
  );
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [REFERENCE, input], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const done = (answer: ReferenceAnswer | string): void => {
      rmSync(dir, { recursive: true, force: true });
      resolve(answer);
    };
    child.on("error", (e) => done(`${PYTHON} could not run (${e.message}); install Debian's python3 and python3-numpy`));
    child.on("close", (code) => {
      if (code !== 0) {
        const last = stderr.trim().split("\n").pop() ?? `exit ${code}`;
        done(/No module named 'numpy'/.test(stderr) ? `numpy is not installed for ${PYTHON} (apt-get install python3-numpy)` : `the reference script failed: ${last}`);
        return;
      }
      try {
        done(JSON.parse(stdout.trim().split("\n").pop()!) as ReferenceAnswer);
      } catch {
        done(`the reference script printed no result: ${stdout.slice(-300)}`);
      }
    });
  });
}

function timedEvaluation(method: string, queries: readonly CompletionQuery[], list: (q: CompletionQuery) => readonly string[]): MethodResult {
  const t = performance.now();
  const metrics = evaluateCompletion(queries, list);
  return { method, by: "core", ...metrics, seconds: (performance.now() - t) / 1000 };
}

const f3 = (x: number): string => x.toFixed(3);

function table(rows: readonly MethodResult[]): string[] {
  const header = ["method", "computed by", "hit@5", "hit@10", "MRR@10"];
  const cells = rows.map((r) => [r.method, r.by === "core" ? "Segmint's core" : "numpy reference", f3(r.hit5), f3(r.hit10), f3(r.mrr10)]);
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j]!.length)));
  const line = (c: readonly string[]): string => "  " + c.map((x, j) => (j < 2 ? x.padEnd(widths[j]!) : x.padStart(widths[j]!))).join("  ");
  return [line(header), ...cells.map(line)];
}

function markdownTable(rows: readonly MethodResult[]): string[] {
  return [
    "| method | computed by | hit@5 | hit@10 | MRR@10 |",
    "| --- | --- | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.method} | ${r.by === "core" ? "Segmint's core" : "numpy reference"} | ${f3(r.hit5)} | ${f3(r.hit10)} | ${f3(r.mrr10)} |`),
  ];
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const read = await readBasketOrders(args.csv);
  const baskets = csvBaskets(read.orders);
  const cutoffDay = parseIsoDay(args.cutoff)!;
  const train = baskets.filter((b) => b.day < cutoffDay);
  const later = baskets.filter((b) => b.day >= cutoffDay);
  if (train.length === 0 || later.length === 0) throw new UsageError(`${args.csv}: ${train.length} baskets before ${args.cutoff} and ${later.length} on or after it; the cutoff must split the data`);
  const queries = completionQueries(later, args.seed);
  const readSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const model: RecommenderModel = trainRecommender(train);
  const trainSeconds = (performance.now() - t1) / 1000;
  // The reference starts once Segmint's training is done, so that training time is Segmint's own.
  const reference = startReference(train, queries, model.params.historyWeight);
  const histories = customerHistories(train);
  const ids = (list: readonly { productId: string }[]): string[] => list.map((r) => r.productId);
  const rows: MethodResult[] = [
    timedEvaluation("Segmint (basket + customer history)", queries, (q) => ids(recommend(model, { basket: q.basket, history: q.customerId === null ? null : histories.get(q.customerId), limit: LIST }))),
    timedEvaluation("Segmint (basket only)", queries, (q) => ids(recommend(model, { basket: q.basket, limit: LIST }))),
  ];
  const baselines = [
    ["popularity", "popularity"],
    ["co-occurrence", "cooccurrence"],
    ["item-kNN (cosine)", "item-knn"],
  ] as const;
  for (const [name, kind] of baselines) {
    const baseline = trainBaseline(train, kind);
    rows.push(timedEvaluation(name, queries, (q) => ids(recommend(baseline, { basket: q.basket, limit: LIST }))));
  }

  const answer = await reference;
  const segmint = rows[0]!;
  const basketOnly = rows[1]!;
  let ease: MethodResult | null = null;
  let easeHistory: MethodResult | null = null;
  // The largest hit@10 difference between a core baseline and numpy's: the two sides' agreement on the protocol.
  let crossCheck = 0;
  if (typeof answer !== "string") {
    const numpyRow = (method: string, key: string): MethodResult => {
      const m = answer.methods[key]!;
      return { method, by: "numpy", queries: queries.length, hit5: m.hit5, hit10: m.hit10, mrr10: m.mrr10, seconds: m.seconds + (m.solveSeconds ?? 0) };
    };
    for (const lambda of LAMBDAS) rows.push(numpyRow(`EASE λ=${lambda}`, `ease-${lambda}`));
    ease = numpyRow(`EASE λ tuned (λ=${answer.tunedLambda} of ${LAMBDAS.join(", ")})`, "ease-tuned");
    easeHistory = numpyRow(`EASE λ tuned + customer history (same term as Segmint's)`, "ease-tuned+history");
    rows.push(ease, easeHistory, numpyRow("popularity", "popularity"), numpyRow("co-occurrence", "cooccurrence"), numpyRow("item-kNN (cosine)", "item-knn"));
    for (const [name, kind] of baselines) {
      const core = rows.find((r) => r.by === "core" && r.method === name)!;
      crossCheck = Math.max(crossCheck, Math.abs(core.hit10 - answer.methods[kind]!.hit10));
    }
  }

  const first = formatDay(train.reduce((m, b) => Math.min(m, b.day), Infinity));
  const last = formatDay(later.reduce((m, b) => Math.max(m, b.day), -Infinity));
  const heading = `Basket completion on ${basename(args.csv)}: ${train.length.toLocaleString("en-US")} training baskets (${first} to the day before ${args.cutoff}), ${model.items.length.toLocaleString("en-US")} products (${model.head.toLocaleString("en-US")} solved exactly); ${queries.length.toLocaleString("en-US")} queries from ${later.length.toLocaleString("en-US")} later baskets (to ${last}), seed ${args.seed}, ${LIST} products asked per query`;
  const verdict: string[] = [];
  let targetMet: boolean | null = null;
  if (ease === null) {
    verdict.push(`EASE not computed: ${answer as string}. The target (Segmint's hit@10 ≥ EASE's) cannot be checked.`);
  } else {
    targetMet = segmint.hit10 >= ease.hit10;
    verdict.push(
      `Segmint / EASE (λ tuned) hit@10: ${f3(segmint.hit10)} / ${f3(ease.hit10)} = ${(segmint.hit10 / ease.hit10).toFixed(3)} — target (Segmint's hit@10 ≥ EASE's): ${targetMet ? "met" : "NOT met"}`,
      `Like for like: Segmint basket only / EASE ${f3(basketOnly.hit10)} / ${f3(ease.hit10)} = ${(basketOnly.hit10 / ease.hit10).toFixed(3)}; Segmint + history / EASE + the same history term ${f3(segmint.hit10)} / ${f3(easeHistory!.hit10)} = ${(segmint.hit10 / easeHistory!.hit10).toFixed(3)}`,
      `Cross-check: the core's baselines and numpy's differ by at most ${crossCheck.toFixed(4)} in hit@10`,
    );
  }
  const timing = `Segmint: read ${readSeconds.toFixed(1)} s, training ${trainSeconds.toFixed(1)} s on ${train.length.toLocaleString("en-US")} baskets${typeof answer === "string" ? "" : `; numpy ${answer.numpy}, its EASE solve ${(answer.methods["ease-20"]?.solveSeconds ?? 0).toFixed(1)} s at λ 20 on ${answer.products.toLocaleString("en-US")} products`}`;
  console.log([heading, "", ...table(rows), "", ...verdict, timing].join("\n"));

  mkdirSync("bench/results", { recursive: true });
  const result = {
    csv: basename(args.csv),
    cutoff: args.cutoff,
    seed: args.seed,
    trainBaskets: train.length,
    products: model.items.length,
    head: model.head,
    queries: queries.length,
    params: model.params,
    trainSeconds,
    numpy: typeof answer === "string" ? null : answer.numpy,
    referenceNote: typeof answer === "string" ? answer : null,
    methods: rows,
    target: { segmintHit10: segmint.hit10, easeTunedHit10: ease?.hit10 ?? null, met: targetMet },
    baselineCrossCheck: ease === null ? null : crossCheck,
    date: new Date().toISOString(),
  };
  writeFileSync(`${RESULTS}.json`, `${JSON.stringify(result, null, 1)}\n`);
  const md = ["# Recommendations: basket completion (`npm run eval:recs`)", "", heading + ".", "", ...markdownTable(rows), "", ...verdict.map((v) => `${v}.`), "", timing + ".", ""].join("\n");
  writeFileSync(`${RESULTS}.md`, md);
  if (targetMet === null) return 3;
  return targetMet ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
