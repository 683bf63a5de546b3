// Reconciliation: webhooks are at-least-once but not guaranteed, so every night (and on demand)
// the orders updated since the last pass are fetched page by page and applied with the same
// newer-state rule. Heals missed and delayed deliveries.
import type { Db } from "../db.server";
import { applyOrderState } from "../models/orders.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { ORDER_LINE_ITEMS, ORDERS_UPDATED_SINCE } from "../shopify/graphql";
import { lineFromGraphql, orderFromGraphql } from "../shopify/mappers/order-graphql";

/** Overlap with the previous pass: Shopify's updated_at search is not instantaneous. */
const OVERLAP_MS = 10 * 60_000;

interface Page {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: (Record<string, unknown> & { id: string; lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } })[];
  };
}

export interface ReconcileResult {
  pages: number;
  seen: number;
  applied: number;
}

export async function reconcileOrders(db: Db, admin: AdminClient, shopId: number, now = new Date()): Promise<ReconcileResult> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { lastReconciledAt: true } });
  const since = shop.lastReconciledAt ? new Date(shop.lastReconciledAt.getTime() - OVERLAP_MS) : new Date(0);
  const q = `updated_at:>='${since.toISOString()}'`;
  const result: ReconcileResult = { pages: 0, seen: 0, applied: 0 };
  let after: string | null = null;
  do {
    const page: Page = await admin.request<Page>(ORDERS_UPDATED_SINCE, { q, after });
    result.pages++;
    for (const node of page.orders.nodes) {
      const state = orderFromGraphql(node);
      // Orders with more lines than one page holds: fetch the rest before applying.
      let cursor = node.lineItems.pageInfo.hasNextPage ? node.lineItems.pageInfo.endCursor : null;
      while (cursor) {
        const more: { order: { lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] } } | null } =
          await admin.request(ORDER_LINE_ITEMS, { id: node.id, after: cursor });
        if (!more.order) break;
        state.lines.push(...more.order.lineItems.nodes.map(lineFromGraphql));
        cursor = more.order.lineItems.pageInfo.hasNextPage ? more.order.lineItems.pageInfo.endCursor : null;
      }
      result.seen++;
      if ((await applyOrderState(db, shopId, state)) !== "stale") result.applied++;
    }
    after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
  } while (after);
  await db.shop.update({ where: { id: shopId }, data: { lastReconciledAt: now } });
  return result;
}
