// Customer rows: a Shopify customer id and timestamps, no personal data. Every path that meets a
// customer id (order webhooks, reconciliation, both backfill writers) gets its row here.
import { sqlOf, type Db } from "../db.server";

/**
 * The customer upsert: row ids for Shopify customer ids, creating the missing rows. An existing
 * row is left as it is, tombstone included (a late order must not resurrect a deleted customer).
 * One multi-row statement per call, so a backfill batch costs two statements.
 */
export async function customerRowIds(db: Db, shopId: number, shopifyIds: Iterable<string>): Promise<Map<string, number>> {
  const ids = [...new Set(shopifyIds)];
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const now = new Date();
  const Prisma = sqlOf(db);
  await db.$executeRaw`
    INSERT INTO "Customer" ("shopId", "shopifyId", "createdAt", "updatedAt")
    VALUES ${Prisma.join(ids.map((id) => Prisma.sql`(${shopId}, ${id}, ${now}, ${now})`))}
    ON CONFLICT ("shopId", "shopifyId") DO NOTHING`;
  const rows = await db.$queryRaw<{ id: number; shopifyId: string }[]>`
    SELECT "id", "shopifyId" FROM "Customer" WHERE "shopId" = ${shopId} AND "shopifyId" IN (${Prisma.join(ids)})`;
  for (const r of rows) out.set(r.shopifyId, Number(r.id));
  return out;
}

/** The row id for one Shopify customer id (created if missing). */
export async function customerRowId(db: Db, shopId: number, shopifyId: string): Promise<number> {
  const id = (await customerRowIds(db, shopId, [shopifyId])).get(shopifyId);
  if (id === undefined) throw new Error(`customer ${shopifyId} of shop ${shopId} was neither found nor created`);
  return id;
}

export async function findCustomer(db: Db, shopId: number, shopifyId: string) {
  return db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    select: { id: true, shopifyUpdatedAt: true },
  });
}

/** A customer first seen through customers/create or customers/update. */
export async function createCustomer(
  db: Db,
  c: { shopId: number; shopifyId: string; shopifyCreatedAt: Date | null; shopifyUpdatedAt: Date | null },
): Promise<void> {
  await db.customer.create({ data: c });
}

export async function setCustomerUpdatedAt(db: Db, id: number, shopifyUpdatedAt: Date | null): Promise<void> {
  await db.customer.update({ where: { id }, data: { shopifyUpdatedAt } });
}

/** Marks the customer deleted (a tombstone) and drops its segment memberships. */
export async function tombstoneCustomer(db: Db, shopId: number, shopifyId: string): Promise<void> {
  const c = await db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } }, select: { id: true } });
  if (!c) return;
  await db.$transaction([
    db.customerSegment.deleteMany({ where: { shopId, customerId: c.id } }),
    db.customer.update({ where: { id: c.id }, data: { deletedAt: new Date() } }),
  ]);
}
