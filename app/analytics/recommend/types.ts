// Recommendations' vocabulary (docs/recommendations.md): orders reduced to baskets, the trained
// recommender, the lists it gives and the association rules that explain them to a merchant.
// Pure data: the CLI builds orders from a CSV, the app from its database.

/** One line of an order, as basket mining needs it. */
export interface BasketLine {
  /** The product (Shopify product id, or the CSV's product column); null: a custom line. */
  readonly productId: string | null;
  /** Quantity ordered (a line with quantity ≤ 0 is not a purchase). */
  readonly quantity: number;
  /** Quantity refunded or returned since (0 … quantity): a fully refunded line leaves the basket. */
  readonly refundedQuantity: number;
}

/** One order as basket mining sees it. */
export interface BasketOrder {
  /** Shopify order id (numeric part) or the CSV's invoice number. */
  readonly id: string;
  /** Customer id, or null for a guest checkout. */
  readonly customerId: string | null;
  /** The shop's calendar day it was placed on: a day number (rfm/calendar.ts), for time splits. */
  readonly day: number;
  /** Cancelled after it was placed: the whole order leaves the baskets. */
  readonly cancelled: boolean;
  readonly lines: readonly BasketLine[];
}

/** The distinct products bought together in one order (product lines only, sorted by id). */
export interface Basket {
  readonly id: string;
  readonly customerId: string | null;
  readonly day: number;
  readonly items: readonly string[];
}

/** How orders become baskets. */
export interface BasketOptions {
  /** False for lines that are not products (postage, fees, manual lines, bank charges…); default: every product id is a product. */
  readonly isProduct?: (productId: string) => boolean;
}

/** The recommender's settings; every field has a default (DEFAULT_RECOMMENDER_OPTIONS). */
export interface RecommenderOptions {
  /** EASE's L2 penalty λ on the exact model's item–item weights. */
  readonly lambda: number;
  /** The most products solved exactly (the head, by baskets holding them); the rest use the sparse tail method. */
  readonly headMax: number;
  /** Neighbours kept per product (largest |weight| first): the model's and the stored lists' size. */
  readonly neighbours: number;
  /** Weight of a known customer's own history (log1p of times bought), added to the basket's scores. */
  readonly historyWeight: number;
}

/**
 * A trained recommender: for each product, its neighbours with signed weights (CSR). A basket's
 * score for product j is the sum of its products' weights for j (EASE: B = I − P·diag(1/diag(P)),
 * P = (XᵀX + λI)⁻¹ on the head; item-kNN cosine on the tail), truncated to `neighbours` per row.
 */
export interface RecommenderModel {
  readonly kind: "segmint.recommender";
  readonly version: number;
  /** How the rows were made: Segmint's method, or one of the comparison baselines (absent: "segmint"). */
  readonly method?: "segmint" | "popularity" | "cooccurrence" | "item-knn";
  readonly params: RecommenderOptions;
  /** Products by index. */
  readonly items: readonly string[];
  /** Baskets holding each product (same order as items). */
  readonly counts: readonly number[];
  /** items[0 … head) were solved exactly; the rest by the tail method. */
  readonly head: number;
  readonly basketCount: number;
  /** CSR rows: product i's neighbours are neighbourIndex[offsets[i] … offsets[i+1]), weights alongside, largest |weight| first. */
  readonly offsets: readonly number[];
  readonly neighbourIndex: readonly number[];
  readonly weights: readonly number[];
}

/** One product's neighbour list as stored per product in the app (ProductRecommendation.neighbours). */
export interface Neighbour {
  readonly id: string;
  readonly score: number;
}

/** What a list is asked for. */
export interface RecommendQuery {
  /** Products in view or in the cart: their neighbours are summed, and they are never recommended. */
  readonly basket: readonly string[];
  /** A known customer's own products → times bought (personalisation); null/absent for a guest. */
  readonly history?: ReadonlyMap<string, number> | null;
  /** How many products to return. */
  readonly limit: number;
  /** False for products that must not be shown (deleted, draft, archived, unavailable). */
  readonly isAllowed?: (productId: string) => boolean;
  /** Cold start: products to fill the list with, best first (the customer's segment's or the store's popular products). */
  readonly fallback?: readonly string[];
}

/** One recommended product and where its score came from. */
export interface Recommendation {
  readonly productId: string;
  readonly score: number;
  /** basket: neighbours of the basket's products; history: the customer's own products; popular: the cold-start list. */
  readonly source: "basket" | "history" | "popular";
}

/** An association rule: baskets holding the antecedent also hold the consequent. */
export interface AssociationRule {
  /** One or two product ids, sorted. */
  readonly antecedent: readonly string[];
  readonly consequent: string;
  /** Baskets holding antecedent ∪ {consequent}. */
  readonly count: number;
  /** count / baskets. */
  readonly support: number;
  /** count / baskets holding the antecedent. */
  readonly confidence: number;
  /** confidence / (baskets holding the consequent / baskets). */
  readonly lift: number;
}

/** Rule mining's pruning. */
export interface RuleOptions {
  /** Minimum support of an itemset (fraction of baskets). */
  readonly minSupport: number;
  /** Minimum count of an itemset (absolute), whichever of the two is higher. */
  readonly minCount: number;
  /** Minimum confidence of a rule. */
  readonly minConfidence: number;
  /** Largest antecedent (1 or 2 products). */
  readonly maxAntecedent: 1 | 2;
  /** Most rules returned (the strongest by lift); absent: no limit. */
  readonly maxRules?: number;
}

/** Basket completion (docs/recommendations.md §evaluation): one basket with one product hidden. */
export interface CompletionQuery {
  readonly basketId: string;
  readonly customerId: string | null;
  /** The basket's other products. */
  readonly basket: readonly string[];
  /** The product to find. */
  readonly hidden: string;
}

/** hit@5, hit@10 and MRR@10 over a set of completion queries. */
export interface CompletionMetrics {
  readonly queries: number;
  readonly hit5: number;
  readonly hit10: number;
  readonly mrr10: number;
}
