// Basket completion (docs/recommendations.md §evaluation): hide one product of each later basket
// and ask for it back.
import { createRng } from "../util/random";
import type { Basket, CompletionMetrics, CompletionQuery } from "./types";

/**
 * One query per basket with ≥ 2 products, in the baskets' order: the product at a seeded random
 * position (createRng(seed), one draw per such basket) is hidden, the rest is the query's basket.
 */
export function completionQueries(baskets: readonly Basket[], seed: number): CompletionQuery[] {
  const rng = createRng(seed);
  const queries: CompletionQuery[] = [];
  for (const basket of baskets) {
    const items = [...new Set(basket.items)];
    if (items.length < 2) continue;
    const hide = Math.floor(rng() * items.length);
    queries.push({ basketId: basket.id, customerId: basket.customerId, basket: items.filter((_, k) => k !== hide), hidden: items[hide]! });
  }
  return queries;
}

/**
 * hit@5, hit@10 (the hidden product among the first 5 / 10) and MRR@10 (1 / its rank, 0 beyond 10),
 * averaged over the queries. Basket products in a list are skipped (they cannot be the answer, and
 * no method gains a slot by them); 0 queries → all zero.
 */
export function evaluateCompletion(queries: readonly CompletionQuery[], recommendFn: (query: CompletionQuery) => readonly string[]): CompletionMetrics {
  let hit5 = 0;
  let hit10 = 0;
  let reciprocal = 0;
  for (const query of queries) {
    const inBasket = new Set(query.basket);
    const list = recommendFn(query).filter((id) => !inBasket.has(id));
    const rank = list.slice(0, 10).indexOf(query.hidden);
    if (rank < 0) continue;
    hit10 += 1;
    if (rank < 5) hit5 += 1;
    reciprocal += 1 / (rank + 1);
  }
  const n = queries.length;
  return n === 0 ? { queries: 0, hit5: 0, hit10: 0, mrr10: 0 } : { queries: n, hit5: hit5 / n, hit10: hit10 / n, mrr10: reciprocal / n };
}
