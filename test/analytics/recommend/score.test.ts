import { describe, expect, it } from "vitest";
import { recommendFromNeighbours, type Neighbour } from "../../../app/analytics/index";

const lists = new Map<string, Neighbour[]>([
  ["a", [{ id: "b", score: 0.5 }, { id: "c", score: 0.3 }, { id: "d", score: -0.2 }, { id: "x", score: 0.9 }]],
  ["x", [{ id: "c", score: 0.4 }, { id: "d", score: 0.1 }, { id: "a", score: 0.2 }]],
]);

describe("the scoring rule", () => {
  it("sums the basket's rows, never returns a basket product and drops non-positive scores", () => {
    const list = recommendFromNeighbours(lists, { basket: ["a", "x"], limit: 10 }, 0.1);
    // c = 0.3 + 0.4, b = 0.5, d = −0.2 + 0.1 < 0; a and x are in the basket.
    expect(list.map((r) => [r.productId, r.source])).toEqual([["c", "basket"], ["b", "basket"]]);
    expect(list[0]!.score).toBeCloseTo(0.7, 12);
  });

  it("adds a known customer's history as historyWeight · log1p(times bought)", () => {
    const history = new Map([["e", 3], ["b", 1], ["a", 5]]);
    const list = recommendFromNeighbours(lists, { basket: ["a"], limit: 10, history }, 0.1);
    const byId = new Map(list.map((r) => [r.productId, r]));
    expect(byId.get("e")).toEqual({ productId: "e", score: 0.1 * Math.log1p(3), source: "history" });
    expect(byId.get("b")!.score).toBeCloseTo(0.5 + 0.1 * Math.log1p(1), 12);
    expect(byId.get("b")!.source).toBe("basket");
    expect(byId.has("a")).toBe(false); // bought before, but in the basket
    expect(recommendFromNeighbours(lists, { basket: ["a"], limit: 10, history }, 0).some((r) => r.productId === "e")).toBe(false);
  });

  it("filters with isAllowed, then fills from the fallback to the limit", () => {
    const list = recommendFromNeighbours(lists, { basket: ["a"], limit: 4, isAllowed: (id) => id !== "x" && id !== "f", fallback: ["a", "c", "f", "g", "h", "i"] }, 0.1);
    // x (0.9) is not allowed; b, c from the basket; the fallback skips a (basket), c (listed) and f (not allowed).
    expect(list).toEqual([
      { productId: "b", score: 0.5, source: "basket" },
      { productId: "c", score: 0.3, source: "basket" },
      { productId: "g", score: 0, source: "popular" },
      { productId: "h", score: 0, source: "popular" },
    ]);
  });

  it("breaks ties by id, honours the limit, and answers an empty basket from the fallback", () => {
    const tied = new Map<string, Neighbour[]>([["q", [{ id: "n2", score: 1 }, { id: "n1", score: 1 }, { id: "n3", score: 0.5 }]]]);
    expect(recommendFromNeighbours(tied, { basket: ["q"], limit: 2 }, 0).map((r) => r.productId)).toEqual(["n1", "n2"]);
    expect(recommendFromNeighbours(tied, { basket: [], limit: 2, fallback: ["p", "q", "r"] }, 0).map((r) => r.productId)).toEqual(["p", "q"]);
    expect(recommendFromNeighbours(tied, { basket: ["unknown"], limit: 3 }, 0)).toEqual([]);
  });
});
