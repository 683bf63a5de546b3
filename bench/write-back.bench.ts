/**
 * `npm run bench -- write-back [--customers=100000]`: the tag write-back of 100,000 changed
 * customers against the simulator on Standard-plan limits (100 points/s, bucket 2,000).
 *
 * Two passes on one SQLite database and one simulated shop whose customers carry merchant tags
 * (÷7 wholesale, ÷97 at the 250-tag cap, as the demo's seeder gives them):
 *   1. first write-back: every customer gets its segment tag (additions only);
 *   2. every segment renamed: every customer swaps its tag (removals, then additions).
 * Counted: Admin API requests (the simulator's own count and the pass's), bulk operations, wall
 * time. The bulk_operations/finish webhook is stood in for by watching the simulator's control
 * API (not an Admin API request), so the counts are what a webhook-woken pass makes.
 * Reference in the same run: the per-customer path's floor on the same plan — one 10-point
 * mutation per customer and action, a full bucket, then 100 points/s.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { computeRfmFeatures, segmentCustomers, type TransactionRow } from "../app/analytics";
import { createDb, type Db } from "../app/db.server";
import { applyMigrations } from "../app/db/migrate.server";
import { completeRun, createRun, segmentRowOf } from "../app/models/segment-runs.server";
import { advanceWriteBack, startWriteBack } from "../app/services/write-back.server";
import { simulatorAdmin } from "../simulator/admin-client";
import { startSimulatorServer, type SimulatorServer } from "../simulator/server";
import { environmentNote, fmtN, fmtS, mdTable, parseArgs, TMP_DIR, writeResults } from "./run";

const DOMAIN = "write-back-bench.myshopify.com";
// The pass logs through the app's logger, which reads the app's validated configuration.
process.env.SHOPIFY_API_KEY ??= "bench";
process.env.SHOPIFY_API_SECRET ??= "bench";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:9";
process.env.LOG_LEVEL ??= "warn";
const DAY = 86_400_000;

interface Calls {
  total: number;
  byOperation: Record<string, number>;
  bulkOperations: { id: string; type: string; status: string; rootField: string | null; objectCount: number }[];
}

async function calls(sim: SimulatorServer): Promise<Calls> {
  return (await fetch(`${sim.url}/_sim/shops/${DOMAIN}/calls`)).json() as Promise<Calls>;
}

/** Stands in for bulk_operations/finish: resolves when the simulator says the operation ended. */
async function operationFinished(sim: SimulatorServer, id: string): Promise<void> {
  for (;;) {
    const op = (await calls(sim)).bulkOperations.find((o) => o.id === id);
    if (op && !["CREATED", "RUNNING", "CANCELING"].includes(op.status)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runPass(db: Db, sim: SimulatorServer, shopId: number, id: number) {
  const admin = simulatorAdmin(sim, DOMAIN);
  const t0 = performance.now();
  for (;;) {
    const step = await advanceWriteBack({ db, admin, shopId, writeBackId: id });
    if (step.done) break;
    const row = await db.writeBack.findUniqueOrThrow({ where: { id } });
    const waitingFor = row.status === "reading" ? row.snapshotOperationId : row.bulkOperationId;
    if (step.pollAfterMs > 0 && waitingFor) await operationFinished(sim, waitingFor);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, pass: await db.writeBack.findUniqueOrThrow({ where: { id } }) };
}

/** The per-customer path's floor on the plan: full bucket, then the restore rate. */
function perCustomerFloorSeconds(mutations: number, cost = 10, bucket = 2000, restore = 100): number {
  return Math.max(0, (mutations * cost - bucket) / restore);
}

async function main(): Promise<void> {
  const a = parseArgs();
  const customers = Number(a.get("customers") ?? 100_000);
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, `write-back-${customers}.db`);
  if (existsSync(file)) rmSync(file);
  await applyMigrations(`file:${file}`);
  const db = createDb(`file:${file}`);

  const sim = await startSimulatorServer({ apiSecret: "bench", appUrl: "http://127.0.0.1:9", shops: [{ domain: DOMAIN }], webhooks: { autoDeliver: false } });
  const shop = sim.simulator.shop(DOMAIN);
  const now = Date.now();
  const rows: TransactionRow[] = [];
  const ids: string[] = [];
  for (let i = 0; i < customers; i++) {
    const id = 200_000 + i;
    const tags = id % 97 === 0 ? Array.from({ length: 250 }, (_, k) => `m-${k + 1}`) : id % 7 === 0 ? ["wholesale"] : [];
    shop.createCustomer({ id, tags, silent: true });
    ids.push(String(id));
    for (let k = 0; k <= i % 3; k++) {
      rows.push({ customerId: String(id), orderId: `${id}-${k}`, processedAt: new Date(now - ((i * 37 + k * 101) % 720) * DAY - DAY).toISOString(), amountMilli: 5_000 + ((i * 7919 + k) % 400) * 1_000 });
    }
  }
  const shopId = (await db.shop.create({ data: { domain: DOMAIN, writeBackMode: "live" } })).id;
  for (let i = 0; i < ids.length; i += 5000) await db.customer.createMany({ data: ids.slice(i, i + 5000).map((shopifyId) => ({ shopId, shopifyId })) });

  // A real hybrid run of these customers (not timed).
  const features = computeRfmFeatures(rows, { asOf: new Date(now).toISOString().slice(0, 10) });
  const result = segmentCustomers(features, { seed: 42, algorithm: "hybrid" });
  const storeRun = async (model: typeof result.model) => {
    const runId = await createRun(db, shopId, { algorithm: "hybrid", asOf: new Date(now), params: {} });
    await completeRun(db, shopId, runId, { metrics: {}, model, plots: null, rows: (function* () { for (let i = 0; i < features.count; i++) yield segmentRowOf({ ...result, model }, features, i); })() });
    return runId;
  };
  const firstRun = await storeRun(result.model);
  const renamed = { ...result.model, segments: result.model.segments.map((s) => ({ ...s, name: `${s.name} (renamed)` })) };
  const secondRun = await storeRun(renamed);

  const measure = async (label: string, runId: number) => {
    await fetch(`${sim.url}/_sim/shops/${DOMAIN}/calls/reset`, { method: "POST" });
    const { seconds, pass } = await runPass(db, sim, shopId, (await startWriteBack(db, shopId, { kind: "refresh", runId }))!);
    const c = await calls(sim);
    const mutations = pass.tagsAdded + pass.tagsRemoved;
    const floor = perCustomerFloorSeconds(mutations);
    console.log(label, JSON.stringify({ seconds, requests: c.total, passRequests: pass.requests, byOperation: c.byOperation }));
    return { label, seconds, pass, calls: c, perCustomerFloorSeconds: floor };
  };
  const first = await measure("first write-back (additions)", firstRun);
  const second = await measure("every segment renamed (removals + additions)", secondRun);
  await sim.close();
  await db.$disconnect();

  const row = (m: Awaited<ReturnType<typeof measure>>): (string | number)[] => [
    m.label,
    fmtN(m.pass.customersChanged),
    `${m.pass.tagsRemoved.toLocaleString("en-US")} / ${m.pass.tagsAdded.toLocaleString("en-US")}`,
    m.pass.capped,
    m.calls.total,
    m.calls.bulkOperations.length,
    fmtS(m.seconds),
    fmtS(m.perCustomerFloorSeconds),
    `${(m.perCustomerFloorSeconds / m.seconds).toFixed(0)}×`,
  ];
  const md = [
    "# Tag write-back benchmark (`bench/write-back.bench.ts`)",
    "",
    `${fmtN(customers)} simulated customers (merchant tags ÷7 wholesale, ÷97 at the 250-tag cap), Standard plan (100 points/s, bucket 2,000), SQLite, a real hybrid run (${result.model.segments.length} segments). Each pass: read every customer's tags (bulk query), plan, write (bulk mutations: ≤ 20 MB files), sync the Shopify segments. The finish webhook is stood in for by the simulator's control API, so the Admin API counts are those of a webhook-woken pass.`,
    "",
    "Target: 100,000 changed customers in ≤ 10 Admin API requests for the tag write. Reference (same run, same plan): the per-customer path's floor, one 10-point tagsAdd/tagsRemove per customer and action after a full bucket.",
    "",
    mdTable(["pass", "customers changed", "tags removed / added", "capped (skipped)", "Admin API requests (all)", "bulk operations", "wall time", "per-customer floor", "speed-up"], [row(first), row(second)]),
    "",
    "Admin API requests by operation:",
    "",
    ...[first, second].map((m) => `- ${m.label}: ${Object.entries(m.calls.byOperation).map(([k, v]) => `${k} ${v}`).join(", ")}`),
    "",
    "The tag write itself is `StageBulkVariables` + `RunBulkMutation` + one `BulkOperationStatus` per file and action; the rest is the read of Shopify's tags (`RunBulkQuery` + its status) and the segment sync (one `SegmintSegment*` per segment that changed).",
  ].join("\n");
  writeResults("write-back", md, { customers, environment: environmentNote(), passes: [first, second].map((m) => ({ label: m.label, seconds: m.seconds, pass: m.pass, calls: m.calls, perCustomerFloorSeconds: m.perCustomerFloorSeconds })) });
  console.log(md);
}

await main();
