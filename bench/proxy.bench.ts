/**
 * The storefront proxy's server time (issue 10): `GET /proxy/recommendations` of the app's
 * production build, under a real load generator at a fixed rate, on a store with 10,000 products
 * and a trained recommender.
 *
 *   npm run bench -- proxy [--products=10000] [--orders=60000] [--rate=200] [--seconds=30] [--head=1000] [--seed=2026]
 *
 * Store (not timed): `products` products (Product rows: ACTIVE, available, priced, half with an
 * image) in themes of 5; `orders` orders from `products / 2` customers, each order 2–4 products of
 * one theme and, 3 times in 10, one of the 200 most popular products; a segment refresh
 * (services/refresh-segments), then the app's own training (services/train-recommendations,
 * evaluation off) with the exact EASE head capped at `head` products (the proxy's cost depends on
 * the stored lists, 100 neighbours per product whatever solved them, not on the head's size), the
 * demo shop's offline session. SQLite, written once per (products, orders, head, seed) into bench/tmp/.
 *
 * Load: the app (server.ts, NODE_ENV=production, build/ from `npx remix vite:build`) in its own
 * process; autocannon at `rate` requests/s over 16 connections for `seconds`, after a warm-up of
 * 5 s. Each request is signed afresh as Shopify's app proxy signs it (simulator/app-proxy.ts) and
 * drawn from a seeded mix: 45 % product page "together", 15 % product page "for you", 20 % cart
 * (1–5 products), 20 % home; 30 % of them from a logged-in customer. Latency: each response's time
 * as autocannon measures it on loopback (request written → response read), so server time plus
 * well under a millisecond; p50/p95/p99 by nearest rank over every response. Target: p95 ≤ 20 ms.
 * Floor, in the same run: a bare node:http server in its own process answering a fixed JSON list
 * of 4 products (the app's own answer, captured) at the same rate and mix of URLs.
 *
 * Writes bench/results/proxy.md and proxy.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import autocannon, { type AutocannonResult } from "autocannon";
import { createRng } from "../app/analytics";
import { applyMigrations } from "../app/db/migrate.server";
import { createDb, type Db } from "../app/db.server";
import { refreshSegments } from "../app/services/refresh-segments.server";
import { trainRecommendations, type TrainRecommendationsOutcome } from "../app/services/train-recommendations.server";
import { freePort, startAppProcess, TEST_API_SECRET } from "../scripts/support/app-process";
import { signedAppProxyUrl } from "../simulator/app-proxy";
import { environmentNote, fmtN, mdTable, parseArgs, TMP_DIR, writeResults } from "./run";

// The training logs through the app's logger, which reads the app's validated configuration.
process.env.SHOPIFY_API_KEY ??= "bench";
process.env.SHOPIFY_API_SECRET ??= "bench";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:9";
process.env.LOG_LEVEL ??= "warn";

const args = parseArgs();
const PRODUCTS = Number(args.get("products") ?? 10_000);
const ORDERS = Number(args.get("orders") ?? 60_000);
const RATE = Number(args.get("rate") ?? 200);
const SECONDS = Number(args.get("seconds") ?? 30);
const HEAD = Number(args.get("head") ?? 1000);
const SEED = Number(args.get("seed") ?? 2026);
const CONNECTIONS = 16;
const WARM_UP_SECONDS = 5;
const TARGET_P95_MS = 20;
const SHOP = "proxy-bench.myshopify.com";
const THEME = 5;
const FIRST_PRODUCT = 9_000_000_001;
const FIRST_CUSTOMER = 5_000_000_001;
const FIRST_DAY = Date.UTC(2025, 0, 1, 12);
const DAYS = 365;
const AS_OF = new Date(FIRST_DAY + DAYS * 86_400_000);
const ROWS_PER_INSERT = 500;

const productId = (i: number) => String(FIRST_PRODUCT + i);
const customerId = (c: number) => String(FIRST_CUSTOMER + c);
const customers = Math.max(1, Math.floor(PRODUCTS / 2));

// --- the store ------------------------------------------------------------------------------

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

async function buildStore(db: Db): Promise<{ train: TrainRecommendationsOutcome; trainSeconds: number }> {
  const shop = await db.shop.create({ data: { domain: SHOP } });
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "bench", isOnline: false, accessToken: "bench-token", scope: "read_orders,read_products" } });
  await insertChunks(
    Array.from({ length: PRODUCTS }, (_, i) => ({
      shopId: shop.id,
      shopifyId: productId(i),
      handle: `bench-product-${i}`,
      title: `Bench product ${i}`,
      status: "ACTIVE",
      priceMilli: BigInt(1000 + (i % 40) * 250),
      currency: "GBP",
      imageUrl: i % 2 === 0 ? `https://cdn.example.test/p/${i}.png` : null,
      imageAlt: null,
      available: true,
    })),
    (data) => db.product.createMany({ data }),
  );
  await insertChunks(
    Array.from({ length: customers }, (_, c) => ({ id: c + 1, shopId: shop.id, shopifyId: customerId(c) })),
    (data) => db.customer.createMany({ data }),
  );
  const rng = createRng(SEED);
  const pick = (n: number) => Math.floor(rng() * n);
  const themes = Math.floor(PRODUCTS / THEME);
  const orders: { id: number; shopId: number; shopifyId: string; customerId: number | null; processedAt: Date; shopifyUpdatedAt: Date; currency: string; grossMilli: bigint; netMilli: bigint }[] = [];
  const lines: { shopId: number; orderId: number; shopifyId: string; productId: string; quantity: number; unitPriceMilli: bigint }[] = [];
  for (let k = 0; k < ORDERS; k++) {
    // Themes by a skewed draw: a few sell a lot, most a little (as catalogues do).
    const theme = Math.floor(themes * rng() ** 2);
    const items = new Set<number>();
    const size = 2 + pick(3);
    while (items.size < size) items.add(theme * THEME + pick(THEME));
    if (rng() < 0.3) items.add(pick(200));
    const at = new Date(FIRST_DAY + Math.floor((k / ORDERS) * DAYS) * 86_400_000);
    const id = k + 1;
    orders.push({ id, shopId: shop.id, shopifyId: String(1_000_000 + k), customerId: rng() < 0.1 ? null : 1 + pick(customers), processedAt: at, shopifyUpdatedAt: at, currency: "GBP", grossMilli: 10_000n, netMilli: 10_000n });
    let n = 0;
    for (const i of items) lines.push({ shopId: shop.id, orderId: id, shopifyId: `${id}-${n++}`, productId: productId(i), quantity: 1 + pick(3), unitPriceMilli: 1000n });
  }
  await insertChunks(orders, (data) => db.order.createMany({ data }));
  await insertChunks(lines, (data) => db.orderLine.createMany({ data }));
  await refreshSegments(db, shop.id, { reason: "backfill", asOf: AS_OF });
  const started = performance.now();
  const train = await trainRecommendations(db, shop.id, { evaluate: false, recommender: { headMax: HEAD } });
  return { train, trainSeconds: (performance.now() - started) / 1000 };
}

// --- the load -------------------------------------------------------------------------------

interface LoadResult {
  target: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non200: number;
  errors: number;
}

/** The seeded mix of storefront paths (signed per request against `appUrl`). */
function requestMix(seed: number): () => { path: string; customer: string | null } {
  const rng = createRng(seed);
  const pick = (n: number) => Math.floor(rng() * n);
  // Requests ask about products shoppers look at: popular themes more often.
  const viewed = () => productId(Math.floor(PRODUCTS * rng() ** 2));
  return () => {
    const customer = rng() < 0.3 ? customerId(pick(customers)) : null;
    const r = rng();
    if (r < 0.45) return { path: `/recommendations?product_id=${viewed()}&limit=4`, customer };
    if (r < 0.6) return { path: `/recommendations?product_id=${viewed()}&block=for-you&limit=4`, customer };
    if (r < 0.8) return { path: `/recommendations?context=cart&cart=${Array.from({ length: 1 + pick(5) }, viewed).join(",")}&limit=4`, customer };
    return { path: `/recommendations?context=home&limit=4`, customer };
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? NaN;
}

async function load(target: string, baseUrl: string, seconds: number, seed: number): Promise<LoadResult> {
  const next = requestMix(seed);
  const times: number[] = [];
  let non200 = 0;
  const signed = (request: { path?: string }) => {
    const { path, customer } = next();
    const url = signedAppProxyUrl(path, { appUrl: baseUrl, apiSecret: TEST_API_SECRET, shopDomain: SHOP, pathPrefix: "/apps/segmint", loggedInCustomerId: customer });
    return { ...request, method: "GET", path: `${url.pathname}${url.search}` };
  };
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon({ url: baseUrl, connections: CONNECTIONS, duration: seconds, overallRate: RATE, requests: [{ setupRequest: signed }, { setupRequest: signed }] }, (error, r) => (error ? reject(error) : resolve(r)));
    instance.on("response", (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status !== 200) non200++;
    });
  });
  times.sort((a, b) => a - b);
  return {
    target,
    requests: times.length,
    perSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    max: times[times.length - 1] ?? NaN,
    non200,
    errors: result.errors + result.timeouts,
  };
}

