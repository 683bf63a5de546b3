/**
 * The analytics bridge: rows/s and peak RSS of streaming a shop's orders from SQLite through
 * app/models/order-facts.server.ts (keyset batches, shop-zone days) into the core's RFM
 * accumulator, as app/services/segment-shop.server.ts does before segmenting.
 *
 *   npm run bench -- bridge [--orders=1000000] [--lines-per-order=5] [--customers=100000] [--batch=2000] [--seed=20261123]
 *
 * Data: a seeded synthetic shop written once per (orders, lines per order, customers, seed) into
 * bench/tmp/bridge-*.db with prepared inserts in Prisma's storage formats (not timed): orders over
 * two years inserted in shuffled time order (as a backfill leaves them), 1–2·mean lines each,
 * 8 % guests, 3 % refunded in part, 1 % cancelled and refunded, 0.5 % test orders, plus a second
 * shop whose orders interleave (scoping must not cost). Shop zone America/New_York.
 * Each measurement runs in its own child process (peak RSS = that child's): the stream alone, and
 * the stream into the accumulator. Writes bench/results/bridge.md and bridge.json.
 */
import Database from "better-sqlite3";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRfmAccumulator, createRng } from "../app/analytics";
import { createDb } from "../app/db.server";
import { applyMigrations } from "../app/db/migrate.server";
import { streamTransactionRows } from "../app/models/order-facts.server";
import { environmentNote, fmtMB, fmtN, mdTable, parseArgs, peakMB, runTsChild, TMP_DIR, writeResults, type Measurement } from "./run";

const SELF = fileURLToPath(import.meta.url);
const SHOP = "bridge-bench.myshopify.com";
const AS_OF = "2025-01-01";

