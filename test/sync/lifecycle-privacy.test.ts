// Uninstall and the GDPR webhooks, end to end: signed deliveries from the simulator to the app
// process, processed by jobs; afterwards every table is scanned.
import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { JOB } from "../../app/queue/job-types";
import { enqueue } from "../../app/queue/queue.server";
import { waitFor } from "../support/wait-for";
import { describeEachQueueBackend } from "../support/queue-backends";
import { DEMO_SHOP, startSyncRig, type SyncRig } from "../support/sync-harness";

const OTHER_SHOP = "other-shop.myshopify.com";

/** Rows per table matching `where` (only tables that have the named column). */
async function rowsWith(db: Db, column: string, value: unknown): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const model of Prisma.dmmf.datamodel.models) {
    if (!model.fields.some((f) => f.name === column)) continue;
    const delegate = (db as unknown as Record<string, { count(args: unknown): Promise<number> }>)[model.name[0]!.toLowerCase() + model.name.slice(1)]!;
    out[model.name] = await delegate.count({ where: { [column]: value } });
  }
  return out;
}

const allZero = (counts: Record<string, number>) => Object.fromEntries(Object.keys(counts).map((k) => [k, 0]));

describeEachQueueBackend("uninstall and GDPR webhooks", ({ provider, backend }) => {
  let rig: SyncRig;
  let alice: number; // Shopify customer ids
  let bob: number;
  let shopId: number;

  /** Waits until `count` deliveries of `topic` were answered and the app has processed its inbox. */
  async function settled(topic: string, count = 1): Promise<void> {
    await waitFor(`${topic} to be delivered and processed`, async () => {
      if (rig.sim.simulator.webhooks.deliveries().filter((d) => d.topic === topic && d.status !== null).length < count) return undefined;
      const pending = await rig.db.webhookEvent.count({ where: { status: "received" } });
      const jobs = await rig.db.job.count({ where: { type: JOB.processWebhooks, status: { in: ["queued", "running"] } } });
      return pending === 0 && jobs === 0 ? true : undefined;
    });
  }

  beforeAll(async () => {
    rig = await startSyncRig(provider, { simulator: { shops: [{ domain: DEMO_SHOP }, { domain: OTHER_SHOP }] }, queueBackend: backend });
    for (const domain of [DEMO_SHOP, OTHER_SHOP]) {
      const s = rig.sim.simulator.shop(domain);
      const p = s.createProduct({ title: "Mug", priceCents: 850 });
      const c1 = s.createCustomer();
      const c2 = s.createCustomer();
      for (let i = 0; i < 3; i++) s.createOrder({ customerId: c1.id, lines: [{ variantId: p.variants[0]!.id, quantity: 1 + i }] });
      s.createOrder({ customerId: c2.id, lines: [{ variantId: p.variants[0]!.id, quantity: 5 }] });
      if (domain === DEMO_SHOP) [alice, bob] = [c1.id, c2.id];
    }
    await settled("orders/paid", 8);
    await waitFor("both install backfills", async () =>
      (await rig.db.syncRun.count({ where: { kind: "backfill", status: "completed" } })) === 2 ? true : undefined,
    );
    shopId = (await rig.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } })).id;
    // A completed backfill queues a segment refresh (in the same transaction). What it stores
    // depends on how many of the orders the backfill saw; this test's derived data is the
    // hand-made run below, so it waits for the refreshes and starts from no run.
    await waitFor("the refreshes after the backfills, and their write-back passes", async () =>
      (await rig.db.job.count({ where: { type: { in: [JOB.refreshSegments, JOB.writeBack] }, status: { in: ["queued", "running"] } } })) === 0 ? true : undefined,
    );
    await rig.db.segmentRun.deleteMany({ where: { shopId } }); // their passes and planned writes cascade
    // Derived data a segmentation run and a tag write-back leave behind.
    const run = await rig.db.segmentRun.create({ data: { shopId, algorithm: "kmeans", asOf: new Date(), status: "completed" } });
    for (const c of await rig.db.customer.findMany({ where: { shopId } })) {
      await rig.db.customerSegment.create({
        data: { shopId, runId: run.id, customerId: c.id, segmentKey: "s1", cluster: 0, recencyDays: 1, frequency: 3, monetaryMilli: 1000n, rScore: 5, fScore: 5, mScore: 5, rfmGroup: "Champions", explanation: "bought recently" },
      });
      await rig.db.tagWrite.create({ data: { shopId, customerId: c.id, tag: "segmint:champions", action: "add", mode: "live", runId: run.id } });
    }
    // A live pass naming both customers, a queued live re-assignment, and a Shopify segment link.
    await rig.db.writeBack.create({ data: { shopId, runId: run.id, kind: "live", mode: "live", status: "completed", scope: JSON.stringify([String(alice), String(bob)]) } });
    await enqueue(rig.db, { type: JOB.assignCustomers, shopId, runAt: new Date(Date.now() + 3_600_000), payload: { customerIds: [String(alice)] } });
    await rig.db.shopifySegment.create({ data: { shopId, segmentKey: "s1", shopifyId: "gid://shopify/Segment/1", name: "Segmint · Champions", query: "customer_tags CONTAINS 'segmint:champions'" } });
  }, 300_000);
  afterAll(async () => rig?.close());

  it("stored both shops' orders from webhooks", async () => {
    expect(await rig.db.order.count({ where: { shopId } })).toBe(4);
    expect(await rig.db.order.count()).toBe(8);
  });

  it("each completed backfill queued one segment refresh, which ran and stored a completed run", async () => {
    const refreshes = await rig.db.job.findMany({ where: { type: JOB.refreshSegments } });
    expect(refreshes.map((j) => j.status)).toEqual(["succeeded", "succeeded"]);
    expect(new Set(refreshes.map((j) => j.shopId)).size).toBe(2);
    const other = await rig.db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    expect(await rig.db.segmentRun.count({ where: { shopId: other.id, status: "completed" } })).toBe(1);
  });

  it("customers/data_request records what Segmint holds, ids and facts only", async () => {
    rig.sim.simulator.sendCompliance(DEMO_SHOP, "customers/data_request", { customerId: alice });
    await settled("customers/data_request");
    const request = await rig.db.dataRequest.findFirstOrThrow({ where: { shopId, customerShopifyId: String(alice) } });
    const report = JSON.parse(request.report) as { orders: unknown[]; segments: { rfmGroup: string }[]; tagHistory: { tag: string }[] };
    expect(report.orders).toHaveLength(3);
    expect(report.segments[0]?.rfmGroup).toBe("Champions");
    expect(report.tagHistory[0]?.tag).toBe("segmint:champions");
    expect(request.report).not.toMatch(/email|phone|name|address/i);
  });

  it("customers/redact deletes the customer's orders, lines, segments and tag history — nothing else", async () => {
    const customer = await rig.db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: String(alice) } } });
    const orderIds = (await rig.db.order.findMany({ where: { customerId: customer.id } })).map((o) => o.id);
    expect(orderIds).toHaveLength(3);
    rig.sim.simulator.sendCompliance(DEMO_SHOP, "customers/redact", { customerId: alice });
    await settled("customers/redact");
    expect(await rowsWith(rig.db, "customerId", customer.id)).toEqual(allZero(await rowsWith(rig.db, "customerId", customer.id)));
    expect(await rowsWith(rig.db, "orderId", { in: orderIds })).toEqual({ OrderLine: 0, Refund: 0, Anomaly: 0 });
    expect(await rig.db.customer.count({ where: { id: customer.id } })).toBe(0);
    expect(await rig.db.dataRequest.count({ where: { customerShopifyId: String(alice) } })).toBe(0);
    // Her id is gone from every list that named her: write-back scopes and queued jobs.
    expect(await rig.db.writeBack.count({ where: { scope: { contains: `"${alice}"` } } })).toBe(0);
    expect(await rig.db.job.count({ where: { payload: { contains: `"${alice}"` } } })).toBe(0);
    expect((await rig.db.writeBack.findFirstOrThrow({ where: { shopId, kind: "live" } })).scope).toBe(JSON.stringify([String(bob)]));
    // Bob and the other shop are untouched.
    const bobRow = await rig.db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: String(bob) } } });
    expect(await rig.db.order.count({ where: { customerId: bobRow.id } })).toBe(1);
    expect(await rig.db.customerSegment.count({ where: { customerId: bobRow.id } })).toBe(1);
    expect(await rig.db.tagWrite.count({ where: { customerId: bobRow.id } })).toBe(1);
    expect(await rig.db.order.count({ where: { shop: { domain: OTHER_SHOP } } })).toBe(4);
  });

  it("app/uninstalled deletes sessions, marks the shop inactive and cancels its jobs", async () => {
    const waiting = await enqueue(rig.db, { type: JOB.reconcile, shopId, runAt: new Date(Date.now() + 3_600_000), payload: { onDemand: true } });
    rig.sim.simulator.uninstall(DEMO_SHOP);
    await settled("app/uninstalled");
    expect(await rig.db.session.count({ where: { shop: DEMO_SHOP } })).toBe(0);
    expect(await rig.db.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    const shop = await rig.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop.installState).toBe("uninstalled");
    expect(shop.uninstalledAt).not.toBeNull();
    expect((await rig.db.job.findUniqueOrThrow({ where: { id: waiting! } })).status).toBe("cancelled");
    if (backend === "pg-boss") {
      // The dispatcher agrees with the ledger: nothing of the shop is left to run in pg-boss (the
      // drain that cancelled the rest settles its own pg-boss job just after its ledger row).
      const left = await waitFor("pg-boss to hold nothing of the shop to run", async () => {
        const rows = await rig.db.$queryRawUnsafe<{ state: string }[]>(`SELECT state::text FROM pgboss.job WHERE group_id = $1 AND state < 'completed'`, String(shopId));
        return rows.length === 0 ? rows : undefined;
      }, 5_000, 100);
      expect(left).toEqual([]);
    }
    // Per-customer derived data goes now: every run's customer rows, write history, passes.
    expect(await rig.db.customerSegment.count({ where: { shopId } })).toBe(0);
    expect(await rig.db.tagWrite.count({ where: { shopId } })).toBe(0);
    expect(await rig.db.writeBack.count({ where: { shopId } })).toBe(0);
    // Business data stays until shop/redact.
    expect(await rig.db.order.count({ where: { shopId } })).toBe(1);
  });

  it("shop/redact deletes every row of the shop in every table, and only that shop's", async () => {
    const other = await rig.db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const otherBefore = await rowsWith(rig.db, "shopId", other.id);
    rig.sim.simulator.sendCompliance(DEMO_SHOP, "shop/redact");
    await waitFor("the shop row to go", async () => ((await rig.db.shop.count({ where: { domain: DEMO_SHOP } })) === 0 ? true : undefined));
    const after = await rowsWith(rig.db, "shopId", shopId);
    expect(Object.keys(after).length).toBeGreaterThanOrEqual(12);
    expect(after).toEqual(allZero(after));
    expect(await rig.db.session.count({ where: { shop: DEMO_SHOP } })).toBe(0);
    expect(await rowsWith(rig.db, "shopId", other.id)).toEqual(otherBefore);
  });
});
