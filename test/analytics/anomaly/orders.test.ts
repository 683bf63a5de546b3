import { describe, expect, it } from "vitest";
import { detectOrderAnomalies, parseOrderAnomalyModel, scoreOrdersWithModel, flaggedCount } from "../../../app/analytics/index";
import { DAY_MS, line, order, START_DAY, syntheticStore } from "./synthetic-orders";

const at = (day: number) => (START_DAY + day) * DAY_MS + 11 * 3_600_000;
const store = syntheticStore();
const planted = [
  order("jar", "c10", at(40), [line("1003", 7400, 1250), line("1001", 2, 750)]), // 600× the usual 12
  order("pence", "c11", at(41), [line("1002", 6, 10), line("1004", 24, 1500)]), // price ÷ 100
  order("cancelled", "c12", at(42), [line("1000", 300, 500), line("1005", 500, 1750)], { cancelled: true }),
];
const orders = [...store.orders, ...planted];
for (const o of planted.slice(2)) Object.assign(o, { refundedMilli: o.grossMilli });

describe("detectOrderAnomalies", () => {
  const detection = detectOrderAnomalies(orders, { seed: 42 });

  it("scores every order in input order and flags ceil(1 %) of them, the planted extremes among them", () => {
    expect(detection.orders.map((o) => o.id)).toEqual(orders.map((o) => o.id));
    const flagged = detection.orders.filter((o) => o.flagged);
    expect(flagged).toHaveLength(flaggedCount(orders.length, 0.01));
    expect(flagged).toHaveLength(Math.ceil(orders.length / 100));
    for (const id of ["jar", "pence", "cancelled"]) expect(flagged.map((o) => o.id)).toContain(id);
    expect(detection.threshold).toBe(Math.min(...flagged.map((o) => o.score)));
    expect(detection.orders.filter((o) => !o.flagged).every((o) => o.score <= detection.threshold)).toBe(true);
    expect(detection.orders.every((o) => o.score >= 0 && o.score <= 1)).toBe(true);
  });

  it("is deterministic for a seed and input-order independent in its flags", () => {
    const again = detectOrderAnomalies(orders, { seed: 42 });
    expect(again.orders).toEqual(detection.orders);
    const other = detectOrderAnomalies(orders, { seed: 43 });
    expect(other.orders.map((o) => o.score)).not.toEqual(detection.orders.map((o) => o.score));
  });

  it("names the right feature first on each planted order", () => {
    const reasonOf = (id: string) => detection.orders.find((o) => o.id === id)!.reasons[0]!;
    expect(reasonOf("jar").feature).toBe("line-quantity");
    // 7,400 is far beyond the most product 1003 sold in any other line (the store's own record for it)
    const record = Math.max(...store.orders.flatMap((o) => o.lines).filter((l) => l.productId === "1003").map((l) => l.quantity));
    expect(reasonOf("jar").text).toBe(`7,400 × product 1003 is ${Math.round(7400 / record).toLocaleString("en-US")}× the most this product sold in any other line (${record})`);
    expect(reasonOf("pence").feature).toBe("unit-price");
    expect(reasonOf("pence").text).toBe("product 1002 sold at 0.01; this product usually sells at 1.00");
    // cancelled says it all: neither the value nor the refunded share is repeated
    const cancelled = detection.orders.find((o) => o.id === "cancelled")!.reasons;
    expect(cancelled.find((r) => r.feature === "cancelled-extreme")!.text).toMatch(/^cancelled after it was placed: 1,025.00, [\d.,]+× the store's median order$/);
    expect(cancelled.map((r) => r.feature)).not.toContain("refund-share");
  });

  it("takes the budget as an option", () => {
    const wider = detectOrderAnomalies(orders, { seed: 42, budget: 0.05 });
    expect(wider.orders.filter((o) => o.flagged)).toHaveLength(Math.ceil(orders.length * 0.05));
    expect(() => detectOrderAnomalies(orders, { budget: 2 })).toThrow(/between 0 and 1/);
  });

  it("handles a store without orders", () => {
    const empty = detectOrderAnomalies([]);
    expect(empty.orders).toEqual([]);
    expect(scoreOrdersWithModel(parseOrderAnomalyModel(JSON.parse(JSON.stringify(empty.model))), planted, new Set(["jar"]))[0]!.score).toBeGreaterThan(0);
  });
});

describe("scoreOrdersWithModel", () => {
  const detection = detectOrderAnomalies(orders, { seed: 42 });
  const model = parseOrderAnomalyModel(JSON.parse(JSON.stringify(detection.model)));

  it("gives an order of the fitting data the score and reasons the fit gave it (stored yardsticks, forest)", () => {
    const target = planted[0]!;
    const customerOrders = orders.filter((o) => o.customerId === target.customerId);
    const [scored] = scoreOrdersWithModel(model, customerOrders, new Set([target.id]));
    const fitted = detection.orders.find((o) => o.id === target.id)!;
    expect(scored).toEqual(fitted);
    // an ordinary order too, with its customer's history
    const plain = store.orders.find((o) => o.customerId !== null)!;
    const [again] = scoreOrdersWithModel(model, orders.filter((o) => o.customerId === plain.customerId), new Set([plain.id]));
    expect(again).toEqual(detection.orders.find((o) => o.id === plain.id));
  });

  it("flags a new order at or above the stored threshold, with the stored product yardsticks", () => {
    const late = order("late", "c20", at(130), [line("1003", 9000, 1250)]);
    const [scored] = scoreOrdersWithModel(model, [late], new Set(["late"]));
    expect(scored!.flagged).toBe(true);
    expect(scored!.reasons[0]!.text).toMatch(/^9,000 × product 1003 is 750× this product's median quantity of 12$/);
    // 9,000 is within 2× of the fit's record for product 1003 (the planted 7,400 jars); product 1004's record is the store's own
    const record1004 = Math.max(...orders.flatMap((o) => o.lines).filter((l) => l.productId === "1004").map((l) => l.quantity));
    const beyond = order("beyond", "c20", at(130), [line("1004", record1004 * 5, 1500)]);
    const [b] = scoreOrdersWithModel(model, [beyond], new Set(["beyond"]));
    expect(b!.reasons[0]!.text).toBe(`${(record1004 * 5).toLocaleString("en-US")} × product 1004 is 5.0× the most this product sold in any other line (${record1004})`);
    // a product never seen in the fit has no price yardstick; its quantity is measured against the store's lines
    const unseen = order("unseen", "c20", at(131), [line("9999", 9000, 1)]);
    const [u] = scoreOrdersWithModel(model, [unseen], new Set(["unseen"]));
    expect(u!.reasons.find((r) => r.feature === "line-quantity")!.text).toMatch(/^9,000 × product 9999 is [\d,]+× the store's median line quantity of \d+$/);
    expect(u!.reasons.map((r) => r.feature)).not.toContain("unit-price");
  });

  it("scores only the targets", () => {
    const scored = scoreOrdersWithModel(model, orders.slice(0, 50), new Set([orders[3]!.id, orders[7]!.id]));
    expect(scored.map((s) => s.id)).toEqual([orders[3]!.id, orders[7]!.id]);
  });
});