interface Options {
  orders: number;
  linesPerOrder: number;
  customers: number;
  batch: number;
  seed: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace("Z", "+00:00");

/** Writes the synthetic database (not timed); returns its file. */
async function ensureDatabase(o: Options): Promise<string> {
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, `bridge-${o.orders}-${o.linesPerOrder}-${o.customers}-${o.seed}.db`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  await applyMigrations(`file:${partial}`);
  const sql = new Database(partial);
  sql.pragma("journal_mode = OFF");
  sql.pragma("synchronous = OFF");
  const now = iso(Date.now());
  const shopId = Number(sql.prepare(`INSERT INTO "Shop" ("domain","timezone","updatedAt") VALUES (?,?,?) RETURNING "id"`).pluck().get(SHOP, "America/New_York", now));
  const otherId = Number(sql.prepare(`INSERT INTO "Shop" ("domain","updatedAt") VALUES (?,?) RETURNING "id"`).pluck().get("other-shop.myshopify.com", now));
  const insertCustomer = sql.prepare(`INSERT INTO "Customer" ("shopId","shopifyId","updatedAt") VALUES (?,?,?) RETURNING "id"`).pluck();
  const customerIds = new Int32Array(o.customers);
  sql.transaction(() => {
    for (let c = 0; c < o.customers; c++) customerIds[c] = Number(insertCustomer.get(shopId, String(7_000_000_000_000 + c), now));
  })();
  const otherCustomer = Number(insertCustomer.get(otherId, "1", now));
  const insertOrder = sql
    .prepare(
      `INSERT INTO "Order" ("shopId","shopifyId","customerId","processedAt","shopifyUpdatedAt","currency","grossMilli","netMilli","cancelledAt","test","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING "id"`,
    )
    .pluck();
  const insertLine = sql.prepare(`INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","quantity","unitPriceMilli") VALUES (?,?,?,?,?,?)`);
  const insertRefund = sql.prepare(`INSERT INTO "Refund" ("shopId","orderId","shopifyId","processedAt","amountMilli") VALUES (?,?,?,?,?)`);
  const rng = createRng(o.seed);
  const start = Date.parse("2023-01-01T00:00:00Z");
  const span = 730 * 86_400_000;
  // Blocks of 10k orders, each block's times drawn at random: ids do not follow time.
  const BLOCK = 10_000;
  let lineSeq = 0;
  for (let first = 0; first < o.orders; first += BLOCK) {
    sql.transaction(() => {
      for (let k = first; k < Math.min(o.orders, first + BLOCK); k++) {
        const at = start + Math.floor(rng() * span);
        const guest = rng() < 0.08;
        const customer = guest ? null : customerIds[Math.floor(Math.pow(rng(), 2) * o.customers)]!;
        const lines = 1 + Math.floor(rng() * (2 * o.linesPerOrder - 1));
        let gross = 0;
        const items: [number, number, number][] = [];
        for (let l = 0; l < lines; l++) {
          const quantity = 1 + Math.floor(rng() * 3);
          const price = 10 * Math.round(Math.exp(Math.log(3500) + 0.8 * (rng() + rng() + rng() - 1.5)) / 10);
          gross += quantity * price;
          items.push([1 + Math.floor(rng() * 5000), quantity, price]);
        }
        const r = rng();
        const cancelled = r < 0.01;
        const refund = cancelled ? gross : r < 0.04 ? Math.floor(gross * rng() * 0.5) : 0;
        const test = rng() < 0.005;
        const id = Number(
          insertOrder.get(shopId, String(5_000_000_000_000 + k), customer, iso(at), iso(at + 86_400_000), "USD", gross, gross - refund, cancelled ? iso(at + 3_600_000) : null, test ? 1 : 0, now),
        );
        for (const [product, quantity, price] of items) insertLine.run(shopId, id, String(++lineSeq), String(8_000_000_000_000 + product), quantity, price);
        if (refund > 0) insertRefund.run(shopId, id, String(k), iso(at + 86_400_000 + Math.floor(rng() * 30 * 86_400_000)), refund);
        // Another shop's order between two of this shop's.
        if (k % 100 === 0) {
          const oid = Number(insertOrder.get(otherId, String(k), otherCustomer, iso(at), iso(at), "USD", 1000, 1000, null, 0, now));
          insertLine.run(otherId, oid, String(++lineSeq), "1", 1, 1000);
        }
      }
    })();
  }
  sql.close();
  renameSync(partial, file);
  return file;
}

/** Child: one measured pass. */
async function measure(file: string, mode: "stream" | "features", batch: number): Promise<void> {
  const db = createDb(`file:${file}`);
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  let rows = 0;
  let orders = 0;
  const t0 = performance.now();
  const acc = mode === "features" ? createRfmAccumulator({ asOf: AS_OF }) : null;
  for await (const batchRows of streamTransactionRows(db, shop.id, { batchSize: batch })) {
    rows += batchRows.length;
    let last = "";
    for (const row of batchRows) {
      if (row.orderId !== last) {
        orders++;
        last = row.orderId;
      }
      acc?.addTransaction(row);
    }
  }
  const customers = acc ? acc.finish().count : 0;
  const seconds = (performance.now() - t0) / 1000;
  await db.$disconnect();
  const m: Measurement = { times: [seconds], peakMB: peakMB(), rows, orders, customers };
  console.log(JSON.stringify(m));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") return measure(argv[1]!, argv[2] as "stream" | "features", Number(argv[3]));
  const a = parseArgs(argv);
  const o: Options = {
    orders: Number(a.get("orders") ?? 1_000_000),
    linesPerOrder: Number(a.get("lines-per-order") ?? 5),
    customers: Number(a.get("customers") ?? 100_000),
    batch: Number(a.get("batch") ?? 2000),
    seed: Number(a.get("seed") ?? 20261123),
  };
  const t0 = performance.now();
  const file = await ensureDatabase(o);
  console.log(`database ${file} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const results: Record<string, Measurement> = {};
  for (const mode of ["stream", "features"] as const) {
    results[mode] = runTsChild(SELF, ["--child", file, mode, String(o.batch)]);
    console.log(mode, JSON.stringify(results[mode]));
  }
  const row = (label: string, m: Measurement): (string | number)[] => {
    const s = m.times[0]!;
    return [label, `${s.toFixed(1)} s`, `${Math.round((m.rows as number) / s).toLocaleString("en-US")}`, `${Math.round((m.orders as number) / s).toLocaleString("en-US")}`, fmtMB(m.peakMB)];
  };
  const md = [
    "# Bridge benchmark (`bench/bridge.bench.ts`)",
    "",
    `Synthetic shop: ${fmtN(o.orders)} orders, ~${o.linesPerOrder} lines each (${(results.stream!.rows as number).toLocaleString("en-US")} rows streamed), ${fmtN(o.customers)} customers, SQLite, batches of ${o.batch} orders, seed ${o.seed}.`,
    "Each pass in its own process: time from the first query to the last row (start-up excluded), peak RSS of that process.",
    "",
    mdTable(["pass", "time", "rows/s", "orders/s", "peak RSS"], [row("stream only (order-facts model)", results.stream!), row("stream → RFM accumulator (segment-shop features)", results.features!)]),
    "",
    `Customers in the feature table: ${(results.features!.customers as number).toLocaleString("en-US")}.`,
  ].join("\n");
  writeResults("bridge", md, { options: o, environment: environmentNote(), results });
  console.log(md);
}

await main();
