/**
 * Whole-CLI benchmark: wall time and peak RSS of `segmint segment` on Online Retail and on the
 * seeded synthetic file (bench/synthetic.ts: 1M customers, ~5M lines), plus the RFM step alone
 * against pandas (scripts/reference/rfm_online_retail.py) on the same synthetic file, with an
 * exact comparison of every customer's recency/frequency/monetary.
 *
 *   npx tsx bench/cli.bench.ts [--runs=3] [--skip-synthetic]
 *
 * Measurements use `/usr/bin/time -v` around a fresh process (wall clock, "Maximum resident set
 * size"). Writes bench/results/cli.md and bench/results/cli.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateSyntheticCsv, SYNTHETIC_DEFAULTS } from "./synthetic";
import { createRfmAccumulator, formatMilli } from "../app/analytics/index";
import { openCsvText, streamTransactions, ONLINE_RETAIL_CANCELLATION_PREFIX } from "../cli/csv/transactions";
import { CsvParser } from "../cli/csv/parser";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TMP = join(ROOT, "bench/tmp");
const RESULTS = join(ROOT, "bench/results");
const ONLINE_RETAIL = join(ROOT, "../shared/data/online_retail.csv.gz");
const SYNTHETIC = join(ROOT, SYNTHETIC_DEFAULTS.out);
const PYTHON = "/usr/bin/python3";

interface Measure {
  wallSeconds: number;
  maxRssMB: number;
  stdout: string;
}

function timed(cmd: string, args: string[]): Measure {
  const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wall || !rss) throw new Error(`cannot parse /usr/bin/time output:\n${r.stderr}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { wallSeconds: seconds, maxRssMB: Number(rss[1]) / 1024, stdout: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Child mode: read + RFM only (the step pandas does), printing its own timing. */
async function rfmOnly(file: string, asOf: string): Promise<void> {
  const t0 = performance.now();
  const acc = createRfmAccumulator({ asOf });
  await streamTransactions(openCsvText(file), { cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX }, {
    onRow: (r) => acc.addLine(r),
    onProblem: () => {},
  });
  const t = acc.finish();
  console.log(JSON.stringify({ customers: t.count, seconds: (performance.now() - t0) / 1000 }));
}

async function readCsvRows(path: string, onRow: (f: string[]) => void): Promise<void> {
  const p = new CsvParser((f) => onRow(f));
  const s = createReadStream(path);
  const text = path.endsWith(".gz") ? s.pipe(createGunzip()) : s;
  text.setEncoding("utf8");
  for await (const chunk of text) p.push(chunk as string);
  p.end();
}

