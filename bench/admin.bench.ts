/**
 * The embedded admin's server time (issue 9): every admin route's `loader` called as Remix calls
 * it, on a store with 100,000 customers and 10 stored weekly runs, and the segment CSV export's
 * memory and speed.
 *
 *   npm run bench -- admin [--customers=100000] [--runs=10] [--samples=30] [--postgres] [--seed=20261123]
 *
 * Store (not timed): bench/synthetic-store.ts (bench/synthetic-rfm.ts profiles as orders of two
 * lines), then `runs` real refreshes (services/refresh-segments: metrics, plots, model and one
 * CustomerSegment row per customer) a week apart, each followed by the refresh job's own pruning
 * (customer rows kept for the newest RUNS_KEPT_WITH_ROWS completed runs), a dry-run write-back pass
 * per run with its planned TagWrite rows (every customer on the first run, then the customers whose
 * segment changed), the jobs those runs would have left (a few failed), a completed backfill.
 * SQLite: written once per (customers, runs, seed) into bench/tmp/ and copied per bench run, the copy
 * read through once (in the OS page cache, as a serving database is); PostgreSQL (`--postgres`): a
 * template database built once, copied (CREATE DATABASE … TEMPLATE) per bench run.
 *
 * Loaders: in a child process whose environment is the offline demo's (SEGMINT_SIMULATOR_URL set,
 * never contacted: `requireAdmin` then returns the demo shop's stored offline session, read from
 * the Session table as in production), each route module's exported `loader({ request, params,
 * context })` is called with a real Request; server time = the loader plus the turbo-stream
 * encoding Remix's single fetch applies to its data (a returned Response is read instead).
 * Warm-up calls, then `samples` timed calls per page; p50/p95 by nearest rank. Target: p95 ≤ 200 ms.
 * A route not in main yet is reported as such. Floors, in the same child, through the raw driver
 * (better-sqlite3 / pg): the latest run's stored JSON read and parsed; a segment's customer page
 * sorted by spend with its count; a per-segment GROUP BY of the run's rows; one customer's rows.
 *
 * Export: one child process per measurement (its peak RSS is its own): the export route's loader
 * for the run's largest segment, the streamed body read to the end; memory sampled every 2 ms
 * (RSS and heap) against the level before the call, plus the kernel's peak RSS (reset before the call). Then the same
 * with every customer of the latest run moved into that segment (an UPDATE on the bench's copy, so
 * the export carries 100,000 rows). Floor: the same rows read through the raw driver into CSV lines
 * that are discarded. Target: peak memory growth ≤ 50 MB.
 *
 * Writes bench/results/admin.md and admin.json (one section per database; a run on one keeps the
 * other's last figures).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createDb, type Db } from "../app/db.server";
import { segmentTags } from "../app/domain/tags";
import { RUNS_KEPT_WITH_ROWS } from "../app/models/segment-runs.server";
import { MAX_SEGMENT_PAGE } from "../app/models/segment-customers.server";
import { latestCompletedRun, runAssignments, pruneRunRows } from "../app/models/segment-runs.server";
import { refreshSegments } from "../app/services/refresh-segments.server";
import { BENCH_DIR, environmentNote, fmtN, mdTable, parseArgs, peakMB, PG_ADMIN_URL, previousResults, scratchPostgresDatabase, writeResults } from "./run";
import { seedSyntheticStore, sqliteStoreCopy, syntheticCustomerId } from "./synthetic-store";

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(BENCH_DIR, "..");
const SHOP = "admin-bench.myshopify.com";
/** The newest run's day; the earlier runs are a week apart before it. */
const AS_OF = new Date("2026-06-01T16:00:00Z");
const DAY = 86_400_000;
const WARM_UP = 5;
const TARGET_MS = 200;
const TARGET_EXPORT_MB = 50;

interface Options {
  customers: number;
  runs: number;
  samples: number;
  postgres: boolean;
  seed: number;
}

// --- the store ------------------------------------------------------------------------------

