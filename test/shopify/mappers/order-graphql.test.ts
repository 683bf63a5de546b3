// Admin GraphQL order nodes (bulk JSONL, paginated queries) → OrderState.
import { describe, expect, it } from "vitest";
import { lineFromGraphql, MalformedShopifyData, orderFromGraphql } from "../../../app/shopify/mappers/order-graphql";

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "GBP" } });
const line = (over: Record<string, unknown> = {}) => ({
  id: "gid://shopify/LineItem/11",
  quantity: 3,
  currentQuantity: 1,
  product: { id: "gid://shopify/Product/21" },
  variant: { id: "gid://shopify/ProductVariant/31" },
  originalUnitPriceSet: money("2.55"),
  ...over,
});
const node = (over: Record<string, unknown> = {}) => ({
  id: "gid://shopify/Order/1001",
  createdAt: "2010-12-01T08:26:00Z",
  updatedAt: "2010-12-02T10:00:00Z",
  processedAt: "2010-12-01T08:26:05Z",
  cancelledAt: null,
  test: false,
  currencyCode: "GBP",
  currentTotalPriceSet: money("10.20"),
  totalPriceSet: money("15.30"),
  customer: { id: "gid://shopify/Customer/17850" },
  refunds: [{ id: "gid://shopify/Refund/5", createdAt: "2010-12-02T09:00:00Z", totalRefundedSet: money("5.1") }],
  ...over,
});

describe("orderFromGraphql", () => {
  it("maps a bulk order row (no lineItems: they come as child rows)", () => {
    expect(orderFromGraphql(node())).toEqual({
      shopifyId: "1001",
      customerShopifyId: "17850",
      processedAt: new Date("2010-12-01T08:26:05Z"),
      updatedAt: new Date("2010-12-02T10:00:00Z"),
      currency: "GBP",
      grossMilli: 15_300,
      netMilli: 10_200,
      cancelledAt: null,
      test: false,
      lines: [],
      refunds: [{ shopifyId: "5", processedAt: new Date("2010-12-02T09:00:00Z"), amountMilli: 5_100 }],
    });
  });

  it("takes lines from lineItems.nodes (paginated queries), a guest as no customer, createdAt without processedAt", () => {
    const s = orderFromGraphql(node({ customer: null, processedAt: null, cancelledAt: "2010-12-03T00:00:00Z", test: true, lineItems: { nodes: [line()] } }));
    expect(s.customerShopifyId).toBeNull();
    expect(s.processedAt).toEqual(new Date("2010-12-01T08:26:00Z"));
    expect(s.cancelledAt).toEqual(new Date("2010-12-03T00:00:00Z"));
    expect(s.test).toBe(true);
    expect(s.lines).toHaveLength(1);
  });

  it("refuses a node without an update time or with unreadable money", () => {
    expect(() => orderFromGraphql(node({ updatedAt: undefined }))).toThrow(MalformedShopifyData);
    expect(() => orderFromGraphql(node({ totalPriceSet: { shopMoney: {} } }))).toThrow(MalformedShopifyData);
    expect(() => orderFromGraphql(node({ totalPriceSet: money("1.2345") }))).toThrow(/money amount/);
  });
});

describe("lineFromGraphql", () => {
  it("derives the refunded quantity from currentQuantity", () => {
    expect(lineFromGraphql(line())).toEqual({ shopifyId: "11", productId: "21", variantId: "31", quantity: 3, unitPriceMilli: 2_550, refundedQuantity: 2 });
  });

  it("without currentQuantity nothing is refunded; a quantity that grew is not a negative refund", () => {
    expect(lineFromGraphql(line({ currentQuantity: undefined })).refundedQuantity).toBe(0);
    expect(lineFromGraphql(line({ currentQuantity: 5 })).refundedQuantity).toBe(0);
  });

  it("keeps a deleted product or variant as null", () => {
    const l = lineFromGraphql(line({ product: null, variant: null }));
    expect([l.productId, l.variantId]).toEqual([null, null]);
  });

  it("refuses a fractional quantity", () => {
    expect(() => lineFromGraphql(line({ quantity: 1.5 }))).toThrow(MalformedShopifyData);
  });
});
