// The Recommendations page's vocabulary (docs/admin.md § Recommendations): the rule measures and
// their sort keys, the stored model's metrics read back, the page's view types (the service builds
// them, the components show them), and a rule in words. Pure.

export const RULE_SORTS = ["count", "lift", "confidence", "support"] as const;
export type RuleSort = (typeof RULE_SORTS)[number];
export type RuleSortDirection = "asc" | "desc";
export const DEFAULT_RULE_SORT: RuleSort = "count";

/** The evaluation's methods in the page's order (the keys of metrics.evaluation.methods). */
export const EVALUATION_METHODS = ["segmint", "item-knn", "cooccurrence", "popularity"] as const;
export type EvaluationMethod = (typeof EVALUATION_METHODS)[number];
export const METHOD_LABEL: Record<EvaluationMethod, string> = {
  segmint: "Segmint",
  "item-knn": "Item-kNN (cosine)",
  cooccurrence: "Co-occurrence counts",
  popularity: "Popularity",
};

export interface MethodFigures {
  readonly hit5: number;
  readonly hit10: number;
  readonly mrr10: number;
}

/** The offline evaluation the training stored (basket completion on the shop's own later baskets). */
export interface EvaluationFigures {
  /** Trained on baskets before this day, tested on the baskets from it. */
  readonly cutoffDay: string;
  readonly trainBaskets: number;
  readonly queries: number;
  /** In EVALUATION_METHODS order; a method the training did not measure is left out. */
  readonly methods: readonly ({ readonly method: EvaluationMethod } & MethodFigures)[];
}

/** What RecommendationModel.metrics holds, as far as the page reads it (docs/storefront.md). */
export interface RecommendationMetrics {
  readonly evaluation: EvaluationFigures | null;
  readonly trainMs: number | null;
  readonly rules: number | null;
}

const finite = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function figuresOf(v: unknown): MethodFigures | null {
  if (!v || typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  const hit5 = finite(o.hit5);
  const hit10 = finite(o.hit10);
  const mrr10 = finite(o.mrr10);
  return hit5 === null || hit10 === null || mrr10 === null ? null : { hit5, hit10, mrr10 };
}

/** The stored metrics JSON; a key missing or malformed reads as not recorded (null), never as an error. */
export function parseRecommendationMetrics(json: string): RecommendationMetrics {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = null;
  }
  const o = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  const e = o.evaluation && typeof o.evaluation === "object" ? (o.evaluation as Record<string, unknown>) : null;
  const methods = e && e.methods && typeof e.methods === "object" ? (e.methods as Record<string, unknown>) : {};
  const measured = EVALUATION_METHODS.flatMap((method) => {
    const f = figuresOf(methods[method]);
    return f ? [{ method, ...f }] : [];
  });
  const evaluation =
    e && typeof e.cutoffDay === "string" && measured.length > 0
      ? { cutoffDay: e.cutoffDay, trainBaskets: finite(e.trainBaskets) ?? 0, queries: finite(e.queries) ?? 0, methods: measured }
      : null;
  return { evaluation, trainMs: finite(o.trainMs), rules: finite(o.rules) };
}

/** The rule-mining thresholds the model was trained with (RecommendationModel.params), null if not recorded. */
export interface RuleThresholds {
  readonly minSupport: number;
  readonly minCount: number;
  readonly minConfidence: number;
}

export function parseRuleThresholds(json: string): RuleThresholds | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object") return null;
  const o = parsed as Record<string, unknown>;
  // Stored flat or under "rules" (the params are the recommender's options plus the rule options).
  const r = o.rules && typeof o.rules === "object" ? (o.rules as Record<string, unknown>) : o;
  const minSupport = finite(r.minSupport);
  const minCount = finite(r.minCount);
  const minConfidence = finite(r.minConfidence);
  return minSupport === null || minCount === null || minConfidence === null ? null : { minSupport, minCount, minConfidence };
}

/** A product as the page names it: its title when the catalogue has it, its Shopify id always. */
export interface ProductRef {
  readonly id: string;
  /** null: not in the store's catalogue (deleted, or not synced yet). */
  readonly title: string | null;
  /** ACTIVE | DRAFT | ARCHIVED; null when not in the catalogue. */
  readonly status: string | null;
  readonly available: boolean;
}

/** Why a shopper may not be shown a product (null: they may). */
export type HiddenReason = "deleted" | "draft" | "archived" | "unavailable";

export function hiddenReason(p: ProductRef): HiddenReason | null {
  if (p.title === null || p.status === null) return "deleted";
  if (p.status === "DRAFT") return "draft";
  if (p.status === "ARCHIVED") return "archived";
  if (p.status !== "ACTIVE") return "draft";
  return p.available ? null : "unavailable";
}

export const HIDDEN_WORDS: Record<HiddenReason, string> = {
  deleted: "not in the store's catalogue (deleted, or not synced yet)",
  draft: "a draft",
  archived: "archived",
  unavailable: "not available (sold out)",
};

export interface RuleMeasures {
  readonly count: number;
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
}

export interface RuleView extends RuleMeasures {
  readonly id: number;
  readonly antecedent: readonly ProductRef[];
  readonly consequent: ProductRef;
  /** The rule in words (ruleSentence). */
  readonly sentence: string;
}

