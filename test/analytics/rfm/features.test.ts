import { describe, expect, it } from "vitest";
import {
  computeRfmFeatures,
  computeRfmFeaturesFromOrders,
  createRfmAccumulator,
  featureRow,
  featureRows,
  isReturn,
  flattenOrders,
} from "../../../app/analytics/rfm/features";
import type { OrderFact, TransactionRow } from "../../../app/analytics/types";

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const line = (customerId: string | null, orderId: string, processedAt: string, quantity: number, unitPriceMilli: number): TransactionRow => ({
  customerId,
  orderId,
  processedAt,
  quantity,
  unitPriceMilli,
});

describe("RFM features: hand-computed", () => {
  const rows = deepFreeze([
    line("A", "1", "2024-01-01 09:00:00", 2, 10_000), // 20.00
    line("A", "1", "2024-01-01 09:00:00", 1, 5_500), // 5.50
    line("A", "2", "2024-01-10 18:30:00", 1, 3_000), // 3.00
    line("A", "C2", "2024-01-20 10:00:00", -1, 3_000), // cancellation: return, later date
    line(null, "3", "2024-01-25 10:00:00", 5, 1_000), // guest
    line("B", "4", "2024-01-30 10:00:00", 1, 0), // zero-price line is a purchase
    line("B", "5", "2024-01-30 11:00:00", 3, 1), // 0.003
    line("C", "C6", "2024-01-15 10:00:00", -2, 2_000), // returns only
    line("A", "7", "2024-02-05 10:00:00", 1, 99_000), // after asOf
  ]);
  const t = computeRfmFeatures(rows, { asOf: "2024-01-31" });
  const a = featureRow(t, t.customerIds.indexOf("A"));
  const b = featureRow(t, t.customerIds.indexOf("B"));
  const c = featureRow(t, t.customerIds.indexOf("C"));

  it("recency ignores returns, frequency counts orders with a purchase line, monetary is net", () => {
    expect(a.recencyDays).toBe(21); // 2024-01-31 − 2024-01-10; the return on the 20th does not count
    expect(a.frequency).toBe(2);
    expect(a.monetaryMilli).toBe(25_500); // 20 + 5.5 + 3 − 3
    expect(b).toMatchObject({ recencyDays: 1, frequency: 2, monetaryMilli: 3 });
  });

  it("tenure, average order value, mean inter-purchase days", () => {
    expect(a.tenureDays).toBe(30);
    expect(a.averageOrderValueMilli).toBe(12_750);
    expect(a.meanInterPurchaseDays).toBe(9);
    expect(b.meanInterPurchaseDays).toBe(0); // two orders the same day
  });

  it("value decay = Σ amount · 2^(−age/90)", () => {
    const expected = 25_500 * 2 ** (-30 / 90) + 3_000 * 2 ** (-21 / 90) - 3_000 * 2 ** (-11 / 90);
    expect(a.valueDecayMilli).toBeCloseTo(expected, 6);
    const t30 = computeRfmFeatures(rows, { asOf: "2024-01-31", valueHalfLifeDays: 30 });
    const a30 = featureRow(t30, t30.customerIds.indexOf("A"));
    expect(a30.valueDecayMilli).toBeCloseTo(25_500 * 0.5 + 3_000 * 2 ** (-21 / 30) - 3_000 * 2 ** (-11 / 30), 6);
  });

  it("return-only customers appear with frequency 0 and no recency", () => {
    expect(c).toMatchObject({ recencyDays: null, frequency: 0, monetaryMilli: -4_000, tenureDays: null, averageOrderValueMilli: null });
  });

  it("excludes guests and rows after asOf, and counts them", () => {
    expect(t.customerIds).toEqual(["A", "B", "C"]);
    expect(t.stats).toEqual({ rows: 9, purchaseLines: 5, returnLines: 2, guestRows: 1, afterAsOfRows: 1 });
  });

  it("defaults asOf to the day after the last row, guests included", () => {
    const d = computeRfmFeatures(rows.slice(0, 5));
    expect(d.asOf).toBe("2024-01-26");
    expect(featureRow(d, 0).recencyDays).toBe(16);
  });

  it("does not mutate frozen inputs (would throw in strict mode)", () => {
    expect(Object.isFrozen(rows[0])).toBe(true);
    expect(() => computeRfmFeatures(rows, { asOf: "2024-01-31" })).not.toThrow();
  });
});

