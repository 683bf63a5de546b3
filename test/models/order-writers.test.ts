// The three order writers on both databases: per event (applyOrderState/applyRefund) and the
// backfill's batched writer (prepared statements on SQLite, multi-row SQL on PostgreSQL). They
// share one write rule and one column mapping; this pins what each does with each stored version.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { OrderState } from "../../app/domain/order";
import { customerRowIds } from "../../app/models/customers.server";
import { orderBulkWriter } from "../../app/models/orders-bulk/index.server";
import { applyOrderState, applyRefund } from "../../app/models/orders.server";
import { refundEventFromWebhook } from "../../app/shopify/mappers/order-webhook";
import { refundPayload } from "../../app/shopify/webhook-payloads";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const T0 = new Date("2026-03-01T10:00:00Z");
const T1 = new Date("2026-03-01T11:00:00Z");

function order(id: string, updatedAt: Date, over: Partial<OrderState> = {}): OrderState {
  return {
    shopifyId: id,
    customerShopifyId: "500",
    processedAt: new Date("2026-03-01T09:00:00Z"),
    updatedAt,
    currency: "GBP",
    grossMilli: 30_000,
    netMilli: 30_000,
    cancelledAt: null,
    test: false,
    lines: [
      { shopifyId: `${id}1`, productId: "7", variantId: "8", quantity: 2, unitPriceMilli: 10_000, refundedQuantity: 0 },
      { shopifyId: `${id}2`, productId: null, variantId: null, quantity: 1, unitPriceMilli: 10_000, refundedQuantity: 0 },
    ],
    refunds: [],
    ...over,
  };
}

