/**
 * DBSCAN on synthetic RFM features (d = 3), minPoints = 6, eps from the knee of the k-distance
 * curve (our proposeEps; scikit-learn gets the same eps). Ours vs scikit-learn vs
 * density-clustering (small n only: it is O(n²)). Labels are compared element by element.
 * Every measurement runs in its own child process; time = the call only; memory = peak RSS.
 *
 * Flags: --sizes=10k,100k,300k,1M  --min-points=6
 *        --sklearn-max-n=300000   scikit-learn above this n is not re-run (at 1M it needs > 20 GB here);
 *                                 the last recorded measurement for the same n and eps is carried over
 *        --sklearn-full           run scikit-learn at every size
 *        --dc-max-n=10000         density-clustering only up to this n
 *        --merge                  keep earlier results for the sizes not given in --sizes
 *        --no-core-check          where scikit-learn's DBSCAN did not run, skip comparing the core set
 *                                 with its KDTree neighbour counts (O(n) memory, slow)
 *        --sklearn-mem-gb=14      address-space cap for the scikit-learn child (MemoryError instead
 *                                 of the kernel's OOM killer on a shared machine); 0 = no cap
 */
import { DBSCAN as DensityDbscan } from "density-clustering";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { dbscan, proposeEps } from "../app/analytics/clustering/dbscan";
import {
  ChildFailure, DATA_SEED, TMP_DIR, environmentNote, fmtMB, fmtN, fmtS, mdTable, numberList, parseArgs, peakMB, previousResults,
  readF64, readI32, rfmDataFile, runPython, runTsChild, writeI32, writeResults, type Measurement,
} from "./run";

const SELF = fileURLToPath(import.meta.url);
const args = parseArgs();

function worker(kind: string): void {
  const data = readF64(args.get("data") as string);
  const x = { data, rows: data.length / 3, cols: 3 };
  const minPoints = Number(args.get("min-points"));
  const out = args.get("out") as string;
  if (kind === "eps") {
    const t = performance.now();
    const p = proposeEps(x, minPoints);
    const secs = (performance.now() - t) / 1000;
    console.log(JSON.stringify({ times: [secs], peakMB: peakMB(), eps: p.eps, kneeIndex: p.kneeIndex }));
  } else if (kind === "js") {
    const eps = Number(args.get("eps"));
    const t = performance.now();
    const r = dbscan(x, { eps, minPoints });
    const secs = (performance.now() - t) / 1000;
    writeI32(out, r.labels);
    writeFileSync(`${out}.core`, r.isCore);
    console.log(JSON.stringify({ times: [secs], peakMB: peakMB(), clusters: r.clusterCount }));
  } else if (kind === "dc") {
    const eps = Number(args.get("eps"));
    const rows: number[][] = [];
    for (let i = 0; i < x.rows; i++) rows.push([data[3 * i] as number, data[3 * i + 1] as number, data[3 * i + 2] as number]);
    const lib = new DensityDbscan();
    const t = performance.now();
    const clusters = lib.run(rows, eps, minPoints);
    const secs = (performance.now() - t) / 1000;
    const labels = new Int32Array(x.rows).fill(-1);
    clusters.forEach((members, c) => members.forEach((i) => (labels[i] = c)));
    writeI32(out, labels);
    console.log(JSON.stringify({ times: [secs], peakMB: peakMB(), clusters: clusters.length }));
  }
}

const SK_DBSCAN = `
from sklearn.cluster import DBSCAN
x = load(sys.argv[1]); eps = float(sys.argv[2]); mp = int(sys.argv[3])
t = time.perf_counter()
m = DBSCAN(eps=eps, min_samples=mp).fit(x)
secs = time.perf_counter() - t
m.labels_.astype('<i4').tofile(sys.argv[4])
print(json.dumps({"times": [secs], "peakMB": peak_mb(), "clusters": int(m.labels_.max() + 1)}))
`;

// Core points from scikit-learn's own neighbour counts (the KDTree query DBSCAN uses, count_only:
// O(n) memory), for sizes where its DBSCAN cannot run.
const SK_CORE = `
from sklearn.neighbors import KDTree
x = load(sys.argv[1]); eps = float(sys.argv[2]); mp = int(sys.argv[3])
t = time.perf_counter()
counts = KDTree(x).query_radius(x, r=eps, count_only=True)
secs = time.perf_counter() - t
(counts >= mp).astype(np.uint8).tofile(sys.argv[4])
print(json.dumps({"times": [secs], "peakMB": peak_mb(), "meanNeighbours": float(counts.mean())}))
`;

