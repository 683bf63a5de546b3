/**
 * Sync benchmarks (`npm run bench -- sync [--skip-synthetic] [--postgres] [--webhook-only | --backfill-only]`):
 *  1. webhook ingest (--webhook-only: this part alone): 10,000 signed orders/create deliveries, 32
 *     concurrent connections, to the app (server.ts, production build: HMAC + headers + zod + one
 *     INSERT, ADR 0023) while its job runner drains the inbox — against its floor in the same run: a
 *     bare node:http server doing only the HMAC check and one prepared INSERT. SQLite: 1 process
 *     each; PostgreSQL (--postgres): 2 web processes (WEB_CONCURRENCY=2) against a 2-process floor;
 *  2. backfill (--backfill-only: this part alone) of the Online Retail store (SQLite; PostgreSQL too
 *     with --postgres) and of a synthetic 1M orders / 5M lines store (SQLite), end to end through
 *     the app process (install → bulk query → JSONL over HTTP → ingest), with the app's peak RSS and
 *     CPU time — against its floor in the same run (bench/backfill-floor.ts): one read and
 *     JSON.parse of the same JSONL, the same rows into the app's schema in a database of the same kind.
 * Results: bench/results/sync.md and sync.json.
 */
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { applyMigrations } from "../app/db/migrate.server";
import { createDb } from "../app/db.server";
import { onShopInstalled } from "../app/services/install.server";
import { startSimulatorServer, type SimulatorServer } from "../simulator/server";
import { SyntheticStore } from "../simulator/synthetic-store";
import { rootFieldOf } from "../simulator/calls";
import { freePort, startAppProcess, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../scripts/support/app-process";
import { postgresFloor, sqliteFloor } from "./backfill-floor";
import { environmentNote, fmtMB, fmtS, mdTable, parseArgs, previousResults, scratchPostgresDatabase, TMP_DIR, writeResults } from "./run";

const args = parseArgs();
const SHOP = "bench.myshopify.com";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Peak resident memory of a live process (VmHWM), in MB. */
function peakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

// ---- 1. webhook ingest -------------------------------------------------------------------------
// Each database: the app (production build; server.ts with its job runner draining the inbox
// meanwhile), then its floor in the same run — a bare node:http server doing only the HMAC check
// and one prepared INSERT, with the app's durability (SQLite: WAL + synchronous = NORMAL) and the
// same number of processes (PostgreSQL: 2, node:cluster). Same deliveries, same client, same warm-up.

interface IngestResult {
  target: string;
  database: "SQLite" | "PostgreSQL";
  floor: boolean;
  deliveries: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  non200: number;
}

type Items = { body: string; headers: Record<string, string> }[];

function deliveries(n: number, secret: string, prefix = "ev"): Items {
  return Array.from({ length: n }, (_, i) => {
    const body = JSON.stringify({
      id: 1_000_000 + i,
      created_at: "2026-11-01T10:00:00Z",
      updated_at: "2026-11-01T10:00:00Z",
      processed_at: "2026-11-01T10:00:00Z",
      currency: "GBP",
      total_price: "25.50",
      customer: { id: 7_000 + (i % 500), email: "someone@example.com" },
      line_items: [{ id: 50_000_000 + i, product_id: 11, variant_id: 12, quantity: 2, price: "12.75" }],
    });
    return {
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": SHOP,
        "x-shopify-api-version": "2026-10",
        "x-shopify-webhook-id": `wh-${prefix}-${i}`,
        "x-shopify-event-id": `${prefix}-${i}`,
        "x-shopify-triggered-at": "2026-11-01T10:00:00Z",
      },
    };
  });
}

async function fire(url: string, items: Items, concurrency: number): Promise<Omit<IngestResult, "target" | "database" | "floor">> {
  const latencies: number[] = [];
  let non200 = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        const item = items[i];
        if (!item) return;
        const t = performance.now();
        const res = await fetch(url, { method: "POST", headers: item.headers, body: item.body });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 200) non200++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { deliveries: items.length, seconds, perSecond: items.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), non200 };
}

/** Warm-up (200 deliveries of their own), then the measured run. */
async function measure(url: string, target: string, database: IngestResult["database"], floor: boolean): Promise<IngestResult> {
  await fire(url, deliveries(200, TEST_API_SECRET, `warm-${floor ? "floor" : "app"}`), 8);
  return { target, database, floor, ...(await fire(url, deliveries(Number(args.get("deliveries") ?? 10_000), TEST_API_SECRET), 32)) };
}

