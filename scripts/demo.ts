// `npm run demo [-- --data <csv[.gz]> --algorithm <rfm|kmeans|dbscan|hybrid> --write-back <off|dry-run|live>]`:
// Segmint offline, on real data, through the production code path.
//   1. a local Shopify (simulator/) seeded from the CSV (Online Retail or Online Retail II layout;
//      default the UCI Online Retail store), over HTTP, its clock on the day after the last order;
//   2. a fresh SQLite database, the demo shop installed exactly as Shopify's install does
//      (offline session + the afterAuth hook's onShopInstalled → backfill job), with the chosen
//      algorithm and write-back mode stored as the shop's settings before the backfill ends;
//   3. the app (server.ts, production build) with the simulator transport seam, which refuses to
//      start unless every URL is local;
//   4. prints progress, the URLs and the synced counts, then one line each when the first refresh,
//      the write-back and the Shopify segment sync complete (read from the database);
//   5. adds last week (a refresh as of a week before the store's day, then one as of the day), so
//      the admin shows what changed since last week;
//   6. creates one holdout experiment backdated to 2011-09-01 (all customers, 20 % held out, revenue
//      per customer, 90 days), so the Experiments page has real results to show;
//   7. makes sure the anomalies the first refresh detected are stored (detecting them itself if the
//      refresh's detection did not), and says how many orders, customers and days were flagged;
//   8. waits for the shop's recommender (the refresh trains it after anomaly detection), says how many
//      products have recommendations and how many rules were mined, and starts the demo storefront
//      (simulator/storefront.ts: the theme app extension's blocks on a local product page, the app
//      proxy signed as Shopify signs it; docs/theme-extension.md), printing a product page's URL.
//      Ctrl+C stops everything.
// Environment: PORT (default 3000); SEGMINT_DEMO_DB, the SQLite file to (re)create (default
// .data/demo.db; a relative path is taken from the repository root), so the browser tests run a demo
// of their own without replacing a developer's; SEGMINT_DEMO_SHOP (the simulated shop's domain);
// STOREFRONT_PORT, the demo storefront's port (default PORT + 1; a free port if that one is taken).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_DEMO_SHOP, DEFAULT_PORT } from "../app/config.server";
import { createDb } from "../app/db.server";
import { applyMigrations } from "../app/db/migrate.server";
import { findShop, updateShopSettings, type ShopSettingsPatch } from "../app/models/shops.server";
import { storeSummary } from "../app/models/store-summary.server";
import { startBusinessClock } from "../app/clock.server";
import { parseRunMetrics } from "../app/domain/run-metrics";
import { detectAnomalies } from "../app/services/detect-anomalies.server";
import { createExperiment, experimentResults } from "../app/services/experiments.server";
import { onShopInstalled } from "../app/services/install.server";
import { PRODUCT_SYNC } from "../app/services/product-sync.server";
import { refreshSegments } from "../app/services/refresh-segments.server";
import { startWriteBack } from "../app/services/write-back.server";
import { simulatorAdmin } from "../simulator/admin-client";
import { defaultOnlineRetailPath } from "../simulator/seed-online-retail";
import { startSimulatorServer, type SimulatorServer } from "../simulator/server";
import { startStorefront, type Storefront } from "../simulator/storefront";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? DEFAULT_PORT);
const shopDomain = process.env.SEGMINT_DEMO_SHOP ?? DEFAULT_DEMO_SHOP;
const appUrl = `http://localhost:${port}`;
const databaseFile = path.resolve(root, process.env.SEGMINT_DEMO_DB || ".data/demo.db");
const databaseUrl = `file:${databaseFile}`;
const apiSecret = randomBytes(24).toString("hex"); // per run: signs the simulator's webhooks

const fmt = (n: number) => n.toLocaleString("en-US");
const log = (s: string) => console.log(`[demo] ${s}`);

const ALGORITHMS = ["rfm", "kmeans", "dbscan", "hybrid"] as const;
const WRITE_BACK_MODES = ["off", "dry-run", "live"] as const;
/** How long the demo waits for each step after the backfill before saying it did not happen. */
const STEP_TIMEOUT_MS = 10 * 60_000;