const SK_KDIST = `
from sklearn.neighbors import NearestNeighbors
x = load(sys.argv[1]); mp = int(sys.argv[2])
t = time.perf_counter()
d = NearestNeighbors(n_neighbors=mp).fit(x).kneighbors(x)[0][:, -1]
d.sort()
n = len(d)
knee = int(np.argmax(np.arange(n) / (n - 1) - (d - d[0]) / (d[-1] - d[0])))
secs = time.perf_counter() - t
print(json.dumps({"times": [secs], "peakMB": peak_mb(), "eps": float(d[knee]), "kneeIndex": knee}))
`;

interface Row {
  n: number;
  step: "k-distance + knee (eps)" | "DBSCAN" | "core points";
  impl: string;
  seconds: number;
  peakMB: number;
  clusters?: number;
  noise?: number;
  labels?: string;
  note?: string;
  /** scikit-learn runs that failed: seconds until the failure (a lower bound on its time). */
  failedAfterS?: number;
}

/** Identical labels? Otherwise: same noise set and same partition up to permutation? */
function compareLabels(a: Int32Array, b: Int32Array): string {
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
  if (diff === 0) return "identical";
  let noiseDiff = 0;
  const map = new Map<number, number>();
  let conflicts = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if ((x === -1) !== (y === -1)) noiseDiff++;
    else if (x !== -1) {
      const m = map.get(x);
      if (m === undefined) map.set(x, y);
      else if (m !== y) conflicts++;
    }
  }
  return `${diff} differ (noise set differs at ${noiseDiff}, ${conflicts} not explained by a permutation)`;
}