/**
 * The floor: HMAC + one prepared INSERT, nothing else, in processes of its own — `workers` of them
 * behind one port (node:cluster) when more than one. `database`: a SQLite file or a PostgreSQL URL.
 */
async function startFloorServer(secret: string, database: { sqliteFile: string } | { postgresUrl: string }, workers: number): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const insertCode =
    "sqliteFile" in database
      ? `const Database = require(${JSON.stringify(path.resolve("node_modules/better-sqlite3"))});
         const db = new Database(${JSON.stringify(database.sqliteFile)}); db.pragma("journal_mode = WAL"); db.pragma("synchronous = NORMAL");
         db.exec("CREATE TABLE IF NOT EXISTS inbox (shop TEXT, event TEXT, topic TEXT, payload TEXT, UNIQUE(shop, event))");
         const stmt = db.prepare("INSERT INTO inbox VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
         const insert = async (values) => stmt.run(...values);`
      : `const pg = require(${JSON.stringify(path.resolve("node_modules/pg"))});
         const pool = new pg.Pool({ connectionString: ${JSON.stringify(database.postgresUrl)}, max: 8 });
         const insert = (values) => pool.query({ name: "floor_insert", text: "INSERT INTO inbox VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", values });`;
  const code = `(async () => {
    const cluster = require("node:cluster"); const http = require("node:http"); const { createHmac, timingSafeEqual } = require("node:crypto");
    if (${workers} > 1 && cluster.isPrimary) {
      let ready = 0;
      for (let i = 0; i < ${workers}; i++) cluster.fork().on("message", () => { if (++ready === ${workers}) console.log("ready"); });
      return;
    }
    ${insertCode}
    http.createServer((req, res) => {
      const chunks = []; req.on("data", (c) => chunks.push(c)); req.on("end", () => {
        const raw = Buffer.concat(chunks);
        const want = Buffer.from(createHmac("sha256", ${JSON.stringify(secret)}).update(raw).digest("base64"));
        const got = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] || ""));
        if (got.length !== want.length || !timingSafeEqual(got, want)) { res.writeHead(401).end(); return; }
        insert([req.headers["x-shopify-shop-domain"], req.headers["x-shopify-event-id"], req.headers["x-shopify-topic"], raw.toString()])
          .then(() => res.writeHead(200).end(), () => res.writeHead(500).end());
      });
    }).listen(${port}, "127.0.0.1", () => (cluster.isWorker ? process.send("ready") : console.log("ready")));
  })();`;
  // A file, not `node -e`: cluster.fork() re-runs the primary's script.
  const script = path.join(TMP_DIR, `webhook-floor-${port}.cjs`);
  fs.writeFileSync(script, code);
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  // The process group: the cluster's workers with their primary.
  return {
    url: `http://127.0.0.1:${port}/webhooks/orders`,
    stop: () => {
      process.kill(-child.pid!, "SIGKILL");
      fs.rmSync(script, { force: true });
    },
  };
}

async function benchAppIngest(databaseUrl: string, target: string, database: IngestResult["database"], env: Record<string, string> = {}): Promise<IngestResult> {
  const sim = await startSimulatorServer({ apiSecret: TEST_API_SECRET, appUrl: "http://127.0.0.1:9", shops: [{ domain: SHOP }] });
  const app = await startAppProcess({ databaseUrl, simulatorUrl: sim.url, env: { LOG_LEVEL: "info", ...env } });
  try {
    // Every web process must be listening (one "listening on" line each) before the clock starts.
    const processes = Number(env.WEB_CONCURRENCY ?? 1);
    for (let i = 0; i < 600 && (app.output().match(/listening on/g) ?? []).length < processes; i++) await new Promise((r) => setTimeout(r, 100));
    return await measure(`${app.url}/webhooks/orders`, target, database, false);
  } finally {
    await app.stop();
    await sim.close();
  }
}

/**
 * The webhook part: the app against its floor, SQLite and (--postgres) PostgreSQL with 2 web
 * processes; --repeat=N alternates app and floor N times (the machine is shared: the median of
 * the ratios is the figure).
 */
