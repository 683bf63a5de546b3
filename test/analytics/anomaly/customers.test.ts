import { describe, expect, it } from "vitest";
import { detectCustomerAnomalies, detectOrderAnomalies } from "../../../app/analytics/index";
import { DAY_MS, line, order, START_DAY, syntheticStore } from "./synthetic-orders";

const at = (day: number, hour = 10) => (START_DAY + day) * DAY_MS + hour * 3_600_000;
const store = syntheticStore(21);
const whale = Array.from({ length: 15 }, (_, k) => order(`w${k}`, "whale", at(5 + 7 * k), [line("1003", 120, 1250), line("1004", 240, 1500)]));
const returner = Array.from({ length: 5 }, (_, k) => {
  const o = order(`r${k}`, "returner", at(10 + 9 * k), [line("1001", 2, 750), line("1000", 1, 500)]);
  return { ...o, refundedMilli: Math.round(o.grossMilli * 0.8) };
});
const burster = Array.from({ length: 6 }, (_, k) => order(`b${k}`, "burster", at(60) + k * 600_000, [line("1000", 1, 500)]));
const orders = [...store.orders, ...whale, ...returner, ...burster];

describe("detectCustomerAnomalies", () => {
  const scoredOrders = detectOrderAnomalies(orders, { seed: 42 }).orders;
  const customers = detectCustomerAnomalies(orders, scoredOrders, { seed: 42 });
  const of = (id: string) => customers.find((c) => c.customerId === id)!;

  it("scores every customer with an order, guests excluded", () => {
    const ids = new Set(orders.flatMap((o) => (o.customerId === null ? [] : [o.customerId])));
    expect(customers.map((c) => c.customerId).sort()).toEqual([...ids].sort());
    expect(customers.every((c) => c.score >= 0 && c.score <= 1)).toBe(true);
  });

  it("calls a big spender with a healthy pattern a whale, with the spend in words", () => {
    expect(of("whale").kind).toBe("whale");
    expect(of("whale").reasons[0]!.feature).toBe("spend");
    expect(of("whale").reasons[0]!.text).toMatch(/^spent 7,650.00 over 15 orders, [\d,.]+× the median customer's /);
  });

  it("sends heavy returners and bursts to review with the reason", () => {
    expect(of("returner").kind).toBe("review");
    expect(of("returner").reasons.map((r) => r.text)).toContain("returned 80 % of the 10.00 they bought");
    expect(of("burster").kind).toBe("review");
    expect(of("burster").reasons.map((r) => r.text)).toContain("6 orders within 24 hours");
  });

  it("leaves most customers normal, and a segmentation outlier with high spend can be a whale", () => {
    expect(customers.filter((c) => c.kind === "normal").length).toBeGreaterThan(customers.length * 0.8);
    const spend = (id: string) => orders.filter((o) => o.customerId === id).reduce((s, o) => s + o.grossMilli, 0);
    const top = customers.filter((c) => c.kind === "normal").sort((a, b) => spend(b.customerId) - spend(a.customerId))[0]!;
    const withOutlier = detectCustomerAnomalies(orders, scoredOrders, { seed: 42, segmentOutliers: new Set([top.customerId]) });
    const kind = withOutlier.find((c) => c.customerId === top.customerId)!.kind;
    expect(["whale", "normal"]).toContain(kind); // whale only when its spend z reaches 2
  });
});
