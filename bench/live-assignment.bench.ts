/**
 * Live assignment of one new order: the app time of `reassignCustomers` (app/services/
 * live-assignment.server.ts) for one customer whose order just arrived, on a store with a stored run.
 *
 *   npm run bench -- live-assignment [--customers=100000] [--samples=300] [--algorithms=hybrid,kmeans,dbscan] [--postgres] [--seed=20261123]
 *
 * Data: a seeded synthetic store written once per (customers, seed) into bench/tmp/ (SQLite; with
 * `--postgres` a fresh PostgreSQL database each time): customers drawn from bench/synthetic-rfm.ts
 * (58 % one-time buyers, 0.2 % whales with 40–400 orders), each profile turned into orders of two
 * lines over two years before the store's day, net refunds as refunded orders. Shop zone
 * America/New_York, write-back mode dry-run (the install default: a changed segment queues a live
 * write-back pass, part of the time measured).
 * Per algorithm: a refresh stores a run (not timed), then in its own child process each sample
 * inserts one new order for a random customer (not timed: that is the webhook's apply) and times
 * `reassignCustomers(db, shop, [customer])` alone. The SQLite file is read through once before (in
 * the OS page cache, as a serving database is); each algorithm draws its own customers. The first call of a process (model read and
 * parsed) is reported apart; 20 warm-up samples follow, then the measured ones.
 * Writes bench/results/live-assignment.md and live-assignment.json.
 */
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createRng, type SegmentAlgorithm } from "../app/analytics";
import { createDb, type Db } from "../app/db.server";
import { reassignCustomers } from "../app/services/live-assignment.server";
import { refreshSegments } from "../app/services/refresh-segments.server";
import { environmentNote, fmtN, mdTable, parseArgs, peakMB, previousResults, runTsChild, scratchPostgresDatabase, writeResults, type Measurement } from "./run";
import { seedSyntheticStore, sqliteStoreCopy, syntheticCustomerId } from "./synthetic-store";

const SELF = fileURLToPath(import.meta.url);
const SHOP = "live-bench.myshopify.com";
/** The store's day: the refresh and every new order are dated on it. */
const AS_OF = new Date("2026-06-01T16:00:00Z");
const WARM_UP = 20;

interface Options {
  customers: number;
  samples: number;
  algorithms: SegmentAlgorithm[];
  postgres: boolean;
  seed: number;
}

/** Writes the synthetic store through Prisma (not timed): bench/synthetic-store.ts, shared with the admin bench. */
function seed(db: Db, o: Options): Promise<number> {
  return seedSyntheticStore(db, { domain: SHOP, customers: o.customers, seed: o.seed, asOf: AS_OF });
}

/** The store's database: SQLite, written once per (customers, seed) and copied per run (sqliteStoreCopy); or a fresh PostgreSQL database. */
async function prepareDatabase(o: Options): Promise<{ url: string; drop(): Promise<void> }> {
  if (o.postgres) {
    const database = await scratchPostgresDatabase("segmint_live_bench");
    const db = createDb(database.url);
    await seed(db, o);
    await db.$disconnect();
    return database;
  }
  return sqliteStoreCopy(`live-${o.customers}-${o.seed}`, (db) => seed(db, o).then(() => undefined));
}

/** Child: the samples of one algorithm's stored run. */
async function measure(url: string, samples: number, seedValue: number): Promise<void> {
  const db = createDb(url);
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const customers = await db.customer.count({ where: { shopId: shop.id } });
  const rng = createRng(seedValue);
  let orderSeq = 0;
  const newOrder = async (): Promise<string> => {
    const shopifyId = syntheticCustomerId(Math.floor(rng() * customers));
    const customer = await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId } } });
    const gross = BigInt(1000 * (10 + Math.floor(rng() * 200)));
    const order = await db.order.create({
      data: { shopId: shop.id, shopifyId: `live-${process.pid}-${++orderSeq}`, customerId: customer.id, processedAt: AS_OF, shopifyUpdatedAt: AS_OF, currency: "USD", grossMilli: gross, netMilli: gross },
    });
    await db.orderLine.create({ data: { shopId: shop.id, orderId: order.id, shopifyId: "1", productId: "1", quantity: 1, unitPriceMilli: gross } });
    return shopifyId;
  };
  const now = () => AS_OF;
  const time = async (): Promise<{ ms: number; cpuMs: number; changed: number; rows: number }> => {
    const id = await newOrder();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const outcome = await reassignCustomers(db, shop.id, [id], { now });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (outcome === null || outcome.assigned !== 1) throw new Error(`customer ${id} was not re-assigned`);
    return { ms, cpuMs, changed: outcome.changed.length, rows: outcome.written };
  };
  const first = await time();
  for (let k = 0; k < WARM_UP; k++) await time();
  const times: number[] = [];
  const cpuMs: number[] = [];
  let changed = 0;
  let written = 0;
  for (let k = 0; k < samples; k++) {
    const s = await time();
    times.push(s.ms / 1000);
    cpuMs.push(s.cpuMs);
    changed += s.changed;
    written += s.rows;
  }
  await db.$disconnect();
  const m: Measurement = { times, cpuMs, peakMB: peakMB(), firstMs: first.ms, changed, written };
  console.log(JSON.stringify(m));
}

