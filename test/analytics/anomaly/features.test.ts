import { describe, expect, it } from "vitest";
import {
  fitOrderYardsticks,
  measureOrders,
  ORDER_FEATURES,
  FEATURE_COUNT,
  columnOf,
  QUANTITY_MEASURE,
  RECORD_STRENGTH_PER_DOUBLING,
} from "../../../app/analytics/anomaly/features";
import { orderFeatureMatrix } from "../../../app/analytics/index";
import { DAY_MS, line, order, START_DAY, syntheticStore } from "./synthetic-orders";

const at = (day: number, hour = 10) => (START_DAY + day) * DAY_MS + hour * 3_600_000;

function featuresOf(orders: Parameters<typeof fitOrderYardsticks>[0], id: string) {
  const rows = measureOrders(orders, fitOrderYardsticks(orders));
  const i = orders.findIndex((o) => o.id === id);
  return Object.fromEntries(ORDER_FEATURES.map((f) => [f, rows.values[i * FEATURE_COUNT + columnOf(f)]!]));
}

describe("order features", () => {
  const store = syntheticStore();

  it("are robust z-scores: an ordinary order has none above 3, every column is finite and ≥ 0", () => {
    const matrix = orderFeatureMatrix(store.orders);
    expect(matrix.columns).toEqual(ORDER_FEATURES);
    expect(matrix.values.length).toBe(store.orders.length * ORDER_FEATURES.length);
    expect(matrix.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    const ordinary = featuresOf(store.orders, store.orders[5]!.id);
    expect(Math.max(...Object.values(ordinary))).toBeLessThan(3);
  });

  it("measure a line's quantity against its product's median, and a price against its usual price", () => {
    const planted = [
      order("q", "c1", at(60), [line("1003", 1200, 1250)]), // product 1003 usually 12 at 1.25
      order("p", "c2", at(61), [line("1003", 12, 13)]), // price ÷ 100
      order("new", "c3", at(62), [line("never-seen", 5000, 1)]),
    ];
    const orders = [...store.orders, ...planted];
    const q = featuresOf(orders, "q");
    expect(q["line-quantity"]).toBeGreaterThan(8); // log(100) / scale ≥ 0.5 floor → ≈ 9
    expect(q["unit-price"]).toBeLessThan(1);
    const p = featuresOf(orders, "p");
    expect(p["unit-price"]).toBeGreaterThan(10);
    expect(p["line-quantity"]).toBeLessThan(3);
    // a product never seen before the fit still gets a yardstick from its own line (the fit includes it);
    // scored against a model without it, it gets none (orders.test)
    expect(featuresOf(orders, "new")["unit-price"]).toBe(0);
  });

  it("measure a line beyond its product's record against the largest other line (leave-one-out), from 2× on", () => {
    const record = (orders: readonly { lines: readonly { productId: string | null; quantity: number }[] }[]) =>
      Math.max(...orders.flatMap((o) => o.lines).filter((l) => l.productId === "1003").map((l) => l.quantity));
    const largest = record(store.orders); // product 1003 usually sells 6–18
    const orders = [...store.orders, order("typo", "c1", at(60), [line("1003", 7400, 1250)]), order("twice", "c2", at(61), [line("1004", 24 * 3, 1500)])];
    const rows = measureOrders(orders, fitOrderYardsticks(orders));
    const i = orders.findIndex((o) => o.id === "typo");
    expect(rows.quantityMeasure[i]).toBe(QUANTITY_MEASURE.productRecord);
    // in the fit the typo is the product's record: it is measured against the second largest line, the real record
    expect(rows.values[i * FEATURE_COUNT + columnOf("line-quantity")]).toBeCloseTo(RECORD_STRENGTH_PER_DOUBLING * Math.log2(7400 / largest), 9);
    // the product's other lines are below the record: no record strength, measured against their median as before
    const ordinary = orders.findIndex((o) => o.lines.some((l) => l.productId === "1003" && l.quantity === largest));
    expect(rows.quantityMeasure[ordinary]).toBe(QUANTITY_MEASURE.productMedian);
    expect(rows.values[ordinary * FEATURE_COUNT + columnOf("line-quantity")]).toBeLessThan(3);
  });

  it("score a free line in a paid order as its product's furthest price error (priced at 0.001) or by what it gave away, whichever is stronger; only in paid orders", () => {
    const orders = [
      ...store.orders,
      order("small-gift", "c4", at(63), [line("1001", 2, 750), line("1002", 6, 0)]), // 6.00 given away: less than a median order
      order("big-gift", "c4", at(64), [line("1001", 2, 750), line("1002", 6000, 0)]), // 6,000.00 given away
      order("all-free", null, at(65), [line("1002", 6000, 0)]),
    ];
    // product 1002 always sells at 1.00: MAD 0, so the price scale is its floor 0.25
    const asPriceError = Math.log(1000 / 1) / 0.25;
    expect(featuresOf(orders, "small-gift")["zero-price"]).toBeCloseTo(asPriceError, 9);
    // further out than the product's worst paid price error (÷ 100)
    const pence = featuresOf([...orders, order("pence", "c5", at(66), [line("1001", 2, 750), line("1002", 6, 10)])], "pence");
    expect(pence["unit-price"]).toBeLessThan(asPriceError);
    expect(featuresOf(orders, "big-gift")["zero-price"]).toBeGreaterThanOrEqual(asPriceError);
    expect(featuresOf(orders, "all-free")["zero-price"]).toBe(0); // a wholly free order is a giveaway, not a price error
    const rows = measureOrders(orders, fitOrderYardsticks(orders));
    expect(rows.givenAwayMilli[orders.findIndex((o) => o.id === "big-gift")]).toBeCloseTo(6000 * 1000, 3); // product 1002 sells at 1.00
  });

  it("measure a product with fewer than 3 lines against the store's line quantities", () => {
    const orders = [...store.orders, order("rare", "c7", at(66), [line("rare-product", 80_000, 2080)])];
    const rows = measureOrders(orders, fitOrderYardsticks(orders));
    const i = orders.length - 1;
    expect(rows.quantityMeasure[i]).toBe(QUANTITY_MEASURE.store);
    expect(rows.values[i * FEATURE_COUNT + columnOf("line-quantity")]).toBeGreaterThan(3);
    // with 3 lines of its own, the product is its own yardstick again: the same quantity every time is ordinary
    const own = [0, 1, 2].map((k) => order(`own-${k}`, "c8", at(67 + k), [line("rare-product", 80_000, 2080)]));
    const ownRows = measureOrders([...store.orders, ...own], fitOrderYardsticks([...store.orders, ...own]));
    expect(ownRows.quantityMeasure[store.orders.length]).toBe(QUANTITY_MEASURE.productMedian);
    expect(ownRows.values[store.orders.length * FEATURE_COUNT + columnOf("line-quantity")]).toBe(0);
  });

  it("count a customer's orders in the 24 hours up to each order (bursts)", () => {
    const burst = [0, 1, 2, 3, 4].map((k) => order(`b${k}`, "burster", at(70, 9) + k * 1_200_000, [line("1000", 1, 500)]));
    const orders = [...store.orders, ...burst];
    const rows = measureOrders(orders, fitOrderYardsticks(orders));
    const counts = burst.map((b) => rows.burstCount[orders.findIndex((o) => o.id === b.id)]);
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    // a burst is one event: only its peak (the last order) carries the feature, so it takes one review place
    expect(featuresOf(orders, "b4").burst).toBeGreaterThanOrEqual(8);
    for (const id of ["b0", "b1", "b2", "b3"]) expect(featuresOf(orders, id).burst).toBe(0);
  });

  it("compare an order with the customer's earlier orders only from two earlier orders on", () => {
    const history = [
      order("h1", "loyal", at(1), [line("1000", 2, 500)]),
      order("h2", "loyal", at(2), [line("1000", 2, 500)]),
      order("h3", "loyal", at(3), [line("1000", 400, 500)]),
    ];
    const orders = [...store.orders, ...history];
    expect(featuresOf(orders, "h2")["value-vs-customer"]).toBe(0);
    expect(featuresOf(orders, "h3")["value-vs-customer"]).toBeGreaterThan(8);
  });

  it("mark extreme first orders, and score what an order lost (cancelled: its value; else the amount refunded)", () => {
    const big = [line("1003", 12, 1250), line("1004", 24, 1500), line("1005", 600, 1750)];
    const orders = [
      ...store.orders,
      order("first", "newcomer", at(80), big),
      order("cancelled", "c5", at(81), big, { cancelled: true }),
      order("refunded", "c6", at(82), [line("1000", 1, 500)]),
      order("big-refund", "c6", at(83), big),
    ];
    const refunded = orders.map((o) => (o.id === "refunded" ? { ...o, refundedMilli: 475 } : o.id === "big-refund" ? { ...o, refundedMilli: Math.round(o.grossMilli * 0.95) } : o));
    const first = featuresOf(refunded, "first");
    expect(first["first-order"]).toBe(first["value-vs-store"]);
    expect(first["first-order"]).toBeGreaterThan(3);
    const cancelled = featuresOf(refunded, "cancelled");
    expect(cancelled["cancelled-extreme"]).toBe(cancelled["value-vs-store"]);
    const bigRefund = featuresOf(refunded, "big-refund");
    expect(bigRefund["cancelled-extreme"]).toBeGreaterThan(3);
    expect(bigRefund["cancelled-extreme"]).toBeLessThan(bigRefund["value-vs-store"]); // 95 % of it
    // a small order refunded almost in full: a high share, but little lost
    expect(featuresOf(refunded, "refunded")["refund-share"]).toBeCloseTo(9.5, 6); // 95 % / floor 0.1
    expect(featuresOf(refunded, "refunded")["cancelled-extreme"]).toBe(0);
  });
});
