// What anomaly detection sends to Shopify: the whales that carry the VIP tag, and the order
// anomalies awaiting a risk assessment (docs/anomalies.md, "In Shopify"). Every query is scoped
// by shop. The rows themselves are written by models/anomalies (detection) and the page (review).
import type { Db } from "../db.server";

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

/** Marks an order anomaly's risk assessment settled with Shopify (written, or refused for good). */
export async function markRiskAssessed(db: Db, shopId: number, anomalyId: number, at: Date): Promise<void> {
  await db.anomaly.updateMany({ where: { id: anomalyId, shopId }, data: { riskAssessedAt: at } });
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
