// Measures a full bulk export of the seeded Online Retail shop with the app's backfill query
// (`ordersBulkQuery()`, app/shopify/graphql/bulk-orders-export.ts). Not part of `npm run bench`
// (not a *.bench.ts): run by hand, one process per run.
//   npx tsx --expose-gc bench/simulator-bulk-export.ts [fast|graphql-js] [--check]
// Prints the export's wall time and CPU time (user + system, less sensitive to a busy machine)
// (bulkOperationRunQuery → COMPLETED with a FakeClock, i.e. the simulator's own work), the peak
// RSS sampled during the export, the RSS before it (seeded shop) and the result size. `--check`
// also reads the file back (line and parent counts).
import { PerformanceObserver } from "node:perf_hooks";
import { ordersBulkQuery } from "../app/shopify/graphql";
import type { BulkExecutor } from "../simulator/bulk";
import { FakeClock } from "../simulator/clock";
import { seedOnlineRetail } from "../simulator/seed-online-retail";
import { ShopifySimulator } from "../simulator/simulator";

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const executor = (process.argv[2] ?? "fast") as BulkExecutor;
  const check = process.argv.includes("--check");
  const sim = new ShopifySimulator({ clock: new FakeClock("2026-11-01T00:00:00Z"), bulk: { executor } });
  const seeded = await seedOnlineRetail(sim);
  const domain = seeded.shop.domain;
  // Warm the schema / prepared-document caches so the export measures execution only.
  await sim.graphql(domain, "{ shop { id } }");
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let gcMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const res = await sim.graphql(domain, "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: ordersBulkQuery() });
  const id = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
  // runBulkOperations() is synchronous: sample RSS from the bulk tick itself as well.
  const originalTick = sim.bulk.tick.bind(sim.bulk);
  sim.bulk.tick = () => {
    originalTick();
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  sim.runBulkOperations();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the gc observer report
  gcObserver.disconnect();
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const status = (await sim.graphql(domain, "query S($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount fileSize url } }", { id })).data as {
    bulkOperation: { status: string; objectCount: string; rootObjectCount: string; fileSize: string; url: string };
  };
  const out: Record<string, unknown> = {
    executor,
    exportMs: Math.round(ms),
    exportCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    exportGcMs: Math.round(gcMs),
    rssBeforeMB: Math.round(rssBefore / MB),
    peakRssMB: Math.round(peak / MB),
    exportRssMB: Math.round((peak - rssBefore) / MB),
    status: status.bulkOperation.status,
    objectCount: Number(status.bulkOperation.objectCount),
    rootObjectCount: Number(status.bulkOperation.rootObjectCount),
    fileSizeMB: Math.round((Number(status.bulkOperation.fileSize) / MB) * 10) / 10,
  };
  if (check) {
    const response = await sim.fetch(status.bulkOperation.url);
    const text = await response.text();
    const lines = text.trimEnd().split("\n");
    out.lines = lines.length;
    out.children = lines.filter((l) => l.includes('"__parentId"')).length;
  }
  console.log(JSON.stringify(out));
}

void main();