async function buildStore(db: Db, o: Options): Promise<void> {
  const shopId = await seedSyntheticStore(db, { domain: SHOP, customers: o.customers, seed: o.seed, asOf: AS_OF });
  // The demo's offline session (requireAdmin reads it in the demo configuration).
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "bench", isOnline: false, accessToken: "bench-token", scope: "read_orders,read_customers,write_customers" } });
  const orders = await db.order.count({ where: { shopId } });
  await db.syncRun.create({ data: { shopId, kind: "backfill", status: "completed", rowsDone: orders, rowsTotal: orders, startedAt: new Date(AS_OF.getTime() - o.runs * 7 * DAY), finishedAt: new Date(AS_OF.getTime() - o.runs * 7 * DAY + 60_000) } });
  await db.job.create({ data: { shopId, type: "backfill", status: "succeeded", attempts: 1, finishedAt: new Date() } });
  const prefix = "segmint";
  let previous: Map<string, { customerRowId: number; segmentKey: string }> | null = null;
  let previousTags = new Map<string, string>();
  for (let r = 0; r < o.runs; r++) {
    const asOf = new Date(AS_OF.getTime() - (o.runs - 1 - r) * 7 * DAY);
    const t0 = performance.now();
    const outcome = await refreshSegments(db, shopId, { reason: r === 0 ? "backfill" : "schedule", asOf });
    await pruneRunRows(db, shopId, RUNS_KEPT_WITH_ROWS);
    const run = await latestCompletedRun(db, shopId);
    if (!run || run.id !== outcome.runId || outcome.result === null) throw new Error(`run ${r + 1} did not complete`);
    const tags = segmentTags(prefix, outcome.result.model.segments.map((s) => ({ key: s.id, name: s.name })));
    // The dry-run pass this run's job would have queued, with its planned writes.
    const assignments = await runAssignments(db, shopId, outcome.runId);
    const writes: { shopId: number; customerId: number; tag: string; action: string; mode: string; runId: number; result: string }[] = [];
    for (const [shopifyId, a] of assignments) {
      const before = previous?.get(shopifyId);
      if (before?.segmentKey === a.segmentKey) continue;
      if (before) writes.push({ shopId, customerId: a.customerRowId, tag: previousTags.get(before.segmentKey)!, action: "remove", mode: "dry-run", runId: outcome.runId, result: "planned" });
      writes.push({ shopId, customerId: a.customerRowId, tag: tags.get(a.segmentKey)!, action: "add", mode: "dry-run", runId: outcome.runId, result: "planned" });
    }
    const changed = new Set(writes.map((w) => w.customerId)).size;
    const pass = await db.writeBack.create({
      data: { shopId, runId: outcome.runId, kind: "refresh", mode: "dry-run", status: "completed", customersChanged: changed, tagsAdded: writes.filter((w) => w.action === "add").length, tagsRemoved: writes.filter((w) => w.action === "remove").length, requests: 1, finishedAt: new Date() },
    });
    for (let i = 0; i < writes.length; i += 5000) await db.tagWrite.createMany({ data: writes.slice(i, i + 5000).map((w) => ({ ...w, writeBackId: pass.id })) });
    // The jobs of this week: the refresh, its write-back pass, the webhook drains; now and then a failure.
    await db.job.createMany({
      data: [
        { shopId, type: "refresh-segments", payload: JSON.stringify({ reason: r === 0 ? "backfill" : "schedule" }), status: "succeeded", attempts: 1, finishedAt: new Date() },
        { shopId, type: "write-back", payload: JSON.stringify({ writeBackId: pass.id }), status: "succeeded", attempts: 1, finishedAt: new Date() },
        ...Array.from({ length: 20 }, () => ({ shopId, type: "process-webhooks", payload: "{}", status: "succeeded", attempts: 1, finishedAt: new Date() })),
        ...(r % 4 === 1 ? [{ shopId, type: "reconcile", payload: "{}", status: "failed", attempts: 5, lastError: "Shopify answered 503 Service Unavailable five times", finishedAt: new Date() }] : []),
      ],
    });
    previous = assignments;
    previousTags = tags;
    console.log(`run ${r + 1}/${o.runs} (${asOf.toISOString().slice(0, 10)}): ${outcome.customerCount} rows, ${outcome.result.model.segments.length} segments, ${changed} customers changed, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

async function onPostgresAdmin(sql: string[]): Promise<unknown[][]> {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const out: unknown[][] = [];
  try {
    for (const statement of sql) out.push((await admin.query(statement)).rows as unknown[]);
  } finally {
    await admin.end();
  }
  return out;
}

async function prepareDatabase(o: Options): Promise<{ url: string; drop(): Promise<void> }> {
  if (o.postgres) {
    // Built once per (customers, runs, seed) as a template database; each bench run works on a copy.
    const template = `segmint_admin_bench_${o.customers}_${o.runs}_${o.seed}`;
    const [{ n }] = (await onPostgresAdmin([`SELECT COUNT(*)::int AS n FROM pg_database WHERE datname = '${template}'`]))[0] as [{ n: number }];
    if (n === 0) {
      const build = await scratchPostgresDatabase("segmint_admin_bench_build");
      const db = createDb(build.url);
      await buildStore(db, o);
      // A serving database has been through autovacuum since the pruning: statistics and no dead rows.
      await db.$executeRawUnsafe("VACUUM ANALYZE");
      await db.$disconnect();
      await onPostgresAdmin([`ALTER DATABASE ${new URL(build.url).pathname.slice(1)} RENAME TO ${template}`]);
    }
    const work = `segmint_admin_bench_work_${process.pid}`;
    await onPostgresAdmin([`DROP DATABASE IF EXISTS ${work} WITH (FORCE)`, `CREATE DATABASE ${work} TEMPLATE ${template}`]);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${work}`;
    return { url: url.toString(), drop: async () => void (await onPostgresAdmin([`DROP DATABASE IF EXISTS ${work} WITH (FORCE)`])) };
  }
  return sqliteStoreCopy(`admin-${o.customers}-${o.runs}-${o.seed}`, (db) => buildStore(db, o));
}

// --- what each page asks for ------------------------------------------------------------------

/** Facts about the stored store the page requests are built from (read by the parent). */
interface StoreFacts {
  shopId: number;
  runId: number;
  runsWithRows: number;
  /** The latest run's segments, largest first. */
  segments: { key: string; size: number }[];
  /** A customer of the largest segment (search and lookup). */
  customerShopifyId: string;
  customerRows: number;
  tagWrites: number;
  jobs: number;
  orders: number;
}