describe("returns rule", () => {
  // Which orders are cancellations is the data's convention: the Online Retail `C` prefix is the
  // CSV reader's (test/cli/csv-reader.test.ts); the core takes the fact as `cancelled`.
  it("negative quantity, negative amount or a cancelled order", () => {
    expect(isReturn(-1, false)).toBe(true);
    expect(isReturn(5, true)).toBe(true);
    expect(isReturn(0, false)).toBe(false);
    expect(isReturn(1, false)).toBe(false); // e.g. a bad-debt adjustment (A563185): a purchase by rule
  });
  it("a cancelled order's line with a positive quantity neither counts as an order nor moves recency", () => {
    const t = computeRfmFeatures([line("A", "1", "2024-01-01", 1, 1000), { ...line("A", "C9", "2024-01-05", 1, 1000), cancelled: true }], { asOf: "2024-01-10" });
    expect(featureRows(t)[0]).toMatchObject({ frequency: 1, recencyDays: 9, monetaryMilli: 2000 });
  });
});

describe("order-level rows and order facts", () => {
  it("order-level amounts: negative amount is a return", () => {
    const t = computeRfmFeatures(
      deepFreeze([
        { customerId: "X", orderId: "o1", processedAt: "2024-03-01", amountMilli: 50_000 },
        { customerId: "X", orderId: "o2", processedAt: "2024-03-05", amountMilli: 20_000 },
        { customerId: "X", orderId: "o2", processedAt: "2024-03-09", amountMilli: -20_000 },
      ] satisfies TransactionRow[]),
      { asOf: "2024-03-10" },
    );
    expect(featureRows(t)[0]).toMatchObject({ recencyDays: 5, frequency: 2, monetaryMilli: 50_000 });
  });

  it("Shopify-style refunds: own date, never move recency, reduce monetary", () => {
    const orders: OrderFact[] = deepFreeze([
      {
        orderId: "1001",
        customerId: "gid://shopify/Customer/1",
        processedAt: "2024-05-01T10:00:00+02:00",
        lines: [
          { productId: "p1", quantity: 2, unitPriceMilli: 15_000 },
          { productId: "p2", quantity: 1, unitPriceMilli: 5_000 },
        ],
        refunds: [{ processedAt: "2024-05-20T09:00:00Z", lines: [{ productId: "p1", quantity: 1, unitPriceMilli: 15_000 }], amountMilli: 4_990 }],
      },
      { orderId: "1002", customerId: null, processedAt: "2024-05-02", amountMilli: 10_000 },
    ]);
    const flat = flattenOrders(orders);
    expect(flat).toHaveLength(5);
    expect(flat.filter((r) => r.processedAt.startsWith("2024-05-20")).every((r) => (r.quantity ?? r.amountMilli!) < 0)).toBe(true);
    const t = computeRfmFeaturesFromOrders(orders, { asOf: "2024-05-31" });
    expect(featureRows(t)).toHaveLength(1);
    expect(featureRows(t)[0]).toMatchObject({ recencyDays: 30, frequency: 1, monetaryMilli: 35_000 - 15_000 - 4_990 });
  });

  it("rejects an order without lines or amount", () => {
    expect(() => flattenOrders([{ orderId: "x", customerId: "a", processedAt: "2024-01-01" }])).toThrow(/lines or amountMilli/);
  });
});

describe("validation", () => {
  it("rejects bad options and rows with clear errors", () => {
    expect(() => createRfmAccumulator({ asOf: "31/01/2024" })).toThrow(/asOf must be a calendar date/);
    expect(() => createRfmAccumulator({ valueHalfLifeDays: 0 })).toThrow(/valueHalfLifeDays/);
    expect(() => computeRfmFeatures([line("A", "1", "2024-01-01", 1.5, 100)])).toThrow(/quantity must be an integer/);
    expect(() => computeRfmFeatures([line("A", "1", "2024-01-01", 1, 1.5)])).toThrow(/unitPriceMilli/);
    expect(() => computeRfmFeatures([line("A", "1", "yesterday", 1, 100)])).toThrow(/processedAt/);
    expect(() => computeRfmFeatures([])).toThrow(/no rows/);
  });
  it("refuses to be used after finish", () => {
    const acc = createRfmAccumulator({ asOf: "2024-01-01" });
    acc.finish();
    expect(() => acc.addLine({ customerId: "a", orderId: "1", day: 0, amountMilli: 1, quantity: 1, cancelled: false })).toThrow(/after finish/);
  });
});

describe("distinct orders", () => {
  it("counts an order id shared by two customers once for each, and repeated lines once", () => {
    const t = computeRfmFeatures(
      [
        line("A", "500", "2024-01-01", 1, 100),
        line("B", "500", "2024-01-02", 1, 100), // same id, another customer
        line("A", "501", "2024-01-03", 1, 100),
        line("A", "500", "2024-01-04", 1, 100), // back to A's first order, not consecutive
        line("B", "500", "2024-01-05", 1, 100),
        line("B", "502", "2024-01-05", 1, 100),
      ],
      { asOf: "2024-01-10" },
    );
    expect(featureRows(t).map((r) => [r.customerId, r.frequency])).toEqual([
      ["A", 2],
      ["B", 2],
    ]);
  });
});
