// Customers are ids and timestamps only. customers/update deliveries that merely echo Segmint's
// own tag writes are recognised and ignored.
import type { Db } from "../db.server";
import type { CustomerPayload } from "../shopify/webhook-payloads";

/** Tags Segmint currently believes it has on the customer: its writes replayed in order. */
async function ownTags(db: Db, shopId: number, customerId: number): Promise<Set<string>> {
  const writes = await db.tagWrite.findMany({
    where: { shopId, customerId, mode: "live" },
    orderBy: { id: "asc" },
    select: { tag: true, action: true },
  });
  const tags = new Set<string>();
  for (const w of writes) {
    if (w.action === "add") tags.add(w.tag);
    else tags.delete(w.tag);
  }
  return tags;
}

export async function applyCustomer(
  db: Db,
  shopId: number,
  c: CustomerPayload,
  tagPrefix: string,
): Promise<"inserted" | "updated" | "stale" | "own-tag-echo"> {
  const existing = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: c.id } },
    select: { id: true, shopifyUpdatedAt: true },
  });
  const updatedAt = c.updated_at ? new Date(c.updated_at) : null;
  if (existing) {
    if (existing.shopifyUpdatedAt && updatedAt && existing.shopifyUpdatedAt >= updatedAt) return "stale";
    if (c.tags !== undefined) {
      const prefixed = new Set(
        c.tags.split(",").map((t) => t.trim()).filter((t) => t.startsWith(`${tagPrefix}:`)),
      );
      const ours = await ownTags(db, shopId, existing.id);
      // Same Segmint tags as we wrote: this delivery is our own write coming back.
      if (ours.size > 0 && prefixed.size === ours.size && [...ours].every((t) => prefixed.has(t))) {
        await db.customer.update({ where: { id: existing.id }, data: { shopifyUpdatedAt: updatedAt } });
        return "own-tag-echo";
      }
    }
    await db.customer.update({ where: { id: existing.id }, data: { shopifyUpdatedAt: updatedAt } });
    return "updated";
  }
  await db.customer.create({
    data: { shopId, shopifyId: c.id, shopifyCreatedAt: c.created_at ? new Date(c.created_at) : null, shopifyUpdatedAt: updatedAt },
  });
  return "inserted";
}

/** customers/delete: keep a tombstone (late order webhooks must not resurrect it), drop derived data. */
export async function markCustomerDeleted(db: Db, shopId: number, shopifyId: string): Promise<void> {
  const c = await db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } }, select: { id: true } });
  if (!c) return;
  await db.$transaction([
    db.customerSegment.deleteMany({ where: { shopId, customerId: c.id } }),
    db.customer.update({ where: { id: c.id }, data: { deletedAt: new Date() } }),
  ]);
}
