// Customers are ids and timestamps only. customers/update deliveries that merely echo Segmint's
// own tag writes are recognised and ignored.
import type { Db } from "../db.server";
import { storedVersion } from "../domain/version";
import { createCustomer, findCustomer, setCustomerUpdatedAt, tombstoneCustomer } from "../models/customers.server";
import { liveTagsOf } from "../models/tag-writes.server";
import type { CustomerPayload } from "../shopify/webhook-payloads";

export async function applyCustomer(
  db: Db,
  shopId: number,
  c: CustomerPayload,
  tagPrefix: string,
): Promise<"inserted" | "updated" | "stale" | "own-tag-echo"> {
  const existing = await findCustomer(db, shopId, c.id);
  const updatedAt = c.updated_at ? new Date(c.updated_at) : null;
  if (existing) {
    // Newer state wins; a delivery or stored row without updated_at is applied.
    if (existing.shopifyUpdatedAt && updatedAt && storedVersion(existing.shopifyUpdatedAt, updatedAt) !== "older") return "stale";
    if (c.tags !== undefined) {
      const prefixed = new Set(
        c.tags.split(",").map((t) => t.trim()).filter((t) => t.startsWith(`${tagPrefix}:`)),
      );
      const ours = await liveTagsOf(db, shopId, existing.id);
      // Same Segmint tags as we wrote: this delivery is our own write coming back.
      if (ours.size > 0 && prefixed.size === ours.size && [...ours].every((t) => prefixed.has(t))) {
        await setCustomerUpdatedAt(db, existing.id, updatedAt);
        return "own-tag-echo";
      }
    }
    await setCustomerUpdatedAt(db, existing.id, updatedAt);
    return "updated";
  }
  await createCustomer(db, {
    shopId,
    shopifyId: c.id,
    shopifyCreatedAt: c.created_at ? new Date(c.created_at) : null,
    shopifyUpdatedAt: updatedAt,
  });
  return "inserted";
}

/** customers/delete: keep a tombstone (late order webhooks must not resurrect it), drop derived data. */
export async function markCustomerDeleted(db: Db, shopId: number, shopifyId: string): Promise<void> {
  await tombstoneCustomer(db, shopId, shopifyId);
}