describeEachDatabase("order writers", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: `writers-${provider}.myshopify.com` } })).id;
  });
  afterAll(async () => t?.drop());

  const stored = (shopifyId: string) =>
    t.db.order.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId } },
      include: { customer: true, lines: { orderBy: { shopifyId: "asc" } }, refunds: { orderBy: { shopifyId: "asc" } } },
    });

  it("per event: inserts, skips an equal or older version, replaces with a newer one", async () => {
    expect(await applyOrderState(t.db, shopId, order("10", T0))).toBe("inserted");
    expect(await applyOrderState(t.db, shopId, order("10", T0, { grossMilli: 1 }))).toBe("stale");
    expect(await applyOrderState(t.db, shopId, order("10", new Date(T0.getTime() - 1), { grossMilli: 1 }))).toBe("stale");
    let o = await stored("10");
    expect([o.grossMilli, o.lines.length, o.customer?.shopifyId]).toEqual([30_000n, 2, "500"]);

    const newer = order("10", T1, {
      netMilli: 20_000,
      lines: [{ shopifyId: "103", productId: "7", variantId: "8", quantity: 1, unitPriceMilli: 9_999, refundedQuantity: 1 }],
      refunds: [{ shopifyId: "1", processedAt: T1, amountMilli: 10_000 }],
    });
    expect(await applyOrderState(t.db, shopId, newer)).toBe("updated");
    o = await stored("10");
    expect(o.shopifyUpdatedAt).toEqual(T1);
    expect(o.netMilli).toBe(20_000n);
    expect(o.lines.map((l) => [l.shopifyId, l.unitPriceMilli, l.refundedQuantity])).toEqual([["103", 9_999n, 1]]);
    expect(o.refunds.map((r) => [r.shopifyId, r.amountMilli])).toEqual([["1", 10_000n]]);
  });

  it("per event: refunds/create lowers the net total once, and a replayed equal version does not undo it", async () => {
    const refund = refundEventFromWebhook(
      refundPayload.parse({
        id: 77,
        order_id: 20,
        created_at: "2026-03-01T12:00:00Z",
        refund_line_items: [{ line_item_id: 201, quantity: 1 }],
        transactions: [{ kind: "refund", status: "success", amount: "10.00" }],
      }),
    );
    expect(await applyRefund(t.db, shopId, refund)).toBe("missing-order");
    await applyOrderState(t.db, shopId, order("20", T0));
    expect(await applyRefund(t.db, shopId, refund)).toBe("applied");
    expect(await applyRefund(t.db, shopId, refund)).toBe("known");
    expect(await applyOrderState(t.db, shopId, order("20", T0))).toBe("stale");
    const o = await stored("20");
    expect(o.netMilli).toBe(20_000n);
    expect(o.refunds.map((r) => [r.shopifyId, r.amountMilli, r.processedAt.toISOString()])).toEqual([["77", 10_000n, "2026-03-01T12:00:00.000Z"]]);
    expect(o.lines.map((l) => l.refundedQuantity)).toEqual([1, 0]);
  });

  it("backfill: inserts, replaces older, resumes equal and leaves newer versions alone", async () => {
    await applyOrderState(t.db, shopId, order("31", T0)); // older than the export
    await applyOrderState(t.db, shopId, order("32", T1, { netMilli: 5 })); // newer than the export
    await applyOrderState(t.db, shopId, order("33", T0, { lines: [] })); // a crashed pass 2: no lines yet
    const exported = [
      order("30", T0, { refunds: [{ shopifyId: "9", processedAt: T0, amountMilli: 1_000 }] }),
      order("31", T1, { netMilli: 29_000, refunds: [{ shopifyId: "8", processedAt: T1, amountMilli: 1_000 }] }),
      order("32", T0),
      order("33", T0, { refunds: [{ shopifyId: "7", processedAt: T0, amountMilli: 500 }] }),
      order("34", T0, { customerShopifyId: null }),
    ];
    const writer = orderBulkWriter(t.db, shopId);
    try {
      const rows = await writer.writeOrders(exported);
      const ids = Object.fromEntries(await Promise.all(["30", "31", "32", "33", "34"].map(async (id) => [id, (await stored(id)).id])));
      expect(Object.fromEntries(rows)).toEqual({ "30": ids["30"], "31": ids["31"], "32": null, "33": ids["33"], "34": ids["34"] });
      expect((await stored("31")).lines).toEqual([]); // replaced: its lines come in pass 2

      const lines = exported.flatMap((o) => {
        const orderId = rows.get(o.shopifyId);
        return orderId ? o.lines.map((line) => ({ orderId, line })) : [];
      });
      await writer.insertLines(lines);
      await writer.insertLines(lines); // a resumed pass 2 writes nothing twice
      // A second run of pass 1 over the same export resumes every order it wrote.
      expect(Object.fromEntries(await writer.writeOrders(exported))).toEqual(Object.fromEntries(rows));
    } finally {
      await writer.close();
    }

    const byId: Record<string, Awaited<ReturnType<typeof stored>>> = {};
    for (const id of ["30", "31", "32", "33", "34"]) byId[id] = await stored(id);
    expect(byId["30"]!.refunds.map((r) => r.shopifyId)).toEqual(["9"]);
    expect([byId["31"]!.shopifyUpdatedAt, byId["31"]!.netMilli, byId["31"]!.refunds.map((r) => r.shopifyId)]).toEqual([T1, 29_000n, ["8"]]);
    expect([byId["32"]!.shopifyUpdatedAt, byId["32"]!.netMilli]).toEqual([T1, 5n]); // the webhook's later state stands
    expect(byId["33"]!.refunds.map((r) => r.shopifyId)).toEqual(["7"]);
    for (const id of ["30", "31", "32", "33", "34"]) expect(byId[id]!.lines.map((l) => l.shopifyId), id).toEqual([`${id}1`, `${id}2`]);
    expect(byId["30"]!.lines.map((l) => [l.quantity, l.unitPriceMilli, l.productId, l.variantId])).toEqual([[2, 10_000n, "7", "8"], [1, 10_000n, null, null]]);
    expect(byId["34"]!.customerId).toBeNull();
    expect(byId["30"]!.processedAt).toEqual(new Date("2026-03-01T09:00:00Z"));
    expect([byId["30"]!.currency, byId["30"]!.test, byId["30"]!.cancelledAt]).toEqual(["GBP", false, null]);
  });

  it("backfill: a batch of lines that fails rejects with the database's reason and leaves none of its lines; the next batch is written", async () => {
    const writer = orderBulkWriter(t.db, shopId);
    try {
      const rows = await writer.writeOrders([order("45", T0, { lines: [] })]);
      const orderId = rows.get("45")!;
      const line = (shopifyId: string) => ({ shopifyId, productId: "7", variantId: "8", quantity: 1, unitPriceMilli: 1_000, refundedQuantity: 0 });
      // The second line's order does not exist: a foreign key refuses it, and the batch with it.
      await expect(writer.insertLines([{ orderId, line: line("451") }, { orderId: 2_000_000_000, line: line("452") }])).rejects.toThrow(/foreign key/i);
      expect((await stored("45")).lines).toEqual([]);
      await writer.insertLines([{ orderId, line: line("453") }]);
      expect((await stored("45")).lines.map((l) => l.shopifyId)).toEqual(["453"]);
    } finally {
      await writer.close();
    }
  });

  it("one customer row per Shopify customer across all writers; a tombstone stays a tombstone", async () => {
    expect(await t.db.customer.count({ where: { shopId, shopifyId: "500" } })).toBe(1);
    const [before] = await t.db.customer.findMany({ where: { shopId, shopifyId: "500" } });
    await t.db.customer.update({ where: { id: before!.id }, data: { deletedAt: T1 } });
    const ids = await customerRowIds(t.db, shopId, ["500", "501", "501"]);
    expect(ids.get("500")).toBe(before!.id);
    expect(ids.size).toBe(2);
    expect(await applyOrderState(t.db, shopId, order("40", T0))).toBe("inserted");
    const o = await stored("40");
    expect([o.customerId, o.customer?.deletedAt]).toEqual([before!.id, T1]);
  });
});