interface PageCase {
  name: string;
  route: string;
  path: (f: StoreFacts) => string;
  params: (f: StoreFacts) => Record<string, string>;
  floor: FloorName;
}

/** A page whose first call has not answered by then is recorded as timed out (a loader scanning the store). */
const PAGE_TIMEOUT_S = 180;

type FloorName = "run JSON" | "customers page" | "group by" | "customer rows";

const largest = (f: StoreFacts): string => f.segments[0]!.key;
/** The detail table's page (models/segment-customers MAX_SEGMENT_PAGE). */
const PAGE_SIZE = MAX_SEGMENT_PAGE;

const PAGES: PageCase[] = [
  { name: "layout (/app, every page)", route: "app.tsx", path: () => "/app", params: () => ({}), floor: "run JSON" },
  { name: "overview /app", route: "app._index.tsx", path: () => "/app", params: () => ({}), floor: "group by" },
  { name: "segments /app/segments", route: "app.segments._index.tsx", path: () => "/app/segments", params: () => ({}), floor: "group by" },
  {
    name: "segment detail, top spenders",
    route: "app.segments.$segmentKey.tsx",
    path: (f) => `/app/segments/${largest(f)}?sort=monetary&dir=desc`,
    params: (f) => ({ segmentKey: largest(f) }),
    floor: "customers page",
  },
  {
    name: "segment detail, search by id",
    route: "app.segments.$segmentKey.tsx",
    path: (f) => `/app/segments/${largest(f)}?q=${f.customerShopifyId}`,
    params: (f) => ({ segmentKey: largest(f) }),
    floor: "customers page",
  },
  {
    name: "segment detail, second-to-last page",
    route: "app.segments.$segmentKey.tsx",
    path: (f) => `/app/segments/${largest(f)}?sort=monetary&dir=desc&page=${Math.max(1, Math.ceil(f.segments[0]!.size / PAGE_SIZE) - 1)}`,
    params: (f) => ({ segmentKey: largest(f) }),
    floor: "customers page",
  },
  { name: "customer lookup /app/customers?id=", route: "app.customers.tsx", path: (f) => `/app/customers?id=${f.customerShopifyId}`, params: () => ({}), floor: "customer rows" },
  { name: "model /app/model", route: "app.model.tsx", path: () => "/app/model", params: () => ({}), floor: "run JSON" },
  { name: "settings /app/settings", route: "app.settings.tsx", path: () => "/app/settings", params: () => ({}), floor: "run JSON" },
  { name: "jobs /app/jobs", route: "app.jobs.tsx", path: () => "/app/jobs", params: () => ({}), floor: "run JSON" },
];

const EXPORT_ROUTE = "app.segments.$segmentKey.export.tsx";

async function storeFacts(db: Db): Promise<StoreFacts> {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const run = await latestCompletedRun(db, shop.id);
  if (!run) throw new Error("no completed run");
  const groups = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId: shop.id, runId: run.id }, _count: { _all: true } });
  const segments = groups.map((g) => ({ key: g.segmentKey, size: g._count._all })).sort((a, b) => b.size - a.size);
  // A customer from the middle of the largest segment.
  const rows = await db.customerSegment.findMany({ where: { runId: run.id, segmentKey: segments[0]!.key }, orderBy: { id: "asc" }, skip: Math.floor(segments[0]!.size / 2), take: 1, select: { customer: { select: { shopifyId: true } } } });
  const withRows = await db.customerSegment.groupBy({ by: ["runId"], where: { shopId: shop.id } });
  return {
    shopId: shop.id,
    runId: run.id,
    runsWithRows: withRows.length,
    segments,
    customerShopifyId: rows[0]?.customer.shopifyId ?? syntheticCustomerId(0),
    customerRows: await db.customerSegment.count({ where: { shopId: shop.id } }),
    tagWrites: await db.tagWrite.count({ where: { shopId: shop.id } }),
    jobs: await db.job.count({ where: { shopId: shop.id } }),
    orders: await db.order.count({ where: { shopId: shop.id } }),
  };
}

// --- children -------------------------------------------------------------------------------

/** The offline demo's configuration pointed at the bench database (the simulator is never called). */
function demoEnv(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_NO_WARNINGS: "1",
    NODE_ENV: "production",
    DATABASE_URL: url,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: "http://localhost:3999",
    SEGMINT_SIMULATOR_URL: "http://127.0.0.1:9",
    SEGMINT_DEMO_SHOP: SHOP,
    LOG_LEVEL: "warn",
  };
}

function runChild<T>(args: string[], url: string, extraNodeArgs: string[] = [], timeoutSec = 3600): T {
  const r = spawnSync(process.execPath, [...extraNodeArgs, "--import", "tsx", SELF, ...args], { encoding: "utf8", maxBuffer: 64 << 20, timeout: timeoutSec * 1000, killSignal: "SIGKILL", env: demoEnv(url) });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") throw new ChildTimeout();
  if (r.status !== 0) throw new Error(`child ${args.slice(0, 2).join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr.slice(-4000)}`);
  const line = r.stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
  if (!line) throw new Error(`no JSON from child ${args.join(" ")}:\n${r.stdout.slice(-2000)}`);
  return JSON.parse(line) as T;
}