function percentile(sorted: readonly number[], p: number): number {
  // nearest rank
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") return measure(argv[1]!, Number(argv[2]), Number(argv[3]));
  const a = parseArgs(argv);
  const o: Options = {
    customers: Number(a.get("customers") ?? 100_000),
    samples: Number(a.get("samples") ?? 300),
    algorithms: (a.get("algorithms") ?? "hybrid,kmeans,dbscan").split(",") as SegmentAlgorithm[],
    postgres: a.has("postgres"),
    seed: Number(a.get("seed") ?? 20261123),
  };
  const t0 = performance.now();
  const database = await prepareDatabase(o);
  console.log(`store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const db = createDb(database.url);
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const orders = await db.order.count({ where: { shopId: shop.id } });
  const results: ProviderRecord["results"] = {};
  try {
    for (const [k, algorithm] of o.algorithms.entries()) {
      const r0 = performance.now();
      const run = await refreshSegments(db, shop.id, { reason: "on-demand", asOf: AS_OF, algorithm, k: "auto" });
      const refreshSeconds = (performance.now() - r0) / 1000;
      const segments = run.result?.model.segments.length ?? 0;
      console.log(`${algorithm}: run ${run.runId} stored in ${refreshSeconds.toFixed(1)} s (${run.customerCount} rows, ${segments} segments)`);
      // Each algorithm's samples draw other customers: none finds the pages an earlier one warmed.
      const m = runTsChild(SELF, ["--child", database.url, String(o.samples), String(o.seed + 7 + k)]);
      // The machine is shared: the 1-minute load average when the samples end says how much.
      results[algorithm] = { ...m, refreshSeconds, segments, rows: run.customerCount, loadAverage: loadavg()[0]! };
      const sorted = [...m.times].sort((x, y) => x - y).map((s) => s * 1000);
      console.log(`${algorithm}: p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p95 ${percentile(sorted, 0.95).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms, first call ${(m.firstMs as number).toFixed(1)} ms`);
    }
  } finally {
    await db.$disconnect();
    await database.drop();
  }

  // One record per database: a run on one keeps the other's last figures.
  const provider = o.postgres ? "postgresql" : "sqlite";
  const record: ProviderRecord = { options: o, environment: environmentNote(), orders, results };
  const all: Record<string, ProviderRecord> = { ...(previousResults<Record<string, ProviderRecord>>("live-assignment") ?? {}), [provider]: record };
  const md = [
    "# Live assignment benchmark (`bench/live-assignment.bench.ts`)",
    "",
    "Each sample: one new order for a random customer is stored (not timed), then `reassignCustomers(db, shop, [customer])` is timed alone:",
    "the run and its model (cached per run after the first call), the customer's orders (index on shopId, customerId), features, assignment with hysteresis, the row read and written, and a live write-back pass queued when the segment changed.",
    `The first call of the measuring process is reported apart; ${WARM_UP} warm-up samples follow; percentiles by nearest rank. Target: p95 ≤ 50 ms (wall time of the call).`,
    "App CPU: the Node process's own user + system time during the call (SQLite runs inside it; PostgreSQL's work is the server's, not counted), less sensitive to a busy machine than wall time.",
    ...(["sqlite", "postgresql"] as const).flatMap((p) => (all[p] ? section(p, all[p]) : [])),
  ].join("\n");
  writeResults("live-assignment", md, all);
  console.log(md);
}

interface ProviderRecord {
  options: Options;
  environment: Record<string, unknown>;
  orders: number;
  results: Record<string, Measurement & { refreshSeconds: number; segments: number; rows: number; loadAverage?: number }>;
}

function section(provider: "sqlite" | "postgresql", r: ProviderRecord): string[] {
  const env = r.environment;
  const rows = Object.entries(r.results).map(([algorithm, m]) => {
    const sorted = [...m.times].sort((x, y) => x - y).map((s) => s * 1000);
    const cpuSorted = [...((m.cpuMs as number[] | undefined) ?? [])].sort((x, y) => x - y);
    const p95 = percentile(sorted, 0.95);
    return [
      algorithm,
      m.segments,
      sorted.length,
      percentile(sorted, 0.5).toFixed(2),
      p95.toFixed(2),
      percentile(sorted, 0.99).toFixed(2),
      sorted[sorted.length - 1]!.toFixed(2),
      (m.firstMs as number).toFixed(1),
      `${m.changed as number} / ${sorted.length}`,
      p95 <= 50 ? "yes" : "**no**",
      cpuSorted.length === 0 ? "–" : `${percentile(cpuSorted, 0.5).toFixed(1)} / ${percentile(cpuSorted, 0.95).toFixed(1)}`,
      m.loadAverage === undefined ? "–" : m.loadAverage.toFixed(1),
    ];
  });
  return [
    "",
    `## ${provider === "sqlite" ? "SQLite" : "PostgreSQL"}`,
    "",
    `Store: ${fmtN(r.options.customers)} synthetic customers (bench/synthetic-rfm.ts profiles), ${r.orders.toLocaleString("en-US")} orders of 2 lines, a stored run per algorithm (K auto), write-back mode dry-run, seed ${r.options.seed}.`,
    "",
    mdTable(["algorithm", "segments", "samples", "p50 ms", "p95 ms", "p99 ms", "max ms", "first call ms", "segment changed", "p95 ≤ 50 ms", "app CPU p50 / p95 ms", "load avg"], rows),
    "",
    `Machine: ${env.cpu as string}, ${env.cores as number} cores, ${env.memoryGB as number} GB, Node ${env.node as string}, ${env.date as string}; shared with other work (load avg: the 1-minute load average as the samples ended, on ${env.cores as number} cores).`,
    `Refresh that stored each run (not part of the figure): ${Object.entries(r.results)
      .map(([alg, m]) => `${alg} ${m.refreshSeconds.toFixed(1)} s`)
      .join(", ")}.`,
  ];
}

await main();
