// Products sync (docs/sync.md, "Products"): what the storefront widget may show. A bulk export
// after the orders backfill (and whenever a re-sync is asked for), and the products/* webhooks in
// between, all through one rule: a product's state is stored only when it is newer (updatedAt)
// than what is stored; a deleted product's row goes and stays gone.
import { rmSync } from "node:fs";
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { applyProductExport, applyProductState, deleteProduct, storedProductCurrency, type ProductApplyResult, type ProductWrite } from "../models/products.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { PRODUCT_AVAILABILITY, productsBulkQuery } from "../shopify/graphql";
import { jsonLines } from "../shopify/bulk-results.server";
import { shopifyIdOf } from "../shopify/ids";
import { ProductExportFolder } from "../shopify/mappers/product-graphql";
import type { ProductState } from "../shopify/mappers/product-state";
import { productStateFromWebhook } from "../shopify/mappers/product-webhook";
import type { ProductPayload } from "../shopify/webhook-payloads";
import { downloadBulkExport, stepBulkExport, type SyncStep } from "./bulk-export-step.server";

/** The SyncRun kind of a products export (the orders backfill's is "backfill"). */
export const PRODUCT_SYNC = "products";

export type { SyncStep };

/**
 * Asks for a full products export unless one is waiting or running. `client` may be a
 * transaction (the orders backfill asks in the transaction that completes it).
 */
export async function beginProductSync(client: Pick<Db, "syncRun">, shopId: number): Promise<number> {
  const active = await client.syncRun.findFirst({ where: { shopId, kind: PRODUCT_SYNC, status: { in: ["pending", "running"] } }, select: { id: true } });
  if (active) return active.id;
  return (await client.syncRun.create({ data: { shopId, kind: PRODUCT_SYNC, status: "pending" } })).id;
}

export async function hasActiveProductSync(db: Db, shopId: number): Promise<boolean> {
  return (await db.syncRun.count({ where: { shopId, kind: PRODUCT_SYNC, status: { in: ["pending", "running"] } } })) > 0;
}

export interface ProductSyncDeps {
  db: Db;
  admin: AdminClient;
  shopId: number;
  /** Where the downloaded JSONL is kept until the run completes. */
  workDir?: string;
}

/** Advances the shop's products export by one step: start → poll → download → apply. */
export async function advanceProductSync(deps: ProductSyncDeps): Promise<SyncStep> {
  const { db, admin, shopId } = deps;
  const run = await db.syncRun.findFirst({ where: { shopId, kind: PRODUCT_SYNC, status: { in: ["pending", "running"] } }, orderBy: { id: "asc" } });
  if (!run) return { done: true };

  const next = await stepBulkExport(db, admin, run, productsBulkQuery());
  if ("step" in next) return next.step;
  const op = next.completed;

  const folder = new ProductExportFolder();
  let file: string | null = null;
  if (op.url) {
    file = await downloadBulkExport(op.url, deps.workDir);
    for await (const { value } of jsonLines(file, () => true)) folder.add(value);
  }
  // An empty export (url null) is a shop without products: every stored row is swept.
  const states = folder.states().map((s): ProductWrite => ({ ...s, available: s.available ?? false }));
  const result = await applyProductExport(db, shopId, states, new Date(op.createdAt));
  await db.syncRun.update({ where: { id: run.id }, data: { status: "completed", rowsTotal: op.total, rowsDone: states.length, finishedAt: new Date() } });
  if (file) rmSync(file, { force: true });
  logger("product-sync").info({ shopId, ...result }, "products export applied");
  return { done: true };
}

/** Which of these products (Shopify ids) have a variant available for sale, as Shopify says now. */
export type AvailabilityLookup = (productIds: readonly string[]) => Promise<Map<string, boolean>>;

// nodes(ids:) with variants(first: 100): ~104 points per product; 5 stay far below the 1,000 cap.
const AVAILABILITY_PER_CALL = 5;

/** The lookup through the Admin API (the first 100 variants of each product). */
export function shopifyAvailability(admin: () => Promise<AdminClient>): AvailabilityLookup {
  return async (productIds) => {
    const client = await admin();
    const found = new Map<string, boolean>();
    for (let i = 0; i < productIds.length; i += AVAILABILITY_PER_CALL) {
      const ids = productIds.slice(i, i + AVAILABILITY_PER_CALL).map((id) => `gid://shopify/Product/${id}`);
      const data = await client.request<{ nodes: ({ id?: string; variants?: { nodes: { availableForSale: boolean }[] } } | null)[] }>(PRODUCT_AVAILABILITY, { ids });
      for (const node of data.nodes) {
        if (node?.id === undefined || node.variants === undefined) continue;
        found.set(shopifyIdOf(node.id), node.variants.nodes.some((v) => v.availableForSale));
      }
    }
    return found;
  };
}

/**
 * A payload's availability, asking Shopify only when the payload cannot tell (no variant with
 * units or "continue": out of stock, or not tracked). If Shopify cannot be asked, the product is
 * taken as unavailable — never shown when unsure — and the next export corrects it.
 */
async function resolveAvailability(state: ProductState, lookup: AvailabilityLookup, shopId: number): Promise<boolean> {
  if (state.available !== null) return state.available;
  try {
    return (await lookup([state.shopifyId])).get(state.shopifyId) ?? false;
  } catch (err) {
    logger("product-sync").warn({ err, shopId, product: state.shopifyId }, "product availability could not be read from Shopify; stored as unavailable until the next products export");
    return false;
  }
}

/** products/create and products/update: the product's newer state, unless it was deleted. */
export async function applyProductWebhook(db: Db, shopId: number, payload: ProductPayload, lookup: AvailabilityLookup): Promise<ProductApplyResult> {
  const state = productStateFromWebhook(payload, await storedProductCurrency(db, shopId));
  const available = await resolveAvailability(state, lookup, shopId);
  return applyProductState(db, shopId, { ...state, available });
}

/** products/delete: the row goes; the event, kept in the inbox, keeps it from coming back. */
export async function removeProduct(db: Db, shopId: number, shopifyId: string): Promise<void> {
  await deleteProduct(db, shopId, shopifyId);
}