/** The old-space cap of the export check: below the target, far below 100k rows' CSV (22 MB) plus their objects. */
const CAPPED_HEAP_MB = 32;

class ChildTimeout extends Error {}

interface RouteModule {
  loader?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
}

/** Vite's `import x from "….css?url"` (the layout's stylesheet link) as an empty string: Node cannot import CSS. */
const CSS_STUB_HOOKS = `export async function resolve(specifier, context, next) {
  if (/\\.css(\\?.*)?$/.test(specifier)) return { url: "data:text/javascript,export default '';//", shortCircuit: true };
  return next(specifier, context);
}`;
let cssStubbed = false;

async function importRoute(route: string): Promise<RouteModule | null> {
  const file = join(ROOT, "app", "routes", route);
  if (!existsSync(file)) return null;
  if (!cssStubbed) {
    register(`data:text/javascript,${encodeURIComponent(CSS_STUB_HOOKS)}`);
    cssStubbed = true;
  }
  return (await import(pathToFileURL(file).href)) as RouteModule;
}

/** What Remix sends for a loader's result: a Response's body, or the data turbo-stream encoded (single fetch). */
async function serverSide(result: unknown): Promise<{ status: number; bytes: number }> {
  if (result instanceof Response) {
    const body = await result.text();
    return { status: result.status, bytes: Buffer.byteLength(body) };
  }
  const { encode } = await import("turbo-stream");
  // `data(value, init)` (single fetch) wraps the value.
  const value = result !== null && typeof result === "object" && "type" in result && (result as { type: unknown }).type === "DataWithResponseInit" ? (result as unknown as { data: unknown }).data : result;
  const body = await new Response(encode(value)).text();
  return { status: 200, bytes: Buffer.byteLength(body) };
}

interface PageMeasurement {
  name: string;
  route: string;
  path: string;
  present: boolean;
  error?: string;
  firstMs?: number;
  loaderMs?: number[];
  serverMs?: number[];
  bytes?: number;
  loadAverage?: number;
  floor: FloorName;
}

