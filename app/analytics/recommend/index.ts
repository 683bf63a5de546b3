// Recommendations (docs/recommendations.md): baskets, Segmint's recommender (exact EASE on the
// head, cosine on the tail), the one scoring rule, association rules and basket-completion
// evaluation. Pure.
export * from "./types";
export { isNonProductCode, basketsFromOrders, customerHistories, popularProducts, DEFAULT_POPULAR_LIMIT } from "./baskets";
export { RECOMMENDER_VERSION, DEFAULT_RECOMMENDER_OPTIONS, trainRecommender, trainBaseline, type BaselineKind, type TrainProgress } from "./train";
export { recommendFromNeighbours, recommend, neighboursOf, neighbourLists } from "./score";
export { DEFAULT_RULE_OPTIONS, mineRules } from "./rules";
export { completionQueries, evaluateCompletion } from "./evaluate";
export { serializeRecommender, parseRecommender } from "./serialize";
