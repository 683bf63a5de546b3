/**
 * Sync benchmarks (`npm run bench -- sync [--skip-synthetic] [--postgres]`):
 *  1. webhook ingest: 10,000 signed orders/create deliveries, 32 concurrent connections, to the
 *     app's production build (HMAC check + zod + inbox write + job enqueue) while its in-process
 *     runner drains the inbox — against the floor: a bare node:http server in its own process doing
 *     only the HMAC check and one prepared INSERT into SQLite;
 *  2. backfill of the Online Retail store and of a synthetic 1M orders / 5M lines store, end to end
 *     through the app process (install → bulk query → JSONL over HTTP → ingest), with the app's peak
 *     RSS — against the floor: JSON.parse of the same JSONL and prepared inserts into bare tables.
 * Results: bench/results/sync.md and sync.json.
 */
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import Database from "better-sqlite3";
import { applyMigrations } from "../app/db/migrate.server";
import { createDb } from "../app/db.server";
import { onShopInstalled } from "../app/services/install.server";
import { startSimulatorServer, type SimulatorServer } from "../simulator/server";
import { SyntheticStore } from "../simulator/synthetic-store";
import { freePort, startAppProcess, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../scripts/support/app-process";
import { environmentNote, fmtMB, fmtS, mdTable, parseArgs, TMP_DIR, writeResults } from "./run";

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

interface IngestResult {
  target: string;
  deliveries: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  non200: number;
}

function deliveries(n: number, secret: string): { body: string; headers: Record<string, string> }[] {
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
        "x-shopify-webhook-id": `wh-${i}`,
        "x-shopify-event-id": `ev-${i}`,
        "x-shopify-triggered-at": "2026-11-01T10:00:00Z",
      },
    };
  });
}

async function fire(url: string, items: { body: string; headers: Record<string, string> }[], concurrency: number, target: string): Promise<IngestResult> {
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
  return { target, deliveries: items.length, seconds, perSecond: items.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), non200 };
}

/** The floor: HMAC + one prepared INSERT, nothing else, in a process of its own. */
async function startFloorServer(secret: string, dbFile: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const code = `
    const http = require("node:http"); const { createHmac, timingSafeEqual } = require("node:crypto");
    const Database = require(${JSON.stringify(path.resolve("node_modules/better-sqlite3"))});
    const db = new Database(${JSON.stringify(dbFile)}); db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE IF NOT EXISTS inbox (shop TEXT, event TEXT, topic TEXT, payload TEXT, UNIQUE(shop, event))");
    const insert = db.prepare("INSERT INTO inbox VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    http.createServer((req, res) => {
      const chunks = []; req.on("data", (c) => chunks.push(c)); req.on("end", () => {
        const raw = Buffer.concat(chunks);
        const want = createHmac("sha256", ${JSON.stringify(secret)}).update(raw).digest();
        const got = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] || ""), "base64");
        if (got.length !== want.length || !timingSafeEqual(got, want)) { res.writeHead(401).end(); return; }
        insert.run(req.headers["x-shopify-shop-domain"], req.headers["x-shopify-event-id"], req.headers["x-shopify-topic"], raw.toString());
        res.writeHead(200).end();
      });
    }).listen(${port}, "127.0.0.1", () => console.log("ready"));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return { url: `http://127.0.0.1:${port}/webhooks/orders`, stop: () => child.kill() };
}

async function benchIngest(databaseUrl: string, label: string): Promise<IngestResult> {
  const sim = await startSimulatorServer({ apiSecret: TEST_API_SECRET, appUrl: "http://127.0.0.1:9", shops: [{ domain: SHOP }] });
  await applyMigrations(databaseUrl);
  const app = await startAppProcess({ databaseUrl, simulatorUrl: sim.url });
  try {
    const items = deliveries(Number(args.get("deliveries") ?? 10_000), TEST_API_SECRET);
    await fire(`${app.url}/webhooks/orders`, items.slice(0, 200).map((d, i) => ({ ...d, headers: { ...d.headers, "x-shopify-event-id": `warm-${i}` } })), 8, "warm-up");
    return await fire(`${app.url}/webhooks/orders`, items, 32, label);
  } finally {
    await app.stop();
    await sim.close();
  }
}

// ---- 2. backfill -------------------------------------------------------------------------------

interface BackfillResult {
  store: string;
  orders: number;
  lines: number;
  endToEndSeconds: number;
  exportSeconds: number;
  ingestSeconds: number;
  appPeakMB: number;
  floorSeconds: number;
}