async function callLoader(mod: RouteModule, path: string, params: Record<string, string>): Promise<{ loaderMs: number; serverMs: number; bytes: number }> {
  const request = new Request(`http://localhost:3999${path}`);
  const t0 = performance.now();
  let result: unknown;
  try {
    result = await mod.loader!({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) throw new Error(`${path}: the loader threw ${thrown.status} ${await thrown.text()}`);
    throw thrown;
  }
  const t1 = performance.now();
  const { status, bytes } = await serverSide(result);
  const t2 = performance.now();
  if (status >= 300) throw new Error(`${path}: the loader answered ${status}`);
  return { loaderMs: t1 - t0, serverMs: t2 - t0, bytes };
}

/** Child: one page's calls (its own process, so a page that never answers is stopped by the parent's timeout). */
async function measurePage(facts: StoreFacts, samples: number, index: number): Promise<void> {
  const page = PAGES[index]!;
  const path = page.path(facts);
  const mod = await importRoute(page.route);
  let m: PageMeasurement;
  if (!mod?.loader) m = { name: page.name, route: page.route, path, present: false, floor: page.floor };
  else {
    try {
      const first = await callLoader(mod, path, page.params(facts));
      for (let k = 0; k < WARM_UP; k++) await callLoader(mod, path, page.params(facts));
      const loaderMs: number[] = [];
      const serverMs: number[] = [];
      for (let k = 0; k < samples; k++) {
        const s = await callLoader(mod, path, page.params(facts));
        loaderMs.push(s.loaderMs);
        serverMs.push(s.serverMs);
      }
      m = { name: page.name, route: page.route, path, present: true, firstMs: first.serverMs, loaderMs, serverMs, bytes: first.bytes, loadAverage: loadavg()[0]!, floor: page.floor };
    } catch (error) {
      m = { name: page.name, route: page.route, path, present: true, floor: page.floor, error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
  }
  console.log(JSON.stringify(m));
}

// --- floors: the raw driver -----------------------------------------------------------------

interface RawDriver {
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Every row of a query, in order, without holding them all. */
  each(sql: string, params: unknown[], onRow: (row: Record<string, unknown>) => void): Promise<void>;
  close(): Promise<void>;
}

async function rawDriver(url: string): Promise<RawDriver> {
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const sqlite = new Database(url.slice("file:".length), { readonly: true });
    sqlite.defaultSafeIntegers(true);
    return {
      all: async (sql, params) => sqlite.prepare(sql).all(...params) as Record<string, unknown>[],
      each: async (sql, params, onRow) => {
        for (const row of sqlite.prepare(sql).iterate(...params)) onRow(row as Record<string, unknown>);
      },
      close: async () => void sqlite.close(),
    };
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    all: async (sql, params) => (await client.query(pgSql(sql), params)).rows as Record<string, unknown>[],
    // Keyset pages of 5,000 (no cursor package here): bounded memory, as an export must be.
    each: async (sql, params, onRow) => {
      let after = 0;
      for (;;) {
        const rows = (await client.query(pgSql(sql.replace("/*after*/", `AND cs."id" > $${params.length + 1}`) + " LIMIT 5000"), [...params, after])).rows as Record<string, unknown>[];
        for (const row of rows) onRow(row);
        if (rows.length < 5000) return;
        after = Number(rows[rows.length - 1]!.id);
      }
    },
    close: () => client.end(),
  };
}

/** `?` placeholders → `$n`, table and column names quoted for PostgreSQL (Prisma's names are case-sensitive there). */
function pgSql(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`).replace(/\b(CustomerSegment|Customer|SegmentRun|TagWrite|shopifyId|shopId|runId|customerId|segmentKey|monetaryMilli|recencyDays|rScore|fScore|mScore|rfmGroup|asOf|createdAt)\b/g, '"$1"');
}

const PAGE_SQL = `SELECT cs.id, c.shopifyId, cs.recencyDays, cs.frequency, cs.monetaryMilli, cs.rScore, cs.fScore, cs.mScore, cs.explanation
  FROM CustomerSegment cs JOIN Customer c ON c.id = cs.customerId
  WHERE cs.runId = ? AND cs.segmentKey = ? ORDER BY cs.monetaryMilli DESC, cs.id DESC LIMIT ${PAGE_SIZE}`;

async function measureFloors(facts: StoreFacts, samples: number, url: string): Promise<void> {
  const raw = await rawDriver(url);
  const floors: Record<FloorName, () => Promise<unknown>> = {
    "run JSON": async () => {
      const [run] = await raw.all("SELECT metrics, plots, model FROM SegmentRun WHERE shopId = ? AND status = 'completed' ORDER BY id DESC LIMIT 1", [facts.shopId]);
      return [JSON.parse(String(run!.metrics)), JSON.parse(String(run!.plots)), JSON.parse(String(run!.model))];
    },
    "customers page": async () => [await raw.all(PAGE_SQL, [facts.runId, largest(facts)]), await raw.all("SELECT COUNT(*) AS n FROM CustomerSegment WHERE runId = ? AND segmentKey = ?", [facts.runId, largest(facts)])],
    "group by": () => raw.all("SELECT segmentKey, COUNT(*) AS n, SUM(monetaryMilli) AS revenue FROM CustomerSegment WHERE runId = ? GROUP BY segmentKey", [facts.runId]),
    "customer rows": async () => {
      const [customer] = await raw.all("SELECT id FROM Customer WHERE shopId = ? AND shopifyId = ?", [facts.shopId, facts.customerShopifyId]);
      return [
        await raw.all("SELECT cs.runId, cs.segmentKey, cs.explanation, r.asOf FROM CustomerSegment cs JOIN SegmentRun r ON r.id = cs.runId WHERE cs.shopId = ? AND cs.customerId = ? ORDER BY cs.runId DESC", [facts.shopId, customer!.id]),
        await raw.all("SELECT tag, action, mode, createdAt FROM TagWrite WHERE shopId = ? AND customerId = ? ORDER BY id DESC LIMIT 50", [facts.shopId, customer!.id]),
      ];
    },
  };
  const out = {} as Record<FloorName, number[]>;
  for (const [name, fn] of Object.entries(floors) as [FloorName, () => Promise<unknown>][]) {
    for (let k = 0; k < WARM_UP; k++) await fn();
    const times: number[] = [];
    for (let k = 0; k < samples; k++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    out[name] = times;
  }
  await raw.close();
  console.log(JSON.stringify(out));
}

// --- export ---------------------------------------------------------------------------------

/** The kernel's peak RSS of this process (VmHWM), MB. */
function highWaterMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : peakMB();
}

/** Samples memory every 2 ms while `work` runs; growth is against the level just before. */
async function withMemorySampling<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; rssGrowthMB: number; heapGrowthMB: number; peakRssGrowthMB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  // Linux: "5" resets the peak RSS to the current RSS, so VmHWM afterwards is this call's peak.
  writeFileSync("/proc/self/clear_refs", "5");
  const before = process.memoryUsage();
  let maxRss = before.rss;
  let maxHeap = before.heapUsed + before.external + before.arrayBuffers;
  const sample = (): void => {
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss);
    maxHeap = Math.max(maxHeap, m.heapUsed + m.external + m.arrayBuffers);
  };
  const timer = setInterval(sample, 2);
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  const MB = 1024 * 1024;
  return {
    value,
    ms,
    rssGrowthMB: (maxRss - before.rss) / MB,
    heapGrowthMB: (maxHeap - (before.heapUsed + before.external + before.arrayBuffers)) / MB,
    // The kernel's high-water mark catches a peak between two samples.
    peakRssGrowthMB: highWaterMB() - before.rss / MB,
  };
}

async function readStream(body: ReadableStream<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  }
  return { bytes, lines };
}

async function measureExport(segmentKey: string, which: "ours" | "floor", url: string, runId: number): Promise<void> {
  let call: () => Promise<{ bytes: number; lines: number }>;
  let close = async (): Promise<void> => {};
  if (which === "ours") {
    const mod = await importRoute(EXPORT_ROUTE);
    if (!mod?.loader) {
      console.log(JSON.stringify({ present: false }));
      return;
    }
    // Modules and the session read once before (a serving process has them), not the export itself.
    const { requireAdmin } = await import("../app/shopify/admin-auth.server");
    await requireAdmin(new Request("http://localhost:3999/app"));
    call = async () => {
      const result = await mod.loader!({ request: new Request(`http://localhost:3999/app/segments/${segmentKey}/export`), params: { segmentKey }, context: {} });
      if (!(result instanceof Response) || !result.body) throw new Error("the export loader did not return a streamed Response");
      if (result.status !== 200) throw new Error(`the export answered ${result.status}`);
      return readStream(result.body);
    };
  } else {
    const raw = await rawDriver(url);
    await raw.all("SELECT 1", []);
    close = () => raw.close();
    call = async () => {
      const encoder = new TextEncoder();
      let bytes = 0;
      let lines = 1;
      const sql = `SELECT cs.id, c.shopifyId, cs.segmentKey, cs.recencyDays, cs.frequency, cs.monetaryMilli, cs.rScore, cs.fScore, cs.mScore, cs.rfmGroup, cs.explanation
        FROM CustomerSegment cs JOIN Customer c ON c.id = cs.customerId WHERE cs.runId = ? AND cs.segmentKey = ? /*after*/ ORDER BY cs.id`;
      let chunk = "id,segment,recency_days,frequency,monetary,r,f,m,rfm_group,explanation\n";
      await raw.each(url.startsWith("file:") ? sql.replace("/*after*/", "") : sql, [runId, segmentKey], (r) => {
        chunk += `${String(r.shopifyId)},${String(r.segmentKey)},${String(r.recencyDays ?? "")},${String(r.frequency)},${String(r.monetaryMilli)},${String(r.rScore)},${String(r.fScore)},${String(r.mScore)},${String(r.rfmGroup)},"${String(r.explanation).replace(/"/g, '""')}"\n`;
        lines++;
        if (chunk.length > 64 * 1024) {
          bytes += encoder.encode(chunk).byteLength; // discarded
          chunk = "";
        }
      });
      bytes += encoder.encode(chunk).byteLength;
      return { bytes, lines };
    };
  }
  const first = await withMemorySampling(call);
  const times = [first.ms];
  for (let k = 0; k < 2; k++) times.push((await withMemorySampling(call)).ms);
  await close();
  console.log(JSON.stringify({ present: true, ...first, value: undefined, bytes: first.value.bytes, lines: first.value.lines, times, peakMB: peakMB() }));
}

