// Webhook scoring between refits (docs/anomalies.md, "When it runs"): the orders a webhook drain
// applied are scored with the shop's stored order model (the refit's forest and yardsticks), with
// their customers' other orders for the history features. An order scoring at least the stored
// threshold becomes (or stays) an open order anomaly the same minute; an open one found by an
// earlier webhook that no longer scores above it (an edit, a cancellation) is removed. No stored
// model yet: nothing to do, the first refit fits one; a model an earlier version fitted: a refit is queued.
import { isCurrentOrderAnomalyModel, parseOrderAnomalyModel, scoreOrdersWithModel } from "../analytics";
import type { Db } from "../db.server";
import { loadAnomalyModel, removeOpenWebhookOrderAnomalies, upsertWebhookOrderAnomalies } from "../models/anomalies.server";
import { ordersWithCustomerHistory } from "../models/anomaly-orders.server";
import { shopById, shopCurrency } from "../models/shops.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { enqueueRiskAssessments, orderAnomalyRows, reasonMoney, reasonProductTitles, type ProductNaming } from "./detect-anomalies.server";

export interface ScoreOrdersOutcome {
  /** Orders scored (purchases of this shop among those asked for). */
  readonly scored: number;
  /** Shopify ids of those at or above the threshold (stored as open webhook anomalies, or updated). */
  readonly flagged: readonly string[];
  /** Open webhook anomalies removed because their order no longer scores above the threshold. */
  readonly removed: number;
  readonly riskAssessments: number;
}

/** Scores these orders (Shopify ids) with the stored model; null without one (or for a shop not installed). */
export async function scoreOrders(db: Db, shopId: number, orderShopifyIds: readonly string[], naming: ProductNaming = {}): Promise<ScoreOrdersOutcome | null> {
  if (orderShopifyIds.length === 0) return null;
  const [shop, stored] = await Promise.all([shopById(db, shopId), loadAnomalyModel(db, shopId)]);
  if (!shop || shop.installState !== "installed" || stored === null) return null;
  const json: unknown = JSON.parse(stored.model);
  if (!isCurrentOrderAnomalyModel(json)) {
    // Fitted by an earlier Segmint: refit now rather than fail every drain until the next refresh.
    await enqueue(db, { type: JOB.detectAnomalies, shopId, payload: { reason: "on-demand" }, singletonKey: JOB.detectAnomalies });
    return null;
  }
  const model = parseOrderAnomalyModel(json);
  const { orders, targets } = await ordersWithCustomerHistory(db, shopId, orderShopifyIds, shop.timezone);
  if (targets.size === 0) return { scored: 0, flagged: [], removed: 0, riskAssessments: 0 };
  const formatMoney = reasonMoney(await shopCurrency(db, shopId));
  const scored = scoreOrdersWithModel(model, orders, targets, { formatMoney });
  const above = scored.filter((s) => s.score >= stored.threshold);
  const below = scored.filter((s) => s.score < stored.threshold).map((s) => s.id);
  const titles = await reasonProductTitles(db, shopId, above.map((s) => s.reasons), naming);
  await upsertWebhookOrderAnomalies(db, shopId, await orderAnomalyRows(db, shopId, above, titles, formatMoney, shop.timezone), new Date());
  const removed = await removeOpenWebhookOrderAnomalies(db, shopId, below);
  const flagged = above.map((s) => s.id);
  const riskAssessments = shop.riskAssessments && flagged.length > 0 ? await enqueueRiskAssessments(db, shopId, flagged) : 0;
  return { scored: scored.length, flagged, removed, riskAssessments };
}