/** A bare node:http server in its own process: parses the URL, answers `body` as JSON. */
async function startFloorServer(body: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const code = `
    const http = require("node:http");
    const body = ${JSON.stringify(body)};
    http.createServer((req, res) => {
      new URL(req.url, "http://x");
      res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
      res.end(body);
    }).listen(${port}, "127.0.0.1", () => console.log("listening"));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { url: `http://127.0.0.1:${port}`, child, stop: async () => (child.kill("SIGTERM"), exited) };
}

// --- main -----------------------------------------------------------------------------------

const fmtMs = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  if (!existsSync("build/server/index.js")) throw new Error("build/ is missing: run `npx remix vite:build` first (the bench serves the production build)");
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, `proxy-${PRODUCTS}-${ORDERS}-${HEAD}-${SEED}.db`);
  const url = `file:${file}`;
  let training: { products: number; lists: number; rules: number; baskets: number; seconds: number } | null = null;
  if (!existsSync(file)) {
    console.log(`building the store: ${fmtN(PRODUCTS)} products, ${fmtN(ORDERS)} orders …`);
    await applyMigrations(url);
    const db = createDb(url);
    try {
      const { train, trainSeconds } = await buildStore(db);
      if (!train.trained) throw new Error(`the bench store did not train: ${train.reason}`);
      training = { products: train.products, lists: train.lists, rules: train.rules, baskets: train.baskets, seconds: trainSeconds };
      console.log(`trained in ${trainSeconds.toFixed(1)} s: ${train.lists} lists, ${train.rules} rules`);
    } catch (error) {
      await db.$disconnect();
      rmSync(file, { force: true });
      throw error;
    }
    await db.$disconnect();
  }

  // The simulator's URL is never contacted: the proxy route reads the database only.
  const loadBefore = loadavg()[0]!;
  const app = await startAppProcess({ databaseUrl: url, simulatorUrl: "http://127.0.0.1:9", env: { LOG_LEVEL: "info" } });
  let appResult: LoadResult;
  let sample: string;
  try {
    const probe = signedAppProxyUrl(`/recommendations?product_id=${productId(0)}&limit=4`, { appUrl: app.url, apiSecret: TEST_API_SECRET, shopDomain: SHOP, pathPrefix: "/apps/segmint" });
    const first = await fetch(probe);
    sample = await first.text();
    if (first.status !== 200 || (JSON.parse(sample) as { products: unknown[] }).products.length === 0) throw new Error(`the app's proxy answered ${first.status}: ${sample}`);
    console.log(`warm-up ${WARM_UP_SECONDS} s …`);
    await load("warm-up", app.url, WARM_UP_SECONDS, SEED + 1);
    console.log(`app: ${RATE} requests/s for ${SECONDS} s …`);
    appResult = await load("app: GET /proxy/recommendations (production build, SQLite)", app.url, SECONDS, SEED);
  } finally {
    await app.stop();
  }
  const floorServer = await startFloorServer(sample);
  let floor: LoadResult;
  try {
    await load("warm-up", floorServer.url, WARM_UP_SECONDS, SEED + 1);
    floor = await load("floor: bare node:http, fixed JSON", floorServer.url, SECONDS, SEED);
  } finally {
    await floorServer.stop();
  }

  const loadAfter = loadavg()[0]!;
  const rows = [appResult, floor].map((r) => [r.target, fmtN(r.requests), r.perSecond.toFixed(0), fmtMs(r.p50), fmtMs(r.p95), fmtMs(r.p99), fmtMs(r.max), r.non200 + r.errors]);
  const met = appResult.p95 <= TARGET_P95_MS;
  const markdown = [
    "# Proxy bench: the storefront's recommendations endpoint",
    "",
    `\`npm run bench -- proxy\` (bench/proxy.bench.ts). ${fmtN(PRODUCTS)} products, ${fmtN(ORDERS)} orders, ${fmtN(customers)} customers; the app's own training (exact head capped at ${fmtN(HEAD)} products; 100 neighbours per product). autocannon 9 at ${RATE} requests/s over ${CONNECTIONS} connections for ${SECONDS} s after a ${WARM_UP_SECONDS} s warm-up; every request signed as Shopify's app proxy signs it; mix: 45 % product together, 15 % product for-you, 20 % cart (1–5 products), 20 % home, 30 % logged in. Latency per response on loopback, nearest-rank percentiles.`,
    "",
    mdTable(["target", "requests", "per s", "p50", "p95", "p99", "max", "non-200 / errors"], rows),
    "",
    `Target p95 ≤ ${TARGET_P95_MS} ms: **${met ? "met" : "missed"}** (${fmtMs(appResult.p95)}; the bare server's floor ${fmtMs(floor.p95)}).`,
    "",
    `Machine load (1-minute load average, ${environmentNote().cores} cores) before the app's run ${loadBefore.toFixed(1)}, after the floor's ${loadAfter.toFixed(1)}: other work on the machine shares the cores, and the floor's p95 shows how much.`,
    ...(training ? ["", `Store built this run: training ${training.seconds.toFixed(1)} s (${fmtN(training.baskets)} baskets, ${fmtN(training.lists)} lists, ${fmtN(training.rules)} rules).`] : []),
    "",
    `Environment: ${JSON.stringify(environmentNote())}`,
  ].join("\n");
  writeResults("proxy", markdown, { products: PRODUCTS, orders: ORDERS, customers, head: HEAD, rate: RATE, seconds: SECONDS, connections: CONNECTIONS, app: appResult, floor, targetP95Ms: TARGET_P95_MS, met, training, loadAverage: { before: loadBefore, after: loadAfter }, environment: environmentNote() });
  console.log(markdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