// --- parent ---------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
const sortedOf = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

interface ExportMeasurement {
  present: boolean;
  ms?: number;
  times?: number[];
  rssGrowthMB?: number;
  heapGrowthMB?: number;
  peakRssGrowthMB?: number;
  bytes?: number;
  lines?: number;
  peakMB?: number;
}

interface ProviderRecord {
  options: Options;
  environment: Record<string, unknown>;
  facts: StoreFacts;
  pages: PageMeasurement[];
  floors: Record<FloorName, number[]>;
  loadAverage: number;
  exports: { label: string; segmentKey: string; rows: number; ours: ExportMeasurement; floor: ExportMeasurement; completesIn32MbHeap?: boolean }[];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") {
    const [, kind, url, arg1, arg2, arg3] = argv;
    if (kind === "page") await measurePage(JSON.parse(arg1!) as StoreFacts, Number(arg2), Number(arg3));
    else if (kind === "floors") await measureFloors(JSON.parse(arg1!) as StoreFacts, Number(arg2), url!);
    else await measureExport(arg1!, arg2 as "ours" | "floor", url!, Number(arg3));
    // The app's database client (a pg pool on PostgreSQL) would keep the child alive.
    process.exit(0);
  }
  const a = parseArgs(argv);
  const o: Options = {
    customers: Number(a.get("customers") ?? 100_000),
    runs: Number(a.get("runs") ?? 10),
    samples: Number(a.get("samples") ?? 30),
    postgres: a.has("postgres"),
    seed: Number(a.get("seed") ?? 20261123),
  };
  const t0 = performance.now();
  const database = await prepareDatabase(o);
  console.log(`store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const db = createDb(database.url);
  try {
    const facts = await storeFacts(db);
    console.log(`${facts.customerRows} customer rows in ${facts.runsWithRows} runs, latest run ${facts.runId}: ${facts.segments.map((s) => `${s.key} ${s.size}`).join(", ")}`);
    const pages: PageMeasurement[] = [];
    for (const [index, page] of PAGES.entries()) {
      let m: PageMeasurement;
      try {
        m = runChild<PageMeasurement>(["--child", "page", database.url, JSON.stringify(facts), String(o.samples), String(index)], database.url, [], PAGE_TIMEOUT_S);
      } catch (error) {
        if (!(error instanceof ChildTimeout)) throw error;
        m = { name: page.name, route: page.route, path: page.path(facts), present: true, floor: page.floor, error: `no answer within ${PAGE_TIMEOUT_S} s (process stopped)` };
      }
      pages.push(m);
      console.log(pageLine(m));
    }
    const floors = runChild<Record<FloorName, number[]>>(["--child", "floors", database.url, JSON.stringify(facts), String(o.samples)], database.url);
    const loads = pages.flatMap((p) => (p.loadAverage === undefined ? [] : [p.loadAverage]));
    const measured = { pages, floors, loadAverage: loads.length === 0 ? loadavg()[0]! : Math.max(...loads) };

    const exports: ProviderRecord["exports"] = [];
    const exportOf = (label: string, key: string, rows: number): void => {
      const ours = runChild<ExportMeasurement>(["--child", "export", database.url, key, "ours", String(facts.runId)], database.url, ["--expose-gc"]);
      const floor = runChild<ExportMeasurement>(["--child", "export", database.url, key, "floor", String(facts.runId)], database.url, ["--expose-gc"]);
      // Is the growth retained or just not yet collected? The same export with V8's old space
      // capped at 32 MB: it completes only if nothing grows with the row count.
      let completesIn32MbHeap = true;
      try {
        runChild<ExportMeasurement>(["--child", "export", database.url, key, "ours", String(facts.runId)], database.url, ["--expose-gc", `--max-old-space-size=${CAPPED_HEAP_MB}`]);
      } catch {
        completesIn32MbHeap = false;
      }
      exports.push({ label, segmentKey: key, rows, ours, floor, completesIn32MbHeap });
      console.log(`export ${label}: ${ours.present ? `${ours.lines} lines, ${ours.ms!.toFixed(0)} ms, RSS +${ours.peakRssGrowthMB!.toFixed(1)} MB` : "route not in main yet"}; floor ${floor.ms!.toFixed(0)} ms, RSS +${floor.peakRssGrowthMB!.toFixed(1)} MB`);
    };
    exportOf("largest segment", largest(facts), facts.segments[0]!.size);
    // Every customer of the latest run in that segment: 100k rows through the same export (last: it changes the store).
    await db.customerSegment.updateMany({ where: { runId: facts.runId }, data: { segmentKey: largest(facts) } });
    // PostgreSQL: the UPDATE left 100k dead row versions; autovacuum would clean them, do it now.
    if (o.postgres) await db.$executeRawUnsafe('VACUUM ANALYZE "CustomerSegment"');
    exportOf("every customer (rows moved into one segment)", largest(facts), o.customers);

    const provider = o.postgres ? "postgresql" : "sqlite";
    const record: ProviderRecord = { options: o, environment: environmentNote(), facts, pages: measured.pages, floors: measured.floors, loadAverage: measured.loadAverage, exports };
    const all: Record<string, ProviderRecord> = { ...(previousResults<Record<string, ProviderRecord>>("admin") ?? {}), [provider]: record };
    const md = [
      "# Admin benchmark (`bench/admin.bench.ts`)",
      "",
      "Server time of every admin page's loader on a store with 100,000 customers and 10 stored weekly runs, and the streamed segment CSV export's memory.",
      "",
      "- **Store**: bench/synthetic-store.ts (bench/synthetic-rfm.ts profiles as orders of two lines), then 10 real refreshes (`refreshSegments`, hybrid, K auto) a week apart, each followed by the refresh job's pruning: customer rows are kept for the newest 8 completed runs, as in production (the two oldest runs keep metrics, plots and model). A dry-run write-back pass per run with its planned TagWrite rows (every customer on the first run, then the customers whose segment changed); the jobs those weeks leave (refresh, write-back, 20 webhook drains, a failed reconcile now and then); a completed backfill.",
      "- **Loader time**: each route module's exported `loader({ request, params, context })`, called in a child process configured as the offline demo (SEGMINT_SIMULATOR_URL set, never contacted: `requireAdmin` returns the shop's stored offline session, read from the Session table). *Server time* = the loader plus the turbo-stream encoding Remix's single fetch applies to its data (a returned Response's body read instead). First call apart, " + `${WARM_UP} warm-up calls, then ${o.samples} timed calls per page; percentiles by nearest rank. Target: p95 ≤ ${TARGET_MS} ms.`,
      "- **Floors** (same child, same run, raw driver: better-sqlite3 / pg, no Prisma, no auth): *run JSON* = the latest run's metrics, plots and model read and `JSON.parse`d; *customers page* = one page of 50 of the largest segment sorted by spend, joined to Customer, plus the segment's COUNT; *group by* = segment sizes and revenue of the latest run by GROUP BY; *customer rows* = one customer's rows in every run and its tag writes. Ratio = our p50 / the floor's p50.",
      `- **Export**: one child process per measurement (\`--expose-gc\`, a GC just before): the export route's loader for the run's largest segment, its streamed body read to the end. Memory: process.memoryUsage() sampled every 2 ms against the level just before the call (RSS; heap = heapUsed + external + arrayBuffers), and the kernel's peak RSS (VmHWM, reset just before the call through /proc/self/clear_refs) minus that level. Then the same with every customer of the latest run moved into that segment by an UPDATE on the bench's copy, so one export carries all ${fmtN(o.customers)} rows. Floor: the same rows through the raw driver (better-sqlite3 iterate / pg keyset pages of 5,000) formatted as CSV lines and discarded. Target: peak memory growth ≤ ${TARGET_EXPORT_MB} MB.`,
      ...(["sqlite", "postgresql"] as const).flatMap((p) => (all[p] ? section(p, all[p]) : [])),
    ].join("\n");
    writeResults("admin", md, all);
    console.log(md);
  } finally {
    await db.$disconnect();
    await database.drop();
  }
}

