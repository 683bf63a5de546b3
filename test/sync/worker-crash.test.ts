// kill -9 in the middle of a backfill: a restarted process completes it with no loss and no
// duplicates. SQLite: the app process runs jobs itself (sole runner, recovers at start).
// PostgreSQL: scale mode, a worker process is killed and a new worker takes over by lease — on the
// table queue (the lease in the Job row) and on pg-boss (the job's heartbeat stops; pg-boss retries
// it, the ledger row taken over without counting an attempt).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SyncRun } from "@prisma/client";
import type { AppProcess } from "../../scripts/support/app-process";
import { waitFor } from "../support/wait-for";
import { syncedOrders } from "../support/compare-stores";
import { describeEachQueueBackend } from "../support/queue-backends";
import { DEMO_SHOP, startSyncRig, type SyncRig } from "../support/sync-harness";

const ORDERS = 6000;
const LINES_PER_ORDER = 20;

describeEachQueueBackend("kill -9 during the backfill", ({ provider, backend }) => {
  let rig: SyncRig;
  let killedAt: SyncRun;
  const scale = provider === "postgresql";
  const env: Record<string, string> = scale ? { JOB_RUNNER: "workers", JOB_LEASE_MS: "2000" } : {};

  beforeAll(async () => {
    rig = await startSyncRig(provider, { simulator: { shops: [{ domain: DEMO_SHOP }], webhooks: { autoDeliver: false } }, install: false, startApp: false, queueBackend: backend });
    const shop = rig.sim.simulator.shop(DEMO_SHOP);
    const products = Array.from({ length: 50 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 100 + i }));
    const customers = Array.from({ length: 500 }, () => shop.createCustomer({ silent: true }));
    const start = Date.now() - 30 * 86_400_000;
    for (let i = 0; i < ORDERS; i++) {
      shop.createOrder(
        {
          customerId: customers[i % 500]!.id,
          processedAt: start + i * 60_000,
          lines: Array.from({ length: LINES_PER_ORDER }, (_, k) => ({ variantId: products[(i + k) % 50]!.variants[0]!.id, quantity: 1 + (k % 4) })),
        },
        { silent: true },
      );
    }
    const { onShopInstalled } = await import("../../app/services/install.server");
    await onShopInstalled(rig.db, DEMO_SHOP, undefined);

    let victim: AppProcess;
    if (scale) {
      await rig.startApp({ env });
      victim = await rig.startApp({ entry: "worker", env });
    } else {
      victim = await rig.startApp();
    }
    // Kill it while it is writing lines (pass 2 has committed some batches, not all).
    killedAt = await waitFor("the backfill to be half-way through its lines", async () => {
      const run = await rig.db.syncRun.findFirst({ where: { kind: "backfill" } });
      if (run?.status === "completed") throw new Error("the backfill finished before it could be killed; make the store bigger");
      return run && run.resumeLine > 0 ? run : undefined;
    }, 300_000, 10);
    await victim.kill9();
    expect(await rig.db.job.count({ where: { type: "backfill", status: "running" } })).toBe(1);
    // Restart: a new process (SQLite: the app; PostgreSQL: another worker).
    if (scale) await rig.startApp({ entry: "worker", env });
    else await rig.startApp();
    await waitFor("the backfill to complete after the restart", async () => {
      const run = await rig.db.syncRun.findFirst({ where: { kind: "backfill" } });
      if (run?.status === "failed") throw new Error(run.error ?? "failed");
      return run?.status === "completed" ? run : undefined;
    }, 300_000);
  }, 700_000);
  afterAll(async () => rig?.close());

  it("was killed mid-way", () => {
    expect(killedAt.resumeLine).toBeGreaterThan(0);
  });

  it("completes with every order and line exactly once", async () => {
    expect(await rig.db.order.count()).toBe(ORDERS);
    expect(await rig.db.orderLine.count()).toBe(ORDERS * LINES_PER_ORDER);
    const stored = await syncedOrders(rig.db, DEMO_SHOP);
    expect(stored.every((o) => (o.lines as string[]).length === LINES_PER_ORDER)).toBe(true);
    expect(await rig.db.syncRun.count({ where: { kind: "backfill" } })).toBe(1); // resumed, not started again
    const job = await rig.db.job.findFirstOrThrow({ where: { type: "backfill", status: "succeeded" } });
    expect(job.attempts).toBeLessThanOrEqual(2);
  });
});
