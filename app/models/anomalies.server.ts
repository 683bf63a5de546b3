// The stored anomalies and the shop's order model (docs/anomalies.md), every query scoped by shop.
// A refit replaces a kind's rows: flagged subjects are upserted by (shopId, kind, subjectKey)
// without touching the merchant's review (status, reviewedAt) or the risk assessment already
// written; OPEN rows the refit no longer flags are deleted; reviewed rows stay, as feedback.
// Webhook scoring upserts single order rows between refits.
import type { AnomalyReason } from "../analytics";
import type { Db } from "../db.server";
import type { AnomalyKind, AnomalySource } from "../domain/anomaly";

/** One flagged subject, as the detection services hand it over. */
export interface AnomalyRowInput {
  readonly subjectKey: string;
  /** Order row id (kind order). */
  readonly orderId?: number | null;
  /** Customer row id (kind customer, and the customer of an order). */
  readonly customerId?: number | null;
  /** The shop's calendar day (YYYY-MM-DD): the store day, or the order's day. */
  readonly day?: string | null;
  readonly score: number;
  readonly category: string;
  readonly reasons: readonly AnomalyReason[];
  /** The figures the page shows (JSON-safe). */
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface ReplaceOutcome {
  readonly created: number;
  readonly updated: number;
  /** Open rows no longer flagged, deleted. */
  readonly deleted: number;
}

/** Rows per query: keeps `IN (…)` lists and inserts within every database's limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored columns of a row; status, reviewedAt and riskAssessedAt are never written here. */
function columnsOf(row: AnomalyRowInput, source: AnomalySource) {
  return {
    orderId: row.orderId ?? null,
    customerId: row.customerId ?? null,
    day: row.day ?? null,
    score: row.score,
    category: row.category,
    reasons: JSON.stringify(row.reasons),
    facts: JSON.stringify(row.facts),
    source,
  };
}

/**
 * After a refit: `rows` are the kind's flagged subjects. New ones are created open; existing ones
 * get the new score, reasons and facts (unchanged rows are not written) and keep their review;
 * open rows not in `rows` are deleted. Each step is idempotent, so a crash midway is repaired by
 * the next refit; no long transaction holds the database meanwhile.
 */
export async function replaceAnomalies(db: Db, shopId: number, kind: AnomalyKind, rows: readonly AnomalyRowInput[], detectedAt: Date): Promise<ReplaceOutcome> {
  const existing = await db.anomaly.findMany({
    where: { shopId, kind },
    select: { id: true, subjectKey: true, status: true, orderId: true, customerId: true, day: true, score: true, category: true, reasons: true, facts: true, source: true },
  });
  const bySubject = new Map(existing.map((e) => [e.subjectKey, e]));
  const flagged = new Set(rows.map((r) => r.subjectKey));
  const fresh: AnomalyRowInput[] = [];
  let updated = 0;
  for (const row of rows) {
    const stored = bySubject.get(row.subjectKey);
    if (stored === undefined) {
      fresh.push(row);
      continue;
    }
    const columns = columnsOf(row, "refresh");
    const same = (Object.keys(columns) as (keyof typeof columns)[]).every((k) => stored[k] === columns[k]);
    if (same) continue;
    await db.anomaly.update({ where: { id: stored.id }, data: { ...columns, detectedAt } });
    updated++;
  }
  for (const part of chunks(fresh)) {
    await db.anomaly.createMany({ data: part.map((row) => ({ shopId, kind, subjectKey: row.subjectKey, ...columnsOf(row, "refresh"), detectedAt })) });
  }
  const stale = existing.filter((e) => e.status === "open" && !flagged.has(e.subjectKey)).map((e) => e.id);
  let deleted = 0;
  for (const part of chunks(stale)) deleted += (await db.anomaly.deleteMany({ where: { shopId, id: { in: part } } })).count;
  return { created: fresh.length, updated, deleted };
}

/** Between refits: order anomalies found by webhook scoring, upserted (a reviewed row keeps its review). */
export async function upsertWebhookOrderAnomalies(db: Db, shopId: number, rows: readonly AnomalyRowInput[], detectedAt: Date): Promise<void> {
  for (const row of rows) {
    const columns = columnsOf(row, "webhook");
    await db.anomaly.upsert({
      where: { shopId_kind_subjectKey: { shopId, kind: "order", subjectKey: row.subjectKey } },
      create: { shopId, kind: "order", subjectKey: row.subjectKey, ...columns, detectedAt },
      update: { ...columns, detectedAt },
    });
  }
}

/** Open webhook-found order anomalies of these orders that no longer score above the threshold (an edit, a cancellation). */
export async function removeOpenWebhookOrderAnomalies(db: Db, shopId: number, orderShopifyIds: readonly string[]): Promise<number> {
  let removed = 0;
  for (const part of chunks(orderShopifyIds)) {
    removed += (await db.anomaly.deleteMany({ where: { shopId, kind: "order", source: "webhook", status: "open", subjectKey: { in: part } } })).count;
  }
  return removed;
}

/**
 * Ids of the order anomalies that the merchant did not dismiss and that have no Shopify risk
 * assessment yet: of these orders, or (no list) of the whole shop, when the setting is turned on.
 */
export async function unassessedOrderAnomalyIds(db: Db, shopId: number, orderShopifyIds?: readonly string[]): Promise<number[]> {
  const where = { shopId, kind: "order", status: { not: "dismissed" }, riskAssessedAt: null };
  const ids: number[] = [];
  for (const part of orderShopifyIds === undefined ? [undefined] : chunks(orderShopifyIds)) {
    const rows = await db.anomaly.findMany({ where: part === undefined ? where : { ...where, subjectKey: { in: part } }, select: { id: true }, orderBy: { id: "asc" } });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export interface OrderRef {
  readonly id: number;
  readonly customerId: number | null;
  readonly processedAt: Date;
  readonly grossMilli: bigint;
  readonly currency: string;
}

/** The shop's Order rows by Shopify id (the flagged ones: what an anomaly row links to and shows). */
export async function orderRefs(db: Db, shopId: number, orderShopifyIds: readonly string[]): Promise<Map<string, OrderRef>> {
  const refs = new Map<string, OrderRef>();
  for (const part of chunks([...new Set(orderShopifyIds)])) {
    const rows = await db.order.findMany({ where: { shopId, shopifyId: { in: part } }, select: { id: true, shopifyId: true, customerId: true, processedAt: true, grossMilli: true, currency: true } });
    for (const { shopifyId, ...ref } of rows) refs.set(shopifyId, ref);
  }
  return refs;
}

/** Customer row ids by Shopify id; deleted customers (tombstones) are left out. */
export async function customerRefs(db: Db, shopId: number, customerShopifyIds: readonly string[]): Promise<Map<string, number>> {
  const refs = new Map<string, number>();
  for (const part of chunks([...new Set(customerShopifyIds)])) {
    const rows = await db.customer.findMany({ where: { shopId, shopifyId: { in: part }, deletedAt: null }, select: { id: true, shopifyId: true } });
    for (const r of rows) refs.set(r.shopifyId, r.id);
  }
  return refs;
}

/** Stored product titles by Shopify product id (the Product table; products not stored are left out). */
export async function productTitles(db: Db, shopId: number, productShopifyIds: readonly string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  for (const part of chunks([...new Set(productShopifyIds)])) {
    const rows = await db.product.findMany({ where: { shopId, shopifyId: { in: part } }, select: { shopifyId: true, title: true } });
    for (const r of rows) titles.set(r.shopifyId, r.title);
  }
  return titles;
}

export interface StoredAnomalyModel {
  readonly asOf: string;
  readonly orderCount: number;
  readonly threshold: number;
  /** JSON text of the core's OrderAnomalyModel. */
  readonly model: string;
  readonly fittedAt: Date;
}

/** The shop's one order model, replaced at each refit. */
export async function saveAnomalyModel(db: Db, shopId: number, model: Omit<StoredAnomalyModel, "fittedAt"> & { metrics: unknown; fittedAt: Date }): Promise<void> {
  const data = { asOf: model.asOf, orderCount: model.orderCount, threshold: model.threshold, model: model.model, metrics: JSON.stringify(model.metrics), fittedAt: model.fittedAt };
  await db.anomalyModel.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
}

export async function loadAnomalyModel(db: Db, shopId: number): Promise<StoredAnomalyModel | null> {
  return db.anomalyModel.findUnique({ where: { shopId }, select: { asOf: true, orderCount: true, threshold: true, model: true, fittedAt: true } });
}

/** Uninstall: the shop's anomalies (they name customers and orders) and its model. */
export async function deleteShopAnomalies(db: Db, shopId: number): Promise<void> {
  await db.anomaly.deleteMany({ where: { shopId } });
  await db.anomalyModel.deleteMany({ where: { shopId } });
}

// What anomaly detection sends to Shopify (docs/anomalies.md, "In Shopify"): the whales that carry
// the VIP tag, and the order anomalies awaiting a risk assessment.

/** A customer anomaly's statuses that keep its VIP tag: a dismissed whale loses it. */
const VIP_STATUSES = ["open", "confirmed"];

/**
 * Shopify ids of the customers whose customer anomaly is a whale the merchant did not dismiss
 * (one customer anomaly per customer: detection replaces it at each refit). `onlyShopifyIds`
 * restricts the read to a few customers (a live-assignment pass).
 */
export async function vipCustomerIds(db: Db, shopId: number, onlyShopifyIds?: readonly string[]): Promise<Set<string>> {
  const rows = await db.anomaly.findMany({
    where: { shopId, kind: "customer", category: "whale", status: { in: VIP_STATUSES }, ...(onlyShopifyIds === undefined ? {} : { subjectKey: { in: [...onlyShopifyIds] } }) },
    select: { subjectKey: true },
  });
  return new Set(rows.map((r) => r.subjectKey));
}

export interface OrderAnomalyToAssess {
  readonly id: number;
  /** The Shopify order id. */
  readonly subjectKey: string;
  readonly score: number;
  /** JSON: the reasons, strongest first. */
  readonly reasons: string;
}

/** Of these anomaly ids, this shop's order anomalies not dismissed and not yet assessed, in id order. */
export async function orderAnomaliesToAssess(db: Db, shopId: number, anomalyIds: readonly number[]): Promise<OrderAnomalyToAssess[]> {
  return db.anomaly.findMany({
    where: { shopId, id: { in: [...anomalyIds] }, kind: "order", status: { not: "dismissed" }, riskAssessedAt: null },
    orderBy: { id: "asc" },
    select: { id: true, subjectKey: true, score: true, reasons: true },
  });
}

/**
 * Settles an order anomaly's risk assessment with Shopify's answer: the level written (HIGH,
 * MEDIUM) or `refused:<code>` (refused for good; the page shows why). Never sent twice.
 */
export async function markRiskAssessed(db: Db, shopId: number, anomalyId: number, at: Date, outcome: string): Promise<void> {
  await db.anomaly.updateMany({ where: { id: anomalyId, shopId }, data: { riskAssessedAt: at, riskAssessment: outcome } });
}

/**
 * The score an order must reach to be among the store's top `count` orders, from its stored
 * order anomalies (the highest scores), or null when fewer are stored.
 */
export async function orderScoreAtRank(db: Db, shopId: number, count: number): Promise<number | null> {
  if (count < 1) return null;
  const row = await db.anomaly.findFirst({ where: { shopId, kind: "order" }, orderBy: [{ score: "desc" }, { id: "asc" }], skip: count - 1, select: { score: true } });
  return row?.score ?? null;
}

/** How many orders the shop's stored anomaly model was fitted on (0 before the first fit). */
export async function fittedOrderCount(db: Db, shopId: number): Promise<number> {
  return (await db.anomalyModel.findUnique({ where: { shopId }, select: { orderCount: true } }))?.orderCount ?? 0;
}