async function benchIngestAll(): Promise<IngestResult[]> {
  const ingest: IngestResult[] = [];
  const repeat = Number(args.get("repeat") ?? 1);
  for (let round = 1; round <= repeat; round++) {
    const tag = repeat > 1 ? ` #${round}` : "";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-ingest-"));
    const appUrl = `file:${path.join(dir, "app.db")}`;
    await applyMigrations(appUrl);
    ingest.push(await benchAppIngest(appUrl, `app, SQLite (1 web process; jobs in its worker thread)${tag}`, "SQLite"));
    const sqliteFloor = await startFloorServer(TEST_API_SECRET, { sqliteFile: path.join(dir, "floor.db") }, 1);
    ingest.push(await measure(sqliteFloor.url, `floor, SQLite: node:http + HMAC + one INSERT${tag}`, "SQLite", true));
    sqliteFloor.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (!args.has("postgres")) continue;
    const app = await scratchPostgresDatabase("segmint_bench_ingest_app");
    ingest.push(await benchAppIngest(app.url, `app, PostgreSQL (WEB_CONCURRENCY=2; a job thread each)${tag}`, "PostgreSQL", { WEB_CONCURRENCY: "2" }));
    await app.drop();
    const floorDb = await scratchPostgresDatabase("segmint_bench_ingest_floor");
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: floorDb.url });
    await c.connect();
    await c.query("CREATE TABLE inbox (shop TEXT, event TEXT, topic TEXT, payload TEXT, UNIQUE (shop, event))");
    await c.end();
    const pgFloor = await startFloorServer(TEST_API_SECRET, { postgresUrl: floorDb.url }, 2);
    ingest.push(await measure(pgFloor.url, `floor, PostgreSQL: node:http × 2 (cluster) + HMAC + one INSERT${tag}`, "PostgreSQL", true));
    pgFloor.stop();
    await floorDb.drop();
  }
  return ingest;
}

function ingestReport(ingest: IngestResult[]): string[] {
  // Each app run against the floor run right after it (same round).
  const floorAfter = (r: IngestResult) => ingest.slice(ingest.indexOf(r)).find((f) => f.floor && f.database === r.database);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const summary = (["SQLite", "PostgreSQL"] as const).flatMap((database) => {
    const apps = ingest.filter((r) => !r.floor && r.database === database);
    if (apps.length === 0) return [];
    const ratios = apps.map((r) => r.perSecond / floorAfter(r)!.perSecond);
    return [`- ${database}: median over ${apps.length} round(s) — app ${median(apps.map((r) => r.perSecond)).toFixed(0)}/s (p99 ${median(apps.map((r) => r.p99)).toFixed(1)} ms), floor ${median(ingest.filter((r) => r.floor && r.database === database).map((r) => r.perSecond)).toFixed(0)}/s, app vs floor ${median(ratios).toFixed(2)}×.`];
  });
  return [
    "## Webhook ingest (10,000 signed orders/create deliveries, 32 concurrent connections, loopback)",
    "Targets: SQLite ≥ 1,000 deliveries/s with p99 < 50 ms and ≥ 0.5× its floor; PostgreSQL with 2 web processes ≥ 0.5× its floor.",
    "Each floor runs right after its app, in the same round. The app's job runner drains the inbox meanwhile (ADR 0023). `npm run bench -- sync --webhook-only --postgres --repeat=3`.",
    "",
    ...summary,
    "",
    mdTable(
      ["target", "deliveries/s", "p50", "p99", "non-200", "vs its floor"],
      ingest.map((r) => {
        const floor = floorAfter(r);
        return [r.target, r.perSecond.toFixed(0), `${r.p50.toFixed(1)} ms`, `${r.p99.toFixed(1)} ms`, r.non200, floor ? `${(r.perSecond / floor.perSecond).toFixed(2)}×` : "—"];
      }),
    ),
  ];
}

// ---- 2. backfill -------------------------------------------------------------------------------

type BackfillDatabase = "SQLite" | "PostgreSQL";

interface BackfillResult {
  database?: BackfillDatabase; // absent in runs recorded before it was measured on both
  store: string;
  orders: number;
  lines: number;
  endToEndSeconds: number;
  exportSeconds: number;
  /** From the simulator's COMPLETED to the run completed: polling, download, ingest. */
  appSeconds?: number;
  /** From the downloaded file to the run completed: the two passes. */
  ingestSeconds: number;
  /** Of the ingest, pass 1 (orders, customers, refunds): until the run's progress first counts rows. */
  pass1Seconds?: number;
  /** CPU time (user + system) of the app process over the ingest, and of the floor's: load-insensitive on SQLite, where the database works in-process. */
  ingestCpuSeconds?: number;
  floorCpuSeconds?: number;
  /** CPU time of the app process over the app time (from the export's COMPLETED). */
  appCpuSeconds?: number;
  appPeakMB: number;
  floorSeconds: number;
}

