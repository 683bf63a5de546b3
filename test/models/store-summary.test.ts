// The store counts the Overview shows, on both databases: "customers with a purchase" counts a
// customer once however many orders, leaves out cancellation records (cancelled at or before
// processing), deleted customers and other shops, and counts an order cancelled later as placed.
import { afterAll, beforeAll, expect, it } from "vitest";
import { storeSummary } from "../../app/models/store-summary.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

describeEachDatabase("store summary", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: `summary-${provider}.myshopify.com` } })).id;
    const otherId = (await t.db.shop.create({ data: { domain: `summary-other-${provider}.myshopify.com` } })).id;
    const at = new Date("2026-03-01T10:00:00Z");
    const later = new Date("2026-03-05T10:00:00Z");
    let n = 0;
    const order = async (shop: number, customerId: number | null, cancelledAt: Date | null = null) =>
      t.db.order.create({ data: { shopId: shop, shopifyId: `o${n++}`, customerId, processedAt: at, shopifyUpdatedAt: at, cancelledAt, currency: "GBP", grossMilli: 1000n, netMilli: 1000n } });
    const customer = async (shop: number, id: string, deleted = false) => (await t.db.customer.create({ data: { shopId: shop, shopifyId: id, deletedAt: deleted ? at : null } })).id;
    const twoOrders = await customer(shopId, "two-orders");
    await order(shopId, twoOrders);
    await order(shopId, twoOrders);
    await order(shopId, await customer(shopId, "cancelled-later"), later); // placed, cancelled afterwards: a purchase
    await order(shopId, await customer(shopId, "cancellation-record-only"), at); // a C-invoice: not a purchase
    await order(shopId, await customer(shopId, "deleted", true));
    await customer(shopId, "no-orders");
    await order(shopId, null); // a guest
    await order(otherId, await customer(otherId, "elsewhere"));
  });
  afterAll(async () => t?.drop());

  it("counts customers with a placed order once each, in this shop only", async () => {
    const s = await storeSummary(t.db, shopId);
    expect(s).toMatchObject({ customers: 4, customersWithPurchase: 2, orders: 6, customerOrders: 4, guestOrders: 1, cancellationRecords: 1, orderLines: 0 });
  });
});
