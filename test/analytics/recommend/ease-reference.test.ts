// The recommender against scripts/reference/ease_reference.py (numpy): exact EASE weights, the
// truncated rows, the scoring rule's lists, and the head/tail split with a small headMax.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { neighboursOf, recommend, trainRecommender, type Basket, type Neighbour } from "../../../app/analytics/index";

interface Reference {
  baskets: string[][];
  exact: { lambda: number; ids: string[]; B: number[][]; top: Record<string, Neighbour[]>; queries: { basket: string[]; limit: number; list: { productId: string; score: number }[] }[] };
  headTail: { lambda: number; headMax: number; neighbours: number; head: string[]; scale: number; rows: Record<string, Neighbour[]> };
}
const reference = JSON.parse(readFileSync(new URL("../../fixtures/reference/recommend-ease.json", import.meta.url), "utf8")) as Reference;
const baskets: Basket[] = reference.baskets.map((items, k) => ({ id: `b${k}`, customerId: null, day: 0, items }));

function expectClose(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function expectSameRow(actual: readonly Neighbour[], expected: readonly Neighbour[]) {
  expect(actual.map((n) => n.id)).toEqual(expected.map((n) => n.id));
  actual.forEach((n, k) => expectClose(n.score, expected[k]!.score));
}

describe("Segmint's recommender equals numpy's EASE", () => {
  const { ids, B, lambda } = reference.exact;

  it("every weight of the full matrix B (no truncation, whole catalogue in the head)", () => {
    const model = trainRecommender(baskets, { lambda, headMax: 100, neighbours: ids.length });
    expect(model.head).toBe(ids.length);
    ids.forEach((id, i) => {
      const row = new Map(neighboursOf(model, id).map((n) => [n.id, n.score]));
      ids.forEach((other, j) => {
        if (i === j) expect(row.has(other)).toBe(false);
        else expectClose(row.get(other) ?? 0, B[i]![j]!);
      });
    });
  });

  it("keeps each row's largest |weight| entries, signs and all", () => {
    const model = trainRecommender(baskets, { lambda, headMax: 100, neighbours: 4 });
    for (const id of ids) expectSameRow(neighboursOf(model, id), reference.exact.top[id]!);
    // The fixture's top lists do hold negative weights: truncation keeps them.
    expect(Object.values(reference.exact.top).flat().some((n) => n.score < 0)).toBe(true);
  });

  it("scores a basket as the sum of its products' rows", () => {
    const model = trainRecommender(baskets, { lambda, headMax: 100, neighbours: ids.length });
    for (const query of reference.exact.queries) {
      const list = recommend(model, { basket: query.basket, limit: query.limit, fallback: [] });
      expect(list.map((r) => r.productId)).toEqual(query.list.map((r) => r.productId));
      list.forEach((r, k) => expectClose(r.score, query.list[k]!.score));
    }
  });
});

describe("beyond headMax the tail method takes over", () => {
  const { lambda, headMax, neighbours, head, rows } = reference.headTail;
  const model = trainRecommender(baskets, { lambda, headMax, neighbours });

  it("solves exactly the products in most baskets and uses scaled cosine for the rest", () => {
    expect(model.head).toBe(headMax);
    expect(model.items.slice(0, headMax)).toEqual(head);
    for (const id of model.items) expectSameRow(neighboursOf(model, id), rows[id]!);
  });

  it("differs from the exact model on pairs with a tail product (the split is real)", () => {
    const exact = trainRecommender(baskets, { lambda, headMax: 100, neighbours });
    const tailProduct = model.items[headMax]!;
    expect(neighboursOf(model, tailProduct)).not.toEqual(neighboursOf(exact, tailProduct));
    // Cosine is never negative: a tail row holds no negative weight.
    expect(neighboursOf(model, tailProduct).every((n) => n.score > 0)).toBe(true);
  });
});
