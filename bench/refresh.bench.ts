/**
 * The segment refresh from the database against the CLI on the same data: wall time and peak RSS
 * of `refreshSegments` (the shop's default algorithm, hybrid; K auto; seed 42) on a seeded
 * synthetic store of 1M orders / ~5M lines, and of `segmint segment` on a CSV holding exactly the
 * same orders, lines and refunds (same algorithm, seed and as-of day).
 *
 *   npm run bench -- refresh [--orders=1000000] [--lines-per-order=5] [--customers=100000] [--runs=1] [--postgres]
 *
 * Data (not timed): one seeded generator writes both the SQLite store (prepared inserts in
 * Prisma's storage formats, orders in shuffled time order as a backfill leaves them; shop zone
 * America/New_York) and the CSV (Online Retail layout: one row per line on the order's shop-local
 * day; a refund is a `C` invoice of one line at −1 × its amount on the refund's day; guests have
 * no CustomerID; test orders, which the app leaves out, are not written). With `--postgres` the
 * SQLite store is copied into a fresh PostgreSQL database (not timed) and measured too.
 * Each measurement is a fresh process under `/usr/bin/time -v` (wall clock, CPU time, maximum RSS), as in
 * bench/cli.bench.ts; each refresh starts from a pristine copy of the store (no previous run).
 * The two outputs are compared customer by customer (segment name). Writes bench/results/refresh.md
 * and refresh.json.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { once } from "node:events";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createRng } from "../app/analytics";
import { createDb, type Db } from "../app/db.server";
import { applyMigrations } from "../app/db/migrate.server";
import { shopDayFormatter } from "../app/models/order-facts.server";
import { refreshSegments } from "../app/services/refresh-segments.server";
import { CsvParser } from "../cli/csv/parser";
import { environmentNote, fmtMB, fmtN, median, mdTable, parseArgs, peakMB, scratchPostgresDatabase, TMP_DIR, writeResults } from "./run";

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(TMP_DIR, "..", "..");
const SHOP = "refresh-bench.myshopify.com";
const ZONE = "America/New_York";
/** The as-of instant (its day in the shop's zone is 2025-01-01, the day after the data's last). */
const AS_OF = "2025-01-01T17:00:00Z";
const AS_OF_DAY = "2025-01-01";

