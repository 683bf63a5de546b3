import { describe, expect, it } from "vitest";
import { neighboursOf, recommend, trainBaseline, trainRecommender, type Basket } from "../../../app/analytics/index";
import { syntheticBaskets } from "./synthetic-baskets";

const baskets = syntheticBaskets(400, 60, 3);

describe("training", () => {
  it("keeps each row's largest |weight| entries of the untruncated model, signs kept", () => {
    const full = trainRecommender(baskets, { neighbours: 1000 });
    const truncated = trainRecommender(baskets, { neighbours: 5 });
    let negatives = 0;
    for (const id of full.items) {
      const all = neighboursOf(full, id);
      const kept = neighboursOf(truncated, id);
      expect(kept).toEqual(all.slice(0, 5));
      const smallestKept = Math.min(...kept.map((n) => Math.abs(n.score)));
      for (const dropped of all.slice(5)) expect(Math.abs(dropped.score)).toBeLessThanOrEqual(smallestKept);
      negatives += kept.filter((n) => n.score < 0).length;
    }
    expect(negatives).toBeGreaterThan(0);
  });

  it("is deterministic: the same baskets in any order give the same model", () => {
    const shuffled = [...baskets].reverse();
    expect(trainRecommender(shuffled)).toEqual(trainRecommender(baskets));
  });

  it("uses the sparse tail beyond headMax: rows stay within `neighbours` and hold only co-bought products", () => {
    const model = trainRecommender(baskets, { headMax: 10, neighbours: 8 });
    expect(model.head).toBe(10);
    const together = new Map<string, Set<string>>();
    for (const b of baskets) for (const i of b.items) for (const j of b.items) if (i !== j) together.set(i, (together.get(i) ?? new Set()).add(j));
    for (const id of model.items) {
      const row = neighboursOf(model, id);
      expect(row.length).toBeLessThanOrEqual(8);
      for (const n of row) expect(together.get(id)?.has(n.id)).toBe(true);
    }
    // Items are ranked by baskets holding them: the head is the most bought.
    expect(model.counts.slice(0, 10).every((c) => c >= model.counts[10]!)).toBe(true);
  });

  it("reports progress up to its total", () => {
    const seen: [number, number][] = [];
    trainRecommender(baskets, { headMax: 20 }, (done, total) => seen.push([done, total]));
    const total = seen[0]![1];
    expect(seen.every(([, t]) => t === total)).toBe(true);
    expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((a, b) => a - b));
    expect(seen.at(-1)![0]).toBe(total);
  });

  it("refuses bad options in plain words", () => {
    expect(() => trainRecommender(baskets, { lambda: 0 })).toThrow(/lambda must be a positive number/);
    expect(() => trainRecommender(baskets, { neighbours: 0 })).toThrow(/neighbours must be a whole number/);
  });

  it("trains on no baskets to a model that answers from popularity only", () => {
    const model = trainRecommender([]);
    expect(model.items).toEqual([]);
    expect(recommend(model, { basket: ["x"], limit: 3, fallback: ["y"] }).map((r) => r.productId)).toEqual(["y"]);
  });
});

describe("baselines as models", () => {
  const small: Basket[] = ["ab", "ab", "abc", "bc", "cd", "a"].map((s, k) => ({ id: `${k}`, customerId: null, day: 0, items: [...s] }));

  it("popularity recommends the most bought products not in the basket", () => {
    const model = trainBaseline(small, "popularity");
    expect(recommend(model, { basket: ["b"], limit: 2 }).map((r) => [r.productId, r.source])).toEqual([["a", "popular"], ["c", "popular"]]);
  });

  it("co-occurrence weights are raw pair counts; item-kNN's are cosine", () => {
    const counts = trainBaseline(small, "cooccurrence");
    expect(neighboursOf(counts, "b")).toEqual([{ id: "a", score: 3 }, { id: "c", score: 2 }]);
    const cosine = trainBaseline(small, "item-knn");
    // a: 4 baskets, b: 4, c: 3; ab together 3, bc 2.
    expect(neighboursOf(cosine, "b").map((n) => n.id)).toEqual(["a", "c"]);
    expect(neighboursOf(cosine, "b")[0]!.score).toBeCloseTo(3 / 4, 12);
    expect(neighboursOf(cosine, "b")[1]!.score).toBeCloseTo(2 / Math.sqrt(12), 12);
  });
});
