import { describe, expect, it } from "vitest";
import { basketsFromOrders, customerHistories, isNonProductCode, popularProducts, type Basket, type BasketOrder } from "../../../app/analytics/index";

const line = (productId: string | null, quantity = 1, refundedQuantity = 0) => ({ productId, quantity, refundedQuantity });
const order = (id: string, lines: BasketOrder["lines"], extra: Partial<BasketOrder> = {}): BasketOrder => ({ id, customerId: "c1", day: 10, cancelled: false, lines, ...extra });

describe("baskets from orders", () => {
  it("drop cancelled orders, refunded and returned lines, custom and non-product lines", () => {
    const baskets = basketsFromOrders(
      [
        order("1", [line("p2"), line("p1", 2), line("p1", 1), line("p3", 2, 2), line("p4", 3, 1), line(null), line("POST")]),
        order("2", [line("p1")], { cancelled: true }),
        order("3", [line("p5", 1, 1), line("POST")]), // nothing left: no basket
        order("4", [line("p6", 0), line("p7", -2)]),
      ],
      { isProduct: (id) => !isNonProductCode(id) },
    );
    // p3 refunded in full is out, p4 half refunded stays; p1 twice counts once; sorted by id.
    expect(baskets).toEqual([{ id: "1", customerId: "c1", day: 10, items: ["p1", "p2", "p4"] }]);
  });

  it("know Online Retail's service codes", () => {
    for (const code of ["POST", "DOT", "M", "m", "BANK CHARGES", "D", "S", "C2", "CRUK", "PADS", "AMAZONFEE", "B", " POST ", "gift_0001_20"]) expect(isNonProductCode(code)).toBe(true);
    for (const code of ["85123A", "22423", "POSTAGE-BOX", "gift_0002", "DCGS0003"]) expect(isNonProductCode(code)).toBe(false);
  });
});

describe("histories and popular products", () => {
  const baskets: Basket[] = [
    { id: "1", customerId: "a", day: 1, items: ["x", "y"] },
    { id: "2", customerId: "a", day: 2, items: ["x"] },
    { id: "3", customerId: "b", day: 2, items: ["z", "y"] },
    { id: "4", customerId: null, day: 3, items: ["z", "w"] },
    { id: "5", customerId: "b", day: 3, items: ["z"] },
  ];

  it("count each known customer's baskets per product (guests left out)", () => {
    const histories = customerHistories(baskets);
    expect([...histories.keys()]).toEqual(["a", "b"]);
    expect(Object.fromEntries(histories.get("a")!)).toEqual({ x: 2, y: 1 });
    expect(Object.fromEntries(histories.get("b")!)).toEqual({ z: 2, y: 1 });
  });

  it("rank by baskets, ties by id, for the store and per segment", () => {
    const segments: Record<string, string> = { a: "loyal", b: "new" };
    const popular = popularProducts(baskets, { segmentOf: (c) => segments[c] ?? null });
    expect(popular).toEqual({ all: ["z", "x", "y", "w"], loyal: ["x", "y"], new: ["z", "y"] });
    expect(popularProducts(baskets, { limit: 2 })).toEqual({ all: ["z", "x"] });
  });
});