interface Options {
  orders: number;
  linesPerOrder: number;
  customers: number;
  seed: number;
  runs: number;
  postgres: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace("Z", "+00:00");
const price = (milli: number): string => `${Math.trunc(milli / 1000)}.${String(milli % 1000).padStart(3, "0")}`;

/** Writes the store and its CSV twin (not timed); returns their files. */
async function ensureData(o: Options): Promise<{ dbFile: string; csvFile: string }> {
  mkdirSync(TMP_DIR, { recursive: true });
  const base = join(TMP_DIR, `refresh-${o.orders}-${o.linesPerOrder}-${o.customers}-${o.seed}`);
  const dbFile = `${base}.db`;
  const csvFile = `${base}.csv`;
  if (existsSync(dbFile) && existsSync(csvFile)) return { dbFile, csvFile };
  const partialDb = `${dbFile}.partial`;
  const partialCsv = `${csvFile}.partial`;
  rmSync(partialDb, { force: true });
  await applyMigrations(`file:${partialDb}`);
  const sql = new Database(partialDb);
  sql.pragma("journal_mode = OFF");
  sql.pragma("synchronous = OFF");
  const csv = createWriteStream(partialCsv);
  let buf = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  const dayOf = shopDayFormatter(ZONE);

  const now = iso(Date.now());
  const shopId = Number(sql.prepare(`INSERT INTO "Shop" ("domain","timezone","updatedAt") VALUES (?,?,?) RETURNING "id"`).pluck().get(SHOP, ZONE, now));
  const insertCustomer = sql.prepare(`INSERT INTO "Customer" ("shopId","shopifyId","updatedAt") VALUES (?,?,?) RETURNING "id"`).pluck();
  const customerRowIds = new Int32Array(o.customers);
  sql.transaction(() => {
    for (let c = 0; c < o.customers; c++) customerRowIds[c] = Number(insertCustomer.get(shopId, String(7_000_000_000_000 + c), now));
  })();
  const insertOrder = sql
    .prepare(`INSERT INTO "Order" ("shopId","shopifyId","customerId","processedAt","shopifyUpdatedAt","currency","grossMilli","netMilli","cancelledAt","test","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING "id"`)
    .pluck();
  const insertLine = sql.prepare(`INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","quantity","unitPriceMilli") VALUES (?,?,?,?,?,?)`);
  const insertRefund = sql.prepare(`INSERT INTO "Refund" ("shopId","orderId","shopifyId","processedAt","amountMilli") VALUES (?,?,?,?,?)`);
  const rng = createRng(o.seed);
  const start = Date.parse("2023-01-01T05:00:00Z");
  const span = 730 * 86_400_000 - 86_400_000; // last order on or before 2024-12-30 (refunds may follow)
  const BLOCK = 10_000;
  let lineSeq = 0;
  for (let first = 0; first < o.orders; first += BLOCK) {
    sql.transaction(() => {
      for (let k = first; k < Math.min(o.orders, first + BLOCK); k++) {
        const at = start + Math.floor(rng() * span);
        const guest = rng() < 0.08;
        const c = guest ? -1 : Math.floor(Math.pow(rng(), 2) * o.customers);
        const customerCsv = guest ? "" : String(7_000_000_000_000 + c);
        const lines = 1 + Math.floor(rng() * (2 * o.linesPerOrder - 1));
        let gross = 0;
        const items: [number, number, number][] = [];
        for (let l = 0; l < lines; l++) {
          const quantity = 1 + Math.floor(rng() * 3);
          const unit = 10 * Math.round(Math.exp(Math.log(3500) + 0.8 * (rng() + rng() + rng() - 1.5)) / 10);
          gross += quantity * unit;
          items.push([1 + Math.floor(rng() * 5000), quantity, unit]);
        }
        const r = rng();
        const cancelled = r < 0.01; // cancelled after it was placed, and refunded in full
        const refund = cancelled ? gross : r < 0.04 ? Math.floor(gross * rng() * 0.5) : 0;
        const refundAt = at + 86_400_000 + Math.floor(rng() * 30 * 86_400_000);
        const test = rng() < 0.005;
        const orderShopifyId = String(5_000_000_000_000 + k);
        const id = Number(insertOrder.get(shopId, orderShopifyId, guest ? null : customerRowIds[c]!, iso(at), iso(at + 86_400_000), "USD", gross, gross - refund, cancelled ? iso(at + 3_600_000) : null, test ? 1 : 0, now));
        const day = dayOf(new Date(at));
        for (const [product, quantity, unit] of items) {
          insertLine.run(shopId, id, String(++lineSeq), String(8_000_000_000_000 + product), quantity, unit);
          if (!test) buf += `${orderShopifyId},${8_000_000_000_000 + product},ITEM,${quantity},${day} 12:00,${price(unit)},${customerCsv},US\n`;
        }
        if (refund > 0) {
          insertRefund.run(shopId, id, String(k), iso(refundAt), refund);
          // A refund after the as-of day is ignored by both sides.
          if (!test) buf += `C${orderShopifyId},REFUND,REFUND,-1,${dayOf(new Date(refundAt))} 12:00,${price(refund)},${customerCsv},US\n`;
        }
      }
    })();
    if (!csv.write(buf)) await once(csv, "drain");
    buf = "";
  }
  sql.close();
  csv.end();
  await once(csv, "finish");
  renameSync(partialDb, dbFile);
  renameSync(partialCsv, csvFile);
  return { dbFile, csvFile };
}

/** Copies the SQLite store into a fresh PostgreSQL database (not timed); returns its URL. */
async function copyToPostgres(dbFile: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = await scratchPostgresDatabase("segmint_refresh_bench");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const src = new Database(dbFile, { readonly: true });
  src.defaultSafeIntegers(true);
  // One statement per 50,000 rows, each column one array parameter (unnest): minutes faster than
  // a bind parameter per value at 5M lines.
  const copy = async (table: string, columns: string[], convert: (row: Record<string, unknown>) => unknown[]): Promise<void> => {
    const types = new Map((await client.query<{ column_name: string; udt_name: string }>(`SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = $1`, [table])).rows.map((c) => [c.column_name, c.udt_name]));
    const sqlText = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${types.get(c)!}[]`).join(",")})`;
    let arrays: unknown[][] = columns.map(() => []);
    let count = 0;
    const flush = async (): Promise<void> => {
      if (count === 0) return;
      await client.query(sqlText, arrays);
      arrays = columns.map(() => []);
      count = 0;
    };
    for (const row of src.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(",")} FROM "${table}" ORDER BY "id"`).iterate() as Iterable<Record<string, unknown>>) {
      convert(row).forEach((v, i) => arrays[i]!.push(v instanceof Date ? v.toISOString() : v));
      if (++count >= 50_000) await flush();
    }
    await flush();
    await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT COALESCE(MAX("id"), 1) FROM "${table}"))`);
  };
  const date = (v: unknown): Date | null => (v === null ? null : new Date(String(v)));
  const num = (v: unknown): number => Number(v);
  await copy("Shop", ["id", "domain", "timezone", "updatedAt"], (r) => [num(r.id), r.domain, r.timezone, date(r.updatedAt)]);
  await copy("Customer", ["id", "shopId", "shopifyId", "updatedAt"], (r) => [num(r.id), num(r.shopId), r.shopifyId, date(r.updatedAt)]);
  await copy("Order", ["id", "shopId", "shopifyId", "customerId", "processedAt", "shopifyUpdatedAt", "currency", "grossMilli", "netMilli", "cancelledAt", "test", "updatedAt"], (r) => [
    num(r.id), num(r.shopId), r.shopifyId, r.customerId === null ? null : num(r.customerId), date(r.processedAt), date(r.shopifyUpdatedAt), r.currency, String(r.grossMilli), String(r.netMilli), date(r.cancelledAt), num(r.test) === 1, date(r.updatedAt),
  ]);
  await copy("OrderLine", ["id", "shopId", "orderId", "shopifyId", "productId", "quantity", "unitPriceMilli"], (r) => [num(r.id), num(r.shopId), num(r.orderId), r.shopifyId, r.productId, num(r.quantity), String(r.unitPriceMilli)]);
  await copy("Refund", ["id", "shopId", "orderId", "shopifyId", "processedAt", "amountMilli"], (r) => [num(r.id), num(r.shopId), num(r.orderId), r.shopifyId, date(r.processedAt), String(r.amountMilli)]);
  await client.query("ANALYZE");
  src.close();
  await client.end();
  return database;
}