function orchestrate(): void {
  const sizes = numberList(args.get("sizes"), [10_000, 100_000, 300_000, 1_000_000]);
  const minPoints = Number(args.get("min-points") ?? 6);
  const skMax = args.has("sklearn-full") ? Infinity : Number(args.get("sklearn-max-n") ?? 300_000);
  const dcMax = Number(args.get("dc-max-n") ?? 10_000);
  const skMemGB = Number(args.get("sklearn-mem-gb") ?? 14);
  const prev = previousResults<{ rows: Row[]; eps: Record<string, number> }>("dbscan");
  const rows: Row[] = [];
  const epsByN: Record<string, number> = {};
  // --merge: keep the previous results for sizes not measured now.
  if (args.has("merge") && prev) {
    for (const r of prev.rows) if (!sizes.includes(r.n)) rows.push(r);
    for (const [k, v] of Object.entries(prev.eps)) if (!sizes.includes(Number(k))) epsByN[k] = v;
  }
  const log = (r: Row): void => {
    rows.push(r);
    console.log(`  ${fmtN(r.n)} ${r.step} ${r.impl}: ${Number.isFinite(r.seconds) ? fmtS(r.seconds) : "failed"}, peak ${fmtMB(r.peakMB)}${r.clusters !== undefined ? `, ${r.clusters} clusters, ${r.noise} noise` : ""}${r.labels ? `, labels vs segmint: ${r.labels}` : ""}${r.note ? ` (${r.note})` : ""}`);
  };
  const countNoise = (l: Int32Array): number => l.reduce((s, v) => s + (v === -1 ? 1 : 0), 0);
  for (const n of sizes) {
    const file = rfmDataFile(n);
    const common = [`--data=${file}`, `--min-points=${minPoints}`];
    const e = runTsChild(SELF, ["--worker=eps", ...common]);
    const eps = e.eps as number;
    epsByN[n] = eps;
    log({ n, step: "k-distance + knee (eps)", impl: "segmint (k-d tree)", seconds: e.times[0] as number, peakMB: e.peakMB, note: `eps = ${eps.toPrecision(6)} at index ${e.kneeIndex as number}` });
    const ske = runPython(SK_KDIST, [file, String(minPoints)]);
    log({ n, step: "k-distance + knee (eps)", impl: "scikit-learn NearestNeighbors", seconds: ske.times[0] as number, peakMB: ske.peakMB, note: `eps = ${(ske.eps as number).toPrecision(6)} at index ${ske.kneeIndex as number}${ske.eps === eps ? ", same eps" : ", DIFFERENT eps"}` });

    const jsOut = join(TMP_DIR, `dbscan-js-${n}.i32`);
    const js = runTsChild(SELF, ["--worker=js", ...common, `--eps=${eps}`, `--out=${jsOut}`]);
    const jsLabels = readI32(jsOut);
    log({ n, step: "DBSCAN", impl: "segmint (grid)", seconds: js.times[0] as number, peakMB: js.peakMB, clusters: js.clusters as number, noise: countNoise(jsLabels) });

    if (n <= skMax) {
      const skOut = join(TMP_DIR, `dbscan-sk-${n}.i32`);
      const t0 = performance.now();
      try {
        const sk: Measurement = runPython(SK_DBSCAN, [file, String(eps), String(minPoints), skOut], {}, 3600, skMemGB);
        const skLabels = readI32(skOut);
        log({ n, step: "DBSCAN", impl: "scikit-learn 1.2 DBSCAN", seconds: sk.times[0] as number, peakMB: sk.peakMB, clusters: sk.clusters as number, noise: countNoise(skLabels), labels: compareLabels(jsLabels, skLabels) });
      } catch (err) {
        if (!(err instanceof ChildFailure)) throw err;
        const secs = (performance.now() - t0) / 1000;
        log({ n, step: "DBSCAN", impl: "scikit-learn 1.2 DBSCAN", seconds: Number.NaN, failedAfterS: secs, peakMB: skMemGB > 0 ? skMemGB * 1024 : Number.NaN, note: `FAILED after ${fmtS(secs)}: ${err.message.slice(0, 160)}${skMemGB > 0 ? ` (address space capped at ${skMemGB} GB)` : ""}` });
      }
    } else {
      const old = prev?.rows.find((r) => r.n === n && r.impl.startsWith("scikit-learn 1.2 DBSCAN") && prev.eps[n] === eps);
      if (old) log({ ...old, seconds: old.seconds ?? Number.NaN, note: `recorded in an earlier run: ${old.note ?? "same data and eps"}; not re-run (pass --sklearn-full)` });
      else console.log(`  ${fmtN(n)} scikit-learn DBSCAN skipped (n > --sklearn-max-n; pass --sklearn-full)`);
    }
    const skRow = rows.find((r) => r.n === n && r.impl.startsWith("scikit-learn 1.2 DBSCAN") && Number.isFinite(r.seconds));
    if (!skRow && !args.has("no-core-check")) {
      // scikit-learn's DBSCAN did not run here: check at least the core set against its counts.
      const coreOut = join(TMP_DIR, `dbscan-skcore-${n}.u8`);
      const c = runPython(SK_CORE, [file, String(eps), String(minPoints), coreOut], {}, 7200, skMemGB);
      const a = readFileSync(`${jsOut}.core`);
      const b = readFileSync(coreOut);
      let diff = a.length === b.length ? 0 : -1;
      for (let i = 0; diff >= 0 && i < a.length; i++) if (a[i] !== b[i]) diff++;
      const cores = a.reduce((acc, v) => acc + v, 0);
      log({ n, step: "core points", impl: "scikit-learn KDTree.query_radius(count_only)", seconds: c.times[0] as number, peakMB: c.peakMB, labels: diff === 0 ? `core set identical (${cores} core)` : `core set differs at ${diff}`, note: `mean ${(c.meanNeighbours as number).toFixed(0)} neighbours per point (self included): the lists scikit-learn's DBSCAN would store` });
    }
    if (n <= dcMax) {
      const dcOut = join(TMP_DIR, `dbscan-dc-${n}.i32`);
      const dc = runTsChild(SELF, ["--worker=dc", ...common, `--eps=${eps}`, `--out=${dcOut}`]);
      const dcLabels = readI32(dcOut);
      log({ n, step: "DBSCAN", impl: "density-clustering 1.3.0", seconds: dc.times[0] as number, peakMB: dc.peakMB, clusters: dc.clusters as number, noise: countNoise(dcLabels), labels: compareLabels(jsLabels, dcLabels), note: "uses dist < eps; border points go to the first cluster that reaches them" });
    }
  }
  for (const r of rows) if (r.impl.startsWith("scikit-learn 1.2 DBSCAN") && !r.note) r.note = `measured ${new Date().toISOString().slice(0, 10)}`;
  const allSizes = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  rows.sort((a, b) => a.n - b.n);
  render({ minPoints, env: environmentNote(), eps: epsByN, rows, sizes: allSizes });
}

interface Results {
  minPoints: number;
  env: Record<string, unknown>;
  eps: Record<string, number>;
  rows: Row[];
  sizes: number[];
}

