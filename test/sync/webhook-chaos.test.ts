// 10,000 webhook deliveries with 5 % duplicates, 10 % out of order, 1 % bad HMAC and 1 % malformed
// JSON, sent over real HTTP with real signatures to the real app process. Refused deliveries are
// lost events, as with Shopify; the reconciliation job heals them, after which the database equals
// a backfill of the same store.
import { afterAll, beforeAll, expect, it } from "vitest";
import { JOB } from "../../app/queue/job-types";
import { enqueue, overrideJobQueue } from "../../app/queue/queue.server";
import { advanceBackfill, beginBackfill } from "../../app/services/backfill.server";
import type { Delivery } from "../../simulator/webhooks";
import { waitFor } from "../support/wait-for";
import { syncedOrders } from "../support/compare-stores";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { describeEachQueueBackend } from "../support/queue-backends";
import { simulatorAdmin } from "../../simulator/admin-client";
import { DEMO_SHOP, startSyncRig, type SyncRig } from "../support/sync-harness";

const ORIGINALS = 9524; // + 476 duplicates = 10,000 deliveries

describeEachQueueBackend("webhook chaos", ({ provider, backend }) => {
  let rig: SyncRig;
  let sent: Delivery[] = [];
  let reference: TestDatabase;
  let ingestSeconds = 0;

  beforeAll(async () => {
    rig = await startSyncRig(provider, {
      // A Shopify Plus cost bucket (1,000 points/s): this test is about delivery chaos, and
      // test/sync/throttling.test.ts covers the Standard plan's limits.
      simulator: {
        shops: [{ domain: DEMO_SHOP }],
        webhooks: { autoDeliver: false, seed: 7 },
        throttle: { maximumAvailable: 20_000, restoreRate: 1_000 },
      },
      install: false,
      startApp: false,
      queueBackend: backend,
    });
    const shop = rig.sim.simulator.shop(DEMO_SHOP);
    // Install after the shop exists but before any activity: no backfill needed (empty store).
    await rig.db.shop.create({ data: { domain: DEMO_SHOP } });
    // A workload producing exactly ORIGINALS events.
    // The catalogue exists before the workload (silent: no products/create): the chaos is about orders and customers.
    const products = Array.from({ length: 40 }, (_, i) => shop.createProduct({ title: `Product ${i}`, priceCents: 199 + i * 37, sku: `SKU${i}`, silent: true }));
    const customers = Array.from({ length: 300 }, () => shop.createCustomer());
    const orders = [];
    for (let i = 0; i < 2500; i++) {
      const lines = [0, 1, 2].slice(0, 1 + (i % 3)).map((k) => ({ variantId: products[(i * 7 + k * 13) % 40]!.variants[0]!.id, quantity: 1 + ((i + k) % 4) }));
      orders.push(shop.createOrder({ customerId: i % 9 === 0 ? null : customers[i % 300]!.id, lines }));
    }
    for (let i = 0; i < 1000; i++) {
      const o = orders[(i * 17) % 2500]!;
      shop.refundOrder(o.id, { lines: [{ lineItemId: o.lineItems[0]!.id, quantity: 1 }] });
    }
    let events = 300 + 2500 * 2 + 1000 * 2;
    for (let i = 0; events < ORIGINALS; i++, events++) shop.updateOrder(orders[(i * 31) % 2500]!.id, { tags: [`t${i}`] });
    expect(rig.sim.simulator.webhooks.pendingCount).toBe(ORIGINALS);

    await rig.startApp();
    const started = Date.now();
    sent = await rig.sim.simulator.flushWebhooks({
      duplicateRate: 476 / ORIGINALS,
      outOfOrderRate: 0.1,
      outOfOrderWindow: 50,
      badHmacRate: 95 / ORIGINALS,
      malformedJsonRate: 95 / ORIGINALS,
    });
    ingestSeconds = (Date.now() - started) / 1000;
    await waitFor("the inbox to drain", async () => {
      const pending = await rig.db.webhookEvent.count({ where: { status: "received" } });
      const jobs = await rig.db.job.count({ where: { type: JOB.processWebhooks, status: { in: ["queued", "running"] } } });
      return pending === 0 && jobs === 0 ? true : undefined;
    }, 300_000, 500);

    // The reference: a backfill of the same store into a database of its own (queued on the
    // table there: the rig's pg-boss lives in the rig's database).
    reference = await createTestDatabase(provider);
    const refShop = await reference.db.shop.create({ data: { domain: DEMO_SHOP } });
    overrideJobQueue(null);
    await beginBackfill(reference.db, refShop.id);
    rig.sim.simulator.webhooks.clearLog();
    const admin = simulatorAdmin(rig.sim, DEMO_SHOP);
    for (;;) {
      const step = await advanceBackfill({ db: reference.db, admin, shopId: refShop.id });
      if (step.done) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    overrideJobQueue(rig.queue);
  }, 900_000);

  afterAll(async () => {
    await reference?.drop();
    await rig?.close();
  });

  it("sends 10,000 deliveries and refuses exactly the bad ones", () => {
    expect(sent).toHaveLength(10_000);
    const bad = sent.filter((d) => d.corruption === "bad-hmac");
    const malformed = sent.filter((d) => d.corruption === "malformed-json");
    expect(bad).toHaveLength(95);
    expect(malformed).toHaveLength(95);
    expect(bad.every((d) => d.status === 401)).toBe(true);
    expect(malformed.every((d) => d.status === 400)).toBe(true);
    expect(sent.filter((d) => d.corruption === null).every((d) => d.status === 200)).toBe(true);
    console.log(`[${provider}+${backend}] 10,000 deliveries answered in ${ingestSeconds.toFixed(1)} s (${(10_000 / ingestSeconds).toFixed(0)}/s, sequential)`);
  });

  it("writes each event to the inbox once, and nothing for refused deliveries", async () => {
    const accepted = new Set(sent.filter((d) => d.status === 200).map((d) => d.eventId));
    expect(await rig.db.webhookEvent.count()).toBe(accepted.size);
    expect(await rig.db.webhookEvent.count({ where: { status: "failed" } })).toBe(0);
  });

  it("stores every order whose latest delivery arrived with that latest state", async () => {
    const latest = new Map<string, { updatedAt: string; ok: boolean }>();
    for (const d of sent.filter((x) => x.topic.startsWith("orders/") && x.kind === "original")) {
      const body = d.corruption === "malformed-json" ? null : (JSON.parse(d.body) as { id: number; updated_at: string });
      if (!body) continue;
      const prev = latest.get(String(body.id));
      if (!prev || prev.updatedAt <= body.updated_at) latest.set(String(body.id), { updatedAt: body.updated_at, ok: d.status === 200 });
    }
    const stored = new Map((await syncedOrders(rig.db, DEMO_SHOP)).map((o) => [o.id as string, o]));
    let checked = 0;
    for (const [id, l] of latest) {
      if (!l.ok) continue;
      expect(stored.get(id)?.updatedAt, id).toBe(new Date(l.updatedAt).toISOString());
      checked++;
    }
    expect(checked).toBeGreaterThan(2400);
  });

  it("after the reconciliation job, equals a backfill of the same store", async () => {
    const before = await syncedOrders(rig.db, DEMO_SHOP);
    const backfilled = await syncedOrders(reference.db, DEMO_SHOP);
    expect(backfilled).toHaveLength(2500);
    // Refused deliveries lost some events: the stores differ until reconciliation.
    expect(before).not.toEqual(backfilled);
    const shop = await rig.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    await enqueue(rig.db, { type: JOB.reconcile, shopId: shop.id, payload: { onDemand: true } });
    await waitFor("reconciliation", async () => {
      const jobs = await rig.db.job.findMany({ where: { type: JOB.reconcile } });
      const failed = jobs.find((j) => j.status === "failed");
      if (failed) throw new Error(`reconcile failed: ${failed.lastError}`);
      return jobs.length > 0 && jobs.every((j) => j.status === "succeeded") ? true : undefined;
    });
    expect(await syncedOrders(rig.db, DEMO_SHOP)).toEqual(backfilled);
  });
});