function pageLine(p: PageMeasurement): string {
  if (!p.present) return `${p.name}: route not in main yet`;
  if (p.error) return `${p.name}: ERROR ${p.error}`;
  const s = sortedOf(p.serverMs!);
  return `${p.name}: p50 ${percentile(s, 0.5).toFixed(1)} ms, p95 ${percentile(s, 0.95).toFixed(1)} ms, first ${p.firstMs!.toFixed(0)} ms, ${p.bytes} bytes`;
}

function section(provider: "sqlite" | "postgresql", r: ProviderRecord): string[] {
  const env = r.environment;
  const floorP50 = (name: FloorName): number => percentile(sortedOf(r.floors[name]), 0.5);
  const route = (p: PageMeasurement): string => `\`${p.route}\``;
  const rows = r.pages.map((p) => {
    if (!p.present) return [p.name, route(p), "not in main yet", "", "", "", "", "", "", ""];
    if (p.error) return [p.name, route(p), `**error**: ${p.error}`, "", "", "", "", "", "", ""];
    const server = sortedOf(p.serverMs!);
    const loader = sortedOf(p.loaderMs!);
    const p95 = percentile(server, 0.95);
    const p50 = percentile(server, 0.5);
    return [
      p.name,
      route(p),
      p50.toFixed(1),
      p95.toFixed(1),
      server[server.length - 1]!.toFixed(1),
      `${percentile(loader, 0.5).toFixed(1)} / ${percentile(loader, 0.95).toFixed(1)}`,
      p.firstMs!.toFixed(0),
      (p.bytes! / 1024).toFixed(1),
      `${(p50 / floorP50(p.floor)).toFixed(1)}x (${p.floor})`,
      p95 <= TARGET_MS ? "yes" : "**no**",
    ];
  });
  const floorRows = (Object.keys(r.floors) as FloorName[]).map((name) => {
    const s = sortedOf(r.floors[name]);
    return [name, percentile(s, 0.5).toFixed(2), percentile(s, 0.95).toFixed(2)];
  });
  const exportRows = r.exports.flatMap((e) => {
    const line = (who: string, m: ExportMeasurement): (string | number)[] => {
      if (!m.present) return [e.label, who, "not in main yet", "", "", "", "", "", ""];
      const rows = m.lines! - 1;
      const best = Math.min(...m.times!);
      return [e.label, who, rows.toLocaleString("en-US"), (m.bytes! / 2 ** 20).toFixed(1), `${(m.times![0]! / 1000).toFixed(2)} / ${(best / 1000).toFixed(2)}`, Math.round(rows / (best / 1000)).toLocaleString("en-US"), m.rssGrowthMB!.toFixed(1), m.peakRssGrowthMB!.toFixed(1), m.heapGrowthMB!.toFixed(1)];
    };
    const ours = line("ours", e.ours);
    const floor = line("floor (raw driver)", e.floor);
    if (e.ours.present) {
      const worst = Math.max(e.ours.rssGrowthMB!, e.ours.peakRssGrowthMB!, e.ours.heapGrowthMB!);
      ours.push(worst <= TARGET_EXPORT_MB ? "yes" : "**no**", `${(Math.min(...e.ours.times!) / Math.min(...e.floor.times!)).toFixed(1)}x`);
    } else ours.push("", "");
    floor.push("", "");
    return [ours, floor];
  });
  const f = r.facts;
  return [
    "",
    `## ${provider === "sqlite" ? "SQLite" : "PostgreSQL"}`,
    "",
    `Store: ${fmtN(r.options.customers)} customers, ${f.orders.toLocaleString("en-US")} orders, ${r.options.runs} completed runs of which ${f.runsWithRows} keep customer rows (${f.customerRows.toLocaleString("en-US")} CustomerSegment rows), ${f.tagWrites.toLocaleString("en-US")} TagWrite rows, ${f.jobs.toLocaleString("en-US")} jobs; the latest run's ${f.segments.length} segments: ${f.segments.map((s) => `${s.key} ${s.size.toLocaleString("en-US")}`).join(", ")}. Seed ${r.options.seed}.`,
    "",
    mdTable(["page", "route", "server p50 ms", "server p95 ms", "max ms", "loader alone p50 / p95 ms", "first call ms", "payload KB", "p50 vs floor", `p95 ≤ ${TARGET_MS} ms`], rows),
    "",
    mdTable(["floor (raw driver)", "p50 ms", "p95 ms"], floorRows),
    "",
    mdTable(["export", "by", "rows", "MB", "time first / best s", "rows/s (best)", "RSS growth MB (sampled)", "peak RSS growth MB (VmHWM)", "heap growth MB", `≤ ${TARGET_EXPORT_MB} MB`, "time vs floor"], exportRows),
    "",
    ...r.exports.map((e) => `- ${e.label}: ours with V8's old space capped at ${CAPPED_HEAP_MB} MB (\`--max-old-space-size\`): ${e.completesIn32MbHeap === undefined ? "not measured" : e.completesIn32MbHeap ? "completes (the growth above is garbage not yet collected, not data held)" : "**fails** (memory grows with the rows)"}.`),
    "",
    `Machine: ${env.cpu as string}, ${env.cores as number} cores, ${env.memoryGB as number} GB, Node ${env.node as string}, ${env.date as string}; shared with other work (1-minute load average up to ${r.loadAverage.toFixed(1)} as the pages' samples ended).`,
  ];
}

await main();
