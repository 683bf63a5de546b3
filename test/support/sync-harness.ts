// The full sync rig: the Shopify simulator over HTTP, a migrated database, the shop installed
// (offline session + install hook), and the real app process answering webhooks and running jobs.
import type { Db } from "../../app/db.server";
import { onShopInstalled } from "../../app/services/install.server";
import { startSimulatorServer, type SimulatorServer, type SimulatorServerOptions } from "../../simulator/server";
import { freePort, startAppProcess, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../../scripts/support/app-process";
import { createTestDatabase, type TestDatabase } from "./databases";
import type { DatabaseProvider } from "../../prisma/provider";
import { overrideJobQueue } from "../../app/queue/queue.server";
import type { JobQueue } from "../../app/queue/job-queue";
import { createQueueFor, type QueueBackend } from "./queue-backends";

export const DEMO_SHOP = "segmint-demo.myshopify.com";

export interface SyncRig {
  sim: SimulatorServer;
  t: TestDatabase;
  db: Db;
  app: AppProcess | null;
  appPort: number;
  /** The queue the test process enqueues through (null: the table, the default). */
  queue: JobQueue | null;
  startApp(options?: { entry?: "server" | "worker"; env?: Record<string, string> }): Promise<AppProcess>;
  close(): Promise<void>;
}

export async function startSyncRig(
  provider: DatabaseProvider,
  o: {
    simulator?: Omit<SimulatorServerOptions, "apiKey" | "apiSecret" | "appUrl">;
    install?: boolean;
    startApp?: boolean;
    /** The app processes' queue backend (QUEUE_BACKEND); the test process enqueues through it too. */
    queueBackend?: QueueBackend;
  } = {},
): Promise<SyncRig> {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sim = await startSimulatorServer({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl, ...o.simulator });
  const t = await createTestDatabase(provider);
  const db = t.db;
  const backend = o.queueBackend ?? "table";
  const testQueue = backend === "table" ? null : createQueueFor(backend, t);
  overrideJobQueue(testQueue);
  for (const domain of sim.simulator.shopDomains()) {
    await db.session.create({
      data: {
        id: `offline_${domain}`,
        shop: domain,
        state: "installed",
        isOnline: false,
        accessToken: sim.simulator.accessToken(domain),
        scope: "read_orders,read_all_orders,read_customers,write_customers,read_products,write_app_proxy",
      },
    });
    if (o.install !== false) await onShopInstalled(db, domain, undefined);
  }
  const processes: AppProcess[] = [];
  const rig: SyncRig = {
    sim,
    t,
    db,
    app: null,
    appPort,
    queue: testQueue,
    async startApp(options = {}) {
      // Only web processes listen; a worker gets a port it never opens.
      const port = options.entry === "worker" ? await freePort() : appPort;
      const env = { ...(backend === "table" ? {} : { QUEUE_BACKEND: backend }), ...options.env };
      const started = await startAppProcess({ databaseUrl: t.url, simulatorUrl: sim.url, port, ...options, env });
      processes.push(started);
      if (options.entry !== "worker") rig.app = started;
      return started;
    },
    async close() {
      for (const p of processes) await p.stop();
      overrideJobQueue(null);
      await testQueue?.stop();
      await sim.close();
      await t.drop();
    },
  };
  if (o.startApp !== false) await rig.startApp();
  return rig;
}