export interface RulesPageView {
  readonly rows: readonly RuleView[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  readonly pageSize: number;
  readonly sort: RuleSort;
  readonly direction: RuleSortDirection;
  /** The search as applied ("" = every rule). */
  readonly search: string;
  /** The search matched more products than the page looks through (it searched the first ones). */
  readonly searchCapped: boolean;
}

export interface ModelView {
  readonly trainedAt: string;
  readonly basketCount: number;
  readonly productCount: number;
  /** Rules stored with the model. */
  readonly ruleCount: number;
  readonly evaluation: EvaluationFigures | null;
  readonly trainMs: number | null;
  readonly thresholds: RuleThresholds | null;
}

/** Why a product is in a shopper's list. */
export type PreviewWhy =
  /** Rules from the viewed product to this one (best first). */
  | { readonly kind: "rule"; readonly rules: readonly RuleView[] }
  /** The recommender links them (its weight), but no rule passed the thresholds. */
  | { readonly kind: "model"; readonly score: number }
  /** "Recommended for you" only: filled from the popular products ("Frequently bought together" is never filled). */
  | { readonly kind: "popular" };

export interface PreviewItem {
  readonly id: string;
  readonly title: string;
  readonly handle: string;
  /** Formatted as the storefront shows it ("£2.55"); null when the product has no price. */
  readonly price: string | null;
  readonly image: { readonly url: string; readonly alt: string } | null;
  readonly url: string;
  readonly why: PreviewWhy;
}

export type PreviewBlock = "together" | "for-you";
export const BLOCK_TITLE: Record<PreviewBlock, string> = { together: "Frequently bought together", "for-you": "Recommended for you" };

export interface PreviewList {
  readonly block: PreviewBlock;
  readonly items: readonly PreviewItem[];
}

export type PreviewView =
  | { readonly kind: "not-found"; readonly productId: string }
  | {
      readonly kind: "product";
      readonly product: ProductRef;
      /** The blocks' lists as a guest on this product's page sees them. */
      readonly lists: readonly PreviewList[];
      /** The viewed product's strongest neighbours a shopper is not shown, and why. */
      readonly leftOut: readonly { readonly product: ProductRef; readonly reason: HiddenReason }[];
      /** The model knows the product (it was in the training baskets). */
      readonly known: boolean;
    };

export interface RecommendationsPageView {
  readonly model: ModelView | null;
  /** A training job waiting or running (the page revalidates while it is). */
  readonly training: "queued" | "running" | null;
  readonly rules: RulesPageView;
  readonly preview: PreviewView | null;
  /** The product picker's search and its matches (null: no search). */
  readonly productSearch: { readonly text: string; readonly results: readonly ProductRef[] } | null;
  readonly limit: number;
  readonly timeZone: string;
  readonly shopDomain: string;
}

const counts = new Intl.NumberFormat("en-US");

/** 0.34 → "34%", 0.009 → "0.9%", 0.0004 → "0.04%": two significant figures below 1 %. */
export function percentWords(share: number): string {
  const p = share * 100;
  if (p >= 10) return `${Math.round(p)}%`;
  if (p >= 1) return `${(Math.round(p * 10) / 10).toString()}%`;
  return `${Number(p.toPrecision(1)).toString()}%`;
}

/** 5.234 → "5.2×", 143.6 → "144×". */
export function liftWords(lift: number): string {
  return lift >= 100 ? `${Math.round(lift)}×` : `${(Math.round(lift * 10) / 10).toFixed(1)}×`;
}

/** A product as a sentence names it: its title, or "product 123" when the catalogue has none. */
export function productName(p: ProductRef): string {
  return p.title ?? `product ${p.id}`;
}

function joinAnd(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * A rule in words: "Bought together in 120 orders (0.9% of all baskets): 34% of baskets with X
 * also hold Y, 5.2× more often than usual."
 */
export function ruleSentence(rule: RuleMeasures & { readonly antecedent: readonly ProductRef[]; readonly consequent: ProductRef }): string {
  const orders = `${counts.format(rule.count)} ${rule.count === 1 ? "order" : "orders"}`;
  const than = rule.lift >= 1.05 ? `${liftWords(rule.lift)} more often than usual` : rule.lift > 0.95 ? "about as often as in any basket" : `only ${liftWords(rule.lift)} as often as usual`;
  return `Bought together in ${orders} (${percentWords(rule.support)} of all baskets): ${percentWords(rule.confidence)} of baskets with ${joinAnd(rule.antecedent.map(productName))} also hold ${productName(rule.consequent)}, ${than}.`;
}

/** The measures explained, as the page's legend says them. */
export const MEASURE_WORDS: Record<RuleSort, { readonly label: string; readonly words: string }> = {
  count: { label: "Orders", words: "how many orders held all the rule's products." },
  support: { label: "Support", words: "the share of all baskets (orders) that held all the rule's products: how common the combination is." },
  confidence: { label: "Confidence", words: "of the baskets with the first product(s), the share that also held the recommended one: how often a shopper who picks the first goes on to the second." },
  lift: { label: "Lift", words: "how many times more often the recommended product is in those baskets than in baskets in general. Above 1 the products go together more than chance; 1 means no link." },
};
