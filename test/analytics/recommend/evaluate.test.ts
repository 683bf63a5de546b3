import { describe, expect, it } from "vitest";
import { completionQueries, evaluateCompletion, type Basket, type CompletionQuery } from "../../../app/analytics/index";

const baskets: Basket[] = Array.from({ length: 40 }, (_, k) => ({
  id: `o${k}`,
  customerId: k % 3 === 0 ? null : `c${k % 5}`,
  day: k,
  items: Array.from({ length: 1 + (k % 6) }, (_, m) => `p${(k + m * 7) % 30}`).sort(),
}));

describe("basket-completion queries", () => {
  it("hide one product of every basket with ≥ 2, reproducibly for a seed", () => {
    const queries = completionQueries(baskets, 7);
    expect(queries).toEqual(completionQueries(baskets, 7));
    expect(queries.map((q) => q.hidden)).not.toEqual(completionQueries(baskets, 8).map((q) => q.hidden));
    expect(queries.map((q) => q.basketId)).toEqual(baskets.filter((b) => b.items.length >= 2).map((b) => b.id));
    for (const q of queries) {
      const basket = baskets.find((b) => b.id === q.basketId)!;
      expect([...q.basket, q.hidden].sort()).toEqual([...basket.items]);
      expect(q.customerId).toBe(basket.customerId);
    }
  });
});

describe("completion metrics", () => {
  const q = (hidden: string, basket: string[] = ["in"]): CompletionQuery => ({ basketId: hidden, customerId: null, basket, hidden });
  it("count hits at 5 and 10 and the reciprocal rank, skipping basket products in a list", () => {
    const lists: Record<string, string[]> = {
      h1: ["h1", "a"], // rank 1
      h2: ["a", "in", "b", "c", "d", "h2"], // rank 6, but "in" is the basket's: rank 5
      h3: ["a", "b", "c", "d", "e", "f", "g", "h3"], // rank 8
      h4: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "h4"], // rank 11: a miss
    };
    const metrics = evaluateCompletion([q("h1"), q("h2"), q("h3"), q("h4")], (query) => lists[query.hidden]!);
    expect(metrics.queries).toBe(4);
    expect(metrics.hit5).toBeCloseTo(2 / 4, 12);
    expect(metrics.hit10).toBeCloseTo(3 / 4, 12);
    expect(metrics.mrr10).toBeCloseTo((1 + 1 / 5 + 1 / 8) / 4, 12);
    expect(evaluateCompletion([], () => [])).toEqual({ queries: 0, hit5: 0, hit10: 0, mrr10: 0 });
  });
});
