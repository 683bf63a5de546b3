// Backfill of the Online Retail store through the production path: install hook → backfill job →
// bulkOperationRunQuery (validated by the simulator against the real schema) → JSONL over HTTP →
// two-pass ingest — in the real app process, on both databases.
import { afterAll, beforeAll, expect, it } from "vitest";
import { storeSummary } from "../../app/models/store-summary.server";
import { describeEachDatabase } from "../support/databases";
import { DEMO_SHOP, startSyncRig, type SyncRig } from "../support/sync-harness";
import { waitFor } from "../support/wait-for";
import { onlineRetailCounts } from "../support/online-retail-counts";
import { onShopInstalled } from "../../app/services/install.server";
import { simulatorAdmin } from "../../simulator/admin-client";
import { ALL_FEATURES, compareBridgeWithCsv, DAY_FEATURES, differences } from "../bridge/online-retail-bridge";

describeEachDatabase("backfill of the Online Retail store", (provider) => {
  let rig: SyncRig;
  let seconds = 0;
  beforeAll(async () => {
    rig = await startSyncRig(provider, { simulator: { onlineRetail: { domain: DEMO_SHOP } } });
    const started = Date.now();
    await waitFor("backfill to complete", async () => {
      const run = await rig.db.syncRun.findFirst({ where: { kind: "backfill" }, orderBy: { id: "desc" } });
      if (run?.status === "failed") throw new Error(`backfill failed: ${run.error}\n${rig.app?.output()}`);
      return run?.status === "completed" ? run : undefined;
    }, 300_000);
    seconds = (Date.now() - started) / 1000;
  }, 360_000);
  afterAll(async () => rig?.close());

  it("stores every order, line and refund the store has, ids only", async () => {
    const shop = await rig.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const s = await storeSummary(rig.db, shop.id);
    const report = rig.sim.onlineRetail!;
    expect(s.customerOrders + s.guestOrders + s.cancellationRecords).toBe(s.orders);
    expect(s.cancellationRecords).toBe(report.cancellationRecordOrders);
    expect(s.guestOrders).toBe(report.guestOrders);
    expect(s.orderLines).toBe(report.lineItems);
    expect(s.refunds).toBe(report.refundsAttached + report.cancellationRecordOrders);
    const run = await rig.db.syncRun.findFirstOrThrow({ where: { shopId: shop.id, kind: "backfill" } });
    expect(run.rowsDone).toBe(run.rowsTotal);
    console.log(`[${provider}] Online Retail backfill: ${s.orders} orders, ${s.orderLines} lines in ${seconds.toFixed(1)} s`);
  });

  it("has the counts derived independently from the CSV, and the overview page shows them", async () => {
    const csv = await onlineRetailCounts();
    expect(csv).toEqual({ customers: 4372, customersWithPurchase: 4339, customerOrders: 18536, guestOrders: 2189, customerCInvoices: 3654 });
    const shop = await rig.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const s = await storeSummary(rig.db, shop.id);
    expect({
      customers: s.customers,
      customersWithPurchase: s.customersWithPurchase,
      customerOrders: s.customerOrders,
      guestOrders: s.guestOrders,
      customerCInvoices: s.refunds,
    }).toEqual(csv);
    // The page the offline demo serves (the demo seam authenticates as the demo shop).
    const html = await (await fetch(`${rig.app!.url}/app`)).text();
    const stat = (id: string) => new RegExp(`id="${id}"[^>]*>([\\d,]+)<`).exec(html)?.[1]?.replace(/,/g, "");
    expect(Number(stat("stat-customers"))).toBe(csv.customers);
    expect(Number(stat("stat-customers-with-purchase"))).toBe(csv.customersWithPurchase);
    expect(Number(stat("stat-customer-orders"))).toBe(csv.customerOrders);
    expect(Number(stat("stat-guest-orders"))).toBe(csv.guestOrders);
    expect(Number(stat("stat-refunds"))).toBe(csv.customerCInvoices);
    expect(html).toContain("CC BY 4.0");
  });

  it("stores the service codes' lines (postage, fees…) as lines without a product, every other line with one", async () => {
    const shop = await rig.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    expect(await rig.db.orderLine.count({ where: { shopId: shop.id, productId: null } })).toBe(rig.sim.onlineRetail!.customLineItems);
  });

  it("net totals equal gross minus refunds, exactly", async () => {
    const rows = await rig.db.order.findMany({ select: { grossMilli: true, netMilli: true, refunds: { select: { amountMilli: true } } } });
    const off = rows.filter((o) => o.grossMilli - o.refunds.reduce((s, r) => s + r.amountMilli, 0n) !== o.netMilli);
    expect(off).toEqual([]);
  });

  it("feeds the analytics core: per customer, the bridge's RFM features equal the CLI's from the CSV", async () => {
    const shop = await rig.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    // Re-install with an Admin client: the hook stores Shopify's ianaTimezone (the simulator's UK shop).
    await onShopInstalled(rig.db, DEMO_SHOP, undefined, new Date(), simulatorAdmin(rig.sim, DEMO_SHOP));
    expect((await rig.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).timezone).toBe("Europe/London");
    const c = await compareBridgeWithCsv(rig.db, shop.id);
    expect([c.bridge.size, c.csv.size, c.cInvoices]).toEqual([4372, 4372, 3654]);
    expect(differences(c.bridge, c.csv, ALL_FEATURES)).toEqual([]);
    expect(differences(c.bridge, c.csvRaw, DAY_FEATURES)).toEqual([]);
  }, 120_000);
});
