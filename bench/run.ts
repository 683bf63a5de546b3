/**
 * `npm run bench [-- [name ...] [--flag ...]]`: runs every bench/*.bench.ts (or only those whose
 * name is given) as a separate child process, one after another, passing the flags through, then
 * prints where the results went. Each bench writes bench/results/<name>.md and <name>.json.
 *
 * Also exports the small harness the clustering benches share: seeded data files in bench/tmp/,
 * measurement children (one process per measurement, so peak RSS is that measurement's own), and
 * the result writers. Importing this module does not run the benches.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { syntheticRfmFeatures } from "./synthetic-rfm";

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = join(BENCH_DIR, "results");
export const TMP_DIR = join(BENCH_DIR, "tmp");
export const PYTHON = "/usr/bin/python3";
/** Seed of the synthetic RFM data used by every clustering bench. */
export const DATA_SEED = 20261123;

/** `--name=value` / `--flag` arguments. */
export function parseArgs(argv: string[] = process.argv.slice(2)): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of argv) {
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq < 0) m.set(a.slice(2), "true");
    else m.set(a.slice(2, eq), a.slice(eq + 1));
  }
  return m;
}

export function numberList(v: string | undefined, fallback: number[]): number[] {
  if (!v) return fallback;
  return v.split(",").map((s) => {
    const n = Number(s.replace(/k$/i, "000").replace(/m$/i, "000000"));
    if (!Number.isFinite(n)) throw new Error(`bad number ${s}`);
    return n;
  });
}

/**
 * Synthetic RFM features (d = 3, log1p + z-score; see bench/synthetic-rfm.ts) as a
 * little-endian float64 file, generated once per (n, seed) and reused.
 */
export function rfmDataFile(n: number, seed = DATA_SEED): string {
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, `rfm-${n}-${seed}.f64`);
  if (!existsSync(file)) {
    const x = syntheticRfmFeatures(n, seed);
    writeFileSync(file, new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
  }
  return file;
}

export function readF64(file: string): Float64Array {
  const b = readFileSync(file);
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function readI32(file: string): Int32Array {
  const b = readFileSync(file);
  const out = new Int32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function writeI32(file: string, a: Int32Array): void {
  writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** What every measurement child prints as its last stdout line. */
export interface Measurement {
  /** Seconds of the timed call, one per repeat. */
  times: number[];
  /** Peak resident set size of the child process, MB. */
  peakMB: number;
  [extra: string]: unknown;
}

function lastJsonLine(stdout: string): Measurement {
  const lines = stdout.trim().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] ?? "").trim();
    if (l.startsWith("{")) return JSON.parse(l) as Measurement;
  }
  throw new Error(`no JSON result in child output:\n${stdout.slice(-2000)}`);
}

/** Runs `file` (a .ts bench) as a child with tsx; it must print a Measurement JSON line. */
export function runTsChild(file: string, args: string[], timeoutSec = 3600): Measurement {
  const r = spawnSync(process.execPath, ["--import", "tsx", file, ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: timeoutSec * 1000,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  if (r.status !== 0) throw new Error(`child ${basename(file)} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return lastJsonLine(r.stdout);
}

/**
 * Runs an inline Python script with Debian's scikit-learn. `args` are available as sys.argv[1:].
 * The script must print a JSON line with `times` and may use the `peak_mb()` helper defined here.
 */
export function runPython(script: string, args: string[], env: Record<string, string> = {}, timeoutSec = 3600, memLimitGB = 0): Measurement {
  const prelude = [
    "import json, sys, time, resource",
    "import numpy as np",
    "def peak_mb():",
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0",
    "def load(path):",
    "    return np.fromfile(path, dtype='<f8').reshape(-1, 3)",
  ].join("\n");
  // Optional address-space cap: on a shared machine a MemoryError is better than the OOM killer.
  const cap = memLimitGB > 0 ? `ulimit -v ${Math.round(memLimitGB * 1024 * 1024)}; ` : "";
  const r = spawnSync("bash", ["-c", `${cap}exec "$0" "$@"`, PYTHON, "-c", `${prelude}\n${script}`, ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: timeoutSec * 1000,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) {
    const tail = r.stderr.trim().split("\n").slice(-1)[0] ?? "";
    throw new ChildFailure(`python failed (${r.status ?? r.signal}): ${tail}`, r.stderr.slice(-4000));
  }
  return lastJsonLine(r.stdout);
}

/** A measurement child that exited with an error (message = one line, detail = stderr tail). */
export class ChildFailure extends Error {
  constructor(message: string, readonly detail: string) {
    super(message);
  }
}

/** Worker side: peak RSS of this process in MB. */
export function peakMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export const fmtS = (s: number): string => (s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`);
export const fmtMB = (mb: number): string => (mb >= 1024 ? `${(mb / 1024).toFixed(2)} GB` : `${mb.toFixed(0)} MB`);
export const fmtN = (n: number): string => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

export function environmentNote(): Record<string, unknown> {
  const cpu = cpus();
  return {
    node: process.version,
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
  };
}

/** The PostgreSQL server the benches create their scratch databases on (as the tests do). */
export const PG_ADMIN_URL = process.env.SEGMINT_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A fresh, migrated PostgreSQL database named `<prefix>_<pid>` (any leftover dropped first), and how to drop it. */
export async function scratchPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}`;
  const onAdmin = async (sql: string[]): Promise<void> => {
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    for (const statement of sql) await admin.query(statement);
    await admin.end();
  };
  await onAdmin([`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`]);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const { applyMigrations } = await import("../app/db/migrate.server");
  await applyMigrations(url.toString());
  return { url: url.toString(), drop: () => onAdmin([`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]) };
}

export function writeResults(name: string, markdown: string, json: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.md`), markdown.endsWith("\n") ? markdown : markdown + "\n");
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(json, null, 1) + "\n");
}

/** Previously written results of a bench (to carry forward measurements not re-run this time). */
export function previousResults<T>(name: string): T | null {
  const f = join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(f)) return null;
  try {
    return JSON.parse(readFileSync(f, "utf8")) as T;
  } catch {
    return null;
  }
}

export function mdTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const argv = process.argv.slice(2);
  const only = argv.filter((a) => !a.startsWith("--"));
  const flags = argv.filter((a) => a.startsWith("--"));
  const files = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, "")))
    .sort();
  if (files.length === 0) {
    console.error(`no bench/*.bench.ts matches ${only.join(", ")}`);
    process.exit(1);
  }
  const failed: string[] = [];
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, "");
    console.log(`\n=== ${name} ===`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--import", "tsx", join(BENCH_DIR, f), ...flags], {
      stdio: "inherit",
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
    const secs = (performance.now() - t0) / 1000;
    if (r.status !== 0) failed.push(name);
    console.log(`=== ${name}: ${r.status === 0 ? "ok" : `FAILED (${r.status ?? r.signal})`} in ${secs.toFixed(0)} s`);
  }
  console.log("\nResults:");
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, "");
    for (const ext of ["md", "json"]) {
      const p = join(RESULTS_DIR, `${name}.${ext}`);
      console.log(`  ${existsSync(p) ? p : `${p} (not written)`}`);
    }
  }
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(", ")}`);
    process.exit(1);
  }
}

const invoked = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : "";
if (invoked === import.meta.url) main();