/** Every customer of the CLI output vs the pandas reference output: counts of mismatches. */
async function compareWithPandas(cliOut: string, pandasOut: string): Promise<{ customers: number; mismatches: number }> {
  const ref = new Map<string, string>();
  let header: string[] | null = null;
  await readCsvRows(pandasOut, (f) => {
    if (header === null) {
      header = f;
      return;
    }
    const h = header;
    const get = (n: string): string => f[h.indexOf(n)]!;
    ref.set(get("customer_id"), `${get("recency_days")}|${get("frequency")}|${formatMilli(Number(get("monetary_minor")))}`);
  });
  let mismatches = 0;
  let customers = 0;
  let first = true;
  await readCsvRows(cliOut, (f) => {
    if (first) {
      first = false;
      return;
    }
    customers++;
    if (ref.get(f[0]!) !== `${f[1]}|${f[2]}|${f[3]}`) mismatches++;
  });
  return { customers, mismatches: mismatches + Math.abs(ref.size - customers) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--rfm-only") return rfmOnly(args[1]!, args[2]!);
  const runs = Number(args.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 3);
  const skipSynthetic = args.includes("--skip-synthetic");
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(TMP, { recursive: true });
  const node = process.execPath;
  const bin = join(ROOT, "bin/segmint.js");
  const self = fileURLToPath(import.meta.url);
  const tsx = join(ROOT, "node_modules/tsx/dist/cli.mjs");
  const loadAtStart = loadavg().map((v) => Math.round(v * 10) / 10);
  const results: Record<string, unknown> = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "?", memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
    targets: { onlineRetailSeconds: 5, syntheticSeconds: 60, syntheticRssMB: 2048 },
  };

  // 1. Online Retail, whole CLI (the default algorithm: hybrid, ADR 0016), median of `runs`
  const or: Measure[] = [];
  for (let i = 0; i < runs; i++) or.push(timed(node, [bin, "segment", ONLINE_RETAIL, "--as-of", "2011-12-10", "--out", join(TMP, "or-out.csv"), "--quiet"]));
  results.onlineRetail = {
    lines: 541_909,
    customers: 4_372,
    runs: or.map((m) => ({ wallSeconds: m.wallSeconds, maxRssMB: Math.round(m.maxRssMB) })),
    medianWallSeconds: median(or.map((m) => m.wallSeconds)),
    maxRssMB: Math.round(Math.max(...or.map((m) => m.maxRssMB))),
    phases: /in ([\d.]+) s \(read ([\d.]+) s, segment ([\d.]+) s, write ([\d.]+) s\)/.exec(or[0]!.stdout)?.slice(1).map(Number),
  };
  const orOthers: Record<string, { wallSeconds: number; maxRssMB: number }> = {};
  for (const alg of ["rfm", "kmeans", "dbscan"]) {
    const m = timed(node, [bin, "segment", ONLINE_RETAIL, "--as-of", "2011-12-10", "--algorithm", alg, "--out", join(TMP, "or-out.csv"), "--quiet"]);
    orOthers[alg] = { wallSeconds: m.wallSeconds, maxRssMB: Math.round(m.maxRssMB) };
  }
  results.onlineRetailOtherAlgorithms = orOthers;
  const orReport = timed(node, [bin, "segment", ONLINE_RETAIL, "--as-of", "2011-12-10", "--out", join(TMP, "or-out.csv"), "--report", join(TMP, "or.html"), "--quiet"]);
  results.onlineRetailWithReport = { wallSeconds: orReport.wallSeconds, maxRssMB: Math.round(orReport.maxRssMB) };
  console.log("online retail:", JSON.stringify(results.onlineRetail));

  if (!skipSynthetic) {
    // 2. synthetic 1M customers / ~5M lines
    if (!existsSync(SYNTHETIC)) {
      const g = await generateSyntheticCsv({ ...SYNTHETIC_DEFAULTS, out: SYNTHETIC });
      console.log("generated", g);
    }
    const lines = Number(spawnSync("wc", ["-l", SYNTHETIC], { encoding: "utf8" }).stdout.trim().split(/\s+/)[0]) - 1;
    const synOut = join(TMP, "synthetic-1m-out.csv");
    const syn = timed(node, [bin, "segment", SYNTHETIC, "--out", synOut, "--quiet"]);
    const phases = /in ([\d.]+) s \(read ([\d.]+) s, segment ([\d.]+) s, write ([\d.]+) s\)/.exec(syn.stdout)?.slice(1).map(Number);
    const asOf = /as of (\d{4}-\d{2}-\d{2})/.exec(syn.stdout)![1]!;
    results.synthetic = { file: SYNTHETIC_DEFAULTS.out, seed: SYNTHETIC_DEFAULTS.seed, lines, customers: SYNTHETIC_DEFAULTS.customers, wallSeconds: syn.wallSeconds, maxRssMB: Math.round(syn.maxRssMB), phases, summary: syn.stdout.split("\n").slice(2, 3)[0] };
    console.log("synthetic:", JSON.stringify(results.synthetic));
    const others: Record<string, { wallSeconds: number; maxRssMB: number; model?: string }> = {};
    for (const alg of ["rfm", "kmeans", "dbscan"]) {
      const m = timed(node, [bin, "segment", SYNTHETIC, "--algorithm", alg, "--out", join(TMP, `synthetic-1m-${alg}.csv`), "--quiet"]);
      others[alg] = { wallSeconds: m.wallSeconds, maxRssMB: Math.round(m.maxRssMB), model: /^Model: (.*)$/m.exec(m.stdout)?.[1] };
      console.log(alg, JSON.stringify(others[alg]));
    }
    results.syntheticOtherAlgorithms = others;

    // 3. RFM step alone vs pandas on the same file, and exact agreement
    const ts = timed(node, [tsx, self, "--rfm-only", SYNTHETIC, asOf]);
    const tsInner = JSON.parse(ts.stdout.trim().split("\n").pop()!) as { seconds: number };
    const py = timed(PYTHON, [join(ROOT, "scripts/reference/rfm_online_retail.py"), SYNTHETIC, asOf, join(TMP, "synthetic-pandas")]);
    const agreement = await compareWithPandas(synOut, join(TMP, "synthetic-pandas.csv.gz"));
    results.rfmVsPandas = {
      note: "TypeScript: stream + parse CSV + RFM accumulator (process wall incl. start-up). pandas: read_csv + groupby RFM + scores + writing its fixture (process wall).",
      typescript: { wallSeconds: ts.wallSeconds, innerSeconds: tsInner.seconds, maxRssMB: Math.round(ts.maxRssMB) },
      pandas: { wallSeconds: py.wallSeconds, maxRssMB: Math.round(py.maxRssMB) },
      ratioTypescriptOverPandas: ts.wallSeconds / py.wallSeconds,
      agreement,
    };
    console.log("rfm vs pandas:", JSON.stringify(results.rfmVsPandas));
  }

  results.loadAverage = { start: loadAtStart, end: loadavg().map((v) => Math.round(v * 10) / 10) };
  writeFileSync(join(RESULTS, "cli.json"), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(join(RESULTS, "cli.md"), renderMarkdown(results));
  console.log(`wrote ${join(RESULTS, "cli.md")}`);
}

function renderMarkdown(r: Record<string, unknown>): string {
  const m = r.machine as { cpus: number; cpuModel: string; memoryGB: number; node: string };
  const or = r.onlineRetail as { medianWallSeconds: number; maxRssMB: number; runs: { wallSeconds: number }[]; phases?: number[] };
  const orr = r.onlineRetailWithReport as { wallSeconds: number; maxRssMB: number };
  const ok = (cond: boolean): string => (cond ? "✅" : "❌");
  const lines = [
    "# CLI benchmark (`bench/cli.bench.ts`)",
    "",
    `Measured ${r.date as string} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB RAM, Node ${m.node}. Wall time and peak RSS of a`,
    "fresh `node bin/segmint.js segment …` process via `/usr/bin/time -v` (start-up, tsx registration, read, RFM,",
    "segmentation, CSV output all included). Default algorithm: K-means, K auto, seed 42.",
    `The machine is shared with other work (1-min load average ${(r.loadAverage as { start: number[] }).start[0]} at the start, ${(r.loadAverage as { end: number[] }).end[0]} at the end, on ${m.cpus} cores), so times are indicative: they vary by up to 2× between runs.`,
    "",
    "| Input | Wall time | Peak RSS | Target | |",
    "|---|---|---|---|---|",
    `| Online Retail, 541,909 lines, 4,372 customers (median of ${or.runs.length}) | ${or.medianWallSeconds.toFixed(2)} s | ${or.maxRssMB} MB | ≤ 5 s | ${ok(or.medianWallSeconds <= 5)} |`,
    `| Online Retail with \`--report\` | ${orr.wallSeconds.toFixed(2)} s | ${orr.maxRssMB} MB | | |`,
  ];
  const syn = r.synthetic as { lines: number; customers: number; wallSeconds: number; maxRssMB: number; phases?: number[]; summary?: string } | undefined;
  if (syn) {
    lines.push(`| Synthetic, ${syn.lines.toLocaleString("en-US")} lines, ${syn.customers.toLocaleString("en-US")} customers | ${syn.wallSeconds.toFixed(1)} s | ${syn.maxRssMB} MB | ≤ 60 s, ≤ 2,048 MB | ${ok(syn.wallSeconds <= 60 && syn.maxRssMB <= 2048)} |`);
    const oth = r.syntheticOtherAlgorithms as Record<string, { wallSeconds: number; maxRssMB: number; model?: string }> | undefined;
    const orOth = r.onlineRetailOtherAlgorithms as Record<string, { wallSeconds: number; maxRssMB: number }> | undefined;
    if (oth && orOth) {
      lines.push("", "Other algorithms (`--algorithm`), same files:", "", "| Algorithm | Online Retail | Synthetic 1M / 5M | Synthetic model |", "|---|---|---|---|");
      for (const alg of Object.keys(oth)) {
        const a = orOth[alg]!;
        const b = oth[alg]!;
        lines.push(`| ${alg} | ${a.wallSeconds.toFixed(2)} s, ${a.maxRssMB} MB | ${b.wallSeconds.toFixed(1)} s, ${b.maxRssMB} MB ${ok(b.wallSeconds <= 60 && b.maxRssMB <= 2048)} | ${b.model ?? ""} |`);
      }
    }
    lines.push("");
    if (syn.phases) lines.push(`Synthetic phases (CLI's own clock): read + RFM ${syn.phases[1]} s, segmentation ${syn.phases[2]} s, write ${syn.phases[3]} s.`);
    if (or.phases) lines.push(`Online Retail phases: read + RFM ${or.phases[1]} s, segmentation ${or.phases[2]} s, write ${or.phases[3]} s.`);
    const v = r.rfmVsPandas as { typescript: { wallSeconds: number; innerSeconds: number; maxRssMB: number }; pandas: { wallSeconds: number; maxRssMB: number }; ratioTypescriptOverPandas: number; agreement: { customers: number; mismatches: number } };
    lines.push(
      "",
      "## RFM step vs pandas (same synthetic file)",
      "",
      "| | Wall time | Peak RSS |",
      "|---|---|---|",
      `| TypeScript: stream CSV + parse + RFM accumulator | ${v.typescript.wallSeconds.toFixed(1)} s (in-process ${v.typescript.innerSeconds.toFixed(1)} s) | ${v.typescript.maxRssMB} MB |`,
      `| pandas 1.5 (\`scripts/reference/rfm_online_retail.py\`: read_csv, groupby, scores, write) | ${v.pandas.wallSeconds.toFixed(1)} s | ${v.pandas.maxRssMB} MB |`,
      "",
      `Ratio TypeScript / pandas (wall): **${v.ratioTypescriptOverPandas.toFixed(2)}**. Agreement: ${v.agreement.customers.toLocaleString("en-US")} customers compared, ` +
        `${v.agreement.mismatches} mismatches in recency / frequency / monetary (exact).`,
    );
  }
  lines.push("", "Reproduce: `npx tsx bench/cli.bench.ts` (generates bench/tmp/synthetic-1m.csv if missing; never committed).", "");
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