interface DemoOptions {
  data: string;
  algorithm: NonNullable<ShopSettingsPatch["algorithm"]>;
  writeBack: NonNullable<ShopSettingsPatch["writeBackMode"]>;
}

const USAGE = `usage: bash scripts/run.sh demo -- [--data <transactions.csv[.gz]>] [--algorithm rfm|kmeans|dbscan|hybrid] [--write-back off|dry-run|live]
  --data        a CSV in the Online Retail or Online Retail II layout, plain or gzipped (default ../shared/data/online_retail.csv.gz)
  --algorithm   the shop's segmentation algorithm (default hybrid)
  --write-back  off, dry-run (plan only, the install default) or live (write tags and Shopify segments) (default dry-run)`;

class UsageError extends Error {}

/** Parses `--flag value` / `--flag=value`; a bare `--` (npm's separator) is skipped. */
function parseDemoArgs(argv: readonly string[]): DemoOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") continue;
    if (arg === "--help" || arg === "-h") throw new UsageError("");
    const m = /^--(data|algorithm|write-back)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === "" || (m[2] === undefined && value.startsWith("--"))) throw new UsageError(`--${m[1]} needs a value`);
    values.set(m[1] as string, value);
  }
  const algorithm = values.get("algorithm") ?? "hybrid";
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) throw new UsageError(`--algorithm must be one of ${ALGORITHMS.join(", ")}, got ${JSON.stringify(algorithm)}`);
  const writeBack = values.get("write-back") ?? "dry-run";
  if (!(WRITE_BACK_MODES as readonly string[]).includes(writeBack)) throw new UsageError(`--write-back must be one of ${WRITE_BACK_MODES.join(", ")}, got ${JSON.stringify(writeBack)}`);
  const given = values.get("data");
  const data = given === undefined ? defaultOnlineRetailPath() : path.resolve(process.cwd(), given);
  if (!fs.existsSync(data) || !fs.statSync(data).isFile()) throw new UsageError(`--data: no file at ${data}`);
  return { data, algorithm: algorithm as DemoOptions["algorithm"], writeBack: writeBack as DemoOptions["writeBack"] };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const options = parseDemoArgs(process.argv.slice(2));
  const isDefaultData = options.data === defaultOnlineRetailPath();
  const built = path.join(root, "build", "server", "index.js");
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < newestMtime(path.join(root, "app"))) {
    log("building the app (production build)…");
    await run(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build", "--logLevel", "warn"]);
  }

  log(`seeding the local Shopify from ${isDefaultData ? "the UCI Online Retail store (541,909 rows)" : options.data}…`);
  const sim = await startSimulatorServer({ apiKey: "segmint-demo", apiSecret, appUrl, onlineRetail: { domain: shopDomain, csvPath: options.data, moveClock: true } });
  const seeded = sim.onlineRetail!;
  log(`Shopify simulator at ${sim.url}: ${fmt(seeded.customers)} customers (${fmt(seeded.wholesaleCustomers)} tagged wholesale, ${fmt(seeded.cappedTagCustomers)} at 250 tags), ${fmt(seeded.customerOrders + seeded.guestOrders)} orders, ${fmt(seeded.lineItems)} line items (${seeded.layout} layout); the shop's today is ${seeded.today}`);
  log(`  control API: ${sim.url}/_sim/shops/${shopDomain}/customers | /segments | /calls`);

  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${databaseFile}${suffix}`, { force: true });
  await applyMigrations(databaseUrl, root);
  const db = createDb(databaseUrl);
  await db.session.create({
    data: { id: `offline_${shopDomain}`, shop: shopDomain, state: "demo", isOnline: false, accessToken: sim.simulator.accessToken(shopDomain), scope: sim.simulator.shop(shopDomain).scopes.join(",") },
  });
  // As Shopify's afterAuth hook would: the shop's time zone is read through the Admin API.
  await onShopInstalled(db, shopDomain, sim.simulator.shop(shopDomain).scopes.join(","), new Date(), simulatorAdmin(sim, shopDomain));
  // The merchant's choices, stored before the app starts, so before the backfill can complete and queue the first refresh.
  const installed = await findShop(db, shopDomain);
  if (!installed) throw new Error(`the install did not create the shop ${shopDomain}`);
  await updateShopSettings(db, installed.id, { algorithm: options.algorithm, writeBackMode: options.writeBack });
  log(`settings: algorithm ${options.algorithm}, write-back ${options.writeBack}`);
  // The demo's own service calls (the demo experiment) run on the store's clock and log through the
  // app's validated config, as the app process does.
  const demoNow = new Date(sim.simulator.clock.now()).toISOString();
  startBusinessClock(demoNow);
  Object.assign(process.env, { SHOPIFY_API_KEY: "segmint-demo", SHOPIFY_API_SECRET: apiSecret, SHOPIFY_APP_URL: appUrl, DATABASE_URL: databaseUrl });

  const app: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "segmint-demo",
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      SEGMINT_SIMULATOR_URL: sim.url,
      SEGMINT_DEMO_SHOP: shopDomain,
      // The store lives on the day after its data: the refresh's as-of day is that day.
      SEGMINT_DEMO_NOW: demoNow,
    },
  });
  const stop = async (code: number) => {
    app.kill("SIGTERM");
    await storefront?.close();
    await sim.close();
    await db.$disconnect();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  app.once("exit", (code) => {
    log(`the app exited (${code})`);
    void stop(code ?? 1);
  });

  log("backfilling through the bulk operation API…");
  const started = Date.now();
  let last = "";
  for (;;) {
    const shop = await findShop(db, shopDomain);
    const run = shop ? await db.syncRun.findFirst({ where: { shopId: shop.id, kind: "backfill" }, orderBy: { id: "desc" } }) : null;
    const line = run ? `${run.status}: ${fmt(run.rowsDone)}${run.rowsTotal ? ` of ${fmt(run.rowsTotal)}` : ""} rows` : "starting";
    if (line !== last) log(`backfill ${line}`);
    last = line;
    if (run?.status === "failed") throw new Error(`backfill failed: ${run.error}`);
    if (run?.status === "completed" && shop) {
      const s = await storeSummary(db, shop.id);
      log(`synced in ${((Date.now() - started) / 1000).toFixed(1)} s: ${fmt(s.customers)} customers (${fmt(s.customersWithPurchase)} with a purchase), ${fmt(s.customerOrders)} customer orders + ${fmt(s.guestOrders)} guest orders, ${fmt(s.refunds)} refunds/cancellations, ${fmt(s.orderLines)} lines`);
      break;
    }
    await sleep(1000);
  }
  console.log(
    `\n  Segmint is running at ${appUrl}/app  (Ctrl+C to stop)\n  Shopify simulator at ${sim.url}\n  Data: ${isDefaultData ? "UCI Online Retail (Chen, 2015), CC BY 4.0, doi:10.24432/C5BW33" : options.data}\n`,
  );
  const shopId = installed.id;
  await followSegments(db, sim, shopId, options);
  await addLastWeek(db, shopId, options);
  await addDemoExperiment(db, shopId);
  await addDemoAnomalies(db, sim, shopId);
  await addDemoStorefront(db, sim, shopId);
}

/** The demo storefront, once started (stopped with the demo). */
let storefront: Storefront | null = null;

/**
 * The refresh trains the shop's recommender after anomaly detection (or queues a training job if
 * that failed); the demo waits for the stored model, says what it holds, then starts the storefront
 * and prints the page of the best-selling product that has recommendations.
 */
async function addDemoStorefront(db: ReturnType<typeof createDb>, sim: SimulatorServer, shopId: number): Promise<void> {
  const model = await waitFor(async () => (await db.recommendationModel.findFirst({ where: { shopId }, orderBy: { id: "desc" } })) ?? null);
  // The proxy shows only synced products: the products export follows the orders backfill.
  const products = await waitFor(async () => (await db.syncRun.findFirst({ where: { shopId, kind: PRODUCT_SYNC, status: { in: ["completed", "failed"] } }, orderBy: { id: "desc" } })) ?? null);
  if (!products) log(`the products sync did not complete within ${STEP_TIMEOUT_MS / 60_000} min: the storefront's blocks will hide themselves`);
  else if (products.status === "failed") log(`the products sync failed: ${products.error ?? "no error recorded"}`);
  else log(`products synced for the storefront: ${fmt(await db.product.count({ where: { shopId } }))} products, ${fmt(await db.product.count({ where: { shopId, status: "ACTIVE", available: true } }))} active and available`);
  let page = "/";
  if (!model) {
    log(`the demo's recommendations were not trained within ${STEP_TIMEOUT_MS / 60_000} min (no RecommendationModel for the shop): the storefront's blocks will hide themselves`);
  } else {
    const [listed, rules] = await Promise.all([
      db.productRecommendation.findMany({ where: { modelId: model.id, NOT: { neighbours: "[]" } }, select: { productId: true } }),
      db.productRule.count({ where: { modelId: model.id } }),
    ]);
    log(`demo recommendations ready: ${fmt(listed.length)} products with recommendations, ${fmt(rules)} rules; ${appUrl}/app/recommendations`);
    const withList = new Set(listed.map((r) => r.productId));
    const bestSellers = await db.orderLine.groupBy({ by: ["productId"], where: { shopId, productId: { not: null } }, _count: { productId: true }, orderBy: { _count: { productId: "desc" } }, take: 50 });
    const inShopify = sim.simulator.shop(shopDomain).products;
    const shown = bestSellers.map((b) => b.productId).find((id) => id !== null && withList.has(id) && inShopify.get(Number(id))?.status === "ACTIVE");
    if (shown) page = `/products/${inShopify.get(Number(shown))!.handle}`;
  }
  const options = { simulator: sim.simulator, shopDomain, appUrl, apiSecret };
  const wanted = Number(process.env.STOREFRONT_PORT ?? port + 1);
  try {
    storefront = await startStorefront({ ...options, port: wanted });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    storefront = await startStorefront({ ...options, port: 0 });
  }
  log(`demo storefront: ${storefront.url}${page}  (?customer=<customer id> shops as that customer; docs/theme-extension.md)`);
}