/** A fresh, migrated database for one side of the measurement, and how to drop it. */
async function scratchDatabase(database: BackfillDatabase, dir: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (database === "PostgreSQL") return scratchPostgresDatabase(`segmint_bench_${name}`);
  const url = `file:${path.join(dir, `${name}.db`)}`;
  await applyMigrations(url);
  return { url, drop: async () => {} };
}

/** CPU time (user + system) a live process has used, in seconds (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function benchBackfill(store: "online-retail" | "synthetic", database: BackfillDatabase): Promise<BackfillResult> {
  const appPort = await freePort();
  const sim: SimulatorServer = await startSimulatorServer({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl: `http://127.0.0.1:${appPort}`,
    ...(store === "online-retail" ? { onlineRetail: { domain: SHOP } } : { shops: [{ domain: SHOP }] }),
    webhooks: { autoDeliver: false },
  });
  if (store === "synthetic") sim.simulator.attachSyntheticStore(SHOP, new SyntheticStore({ orders: 1_000_000 }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-bench-"));
  const appDb = await scratchDatabase(database, dir, "app");
  const db = createDb(appDb.url);
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: sim.simulator.accessToken(SHOP) } });
  // The app's downloads land in $TMPDIR/segmint-backfill (bulk-export-step.server.ts); a complete
  // one is renamed to *.jsonl, which marks the start of the ingest.
  const downloads = path.join(dir, "segmint-backfill");
  const downloaded = () => fs.existsSync(downloads) && fs.readdirSync(downloads).some((f) => f.endsWith(".jsonl"));
  // Read from the simulator's state, not through its Admin API: polling that every 20 ms spent the
  // shop's cost bucket the app itself needs, and a long export ended in throttled answers.
  const exportOf = () => sim.simulator.bulk.list(sim.simulator.shop(SHOP)).findLast((op) => op.type === "QUERY" && rootFieldOf(op.query) === "orders");
  const app: AppProcess = await startAppProcess({ databaseUrl: appDb.url, simulatorUrl: sim.url, port: appPort, env: { TMPDIR: dir } });
  const started = performance.now();
  await onShopInstalled(db, SHOP, undefined);
  let exportDone = 0;
  let ingestStarted = 0;
  let pass1Done = 0;
  let ingestCpu = 0;
  let appCpu = 0;
  let exportUrl = "";
  let peak = 0;
  for (;;) {
    peak = Math.max(peak, peakRssMB(app.child.pid!));
    if (!exportDone) {
      const op = exportOf();
      if (op?.status === "COMPLETED" && op.url) [exportDone, exportUrl, appCpu] = [performance.now(), op.url, cpuSeconds(app.child.pid!)];
    }
    if (exportDone && !ingestStarted && downloaded()) [ingestStarted, ingestCpu] = [performance.now(), cpuSeconds(app.child.pid!)];
    const run = await db.syncRun.findFirst({ where: { kind: "backfill" } });
    if (ingestStarted && !pass1Done && (run?.rowsDone ?? 0) > 0) pass1Done = performance.now();
    if (run?.status === "failed") throw new Error(`backfill failed: ${run.error}`);
    if (run?.status === "completed") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ended = performance.now();
  const endCpu = cpuSeconds(app.child.pid!);
  [ingestCpu, appCpu] = [endCpu - ingestCpu, endCpu - appCpu];
  peak = Math.max(peak, peakRssMB(app.child.pid!));
  const orders = await db.order.count();
  const lines = await db.orderLine.count();
  await app.stop();
  await db.$disconnect();
  await appDb.drop();

  // The floor on the same export (bench/backfill-floor.ts), into a fresh database of the same kind.
  const file = path.join(dir, "export.jsonl");
  const res = await fetch(exportUrl);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), fs.createWriteStream(file)); // GBs for the synthetic store
  const floorDb = await scratchDatabase(database, dir, "floor");
  const floorCpu = process.cpuUsage();
  const floorSeconds = database === "SQLite" ? await sqliteFloor(file, floorDb.url.slice("file:".length)) : await postgresFloor(file, floorDb.url);
  const { user, system } = process.cpuUsage(floorCpu);
  await floorDb.drop();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const endToEndSeconds = (ended - started) / 1000;
  return {
    database,
    store,
    orders,
    lines,
    endToEndSeconds,
    exportSeconds: (exportDone - started) / 1000,
    appSeconds: (ended - exportDone) / 1000,
    ingestSeconds: ingestStarted ? (ended - ingestStarted) / 1000 : NaN,
    pass1Seconds: ingestStarted && pass1Done ? (pass1Done - ingestStarted) / 1000 : undefined,
    ingestCpuSeconds: ingestStarted ? ingestCpu : NaN,
    floorCpuSeconds: (user + system) / 1e6,
    appCpuSeconds: appCpu,
    appPeakMB: peak,
    floorSeconds,
  };
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  // --backfill-only: the webhook part is not run; its previous results are kept in the report.
  if (args.has("backfill-only")) return benchBackfills(previousResults<{ ingest?: IngestResult[] }>("sync")?.ingest ?? []);
  const ingest = await benchIngestAll();
  await benchBackfills(ingest);
}

/** The backfill part (--webhook-only: not run, its previous results kept), then the report. */
async function benchBackfills(ingest: IngestResult[]): Promise<void> {
  const backfills: BackfillResult[] = args.has("webhook-only") ? (previousResults<{ backfills?: BackfillResult[] }>("sync")?.backfills ?? []) : [];
  // Results are written after each part, so a long run that fails late keeps what it measured.
  const save = () => {
    const md = report(ingest, backfills);
    writeResults("sync", md, { environment: environmentNote(), loadavg: os.loadavg(), ingest, backfills });
    return md;
  };
  save();
  if (!args.has("webhook-only")) {
    for (const database of ["SQLite", ...(args.has("postgres") ? ["PostgreSQL" as const] : [])] as const) {
      backfills.push(await benchBackfill("online-retail", database));
      save();
    }
    if (!args.has("skip-synthetic")) backfills.push(await benchBackfill("synthetic", "SQLite"));
  }
  console.log(save());
}

