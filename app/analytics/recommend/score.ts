// THE scoring rule (docs/recommendations.md §scoring): one place, used by the evaluation, the CLI
// and the storefront proxy alike.
import type { Neighbour, Recommendation, RecommenderModel, RecommendQuery } from "./types";

/**
 * score(j) = Σ_{i ∈ basket} w_ij + historyWeight · log1p(times the customer bought j). Products in the
 * basket are never returned, `isAllowed` filters, only positive scores count (a negative sum means
 * the basket argues against the product), best first (ties by id); then `fallback` fills the list
 * to `limit` with source "popular". A product's source is the larger of its two parts.
 */
export function recommendFromNeighbours(lists: ReadonlyMap<string, readonly Neighbour[]>, query: RecommendQuery, historyWeight: number): Recommendation[] {
  const inBasket = new Set(query.basket);
  const fromBasket = new Map<string, number>();
  for (const item of inBasket) {
    for (const neighbour of lists.get(item) ?? []) fromBasket.set(neighbour.id, (fromBasket.get(neighbour.id) ?? 0) + neighbour.score);
  }
  return rank(fromBasket, inBasket, query, historyWeight);
}

/** The rule's second half: the basket's sums (Σ_{i ∈ basket} w_ij per product j) → the list. */
function rank(fromBasket: ReadonlyMap<string, number>, inBasket: ReadonlySet<string>, query: RecommendQuery, historyWeight: number): Recommendation[] {
  const limit = Math.max(0, Math.floor(query.limit));
  const allowed = (id: string) => !inBasket.has(id) && (query.isAllowed ? query.isAllowed(id) : true);
  const fromHistory = new Map<string, number>();
  if (query.history && historyWeight > 0) {
    for (const [id, times] of query.history) if (times > 0) fromHistory.set(id, historyWeight * Math.log1p(times));
  }
  // The best `limit` kept in order as candidates stream by (a list is short, a candidate set can be
  // thousands): isAllowed is asked only of candidates that would enter the list.
  const list: Recommendation[] = [];
  const outranks = (score: number, id: string, other: Recommendation) => score > other.score || (score === other.score && id < other.productId);
  const consider = (id: string, basketPart: number, historyPart: number) => {
    const score = basketPart + historyPart;
    if (!(score > 0) || limit === 0) return;
    if (list.length === limit && !outranks(score, id, list[limit - 1]!)) return;
    if (!allowed(id)) return;
    let at = list.length;
    while (at > 0 && outranks(score, id, list[at - 1]!)) at--;
    list.splice(at, 0, { productId: id, score, source: historyPart > basketPart ? "history" : "basket" });
    if (list.length > limit) list.pop();
  };
  for (const [id, basketPart] of fromBasket) consider(id, basketPart, fromHistory.get(id) ?? 0);
  for (const [id, historyPart] of fromHistory) if (!fromBasket.has(id)) consider(id, 0, historyPart);
  if (list.length < limit && query.fallback) {
    const taken = new Set(list.map((r) => r.productId));
    for (const id of query.fallback) {
      if (list.length >= limit) break;
      if (taken.has(id) || !allowed(id)) continue;
      taken.add(id);
      list.push({ productId: id, score: 0, source: "popular" });
    }
  }
  return list;
}

// Each model's product → index, built once (a model is immutable once trained or parsed).
const indexByModel = new WeakMap<RecommenderModel, Map<string, number>>();

function indexOf(model: RecommenderModel): Map<string, number> {
  let index = indexByModel.get(model);
  if (!index) indexByModel.set(model, (index = new Map(model.items.map((id, i) => [id, i]))));
  return index;
}

/** Every product's neighbour list (what the app stores per product). */
export function neighbourLists(model: RecommenderModel): Map<string, Neighbour[]> {
  return new Map(model.items.map((id, i) => [id, rowOf(model, i)]));
}

function rowOf(model: RecommenderModel, i: number): Neighbour[] {
  const row: Neighbour[] = [];
  for (let k = model.offsets[i]!; k < model.offsets[i + 1]!; k++) row.push({ id: model.items[model.neighbourIndex[k]!]!, score: model.weights[k]! });
  return row;
}

/** A product's neighbours, largest |weight| first; [] for a product the model does not know. */
export function neighboursOf(model: RecommenderModel, productId: string): Neighbour[] {
  const i = indexOf(model).get(productId);
  return i === undefined ? [] : rowOf(model, i);
}

/**
 * The model's list for a query: the same rule as recommendFromNeighbours over the model's rows
 * (summed by product index, not by id: long baseline rows stay fast), with the model's history
 * weight; without a `fallback`, the training baskets' most popular products fill the list.
 */
export function recommend(model: RecommenderModel, query: RecommendQuery): Recommendation[] {
  const index = indexOf(model);
  const inBasket = new Set(query.basket);
  const sums = new Float64Array(model.items.length);
  const touched: number[] = [];
  for (const item of inBasket) {
    const i = index.get(item);
    if (i === undefined) continue;
    for (let k = model.offsets[i]!; k < model.offsets[i + 1]!; k++) {
      const j = model.neighbourIndex[k]!;
      if (sums[j] === 0) touched.push(j);
      sums[j] = sums[j]! + model.weights[k]!;
    }
  }
  const fromBasket = new Map(touched.map((j) => [model.items[j]!, sums[j]!]));
  return rank(fromBasket, inBasket, { ...query, fallback: query.fallback ?? model.items }, model.params.historyWeight);
}