/** How long the demo waits for the refresh's own detection before running it itself. */
const DETECTION_WAIT_MS = 60_000;

/**
 * The refresh job fits the anomaly model and stores the anomalies right after the first run (docs/anomalies.md);
 * the demo waits for that model. If it is not there (detection failed and was queued for a retry),
 * the demo runs the detection service itself, product titles read from the simulator.
 */
async function addDemoAnomalies(db: ReturnType<typeof createDb>, sim: SimulatorServer, shopId: number): Promise<void> {
  const deadline = Date.now() + DETECTION_WAIT_MS;
  let model = await db.anomalyModel.findUnique({ where: { shopId } });
  while (!model && Date.now() < deadline) {
    await sleep(1000);
    model = await db.anomalyModel.findUnique({ where: { shopId } });
  }
  if (!model) {
    log("the refresh's anomaly detection has not stored a model yet: detecting anomalies now…");
    try {
      await detectAnomalies(db, shopId, { admin: async () => simulatorAdmin(sim, shopDomain) });
    } catch (error) {
      return log(`the demo's anomalies were not detected: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const count = (kind: string) => db.anomaly.count({ where: { shopId, kind } });
  const [orders, customers, days] = await Promise.all([count("order"), count("customer"), count("day")]);
  log(`demo anomalies ready: ${fmt(orders)} orders, ${fmt(customers)} customers, ${fmt(days)} days flagged; ${appUrl}/app/anomalies`);
}

/** The demo experiment: backdated so its 90-day horizon has passed on the store's day (2011-12-10). */
const DEMO_EXPERIMENT = { name: "Autumn newsletter", segmentKey: "all", controlShare: "20", metric: "revenue", horizonDays: "90" };
const DEMO_EXPERIMENT_START = new Date(Date.UTC(2011, 8, 1));

/**
 * One holdout experiment through the experiments service, as if the merchant had started it on
 * 2011-09-01 before an autumn newsletter. No campaign was sent (the data are what they are), so the
 * honest expectation of its results is "no detectable difference". Its write-back pass (tagging the
 * held-out customers in live mode, planning it in dry run) completes before the line is printed.
 */
async function addDemoExperiment(db: ReturnType<typeof createDb>, shopId: number): Promise<void> {
  const created = await createExperiment(db, shopId, DEMO_EXPERIMENT, { startsOn: DEMO_EXPERIMENT_START });
  if (!created.ok) return log(`the demo experiment was refused: ${Object.values(created.errors).join(" ")}`);
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  if (shop.writeBackMode !== "off") {
    const pass = await waitFor(async () => (await db.writeBack.findFirst({ where: { shopId, kind: "experiment", status: { in: ["completed", "failed"] } }, orderBy: { id: "desc" } })) ?? null);
    if (!pass) log(`the demo experiment's write-back pass did not complete within ${STEP_TIMEOUT_MS / 60_000} min`);
    else if (pass.status === "failed") log(`the demo experiment's write-back pass failed: ${pass.error ?? "no error recorded"}`);
  }
  const results = await experimentResults(db, shopId, created.id);
  const a = results?.analysis;
  const money = (v: number) => `${v < 0 ? "-" : "+"}${Math.abs(v).toFixed(2)} ${results?.currency ?? ""}`.trim();
  const figures = a
    ? `lift ${money(a.liftPerCustomer)} per customer, 95 % interval ${money(a.ciLow)} to ${money(a.ciHigh)}, p = ${a.pValue.toFixed(3)} (${a.method}, ${fmt(a.nTreatment)} treated, ${fmt(a.nControl)} held out)`
    : (results?.analysisNote ?? "no results yet");
  log(`demo experiment ready: "${DEMO_EXPERIMENT.name}" (all customers, 20 % held out, revenue per customer, 90 days from 2011-09-01): ${figures}; ${appUrl}/app/experiments/${created.id}`);
}

/**
 * A store that has used Segmint for a while has last week's run to compare with; the demo's store
 * was installed a minute ago. So, once the first refresh and its write-back are done, the demo runs
 * the weekly refresh's own code twice: as of a week before the store's day, then as of the day
 * again (warm-started from last week's model, as a weekly refresh is). The Overview then shows what
 * changed since last week (the migration table, each segment's change). The last run's write-back
 * follows, as after any refresh.
 */
async function addLastWeek(db: ReturnType<typeof createDb>, shopId: number, options: DemoOptions): Promise<void> {
  const first = await db.segmentRun.findFirst({ where: { shopId, status: "completed" }, orderBy: { id: "asc" } });
  if (!first) return;
  const weekBefore = new Date(first.asOf.getTime() - 7 * 86_400_000);
  log(`a week of history: refreshing as of ${weekBefore.toISOString().slice(0, 10)}, then as of ${first.asOf.toISOString().slice(0, 10)} again, so the Overview shows what changed since last week…`);
  await refreshSegments(db, shopId, { reason: "schedule", asOf: weekBefore });
  const latest = await refreshSegments(db, shopId, { reason: "schedule", asOf: first.asOf });
  const migration = parseRunMetrics((await db.segmentRun.findUniqueOrThrow({ where: { id: latest.runId } })).metrics).migration;
  const moved = migration ? migration.rows.filter((r) => r.from !== null && r.from !== r.to).reduce((n, r) => n + r.customers, 0) : 0;
  const arrived = migration ? migration.rows.filter((r) => r.from === null).reduce((n, r) => n + r.customers, 0) : 0;
  if (options.writeBack !== "off") await startWriteBack(db, shopId, { kind: "refresh", runId: latest.runId });
  log(`last week's comparison ready: ${fmt(moved)} customers changed segment and ${fmt(arrived)} are new since ${weekBefore.toISOString().slice(0, 10)} (run ${latest.runId}; the Overview's migration table)`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every second until it returns a value, or gives up after STEP_TIMEOUT_MS (null). */
async function waitFor<T>(probe: () => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) return null;
    await sleep(1000);
  }
}

/**
 * After the backfill: the first refresh, then (per mode) the write-back and the Shopify segment
 * sync, each read from the tables the app writes (SegmentRun, WriteBack, ShopifySegment).
 */
async function followSegments(db: ReturnType<typeof createDb>, sim: SimulatorServer, shopId: number, options: DemoOptions): Promise<void> {
  const minutes = STEP_TIMEOUT_MS / 60_000;
  const run = await waitFor(async () => (await db.segmentRun.findFirst({ where: { shopId, status: { in: ["completed", "failed"] } }, orderBy: { id: "asc" } })) ?? null);
  if (!run) return log(`the first refresh did not complete within ${minutes} min (no completed or failed SegmentRun for the shop)`);
  if (run.status === "failed") return log(`the first refresh failed: ${run.error ?? "no error recorded"}`);
  const segments = (await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId, runId: run.id } })).map((g) => g.segmentKey);
  log(`first refresh completed in ${((run.durationMs ?? 0) / 1000).toFixed(1)} s: ${segments.length} segments, ${fmt(run.customerCount)} customers (algorithm ${run.algorithm})`);
  if (options.writeBack === "off") return log("write-back is off: no tags are written (--write-back dry-run or live to plan or write them)");

  const writeBack = await waitFor(async () => (await db.writeBack.findFirst({ where: { shopId, runId: run.id, kind: "refresh", status: { in: ["completed", "failed"] } }, orderBy: { id: "asc" } })) ?? null);
  if (!writeBack) return log(`no write-back of the first refresh completed within ${minutes} min (no WriteBack row of kind "refresh" reached "completed" for run ${run.id})`);
  if (writeBack.status === "failed") return log(`the write-back failed: ${writeBack.error ?? "no error recorded"}`);
  if (writeBack.mode !== "live") {
    return log(`write-back dry run completed: ${fmt(writeBack.customersChanged)} customers would change, ${fmt(writeBack.capped)} capped (would pass 250 tags); nothing was written (--write-back live writes them)`);
  }
  const prefix = (await db.shop.findUniqueOrThrow({ where: { id: shopId } })).tagPrefix;
  const tagged = [...sim.simulator.shop(shopDomain).customers.values()].filter((c) => c.tags.some((t) => t.startsWith(`${prefix}:`))).length;
  log(`write-back completed: ${fmt(writeBack.customersChanged)} customers changed, ${fmt(writeBack.tagsAdded)} tags added, ${fmt(writeBack.tagsRemoved)} removed, ${fmt(writeBack.capped)} capped, ${fmt(writeBack.failed)} failed, ${fmt(writeBack.requests)} Admin API requests; ${fmt(tagged)} customers in the simulator carry a ${prefix}: tag`);

  if (!(await db.shop.findUniqueOrThrow({ where: { id: shopId } })).shopifySegments) return log("Shopify segments are switched off for this shop: no segment sync");
  // A live pass syncs the segments before it completes, so rows exist by now; one per Segmint segment is the goal.
  const synced = await waitFor(async () => {
    const count = await db.shopifySegment.count({ where: { shopId } });
    return count === segments.length || count > 0 ? count : null;
  });
  const inShopify = sim.simulator.shop(shopDomain).segments.size;
  if (synced === null) return log(`the Shopify segment sync did not complete within ${minutes} min: no ShopifySegment rows for ${segments.length} Segmint segments (${inShopify} segments in the simulator)`);
  const match = synced === segments.length ? "one per Segmint segment" : `for ${segments.length} Segmint segments with customers`;
  log(`Shopify segment sync completed: ${synced} Shopify customer segments, ${match} (${inShopify} in the simulator: ${sim.url}/_sim/shops/${shopDomain}/segments)`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    if (error.message) console.error(`demo: ${error.message}`);
    console.error(USAGE);
    process.exit(error.message ? 2 : 0);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
