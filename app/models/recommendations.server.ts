// The shop's trained recommender as the app stores it (docs/storefront.md, "What is stored"): the
// latest model only, with one neighbour list per product and the association rules; read by the
// storefront proxy (lists, popularity) and the admin page. Products and baskets only: no customer
// id is stored. Every query is scoped by shop.
import type { Prisma } from "@prisma/client";
import type { AssociationRule, Neighbour } from "../analytics";
import { sqlOf, type Db } from "../db.server";

/** Rows per createMany: well under SQLite's bound-parameter cap (6 columns a rule row). */
const ROWS_PER_INSERT = 500;
/** Ids per `IN` list (SQLite's bound-parameter cap). */
const IDS_PER_QUERY = 500;
/** Storing a big catalogue's lists is one transaction of many inserts: give it time. */
const STORE_TRANSACTION = { timeout: 600_000, maxWait: 30_000 };

/** Popular products, best first: "all" (the whole store) and one key per segment. */
export type PopularityLists = Record<string, string[]>;

/** A model's settings, evaluation and popularity lists: what is saved and read back alike. */
interface RecommendationModelFields {
  /** The segment run whose segments keyed the popularity (null: no completed run yet). */
  readonly runId: number | null;
  readonly version: number;
  readonly basketCount: number;
  readonly productCount: number;
  readonly params: unknown;
  readonly metrics: unknown;
  readonly popularity: PopularityLists;
  readonly trainedAt: Date;
}

export interface NewRecommendationModel extends RecommendationModelFields {
  /** Each product's neighbours, best first (products without any are left out). */
  readonly lists: Iterable<readonly [productId: string, neighbours: readonly Neighbour[]]>;
  readonly rules: readonly AssociationRule[];
}

export interface StoredModelSummary {
  readonly id: number;
  readonly lists: number;
  readonly rules: number;
}

async function insertChunks<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

/**
 * Stores a trained model in one transaction that first deletes the shop's earlier models (their
 * lists and rules cascade): readers see the old model or the whole new one, never a mix.
 */
export async function saveRecommendationModel(db: Db, shopId: number, model: NewRecommendationModel): Promise<StoredModelSummary> {
  const lists: Prisma.ProductRecommendationCreateManyInput[] = [];
  for (const [productId, neighbours] of model.lists) {
    if (neighbours.length > 0) lists.push({ shopId, modelId: 0, productId, neighbours: JSON.stringify(neighbours.map((n) => ({ id: n.id, score: n.score }))) });
  }
  return db.$transaction(async (tx) => {
    await tx.recommendationModel.deleteMany({ where: { shopId } });
    const created = await tx.recommendationModel.create({
      data: {
        shopId,
        runId: model.runId,
        version: model.version,
        basketCount: model.basketCount,
        productCount: model.productCount,
        params: JSON.stringify(model.params),
        metrics: JSON.stringify(model.metrics),
        popularity: JSON.stringify(model.popularity),
        trainedAt: model.trainedAt,
      },
      select: { id: true },
    });
    await insertChunks(lists, (chunk) => tx.productRecommendation.createMany({ data: chunk.map((row) => ({ ...row, modelId: created.id })) }));
    await insertChunks(model.rules, (chunk) =>
      tx.productRule.createMany({
        data: chunk.map((r) => ({ shopId, modelId: created.id, antecedent: r.antecedent.join(","), consequent: r.consequent, count: r.count, support: r.support, confidence: r.confidence, lift: r.lift })),
      }),
    );
    return { id: created.id, lists: lists.length, rules: model.rules.length };
  }, STORE_TRANSACTION);
}

export interface StoredRecommendationModel extends RecommendationModelFields {
  readonly id: number;
}

/** The stored popularity JSON as lists (anything malformed is dropped, never thrown at a shopper). */
export function parsePopularity(json: string): PopularityLists {
  const value: unknown = JSON.parse(json);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  const out: PopularityLists = {};
  for (const [key, ids] of Object.entries(value)) if (Array.isArray(ids)) out[key] = ids.filter((id): id is string => typeof id === "string");
  return out;
}

/** The shop's latest model with its settings, evaluation and popularity lists; null before the first training. */
export async function latestRecommendationModel(db: Db, shopId: number): Promise<StoredRecommendationModel | null> {
  const row = await db.recommendationModel.findFirst({ where: { shopId }, orderBy: [{ trainedAt: "desc" }, { id: "desc" }] });
  if (row === null) return null;
  return {
    id: row.id,
    runId: row.runId,
    version: row.version,
    basketCount: row.basketCount,
    productCount: row.productCount,
    params: JSON.parse(row.params) as unknown,
    metrics: JSON.parse(row.metrics) as unknown,
    popularity: parsePopularity(row.popularity),
    trainedAt: row.trainedAt,
  };
}

