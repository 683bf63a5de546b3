import { describe, expect, it } from "vitest";
import { detectOrderAnomalies, nameReasonProducts, type AnomalyReason } from "../../../app/analytics/index";
import { DAY_MS, line, order, START_DAY, syntheticStore } from "./synthetic-orders";

const at = (day: number, hour = 10) => (START_DAY + day) * DAY_MS + hour * 3_600_000;
const store = syntheticStore(11);
const burst = [0, 1, 2, 3, 4, 5].map((k) => order(`burst-${k}`, "c99", at(50) + k * 900_000, [line("1000", 1, 500)]));
const planted = [
  order("free", "c30", at(41), [line("1001", 2, 750), line("1029", 480, 0)]), // 20× its usual 24 and over 10× its record, free: 1,680.00 given away
  order("first", "brand-new", at(42), [line("1003", 2400, 1250), line("1004", 4800, 1500)]),
  ...burst,
];
const orders = [...store.orders, ...planted];
const names = new Map([["1029", "JUMBO BAG RED RETROSPOT"], ["1003", "MEDIUM CERAMIC TOP STORAGE JAR"]]);
const gbp = (milli: number) => `£${(milli / 1000).toFixed(2)}`;

describe("order reasons", () => {
  const detection = detectOrderAnomalies(orders, { seed: 42, productNames: names, formatMoney: gbp });
  const reasonsOf = (id: string) => detection.orders.find((o) => o.id === id)!.reasons;

  it("name the planted feature in plain words with the numbers, products by name, money in the shop's format", () => {
    // the free line is the product's furthest price error; its quantity is beyond the product's record too
    expect(reasonsOf("free").map((r) => r.feature)).toEqual(["zero-price", "line-quantity"]);
    expect(reasonsOf("free")[1]!.text).toMatch(/^480 × JUMBO BAG RED RETROSPOT is [\d.,]+× the most this product sold in any other line \([\d,]+\)$/);
    expect(reasonsOf("free")[0]).toMatchObject({ feature: "zero-price", productId: "1029", text: "JUMBO BAG RED RETROSPOT sold at £0.00; this product usually sells at £3.50, so £1680.00 given away" });
    const first = reasonsOf("first").find((r) => r.feature === "first-order")!;
    expect(first.text).toMatch(/^first order, £10200.00, [\d.,]+× the store's median order$/);
    // the value reason would repeat the first-order reason's numbers
    expect(reasonsOf("first").map((r) => r.feature)).not.toContain("value-vs-store");
    expect(reasonsOf("burst-5")[0]).toMatchObject({ feature: "burst", text: "6 orders within 24 hours" });
  });

  it("keep at most 3, strongest first, each at least 3 robust z; none for an ordinary order", () => {
    for (const o of detection.orders) {
      expect(o.reasons.length).toBeLessThanOrEqual(3);
      expect(o.reasons.every((r) => r.strength >= 3)).toBe(true);
      expect(o.reasons.map((r) => r.strength)).toEqual([...o.reasons.map((r) => r.strength)].sort((a, b) => b - a));
    }
    expect(reasonsOf(store.orders[0]!.id)).toEqual([]);
  });

  it("are deterministic for a seed", () => {
    const again = detectOrderAnomalies(orders, { seed: 42, productNames: names, formatMoney: gbp });
    expect(again.orders.map((o) => o.reasons)).toEqual(detection.orders.map((o) => o.reasons));
  });

  it("render again with names learned later, from the numbers they keep", () => {
    const unnamed = detectOrderAnomalies(orders, { seed: 42 });
    const reasons = unnamed.orders.find((o) => o.id === "free")!.reasons;
    expect(reasons[0]!.text).toBe("product 1029 sold at 0.00; this product usually sells at 3.50, so 1,680.00 given away");
    const named = nameReasonProducts(reasons, names, gbp);
    expect(named[1]!.text).toMatch(/^480 × JUMBO BAG RED RETROSPOT is /);
    expect(named[0]!.text).toBe("JUMBO BAG RED RETROSPOT sold at £0.00; this product usually sells at £3.50, so £1680.00 given away");
    const other: AnomalyReason = { feature: "spend", text: "kept as it is", strength: 4 };
    expect(nameReasonProducts([other], names)).toEqual([other]);
  });
});
