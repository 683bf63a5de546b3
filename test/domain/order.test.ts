// The order vocabulary's rules on their own: which state is written, and which Order columns it sets.
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { isCancellationRecord, ORDER_COLUMNS, orderColumns, orderColumnValues, orderWriteDecision, type OrderState } from "../../app/domain/order";
import { storedVersion } from "../../app/domain/version";

const at = (iso: string) => ({ updatedAt: new Date(iso) });
const T = "2026-03-01T10:00:00.000Z";
const EARLIER = "2026-03-01T09:59:59.999Z";
const LATER = "2026-03-01T10:00:00.001Z";

describe("orderWriteDecision: newer state wins", () => {
  // stored (null: none) × incoming → per event ("skip" on equal), backfill ("resume" on equal)
  const table: [string, { updatedAt: Date } | null, "insert" | "replace" | "resume" | "skip", "insert" | "replace" | "resume" | "skip"][] = [
    ["absent", null, "insert", "insert"],
    ["older", at(EARLIER), "replace", "replace"],
    ["equal", at(T), "skip", "resume"],
    ["newer", at(LATER), "skip", "skip"],
  ];
  for (const [name, stored, perEvent, backfill] of table) {
    it(`stored ${name}: per event ${perEvent}, backfill ${backfill}`, () => {
      expect(orderWriteDecision(stored, at(T), "skip")).toBe(perEvent);
      expect(orderWriteDecision(stored, at(T), "resume")).toBe(backfill);
    });
  }

  it("compares instants, not Date objects or their time zones", () => {
    expect(orderWriteDecision({ updatedAt: new Date("2026-03-01T11:00:00+01:00") }, at(T), "resume")).toBe("resume");
    expect(orderWriteDecision({ updatedAt: new Date(Date.parse(T)) }, at(T), "skip")).toBe("skip");
  });

  it("storedVersion orders the stored version against the incoming one", () => {
    expect(storedVersion(new Date(EARLIER), new Date(T))).toBe("older");
    expect(storedVersion(new Date(T), new Date(T))).toBe("same");
    expect(storedVersion(new Date(LATER), new Date(T))).toBe("newer");
  });
});

const state: OrderState = {
  shopifyId: "1001",
  customerShopifyId: "77",
  processedAt: new Date("2026-02-28T12:00:00Z"),
  updatedAt: new Date(T),
  currency: "GBP",
  grossMilli: 162_040,
  netMilli: 150_000,
  cancelledAt: null,
  test: false,
  lines: [{ shopifyId: "5", productId: "9", variantId: null, quantity: 2, unitPriceMilli: 81_020, refundedQuantity: 0 }],
  refunds: [{ shopifyId: "3", processedAt: new Date("2026-03-01T09:00:00Z"), amountMilli: 12_040 }],
};

describe("orderColumns: the Order columns of a state", () => {
  it("maps every order fact to its column, money as BigInt milli", () => {
    expect(orderColumns(state, 42)).toEqual({
      customerId: 42,
      processedAt: new Date("2026-02-28T12:00:00Z"),
      shopifyUpdatedAt: new Date(T),
      currency: "GBP",
      grossMilli: 162_040n,
      netMilli: 150_000n,
      cancelledAt: null,
      test: false,
    });
  });

  it("takes the customer row from the caller (null for a guest checkout), never the Shopify id", () => {
    expect(orderColumns({ ...state, customerShopifyId: null }, null).customerId).toBeNull();
    expect(orderColumns(state, 7).customerId).toBe(7);
  });

  it("lists values in ORDER_COLUMNS order for positional statements", () => {
    const columns = orderColumns({ ...state, cancelledAt: new Date(LATER), test: true }, 3);
    expect(orderColumnValues(columns)).toEqual(ORDER_COLUMNS.map((name) => columns[name]));
    expect(Object.keys(columns)).toEqual([...ORDER_COLUMNS]);
  });

  it("covers every Order column of the schema except the row's keys and bookkeeping", () => {
    // A column added to the Order model without a mapping would be left at its default by all three writers.
    const own = ["id", "shopId", "shopifyId", "createdAt", "updatedAt"];
    const schema = Object.keys(Prisma.OrderScalarFieldEnum).filter((c) => !own.includes(c));
    expect([...ORDER_COLUMNS].sort()).toEqual(schema.sort());
  });
});

describe("isCancellationRecord", () => {
  const at = (iso: string) => new Date(iso);
  it("an order cancelled at or before it was processed was never a purchase; one cancelled later was", () => {
    expect(isCancellationRecord({ processedAt: at("2011-12-09T12:00:00Z"), cancelledAt: null })).toBe(false);
    expect(isCancellationRecord({ processedAt: at("2011-12-09T12:00:00Z"), cancelledAt: at("2011-12-09T12:00:00Z") })).toBe(true);
    expect(isCancellationRecord({ processedAt: at("2011-12-09T12:00:00Z"), cancelledAt: at("2011-12-09T11:59:59Z") })).toBe(true);
    expect(isCancellationRecord({ processedAt: at("2011-12-09T12:00:00Z"), cancelledAt: at("2011-12-09T12:00:01Z") })).toBe(false);
  });
});
