// Read-only queries of the Recommendations page (services/recommendations-page.server.ts): the
// shop's latest trained model, its association rules a page at a time (sorted by a measure,
// optionally only those naming some products), one product's stored neighbours, and products by id
// or by title. Every query is scoped by the shop (a model id or product id of another shop finds
// nothing).
import { sqlOf, type Db } from "../db.server";
import type { RuleSort, RuleSortDirection } from "../domain/recommendation";

export interface StoredModelSummary {
  readonly id: number;
  readonly trainedAt: Date;
  readonly basketCount: number;
  readonly productCount: number;
  readonly params: string;
  readonly metrics: string;
  readonly ruleCount: number;
}

/** The shop's latest model with its rule count; null before the first training. */
export async function latestRecommendationModel(db: Db, shopId: number): Promise<StoredModelSummary | null> {
  const model = await db.recommendationModel.findFirst({
    where: { shopId },
    orderBy: [{ trainedAt: "desc" }, { id: "desc" }],
    select: { id: true, trainedAt: true, basketCount: true, productCount: true, params: true, metrics: true },
  });
  if (!model) return null;
  const ruleCount = await db.productRule.count({ where: { shopId, modelId: model.id } });
  return { ...model, ruleCount };
}

export interface StoredRule {
  readonly id: number;
  /** Product ids, sorted (one or two). */
  readonly antecedent: readonly string[];
  readonly consequent: string;
  readonly count: number;
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
}

/** Rules whose antecedent or consequent names one of these products (any of them). */
function namingAny(productIds: readonly string[]) {
  return {
    OR: [
      { consequent: { in: [...productIds] } },
      { antecedent: { in: [...productIds] } },
      // Two-product antecedents are stored "a,b" (sorted).
      ...productIds.flatMap((id) => [{ antecedent: { startsWith: `${id},` } }, { antecedent: { endsWith: `,${id}` } }]),
    ],
  };
}

export interface RulesQuery {
  readonly sort: RuleSort;
  readonly direction: RuleSortDirection;
  readonly offset: number;
  readonly limit: number;
  /** Only rules naming one of these products (undefined: every rule). */
  readonly productIds?: readonly string[];
}

const ruleOf = (r: { id: number; antecedent: string; consequent: string; count: number; support: number; confidence: number; lift: number }): StoredRule => ({
  id: r.id,
  antecedent: r.antecedent.split(","),
  consequent: r.consequent,
  count: r.count,
  support: r.support,
  confidence: r.confidence,
  lift: r.lift,
});

/** How many of the model's rules the query selects. */
export function countRules(db: Db, shopId: number, modelId: number, productIds?: readonly string[]): Promise<number> {
  return db.productRule.count({ where: { shopId, modelId, ...(productIds ? namingAny(productIds) : {}) } });
}

/** A page of the model's rules, sorted by a measure (ties: more orders first, then the stored order). */
export async function rulesPage(db: Db, shopId: number, modelId: number, query: RulesQuery): Promise<StoredRule[]> {
  const rows = await db.productRule.findMany({
    where: { shopId, modelId, ...(query.productIds ? namingAny(query.productIds) : {}) },
    orderBy: [{ [query.sort]: query.direction }, ...(query.sort === "count" ? [] : [{ count: "desc" as const }]), { id: "asc" }],
    skip: query.offset,
    take: query.limit,
  });
  return rows.map(ruleOf);
}

/** The model's rules from exactly this antecedent (one product) to any of these consequents. */
export async function rulesBetween(db: Db, shopId: number, modelId: number, antecedent: string, consequents: readonly string[]): Promise<StoredRule[]> {
  if (consequents.length === 0) return [];
  const rows = await db.productRule.findMany({ where: { shopId, modelId, antecedent, consequent: { in: [...consequents] } }, orderBy: [{ lift: "desc" }, { id: "asc" }] });
  return rows.map(ruleOf);
}

/** One product's stored neighbours in the model, best first ([] when the model does not know it). */
export async function storedNeighbours(db: Db, shopId: number, modelId: number, productId: string): Promise<{ id: string; score: number }[]> {
  const row = await db.productRecommendation.findFirst({ where: { shopId, modelId, productId }, select: { neighbours: true } });
  if (!row) return [];
  try {
    const parsed = JSON.parse(row.neighbours) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((n): n is { id: string; score: number } => !!n && typeof n === "object" && typeof (n as { id?: unknown }).id === "string" && typeof (n as { score?: unknown }).score === "number");
  } catch {
    return [];
  }
}

export interface CatalogueProduct {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly available: boolean;
}

// SQLite caps bound parameters per statement; 500 ids per `IN` stays far below it.
const IDS_PER_QUERY = 500;

/** The shop's catalogue rows of these Shopify product ids (ids not in the catalogue are left out). */
export async function catalogueProducts(db: Db, shopId: number, ids: readonly string[]): Promise<CatalogueProduct[]> {
  const unique = [...new Set(ids)];
  const out: CatalogueProduct[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const rows = await db.product.findMany({ where: { shopId, shopifyId: { in: unique.slice(i, i + IDS_PER_QUERY) } }, select: { shopifyId: true, title: true, status: true, available: true } });
    for (const r of rows) out.push({ id: r.shopifyId, title: r.title, status: r.status, available: r.available });
  }
  return out;
}

/**
 * The shop's products whose title contains `text` (any case) or whose id is `text`, by title;
 * at most `limit` (ask for one more than you show to know there are more).
 */
export async function searchCatalogue(db: Db, shopId: number, text: string, limit: number): Promise<CatalogueProduct[]> {
  const { sql } = sqlOf(db);
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.$queryRaw<{ shopifyId: string; title: string; status: string; available: unknown }[]>(sql`
    SELECT p."shopifyId", p."title", p."status", p."available" FROM "Product" p
    WHERE p."shopId" = ${shopId} AND (p."shopifyId" = ${text} OR LOWER(p."title") LIKE ${pattern} ESCAPE '\\')
    ORDER BY CASE WHEN p."shopifyId" = ${text} THEN 0 ELSE 1 END, p."title", p."shopifyId"
    LIMIT ${limit}`);
  // SQLite returns booleans as 0/1.
  return rows.map((r) => ({ id: r.shopifyId, title: r.title, status: r.status, available: r.available === true || r.available === 1 || r.available === 1n }));
}
