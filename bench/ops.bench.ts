// `npm run bench -- ops`: does a job hold the web process's requests? The SQLite web process
// backfills the Online Retail store (531,689 lines through the bulk API, from the local Shopify
// simulator) while one client asks for a static asset back to back (express.static: the cheapest
// request, so its latency is how long the request thread is held); measured for the whole
// backfill, in two runs of the same app:
//   job thread     — server.ts: the in-process job runner in a worker thread (the app as shipped);
//   request thread — bench/ops-request-thread-server.ts: the runner on the request thread (before).
// Shopify drops a webhook delivery that takes over 5 s: the max is the figure that matters.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { loadavg } from "node:os";
import path from "node:path";
import { applyMigrations } from "../app/db/migrate.server";
import { createDb } from "../app/db.server";
import { onShopInstalled } from "../app/services/install.server";
import { appProcessEnv, freePort, TEST_API_KEY, TEST_API_SECRET } from "../scripts/support/app-process";
import { startSimulatorServer } from "../simulator/server";
import { environmentNote, mdTable, TMP_DIR, writeResults } from "./run";

const SHOP = "segmint-demo.myshopify.com";
/** One of the build's assets (the same file in both runs). */
const PROBE_PATH = `/assets/${fs.readdirSync("build/client/assets").sort()[0]}`;
const MAX_SECONDS = 300;

function timedGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(url, (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - t0));
      })
      .on("error", reject);
  });
}

/** Nearest-rank percentile. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

interface RunResult {
  variant: string;
  script: string;
  requests: number;
  backfillSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  over1s: number;
  loadAverage: number;
}

async function run(variant: string, script: string): Promise<RunResult> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sim = await startSimulatorServer({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: url, onlineRetail: { domain: SHOP } });
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP_DIR, "ops-"));
  const databaseUrl = `file:${path.join(dir, "ops.db")}`;
  await applyMigrations(databaseUrl);
  const db = createDb(databaseUrl);
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: sim.simulator.accessToken(SHOP), scope: "read_orders,read_all_orders,read_customers,read_products" } });
  await onShopInstalled(db, SHOP, undefined); // queues the backfill
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...appProcessEnv(port, databaseUrl, sim.url),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    for (;;) {
      try {
        await timedGet(`${url}${PROBE_PATH}`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const latencies: number[] = [];
    const loads: number[] = [];
    const started = Date.now();
    for (;;) {
      latencies.push(await timedGet(`${url}${PROBE_PATH}`));
      if (latencies.length % 50 !== 0) continue;
      loads.push(loadavg()[0]!);
      const backfill = await db.syncRun.findFirst({ where: { kind: "backfill" }, orderBy: { id: "asc" } });
      if (backfill?.status === "failed") throw new Error(`the backfill failed: ${backfill.error}`);
      if (backfill?.status === "completed") break;
      if (Date.now() - started > MAX_SECONDS * 1000) throw new Error(`the backfill did not complete within ${MAX_SECONDS} s`);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      variant,
      script,
      requests: latencies.length,
      backfillSeconds: (Date.now() - started) / 1000,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1]!,
      over1s: latencies.filter((ms) => ms > 1000).length,
      loadAverage: loads.reduce((a, b) => a + b, 0) / loads.length,
    };
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    await sim.close();
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = [await run("job thread (server.ts, as shipped)", "server.ts"), await run("request thread (the runner beside the requests, before)", "bench/ops-request-thread-server.ts")];
const ms = (x: number) => `${x.toFixed(1)} ms`;
const markdown = `# Ops bench: requests while a job runs

\`npm run bench -- ops\` (bench/ops.bench.ts). The SQLite web process (production build) backfills the Online Retail store (531,689 lines through the bulk API) while one client asks for a static asset back to back (\`${PROBE_PATH}\`, express.static: the cheapest request, so its latency is how long the request thread is held); latency over the whole backfill. Same app, two places for the in-process job runner.

${mdTable(
  ["job runner", "requests", "backfill", "p50", "p99", "max", "over 1 s", "load average"],
  results.map((r) => [r.variant, r.requests, `${r.backfillSeconds.toFixed(1)} s`, ms(r.p50Ms), ms(r.p99Ms), ms(r.maxMs), r.over1s, r.loadAverage.toFixed(1)]),
)}

Shopify drops a webhook delivery that takes over 5 s: the max is the figure that matters. Load average: the 1-minute average over the run, on 2 cores shared with other work.

Environment: ${JSON.stringify(environmentNote())}
`;
writeResults("ops", markdown, { results, environment: environmentNote() });
console.log(markdown);