/** Writes dbscan.md/json from measured rows (also used by --render to re-render the last results). */
function render(res: Results): void {
  const { minPoints, env, rows, sizes } = res;
  // JSON has no NaN: failed runs come back as null.
  const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);
  for (const r of rows) {
    if (!finite(r.seconds)) r.seconds = Number.NaN;
    const m = /FAILED after ([\d.]+) s/.exec(r.note ?? "");
    if (!finite(r.seconds) && r.failedAfterS === undefined && m) r.failedAfterS = Number(m[1]);
  }
  const ratio = sizes.map((n) => {
    const js = rows.find((r) => r.n === n && r.step === "DBSCAN" && r.impl.startsWith("segmint"));
    const sk = rows.find((r) => r.n === n && r.step === "DBSCAN" && r.impl.startsWith("scikit-learn"));
    const jse = rows.find((r) => r.n === n && r.step === "k-distance + knee (eps)" && r.impl.startsWith("segmint"));
    const ske = rows.find((r) => r.n === n && r.step === "k-distance + knee (eps)" && r.impl.startsWith("scikit-learn"));
    const ok = js !== undefined && sk !== undefined && finite(sk.seconds);
    const failed = js !== undefined && sk !== undefined && !finite(sk.seconds) && finite(sk.failedAfterS);
    return {
      n,
      speedupVsSklearn: ok ? sk.seconds / js.seconds : null,
      /** When scikit-learn failed: its time until the failure / ours, a lower bound. */
      speedupLowerBound: failed ? (sk.failedAfterS as number) / js.seconds : null,
      memoryRatio: ok ? sk.peakMB / js.peakMB : null,
      jsPeakMB: js?.peakMB ?? null,
      labels: sk?.labels ?? (failed ? `scikit-learn failed; ${rows.find((r) => r.n === n && r.step === "core points")?.labels ?? "core set not checked"}` : null),
      epsSpeedupVsSklearn: jse && ske ? ske.seconds / jse.seconds : null,
    };
  });
  const md = [
    "# DBSCAN benchmark",
    "",
    `Synthetic RFM features (58 % one-time buyers, 0.2 % whales, heavy-tailed spend; log1p, z-score; d = 3; seed ${DATA_SEED}), minPoints = ${minPoints} (self included, = scikit-learn's min_samples), eps = the knee of the sorted k-distance curve from our \`proposeEps\` (scikit-learn's own k-distance + the same knee rule is timed too and must give the same eps). Time = the call only; memory = peak RSS of the measuring child process (runtime and loaded data included). "labels" compares with our labels element by element. A failed scikit-learn run is shown with the time until it failed; the speed-up is then a lower bound.`,
    "",
    `Machine: ${String(env.cpu)}, ${String(env.cores)} cores (shared with other work), ${String(env.memoryGB)} GB, Node ${String(env.node)}; run ${String(env.date)}.`,
    "",
    mdTable(
      ["n", "step", "implementation", "time", "peak RSS", "clusters", "noise", "labels vs segmint", "note"],
      rows.map((r) => [fmtN(r.n), r.step, r.impl, finite(r.seconds) ? fmtS(r.seconds) : `failed after ${finite(r.failedAfterS) ? fmtS(r.failedAfterS) : "?"}`, finite(r.seconds) ? fmtMB(r.peakMB) : finite(r.peakMB) ? `needs > ${fmtMB(r.peakMB)} (address-space cap)` : "–", r.clusters ?? "", r.noise ?? "", r.labels ?? "", r.note ?? ""]),
    ),
    "",
    "## Ratios",
    "",
    mdTable(
      ["n", "DBSCAN speed-up vs scikit-learn", "scikit-learn peak / segmint peak", "segmint peak", "labels", "k-distance speed-up vs scikit-learn"],
      ratio.map((r) => [
        fmtN(r.n),
        r.speedupVsSklearn !== null ? `${r.speedupVsSklearn.toFixed(0)}×` : r.speedupLowerBound !== null ? `> ${r.speedupLowerBound.toFixed(0)}× (scikit-learn failed)` : "–",
        r.memoryRatio !== null ? `${r.memoryRatio.toFixed(0)}×` : "–",
        r.jsPeakMB !== null ? fmtMB(r.jsPeakMB) : "–",
        r.labels ?? "–",
        r.epsSpeedupVsSklearn !== null ? `${r.epsSpeedupVsSklearn.toFixed(1)}×` : "–",
      ]),
    ),
    "",
    "Target (issue 3): 1M × 3 with eps from the knee: ≥ 10× faster than scikit-learn, peak ≤ 1 GB, same labels.",
  ].join("\n");
  writeResults("dbscan", md, { bench: "dbscan", ...res, ratios: ratio });
  console.log(md.split("## Ratios")[1]);
}

if (args.has("render")) {
  const prev = previousResults<Results>("dbscan");
  if (!prev) throw new Error("no bench/results/dbscan.json to render");
  prev.sizes ??= [...new Set(prev.rows.map((r) => r.n))];
  render(prev);
  process.exit(0);
}

const w = args.get("worker");
if (w) worker(w);
else orchestrate();