async function benchBackfill(store: "online-retail" | "synthetic"): Promise<BackfillResult> {
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
  const databaseUrl = `file:${path.join(dir, "app.db")}`;
  await applyMigrations(databaseUrl);
  const db = createDb(databaseUrl);
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: sim.simulator.accessToken(SHOP) } });
  const app: AppProcess = await startAppProcess({ databaseUrl, simulatorUrl: sim.url, port: appPort, env: { TMPDIR: dir } });
  const started = performance.now();
  await onShopInstalled(db, SHOP, undefined);
  let exportDone = 0;
  let peak = 0;
  for (;;) {
    peak = Math.max(peak, peakRssMB(app.child.pid!));
    const run = await db.syncRun.findFirst({ where: { kind: "backfill" } });
    if (run?.status === "failed") throw new Error(`backfill failed: ${run.error}`);
    if (!exportDone && run?.rowsTotal && run.rowsDone > 0) exportDone = performance.now();
    if (run?.status === "completed") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ended = performance.now();
  peak = Math.max(peak, peakRssMB(app.child.pid!));
  const orders = await db.order.count();
  const lines = await db.orderLine.count();
  await app.stop();
  await db.$disconnect();

  // The floor on the same export: download, JSON.parse every line, prepared inserts into bare tables.
  const { bulkOperations } = (await sim.simulator.graphql(SHOP, `{ bulkOperations(first: 1, reverse: true) { nodes { url } } }`)).data as { bulkOperations: { nodes: { url: string }[] } };
  const file = path.join(dir, "export.jsonl");
  const res = await fetch(bulkOperations.nodes[0]!.url);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), fs.createWriteStream(file)); // GBs for the synthetic store
  const floorStarted = performance.now();
  const raw = new Database(path.join(dir, "floor.db"));
  raw.pragma("journal_mode = WAL");
  raw.exec(`CREATE TABLE o (id INTEGER PRIMARY KEY, gid TEXT UNIQUE, doc TEXT); CREATE TABLE l (id INTEGER PRIMARY KEY, parent TEXT, gid TEXT, qty INTEGER, UNIQUE(parent, gid));`);
  const io = raw.prepare("INSERT INTO o (gid, doc) VALUES (?, ?)");
  const il = raw.prepare("INSERT INTO l (parent, gid, qty) VALUES (?, ?, ?)");
  let batch: Record<string, unknown>[] = [];
  const flush = raw.transaction((rows: Record<string, unknown>[]) => {
    for (const v of rows) {
      if (v.__parentId) il.run(v.__parentId as string, v.id as string, v.quantity as number);
      else io.run(v.id as string, JSON.stringify(v.totalPriceSet));
    }
  });
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(JSON.parse(line) as Record<string, unknown>);
    if (batch.length >= 5000) {
      flush(batch);
      batch = [];
    }
  }
  flush(batch);
  raw.close();
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const endToEndSeconds = (ended - started) / 1000;
  const exportSeconds = exportDone ? (exportDone - started) / 1000 : NaN;
  return { store, orders, lines, endToEndSeconds, exportSeconds, ingestSeconds: endToEndSeconds - exportSeconds, appPeakMB: peak, floorSeconds };
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const ingest: IngestResult[] = [];
  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-ingest-"));
  ingest.push(await benchIngest(`file:${path.join(sqliteDir, "app.db")}`, "app, SQLite"));
  if (args.has("postgres")) {
    const pg = await import("pg");
    const name = `segmint_bench_${randomBytes(3).toString("hex")}`;
    const admin = new pg.default.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    ingest.push(await benchIngest(`postgresql://postgres@127.0.0.1:5432/${name}`, "app, PostgreSQL"));
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
  const floor = await startFloorServer(TEST_API_SECRET, path.join(sqliteDir, "floor.db"));
  ingest.push(await fire(floor.url, deliveries(Number(args.get("deliveries") ?? 10_000), TEST_API_SECRET), 32, "floor: node:http + HMAC + one INSERT"));
  floor.stop();
  fs.rmSync(sqliteDir, { recursive: true, force: true });

  const backfills: BackfillResult[] = [];
  // Results are written after each part, so a long run that fails late keeps what it measured.
  const save = () => {
    const md = report(ingest, backfills);
    writeResults("sync", md, { environment: environmentNote(), loadavg: os.loadavg(), ingest, backfills });
    return md;
  };
  save();
  backfills.push(await benchBackfill("online-retail"));
  save();
  if (!args.has("skip-synthetic")) backfills.push(await benchBackfill("synthetic"));
  console.log(save());
}

function report(ingest: IngestResult[], backfills: BackfillResult[]): string {
  const floorIngest = ingest[ingest.length - 1]!;
  return [
    "# Sync benchmarks",
    "",
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")} when written. \`npm run bench -- sync\`.`,
    "",
    "## Webhook ingest (10,000 signed deliveries, 32 concurrent connections, loopback)",
    "Target: ≥ 1,000 deliveries/s with p99 < 50 ms on SQLite.",
    "",
    mdTable(
      ["target", "deliveries/s", "p50", "p99", "non-200", "throughput vs floor"],
      ingest.map((r) => [r.target, r.perSecond.toFixed(0), `${r.p50.toFixed(1)} ms`, `${r.p99.toFixed(1)} ms`, r.non200, `${(r.perSecond / floorIngest.perSecond).toFixed(2)}×`]),
    ),
    "",
    "## Backfill (install → bulk query → JSONL over HTTP → two-pass ingest), SQLite",
    "Targets: Online Retail ≤ 10 s end to end; 1M orders / 5M lines ≤ 120 s with peak memory ≤ 1 GB.",
    "Export = until the simulator's bulk operation completed and the first rows landed (Shopify's share); ingest = the app's own share.",
    "",
    mdTable(
      ["store", "orders", "lines", "end to end", "export (simulator)", "ingest (app)", "app peak RSS", "floor (parse + bare inserts)", "ingest vs floor"],
      backfills.map((b) => [b.store, b.orders, b.lines, fmtS(b.endToEndSeconds), fmtS(b.exportSeconds), fmtS(b.ingestSeconds), fmtMB(b.appPeakMB), fmtS(b.floorSeconds), `${(b.ingestSeconds / b.floorSeconds).toFixed(2)}×`]),
    ),
  ].join("\n");
}

await main();