/** Removes the runs a previous measurement stored (PostgreSQL: the store is reused between runs). */
async function resetRuns(url: string): Promise<void> {
  const db = createDb(url);
  await db.customerSegment.deleteMany({});
  await db.segmentRun.deleteMany({});
  await db.$disconnect();
}

interface Timed {
  wallSeconds: number;
  /** User + system CPU time: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  maxRssMB: number;
  stdout: string;
}

function timed(args: string[]): Timed {
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, NODE_NO_WARNINGS: "1" } });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stderr.slice(-4000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  if (!wall || !rss || !user || !system) throw new Error(`cannot parse /usr/bin/time output:\n${r.stderr}`);
  return {
    wallSeconds: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    cpuSeconds: Number(user[1]) + Number(system[1]),
    maxRssMB: Number(rss[1]) / 1024,
    stdout: r.stdout,
  };
}

/** Child: one refresh of the store at `url`, timed in-process too; prints a JSON line. */
async function child(url: string): Promise<void> {
  const db: Db = createDb(url);
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const t0 = performance.now();
  const outcome = await refreshSegments(db, shop.id, { reason: "on-demand", asOf: new Date(AS_OF) });
  const seconds = (performance.now() - t0) / 1000;
  await db.$disconnect();
  console.log(JSON.stringify({ seconds, runId: outcome.runId, customers: outcome.customerCount, algorithm: outcome.result?.model.algorithm, peakMB: peakMB() }));
}

/** The CLI's segment per customer (its output CSV). */
async function cliSegments(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let header: string[] | null = null;
  let idCol = -1;
  let segCol = -1;
  const parser = new CsvParser((f) => {
    if (header === null) {
      header = f;
      idCol = f.indexOf("customer_id");
      segCol = f.indexOf("segment");
      return;
    }
    out.set(f[idCol]!, f[segCol]!);
  });
  const s = createReadStream(file);
  s.setEncoding("utf8");
  for await (const chunk of s) parser.push(chunk as string);
  parser.end();
  return out;
}

/** The stored run's segment name per customer. */
async function storedSegments(url: string, runId: number): Promise<Map<string, string>> {
  const db = createDb(url);
  const run = await db.segmentRun.findUniqueOrThrow({ where: { id: runId } });
  const names = new Map<string, string>((JSON.parse(run.model!) as { segments: { id: string; name: string }[] }).segments.map((s) => [s.id, s.name]));
  const out = new Map<string, string>();
  let after = 0;
  for (;;) {
    const rows = await db.customerSegment.findMany({ where: { runId, id: { gt: after } }, orderBy: { id: "asc" }, take: 20_000, select: { id: true, segmentKey: true, customer: { select: { shopifyId: true } } } });
    if (rows.length === 0) break;
    for (const r of rows) out.set(r.customer.shopifyId, names.get(r.segmentKey) ?? r.segmentKey);
    after = rows[rows.length - 1]!.id;
  }
  await db.$disconnect();
  return out;
}

function compare(cli: Map<string, string>, stored: Map<string, string>): { cliCustomers: number; storedCustomers: number; mismatches: number; example: string | null } {
  let mismatches = 0;
  let example: string | null = null;
  for (const [id, seg] of cli) {
    const other = stored.get(id);
    if (other !== seg) {
      mismatches++;
      example ??= `${id}: CLI ${seg}, refresh ${other ?? "(none)"}`;
    }
  }
  return { cliCustomers: cli.size, storedCustomers: stored.size, mismatches, example };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") return child(argv[1]!);
  const a = parseArgs(argv);
  const o: Options = {
    orders: Number(a.get("orders") ?? 1_000_000),
    linesPerOrder: Number(a.get("lines-per-order") ?? 5),
    customers: Number(a.get("customers") ?? 100_000),
    seed: Number(a.get("seed") ?? 20261123),
    runs: Number(a.get("runs") ?? 1),
    postgres: a.has("postgres"),
  };
  const t0 = performance.now();
  const { dbFile, csvFile } = await ensureData(o);
  console.log(`data ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dbFile}, ${csvFile}`);

  const loadAtStart = loadavg();
  const cliOut = join(TMP_DIR, "refresh-cli-out.csv");
  const cli: Timed[] = [];
  for (let i = 0; i < o.runs; i++) {
    cli.push(timed([join(ROOT, "bin/segmint.js"), "segment", csvFile, "--algorithm", "hybrid", "--as-of", AS_OF_DAY, "--seed", "42", "--out", cliOut, "--quiet"]));
    console.log(`cli: ${cli.at(-1)!.wallSeconds.toFixed(1)} s (CPU ${cli.at(-1)!.cpuSeconds.toFixed(1)} s), ${fmtMB(cli.at(-1)!.maxRssMB)}`);
  }
  const cliBySegment = await cliSegments(cliOut);

  type Side = { database: string; runs: { wallSeconds: number; cpuSeconds: number; maxRssMB: number; inProcessSeconds: number }[]; agreement: ReturnType<typeof compare> };
  const sides: Side[] = [];
  const measure = async (database: string, url: string, fresh: () => Promise<void>): Promise<void> => {
    const runs: Side["runs"] = [];
    let last: { runId: number } | null = null;
    for (let i = 0; i < o.runs; i++) {
      await fresh();
      const m = timed(["--import", "tsx", SELF, "--child", url]);
      const line = JSON.parse(m.stdout.trim().split("\n").at(-1)!) as { seconds: number; runId: number };
      runs.push({ wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, maxRssMB: m.maxRssMB, inProcessSeconds: line.seconds });
      last = line;
      console.log(`refresh (${database}): ${m.wallSeconds.toFixed(1)} s (in-process ${line.seconds.toFixed(1)} s, CPU ${m.cpuSeconds.toFixed(1)} s), ${fmtMB(m.maxRssMB)}`);
    }
    sides.push({ database, runs, agreement: compare(cliBySegment, await storedSegments(url, last!.runId)) });
  };

  const runFile = join(TMP_DIR, "refresh-run.db");
  await measure("SQLite", `file:${runFile}`, async () => {
    for (const ext of ["", "-wal", "-shm"]) rmSync(`${runFile}${ext}`, { force: true });
    copyFileSync(dbFile, runFile);
  });
  if (o.postgres) {
    const store = await copyToPostgres(dbFile);
    try {
      await measure("PostgreSQL", store.url, () => resetRuns(store.url));
    } finally {
      await store.drop();
    }
  }

  const cliWall = median(cli.map((m) => m.wallSeconds));
  const cliCpu = median(cli.map((m) => m.cpuSeconds));
  const cliRss = Math.max(...cli.map((m) => m.maxRssMB));
  const rows = sides.map((s) => {
    const wall = median(s.runs.map((r) => r.wallSeconds));
    const rss = Math.max(...s.runs.map((r) => r.maxRssMB));
    const ratio = wall / cliWall;
    return [
      `refresh from ${s.database}`,
      `${wall.toFixed(1)} s`,
      `${median(s.runs.map((r) => r.inProcessSeconds)).toFixed(1)} s`,
      `${median(s.runs.map((r) => r.cpuSeconds)).toFixed(1)} s (${(median(s.runs.map((r) => r.cpuSeconds)) / cliCpu).toFixed(2)}×)`,
      fmtMB(rss),
      `**${ratio.toFixed(2)}×**`,
      ratio <= 1.5 && rss <= 2048 ? "✅" : "❌",
      `${s.agreement.mismatches.toLocaleString("en-US")} of ${s.agreement.cliCustomers.toLocaleString("en-US")}`,
    ];
  });
  const env = environmentNote();
  const md = [
    "# Refresh benchmark (`bench/refresh.bench.ts`)",
    "",
    `Measured ${String(env.date).slice(0, 10)} on ${String(env.cores)} × ${String(env.cpu)}, ${String(env.memoryGB)} GB RAM, Node ${String(env.node)}.`,
    `Store: ${fmtN(o.orders)} orders with 1–${2 * o.linesPerOrder - 1} lines (~${o.linesPerOrder} on average), ${fmtN(o.customers)} customers, seed ${o.seed}; the CSV twin holds the same lines and refunds (test orders left out, as the app does).`,
    `Both sides: hybrid (the shop's default), K auto, seed 42, as of ${AS_OF_DAY}. Each measurement a fresh process under \`/usr/bin/time -v\`: wall clock (start-up included), CPU time (user + system, steadier than wall time when other processes share the machine) and peak RSS; "in-process" is the \`refreshSegments\` call alone. Median of ${o.runs} run(s). Load average (1, 5, 15 min) when the measurements started: ${loadAtStart.map((l) => l.toFixed(1)).join(", ")}.`,
    "",
    mdTable(["side", "wall", "in-process", "CPU (ratio)", "peak RSS", "wall ratio to CLI", "target ≤ 1.5×, ≤ 2 GB", "segment mismatches"], [
      ["CLI `segmint segment` on the CSV", `${cliWall.toFixed(1)} s`, "", `${cliCpu.toFixed(1)} s`, fmtMB(cliRss), "1", "", ""],
      ...rows,
    ]),
    "",
    ...sides.filter((s) => s.agreement.example !== null).map((s) => `First mismatch (${s.database}): ${s.agreement.example}.`),
    "",
    `Reproduce: \`npm run bench -- refresh${o.postgres ? " --postgres" : ""}\` (data generated into bench/tmp/ once; never committed).`,
  ].join("\n");
  writeResults("refresh", md, { options: o, environment: env, loadAverageAtStart: loadAtStart, cli, sides });
  console.log(md);
}

await main();
