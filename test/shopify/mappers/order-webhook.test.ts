// REST webhook payloads → OrderState, through the same zod schemas the inbox applies first.
import { describe, expect, it } from "vitest";
import { orderStateFromWebhook, refundAmount, refundEventFromWebhook, refundStateFromWebhook } from "../../../app/shopify/mappers/order-webhook";
import { orderPayload, refundPayload } from "../../../app/shopify/webhook-payloads";

const order = (over: Record<string, unknown> = {}) =>
  orderPayload.parse({
    id: 450789469,
    created_at: "2026-03-01T10:00:00-05:00",
    updated_at: "2026-03-02T08:30:00-05:00",
    processed_at: "2026-03-01T10:00:05-05:00",
    cancelled_at: null,
    test: false,
    currency: "USD",
    total_price: "199.65",
    current_total_price: "179.65",
    customer: { id: 207119551, email: "dropped@example.com" },
    line_items: [
      { id: 466157049, product_id: 632910392, variant_id: 39072856, quantity: 2, price: "59.99" },
      { id: 518995019, product_id: null, variant_id: null, quantity: 1, price: 79.67 },
    ],
    refunds: [],
    ...over,
  });

describe("orderStateFromWebhook", () => {
  it("keeps ids as digit strings, times as instants and money as milli", () => {
    const s = orderStateFromWebhook(order());
    expect(s).toMatchObject({
      shopifyId: "450789469",
      customerShopifyId: "207119551",
      processedAt: new Date("2026-03-01T15:00:05Z"),
      updatedAt: new Date("2026-03-02T13:30:00Z"),
      currency: "USD",
      grossMilli: 199_650,
      netMilli: 179_650,
      cancelledAt: null,
      test: false,
      refunds: [],
    });
    expect(s.lines).toEqual([
      { shopifyId: "466157049", productId: "632910392", variantId: "39072856", quantity: 2, unitPriceMilli: 59_990, refundedQuantity: 0 },
      { shopifyId: "518995019", productId: null, variantId: null, quantity: 1, unitPriceMilli: 79_670, refundedQuantity: 0 },
    ]);
  });

  it("falls back to created_at when processed_at is missing, and to no customer for a guest", () => {
    const s = orderStateFromWebhook(order({ processed_at: null, customer: null }));
    expect(s.processedAt).toEqual(new Date("2026-03-01T15:00:00Z"));
    expect(s.customerShopifyId).toBeNull();
  });

  it("takes the net total from current_total_price when present, whatever the refunds say", () => {
    const s = orderStateFromWebhook(
      order({ refunds: [{ id: 1, created_at: "2026-03-02T08:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "5.00" }] }] }),
    );
    expect(s.netMilli).toBe(179_650);
  });

  it("without current_total_price, the net total is the total less the refunds", () => {
    const s = orderStateFromWebhook(
      order({
        current_total_price: undefined,
        refunds: [
          { id: 1, created_at: "2026-03-02T08:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "20.00" }] },
          { id: 2, created_at: "2026-03-02T09:00:00Z", refund_line_items: [{ line_item_id: 518995019, quantity: 1, subtotal: "79.67" }] },
        ],
      }),
    );
    expect(s.grossMilli).toBe(199_650);
    expect(s.refunds.map((r) => r.amountMilli)).toEqual([20_000, 79_670]);
    expect(s.netMilli).toBe(199_650 - 20_000 - 79_670);
  });

  it("sums refunded quantities per line across refunds", () => {
    const s = orderStateFromWebhook(
      order({
        refunds: [
          { id: 1, created_at: "2026-03-02T08:00:00Z", refund_line_items: [{ line_item_id: 466157049, quantity: 1 }] },
          { id: 2, created_at: "2026-03-02T09:00:00Z", refund_line_items: [{ line_item_id: 466157049, quantity: 1 }] },
        ],
      }),
    );
    expect(s.lines.map((l) => l.refundedQuantity)).toEqual([2, 0]);
  });

  it("dates a refund by processed_at, else created_at", () => {
    const s = orderStateFromWebhook(
      order({
        refunds: [
          { id: 1, created_at: "2026-03-02T08:00:00Z", processed_at: "2026-03-02T08:05:00Z" },
          { id: 2, created_at: "2026-03-02T09:00:00Z", processed_at: null },
        ],
      }),
    );
    expect(s.refunds.map((r) => r.processedAt.toISOString())).toEqual(["2026-03-02T08:05:00.000Z", "2026-03-02T09:00:00.000Z"]);
  });

  it("refuses an amount it cannot hold exactly", () => {
    expect(() => orderStateFromWebhook(order({ total_price: "1.0005" }))).toThrow(/money amount/);
  });
});

describe("refund amounts", () => {
  const refund = (over: Record<string, unknown>) =>
    refundPayload.parse({ id: 9, order_id: 1, created_at: "2026-03-02T08:00:00Z", ...over });

  it("counts successful refund transactions only (not failed ones, nor other kinds)", () => {
    const r = refund({
      transactions: [
        { kind: "refund", status: "success", amount: "10.50" },
        { kind: "refund", status: "failure", amount: "99.00" },
        { kind: "refund", amount: "1.25" },
        { kind: "sale", status: "success", amount: "50.00" },
      ],
      refund_line_items: [{ line_item_id: 5, quantity: 1, subtotal: "70.00" }],
    });
    expect(refundAmount(r)).toBe(11_750);
  });

  it("without refund transactions, the refunded lines' subtotals (a line without one counts 0)", () => {
    const r = refund({
      transactions: [{ kind: "refund", status: "pending", amount: "30.00" }],
      refund_line_items: [
        { line_item_id: 5, quantity: 1, subtotal: "12.34" },
        { line_item_id: 6, quantity: 2, subtotal: 0.005 },
        { line_item_id: 7, quantity: 1 },
      ],
    });
    expect(refundAmount(r)).toBe(12_345);
  });

  it("a refund with neither is worth 0", () => {
    expect(refundStateFromWebhook(refund({})).amountMilli).toBe(0);
  });

  it("refunds/create becomes the order it belongs to, the refund and the quantities it returns per line", () => {
    const event = refundEventFromWebhook(
      refund({
        processed_at: "2026-03-03T09:30:00Z",
        transactions: [{ kind: "refund", status: "success", amount: "4.20" }],
        refund_line_items: [
          { line_item_id: 5, quantity: 2 },
          { line_item_id: 6, quantity: 1 },
        ],
      }),
    );
    expect(event).toEqual({
      orderShopifyId: "1",
      refund: { shopifyId: "9", processedAt: new Date("2026-03-03T09:30:00Z"), amountMilli: 4_200 },
      lines: [
        { lineShopifyId: "5", quantity: 2 },
        { lineShopifyId: "6", quantity: 1 },
      ],
    });
  });
});
