// Deleting a shop must delete everything under it (shop/redact), on both databases: the
// schema's onDelete: Cascade only works if the database enforces foreign keys.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

describeEachDatabase("foreign keys", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.drop());

  it("cascade from a shop to its customers, orders and lines, and refuse dangling references", async () => {
    const shop = await t.db.shop.create({ data: { domain: "fk.myshopify.com" } });
    const customer = await t.db.customer.create({ data: { shopId: shop.id, shopifyId: "1" } });
    const order = await t.db.order.create({
      data: { shopId: shop.id, shopifyId: "10", customerId: customer.id, processedAt: new Date(), shopifyUpdatedAt: new Date(), currency: "GBP", grossMilli: 1000n, netMilli: 1000n },
    });
    await t.db.orderLine.create({ data: { shopId: shop.id, orderId: order.id, shopifyId: "100", quantity: 1, unitPriceMilli: 1000n } });
    await expect(
      t.db.orderLine.create({ data: { shopId: shop.id, orderId: 987654, shopifyId: "101", quantity: 1, unitPriceMilli: 1n } }),
    ).rejects.toThrow();
    await t.db.shop.delete({ where: { id: shop.id } });
    expect([await t.db.customer.count(), await t.db.order.count(), await t.db.orderLine.count()]).toEqual([0, 0, 0]);
  });
});