function report(ingest: IngestResult[], backfills: BackfillResult[]): string {
  return [
    "# Sync benchmarks",
    "",
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")} when written. \`npm run bench -- sync\`.`,
    "",
    ...ingestReport(ingest),
    "",
    "## Backfill (install → bulk query → JSONL over HTTP → two-pass ingest)",
    "Targets: ingest ≤ 1.5× the floor on both databases; Online Retail ≤ 10 s of app time end to end; 1M orders / 5M lines ≤ 120 s of app time with peak memory ≤ 1 GB.",
    "Export = until the simulator's bulk operation is COMPLETED (Shopify's share). App = the rest: the job's next poll, the download, the ingest (with the app process's CPU time over it). Ingest = from the downloaded file to the completed run (both passes; pass 1, the orders, in brackets).",
    "CPU: ingest / floor = CPU time (user + system) of the app process over the ingest and of the floor's process: on SQLite, where the database works in-process, the load-insensitive comparison; on PostgreSQL it leaves out the server's work (in both).",
    "Floor (bench/backfill-floor.ts) = one read and JSON.parse of the same file, the same rows into a fresh database of the same kind with the app's schema (same indexes, foreign keys), 50,000 rows per transaction, OrderLine's secondary index built after the rows.",
    "",
    mdTable(
      ["database", "store", "orders", "lines", "end to end", "export (simulator)", "app", "ingest", "app peak RSS", "floor", "ingest vs floor", "CPU: ingest / floor"],
      backfills.map((b) => [
        b.database ?? "SQLite",
        b.store,
        b.orders,
        b.lines,
        fmtS(b.endToEndSeconds),
        fmtS(b.exportSeconds),
        b.appSeconds === undefined ? "—" : `${fmtS(b.appSeconds)}${b.appCpuSeconds === undefined ? "" : ` (CPU ${fmtS(b.appCpuSeconds)})`}`,
        `${fmtS(b.ingestSeconds)}${b.pass1Seconds == null ? "" : ` (${fmtS(b.pass1Seconds)})`}`,
        fmtMB(b.appPeakMB),
        fmtS(b.floorSeconds),
        `${(b.ingestSeconds / b.floorSeconds).toFixed(2)}×`,
        b.ingestCpuSeconds === undefined || b.floorCpuSeconds === undefined ? "—" : `${fmtS(b.ingestCpuSeconds)} / ${fmtS(b.floorCpuSeconds)}`,
      ]),
    ),
  ].join("\n");
}

await main();
