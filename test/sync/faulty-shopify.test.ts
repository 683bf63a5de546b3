// A whole sync against a throttled and failing Shopify: the backfill (bulk export) and a
// reconciliation pass complete through backoff, with the Standard plan's bucket.
import { afterAll, beforeAll, expect, it } from "vitest";
import { advanceBackfill, beginBackfill } from "../../app/services/backfill.server";
import { reconcileOrders } from "../../app/services/reconcile.server";
import { startSimulatorServer, type SimulatorServer } from "../../simulator/server";
import { syncedOrders } from "../support/compare-stores";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { simulatorAdmin } from "../../simulator/admin-client";

const DOMAIN = "faulty.myshopify.com";

describeEachDatabase("sync against a failing Shopify", (provider) => {
  let sim: SimulatorServer;
  let t: TestDatabase;
  beforeAll(async () => {
    sim = await startSimulatorServer({ apiSecret: "s", appUrl: "http://127.0.0.1:9", shops: [{ domain: DOMAIN }], webhooks: { autoDeliver: false } });
    const shop = sim.simulator.shop(DOMAIN);
    const products = Array.from({ length: 10 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 100 + i }));
    const customers = Array.from({ length: 30 }, () => shop.createCustomer());
    // History: orders placed (and last updated) two days ago.
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    for (let i = 0; i < 300; i++) {
      shop.createOrder(
        {
          customerId: i % 5 === 0 ? null : customers[i % 30]!.id,
          processedAt: twoDaysAgo + i * 1000,
          lines: Array.from({ length: 1 + (i % 25) }, (_, k) => ({ variantId: products[(i + k) % 10]!.variants[0]!.id, quantity: 1 + (k % 3) })),
        },
        { silent: true },
      );
    }
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
    await sim?.close();
  });

  it("backfills through 503s, a 429 and THROTTLED responses", async () => {
    const shop = await t.db.shop.create({ data: { domain: DOMAIN } });
    await beginBackfill(t.db, shop.id);
    sim.simulator.faults(DOMAIN).failNext(503, 2).throttleNext(2).failNext(429, 1, { retryAfter: 1 });
    const admin = simulatorAdmin(sim, DOMAIN);
    let steps = 0;
    for (;;) {
      const step = await advanceBackfill({ db: t.db, admin, shopId: shop.id });
      steps++;
      if (step.done) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await t.db.syncRun.findFirstOrThrow({ where: { shopId: shop.id, kind: "backfill" } });
    expect(run.status).toBe("completed");
    expect(await t.db.order.count()).toBe(300);
    expect(await t.db.orderLine.count()).toBe(Array.from({ length: 300 }, (_, i) => 1 + (i % 25)).reduce((a, b) => a + b));
    expect(steps).toBeGreaterThan(1);
  });

  it("reconciles changed orders through a drained bucket and 502s", async () => {
    const state = sim.simulator.shop(DOMAIN);
    // Today: 40 of them are refunded; reconciliation must fetch exactly those.
    const orders = [...state.orders.values()].slice(0, 40);
    for (const o of orders) state.refundOrder(o.id, { lines: [{ lineItemId: o.lineItems[0]!.id, quantity: 1 }] });
    sim.simulator.faults(DOMAIN).failNext(502, 2);
    const shop = await t.db.shop.findUniqueOrThrow({ where: { domain: DOMAIN } });
    await t.db.shop.update({ where: { id: shop.id }, data: { lastReconciledAt: new Date(Date.now() - 3_600_000) } });
    const admin = simulatorAdmin(sim, DOMAIN);
    const result = await reconcileOrders(t.db, admin, shop.id);
    expect(result.seen).toBe(40);
    expect(result.applied).toBe(40);
    expect(await t.db.refund.count()).toBe(40);
    // Orders with more lines than the first page were completed by ORDER_LINE_ITEMS.
    const stored = await syncedOrders(t.db, DOMAIN);
    const big = stored.find((o) => (o.lines as string[]).length > 10);
    expect(big).toBeDefined();
    expect(admin.throttle).not.toBeNull();
  }, 180_000);
});