/** Points the shop's model at a newer segment run (its per-segment popular lists are unchanged: the same segments). */
export async function moveModelToRun(db: Db, shopId: number, modelId: number, runId: number | null): Promise<void> {
  await db.recommendationModel.updateMany({ where: { id: modelId, shopId }, data: { runId } });
}

/**
 * The storefront's first read: the shop of this domain, whether it is installed, and its latest
 * model's id and run (null before the first training); null for an unknown domain. One query.
 */
export async function servingModelRef(db: Db, shopDomain: string): Promise<{ shopId: number; installed: boolean; model: { id: number; runId: number | null } | null } | null> {
  const { sql } = sqlOf(db);
  const rows = await db.$queryRaw<{ shopId: number | bigint; installState: string; modelId: number | bigint | null; runId: number | bigint | null }[]>(sql`
    SELECT s."id" AS "shopId", s."installState" AS "installState", m."id" AS "modelId", m."runId" AS "runId"
    FROM "Shop" s LEFT JOIN "RecommendationModel" m ON m."shopId" = s."id"
    WHERE s."domain" = ${shopDomain}
    ORDER BY m."trainedAt" DESC, m."id" DESC
    LIMIT 1`);
  const row = rows[0];
  if (row === undefined) return null;
  return {
    shopId: Number(row.shopId),
    installed: row.installState === "installed",
    model: row.modelId === null ? null : { id: Number(row.modelId), runId: row.runId === null ? null : Number(row.runId) },
  };
}

/** A model's settings and popularity lists as stored (JSON), for the storefront to parse once per model. */
export async function modelServingData(db: Db, shopId: number, modelId: number): Promise<{ params: string; popularity: string } | null> {
  return db.recommendationModel.findFirst({ where: { id: modelId, shopId }, select: { params: true, popularity: true } });
}

function parseNeighbours(json: string): Neighbour[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) return [];
  return value.filter((n): n is Neighbour => n !== null && typeof n === "object" && typeof (n as Neighbour).id === "string" && typeof (n as Neighbour).score === "number");
}

/** The stored neighbour lists of these products in one model of the shop (products without a list are left out). */
export async function storedNeighbourLists(db: Db, shopId: number, modelId: number, productIds: readonly string[]): Promise<Map<string, Neighbour[]>> {
  const unique = [...new Set(productIds)];
  const out = new Map<string, Neighbour[]>();
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const rows = await db.productRecommendation.findMany({ where: { shopId, modelId, productId: { in: unique.slice(i, i + IDS_PER_QUERY) } }, select: { productId: true, neighbours: true } });
    for (const r of rows) out.set(r.productId, parseNeighbours(r.neighbours));
  }
  return out;
}

/**
 * A customer's own products: product id → their orders holding it (placed, not cancelled, not
 * test; a line refunded in full does not count), as the core's customer histories count baskets.
 * One query through the (shopId, shopifyId), (shopId, customerId) and (orderId, …) indexes.
 */
export async function customerProductCounts(db: Db, shopId: number, customerShopifyId: string): Promise<Map<string, number>> {
  const { sql } = sqlOf(db);
  const rows = await db.$queryRaw<{ productId: string; orders: number | bigint }[]>(sql`
    SELECT l."productId" AS "productId", COUNT(DISTINCT l."orderId") AS "orders"
    FROM "Customer" c
    JOIN "Order" o ON o."shopId" = c."shopId" AND o."customerId" = c."id"
    JOIN "OrderLine" l ON l."orderId" = o."id"
    WHERE c."shopId" = ${shopId} AND c."shopifyId" = ${customerShopifyId}
      AND o."test" = FALSE AND o."cancelledAt" IS NULL
      AND l."productId" IS NOT NULL AND l."quantity" > l."refundedQuantity"
    GROUP BY l."productId"`);
  return new Map(rows.map((r) => [r.productId, Number(r.orders)]));
}

/** A customer's segment in one run of the shop, or null (not in the run). */
export async function customerSegmentKey(db: Db, shopId: number, runId: number, customerShopifyId: string): Promise<string | null> {
  const { sql } = sqlOf(db);
  const rows = await db.$queryRaw<{ segmentKey: string }[]>(sql`
    SELECT cs."segmentKey" AS "segmentKey"
    FROM "Customer" c JOIN "CustomerSegment" cs ON cs."customerId" = c."id" AND cs."runId" = ${runId}
    WHERE c."shopId" = ${shopId} AND c."shopifyId" = ${customerShopifyId} AND cs."shopId" = ${shopId}`);
  return rows[0]?.segmentKey ?? null;
}

/** Uninstall: the shop's models, lists and rules. */
export async function deleteShopRecommendations(db: Db, shopId: number): Promise<number> {
  return (await db.recommendationModel.deleteMany({ where: { shopId } })).count;
}
