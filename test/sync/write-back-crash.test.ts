// kill -9 in the middle of a live write-back, with the real app process: install → backfill →
// refresh → write-back pass, all queued and run by the app's jobs. The pass is killed while it
// writes tags one customer at a time; a restarted process finishes it with every customer
// carrying exactly its desired tag and at most one batch of mutations repeated.
import { afterAll, beforeAll, expect, it } from "vitest";
import { segmentTags } from "../../app/domain/tags";
import { runAssignments, runModel } from "../../app/models/segment-runs.server";
import type { AppProcess } from "../../scripts/support/app-process";
import { waitFor } from "../support/wait-for";
import { describeEachDatabase } from "../support/databases";
import { DEMO_SHOP, startSyncRig, type SyncRig } from "../support/sync-harness";

const CUSTOMERS = 1500;
/** Customers per commit of the per-customer path (services/write-back.server.ts). */
const CUSTOMER_BATCH = 25;

describeEachDatabase("kill -9 during a live write-back", (provider) => {
  let rig: SyncRig;
  let okAtKill = 0;
  let shopId: number;
  const scale = provider === "postgresql";
  const env: Record<string, string> = scale ? { JOB_RUNNER: "workers", JOB_LEASE_MS: "2000" } : {};

  beforeAll(async () => {
    rig = await startSyncRig(provider, {
      // A Plus-sized bucket: the per-customer path runs fast enough to be caught mid-way.
      simulator: { shops: [{ domain: DEMO_SHOP }], throttle: { restoreRate: 1000, maximumAvailable: 20_000 } },
      install: false,
      startApp: false,
    });
    const shop = rig.sim.simulator.shop(DEMO_SHOP);
    const products = Array.from({ length: 10 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 300 + 400 * i }));
    const now = Date.now();
    for (let i = 0; i < CUSTOMERS; i++) {
      const c = shop.createCustomer({ tags: i % 7 === 0 ? ["wholesale"] : [], silent: true });
      for (let k = 0; k <= i % 3; k++) {
        shop.createOrder(
          { customerId: c.id, processedAt: now - ((i * 13 + k * 41) % 400) * 86_400_000 - 86_400_000, lines: [{ variantId: products[(i + k) % 10]!.variants[0]!.id, quantity: 1 + (i % 5) }] },
          { silent: true },
        );
      }
    }
    const { onShopInstalled } = await import("../../app/services/install.server");
    await onShopInstalled(rig.db, DEMO_SHOP, undefined);
    // The merchant opted in to writes; every diff goes one customer at a time.
    shopId = (await rig.db.shop.update({ where: { domain: DEMO_SHOP }, data: { writeBackMode: "live", bulkThreshold: 1_000_000 } })).id;

    let victim: AppProcess;
    if (scale) {
      await rig.startApp({ env });
      victim = await rig.startApp({ entry: "worker", env });
    } else {
      victim = await rig.startApp();
    }
    okAtKill = await waitFor(
      "the write-back to be part-way through its customers",
      async () => {
        const pass = await rig.db.writeBack.findFirst({ where: { shopId, kind: "refresh" } });
        if (pass?.status === "completed") throw new Error("the write-back finished before it could be killed; make the store bigger");
        if (pass?.status !== "writing") return undefined;
        const ok = await rig.db.tagWrite.count({ where: { writeBackId: pass.id, result: "ok" } });
        return ok >= 100 ? ok : undefined;
      },
      300_000,
      10,
    );
    await victim.kill9();
    if (scale) await rig.startApp({ entry: "worker", env });
    else await rig.startApp();
    await waitFor(
      "the write-back to complete after the restart",
      async () => {
        const pass = await rig.db.writeBack.findFirst({ where: { shopId, kind: "refresh" } });
        if (pass?.status === "failed") throw new Error(pass.error ?? "failed");
        return pass?.status === "completed" ? pass : undefined;
      },
      300_000,
    );
  }, 700_000);
  afterAll(async () => rig?.close());

  it("was killed part-way", async () => {
    const pass = await rig.db.writeBack.findFirstOrThrow({ where: { shopId, kind: "refresh" } });
    expect(okAtKill).toBeGreaterThan(0);
    expect(okAtKill).toBeLessThan(pass.customersChanged);
  });

  it("finishes with every customer carrying exactly its desired tag, merchant tags untouched", async () => {
    const pass = await rig.db.writeBack.findFirstOrThrow({ where: { shopId, kind: "refresh" } });
    const model = await runModel(rig.db, shopId, pass.runId);
    const tagOf = segmentTags("segmint", model!.segments.map((s) => ({ key: s.id, name: s.name })));
    const desired = await runAssignments(rig.db, shopId, pass.runId);
    expect(desired.size).toBe(CUSTOMERS);
    for (const c of rig.sim.simulator.shop(DEMO_SHOP).customers.values()) {
      expect(c.tags.filter((t) => t.startsWith("segmint:"))).toEqual([tagOf.get(desired.get(String(c.id))!.segmentKey)]);
      expect(c.tags.includes("wholesale")).toBe(c.tags.length === 2);
    }
    expect(pass).toMatchObject({ customersChanged: CUSTOMERS, tagsAdded: CUSTOMERS, failed: 0 });
    expect(await rig.db.tagWrite.count({ where: { writeBackId: pass.id, result: { not: "ok" } } })).toBe(0);
  });

  it("repeated at most one batch of mutations", async () => {
    const res = await fetch(`${rig.sim.url}/_sim/shops/${DEMO_SHOP}/calls`);
    const calls = (await res.json()) as { byOperation: Record<string, number> };
    const adds = calls.byOperation.CustomerTagsAdd ?? 0;
    expect(adds).toBeGreaterThanOrEqual(CUSTOMERS);
    expect(adds).toBeLessThanOrEqual(CUSTOMERS + CUSTOMER_BATCH);
  });
});
