// `npm run demo`: Segmint offline, on real data, through the production code path.
//   1. a local Shopify (simulator/) seeded with the UCI Online Retail store, over HTTP;
//   2. a fresh SQLite database, the demo shop installed exactly as Shopify's install does
//      (offline session + the afterAuth hook's onShopInstalled → backfill job);
//   3. the app (server.ts, production build) with the simulator transport seam, which refuses to
//      start unless every URL is local;
//   4. prints progress, then the URL and the synced counts. Ctrl+C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_DEMO_SHOP, DEFAULT_PORT } from "../app/config.server";
import { createDb } from "../app/db.server";
import { applyMigrations } from "../app/db/migrate.server";
import { findShop } from "../app/models/shops.server";
import { storeSummary } from "../app/models/store-summary.server";
import { onShopInstalled } from "../app/services/install.server";
import { simulatorAdmin } from "../simulator/admin-client";
import { startSimulatorServer } from "../simulator/server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? DEFAULT_PORT);
const shopDomain = process.env.SEGMINT_DEMO_SHOP ?? DEFAULT_DEMO_SHOP;
const appUrl = `http://localhost:${port}`;
const databaseUrl = "file:./.data/demo.db";
const apiSecret = randomBytes(24).toString("hex"); // per run: signs the simulator's webhooks

const fmt = (n: number) => n.toLocaleString("en-US");
const log = (s: string) => console.log(`[demo] ${s}`);

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
  const built = path.join(root, "build", "server", "index.js");
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < newestMtime(path.join(root, "app"))) {
    log("building the app (production build)…");
    await run(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build", "--logLevel", "warn"]);
  }

  log("seeding the local Shopify with the UCI Online Retail store (541,909 rows)…");
  const sim = await startSimulatorServer({ apiKey: "segmint-demo", apiSecret, appUrl, onlineRetail: { domain: shopDomain } });
  const seeded = sim.onlineRetail!;
  log(`Shopify simulator at ${sim.url}: ${fmt(seeded.customers)} customers, ${fmt(seeded.customerOrders + seeded.guestOrders)} orders, ${fmt(seeded.lineItems)} line items`);

  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(path.join(root, `.data/demo.db${suffix}`), { force: true });
  await applyMigrations(databaseUrl, root);
  const db = createDb(databaseUrl);
  await db.session.create({
    data: { id: `offline_${shopDomain}`, shop: shopDomain, state: "demo", isOnline: false, accessToken: sim.simulator.accessToken(shopDomain), scope: sim.simulator.shop(shopDomain).scopes.join(",") },
  });
  // As Shopify's afterAuth hook would: the shop's time zone is read through the Admin API.
  await onShopInstalled(db, shopDomain, sim.simulator.shop(shopDomain).scopes.join(","), new Date(), simulatorAdmin(sim, shopDomain));

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
    },
  });
  const stop = async (code: number) => {
    app.kill("SIGTERM");
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
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`\n  Segmint is running at ${appUrl}/app  (Ctrl+C to stop)\n  Data: UCI Online Retail (Chen, 2015), CC BY 4.0, doi:10.24432/C5BW33\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
