/**
 * Sampled silhouette at 1M customers: our sampledSilhouette (exact on a 10k sample) vs
 * scikit-learn's silhouette_score(sample_size=10000), for the K-means labels of every K = 2..10
 * (labels computed once by the orchestrator and shared through files). Target: ≤ 0.5 s per K.
 *
 * Flags: --sizes=1M  --sample=10000  --ks=2,3,4,5,6,7,8,9,10  --seeds=5 (repeat draws at K = 8)
 *        --rounds=3 (alternating ours / scikit-learn; median per K)
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { fitKMeans } from "../app/analytics/clustering/kmeans";
import { sampledSilhouette } from "../app/analytics/clustering/silhouette";
import {
  DATA_SEED, TMP_DIR, environmentNote, fmtMB, fmtN, fmtS, mdTable, median, numberList, parseArgs, peakMB, readF64,
  readI32, rfmDataFile, runPython, runTsChild, writeI32, writeResults, type Measurement,
} from "./run";

const SELF = fileURLToPath(import.meta.url);
const args = parseArgs();

function labelFile(n: number, k: number): string {
  return join(TMP_DIR, `silhouette-labels-${n}-k${k}.i32`);
}

function worker(): void {
  const data = readF64(args.get("data") as string);
  const x = { data, rows: data.length / 3, cols: 3 };
  const n = x.rows;
  const ks = numberList(args.get("ks"), []);
  const sample = Number(args.get("sample"));
  const seeds = Number(args.get("seeds"));
  const times: number[] = [];
  const cpu: number[] = [];
  const values: number[] = [];
  for (const k of ks) {
    const labels = readI32(labelFile(n, k));
    const t = performance.now();
    const c = process.cpuUsage();
    values.push(sampledSilhouette(x, labels, { sampleSize: sample, seed: 0 }));
    times.push((performance.now() - t) / 1000);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1e6);
  }
  const draws: number[] = [];
  if (seeds > 0) {
    const labels8 = readI32(labelFile(n, 8));
    for (let s = 0; s < seeds; s++) draws.push(sampledSilhouette(x, labels8, { sampleSize: sample, seed: 100 + s }));
  }
  console.log(JSON.stringify({ times, cpu, values, draws, peakMB: peakMB() }));
}

const SKLEARN = `
from sklearn.metrics import silhouette_score
x = load(sys.argv[1]); ks = [int(v) for v in sys.argv[2].split(",") if v]; sample = int(sys.argv[3]); seeds = int(sys.argv[4])
prefix = sys.argv[5]
times, cpu, values = [], [], []
for k in ks:
    labels = np.fromfile(prefix + f"-k{k}.i32", dtype='<i4')
    t = time.perf_counter(); c = time.process_time()
    values.append(float(silhouette_score(x, labels, sample_size=sample, random_state=0)))
    times.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
draws = []
if seeds > 0:
    labels = np.fromfile(prefix + "-k8.i32", dtype='<i4')
    draws = [float(silhouette_score(x, labels, sample_size=sample, random_state=100 + s)) for s in range(seeds)]
print(json.dumps({"times": times, "cpu": cpu, "values": values, "draws": draws, "peakMB": peak_mb()}))
`;

function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std };
}

function orchestrate(): void {
  const sizes = numberList(args.get("sizes"), [1_000_000]);
  const sample = Number(args.get("sample") ?? 10_000);
  const ks = numberList(args.get("ks"), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  if (!ks.includes(8)) ks.push(8);
  const seeds = Number(args.get("seeds") ?? 5);
  const rounds = Number(args.get("rounds") ?? 3);
  const results = [];
  for (const n of sizes) {
    const file = rfmDataFile(n);
    const data = readF64(file);
    const x = { data, rows: n, cols: 3 };
    for (const k of ks) writeI32(labelFile(n, k), fitKMeans(x, { k, seed: k, nInit: 1 }).labels);
    // Each child loops over every K in one process, as chooseK does (the first K pays for JIT
    // warm-up). Rounds alternate ours / scikit-learn so that load from other work on the shared
    // machine hits both alike; per K the median over rounds is reported.
    const prefix = join(TMP_DIR, `silhouette-labels-${n}`);
    const jsRounds: Measurement[] = [];
    const skRounds: Measurement[] = [];
    for (let round = 0; round < rounds; round++) {
      jsRounds.push(runTsChild(SELF, ["--worker", `--data=${file}`, `--ks=${ks.join(",")}`, `--sample=${sample}`, "--seeds=0"]));
      skRounds.push(runPython(SKLEARN, [file, ks.join(","), String(sample), "0", prefix]));
    }
    const collect = (ms: Measurement[]) => ({
      times: ks.map((_, i) => median(ms.map((m) => m.times[i] as number))),
      cpu: ks.map((_, i) => median(ms.map((m) => (m.cpu as number[])[i] as number))),
      timesByRound: ms.map((m) => m.times),
      values: (ms[0]?.values as number[]) ?? [],
      draws: [] as number[],
      peakMB: Math.max(...ms.map((m) => m.peakMB)),
    });
    const js = collect(jsRounds);
    const sk = collect(skRounds);
    js.draws = runTsChild(SELF, ["--worker", `--data=${file}`, "--ks=", `--sample=${sample}`, `--seeds=${seeds}`]).draws as number[];
    sk.draws = runPython(SKLEARN, [file, "", String(sample), String(seeds), prefix]).draws as number[];
    const r = {
      n, ks, sample,
      js,
      sklearn: sk,
    };
    results.push(r);
    console.log(`  ${fmtN(n)}: segmint max ${fmtS(Math.max(...js.times))} per K (median ${fmtS(median(js.times))}), peak ${fmtMB(js.peakMB)}; scikit-learn median ${fmtS(median(sk.times))}, peak ${fmtMB(sk.peakMB)}`);
  }
  const env = environmentNote();
  const parts: string[] = [
    "# Sampled silhouette benchmark",
    "",
    `Synthetic RFM features (d = 3, seed ${DATA_SEED}), labels from K-means (n_init = 1) for each K. Ours: \`sampledSilhouette\` = exact silhouette of a ${sample}-row sample drawn without replacement; scikit-learn: \`silhouette_score(X, labels, sample_size=${sample}, random_state=0)\` (same definition, different random draw). Time = the call only, median over alternating rounds (each child loops over all K like \`chooseK\`, so the first K includes JIT warm-up); memory = peak RSS of the measuring child process (runtime, data and all label arrays included).`,
    "",
    `Machine: ${env.cpu}, ${env.cores} cores (shared with other work), ${env.memoryGB} GB, Node ${env.node}; run ${env.date}.`,
    "",
  ];
  for (const r of results) {
    parts.push(`## n = ${fmtN(r.n)}`, "");
    parts.push(
      mdTable(
        ["K", "segmint time", "segmint CPU", "segmint value", "scikit-learn time", "scikit-learn CPU", "scikit-learn value", "time ratio sklearn / segmint"],
        r.ks.map((k, i) => [k, fmtS(r.js.times[i] as number), fmtS(r.js.cpu[i] as number), (r.js.values[i] as number).toFixed(4), fmtS(r.sklearn.times[i] as number), fmtS(r.sklearn.cpu[i] as number), (r.sklearn.values[i] as number).toFixed(4), `${((r.sklearn.times[i] as number) / (r.js.times[i] as number)).toFixed(1)}×`]),
      ),
      "",
    );
    const a = meanStd(r.js.draws);
    const b = meanStd(r.sklearn.draws);
    parts.push(
      `Peak RSS: segmint ${fmtMB(r.js.peakMB)}, scikit-learn ${fmtMB(r.sklearn.peakMB)}. Slowest K: segmint ${fmtS(Math.max(...r.js.times))} wall, ${fmtS(Math.max(...r.js.cpu))} CPU (target ≤ 0.5 s per K), scikit-learn ${fmtS(Math.max(...r.sklearn.times))}.`,
      "",
      `Sampling spread at K = 8 over ${r.js.draws.length} further draws: segmint ${a.mean.toFixed(4)} ± ${a.std.toFixed(4)}, scikit-learn ${b.mean.toFixed(4)} ± ${b.std.toFixed(4)} (mean ± sd); difference of means ${Math.abs(a.mean - b.mean).toFixed(4)}.`,
      "",
    );
  }
  writeResults("silhouette", parts.join("\n"), { bench: "silhouette", env, results });
}

if (args.has("worker")) worker();
else orchestrate();
