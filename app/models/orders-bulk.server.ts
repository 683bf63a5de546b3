// Batched writes for the backfill: multi-row statements that both databases accept
// (INSERT … ON CONFLICT DO NOTHING … RETURNING), about an order of magnitude faster than
// row-by-row Prisma calls. The same "newer state wins" rule as applyOrderState holds per order.
import { providerOf, sqlOf, urlOf, type Db } from "../db.server";
import { sqliteBulkWriter } from "./orders-bulk-sqlite.server";
import type { OrderState } from "../services/order-sync.server";
import type { LineState } from "../shopify/mappers/order";

/** Batched order writes for one shop's backfill. */
export interface OrderBulkWriter {
  /** Writes orders with their refunds (not lines); see writeOrderBatch for the returned map. */
  writeOrders(orders: OrderState[]): Promise<Map<string, number | null>>;
  insertLines(rows: { orderId: number; line: LineState }[]): Promise<void>;
  close(): Promise<void>;
}

/** SQLite: prepared statements on a driver connection; PostgreSQL: multi-row statements via Prisma. */
export function orderBulkWriter(db: Db, shopId: number): OrderBulkWriter {
  if (providerOf(db) === "sqlite") return sqliteBulkWriter(urlOf(db), shopId);
  return {
    writeOrders: async (orders) => {
      const customers = await upsertCustomers(db, shopId, orders.flatMap((o) => (o.customerShopifyId ? [o.customerShopifyId] : [])));
      return writeOrderBatch(db, shopId, orders, customers);
    },
    insertLines: (rows) => insertLines(db, shopId, rows),
    close: async () => {},
  };
}

/** Customer row ids for Shopify customer ids, creating the missing ones. */
export async function upsertCustomers(db: Db, shopId: number, shopifyIds: string[]): Promise<Map<string, number>> {
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

/**
 * Writes a batch of orders (with their refunds, without lines) and returns, per Shopify order id,
 * the row id whose lines the caller should write — or null when the stored state is newer
 * (a webhook already delivered a later version; its lines stand).
 */
export async function writeOrderBatch(
  db: Db,
  shopId: number,
  orders: OrderState[],
  customerIds: Map<string, number>,
): Promise<Map<string, number | null>> {
  const result = new Map<string, number | null>();
  if (orders.length === 0) return result;
  const Prisma = sqlOf(db);
  await db.$transaction(async (tx) => {
    const existing = await tx.$queryRaw<{ id: number; shopifyId: string; shopifyUpdatedAt: Date | string }[]>`
      SELECT "id", "shopifyId", "shopifyUpdatedAt" FROM "Order"
      WHERE "shopId" = ${shopId} AND "shopifyId" IN (${Prisma.join(orders.map((o) => o.shopifyId))})`;
    const stored = new Map(existing.map((r) => [r.shopifyId, { id: Number(r.id), updatedAt: new Date(r.shopifyUpdatedAt).getTime() }]));
    const fresh: OrderState[] = [];
    const newer: { id: number; state: OrderState }[] = [];
    for (const o of orders) {
      const s = stored.get(o.shopifyId);
      if (!s) fresh.push(o);
      else if (s.updatedAt < o.updatedAt.getTime()) newer.push({ id: s.id, state: o });
      else result.set(o.shopifyId, s.updatedAt === o.updatedAt.getTime() ? s.id : null);
    }
    const now = new Date();
    const customerOf = (o: OrderState) => (o.customerShopifyId ? (customerIds.get(o.customerShopifyId) ?? null) : null);
    if (fresh.length > 0) {
      const inserted = await tx.$queryRaw<{ id: number; shopifyId: string }[]>`
        INSERT INTO "Order" ("shopId", "shopifyId", "customerId", "processedAt", "shopifyUpdatedAt", "currency",
                             "grossMilli", "netMilli", "cancelledAt", "test", "createdAt", "updatedAt")
        VALUES ${Prisma.join(
          fresh.map(
            (o) => Prisma.sql`(${shopId}, ${o.shopifyId}, ${customerOf(o)}, ${o.processedAt}, ${o.updatedAt}, ${o.currency},
                                ${o.grossMilli}, ${o.netMilli}, ${o.cancelledAt}, ${o.test}, ${now}, ${now})`,
          ),
        )}
        ON CONFLICT ("shopId", "shopifyId") DO NOTHING
        RETURNING "id", "shopifyId"`;
      for (const r of inserted) result.set(r.shopifyId, Number(r.id));
    }
    for (const { id, state: o } of newer) {
      await tx.order.update({
        where: { id },
        data: {
          customerId: customerOf(o),
          processedAt: o.processedAt,
          shopifyUpdatedAt: o.updatedAt,
          currency: o.currency,
          grossMilli: o.grossMilli,
          netMilli: o.netMilli,
          cancelledAt: o.cancelledAt,
          test: o.test,
        },
      });
      await tx.orderLine.deleteMany({ where: { orderId: id } });
      await tx.refund.deleteMany({ where: { orderId: id } });
      result.set(o.shopifyId, id);
    }
    const refunds = orders.flatMap((o) => {
      const orderId = result.get(o.shopifyId);
      return orderId ? o.refunds.map((r) => ({ orderId, r })) : [];
    });
    if (refunds.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "Refund" ("shopId", "orderId", "shopifyId", "processedAt", "amountMilli")
        VALUES ${Prisma.join(refunds.map(({ orderId, r }) => Prisma.sql`(${shopId}, ${orderId}, ${r.shopifyId}, ${r.processedAt}, ${r.amountMilli})`))}
        ON CONFLICT ("orderId", "shopifyId") DO NOTHING`;
    }
  });
  return result;
}

const DIGITS = /^\d+$/;

function intLiteral(v: number | bigint): string {
  if (typeof v === "bigint" || Number.isSafeInteger(v)) return String(v);
  throw new Error(`not an integer: ${v}`);
}
function idLiteral(v: string | null): string {
  if (v === null) return "NULL";
  if (!DIGITS.test(v)) throw new Error(`not a numeric id: ${v}`);
  return `'${v}'`;
}

/**
 * Inserts lines; a line already stored (a resumed backfill, a webhook) is left as it is.
 * Lines are the bulk of a backfill (5 M in a large store), and binding 8 parameters per row is
 * where Prisma spends its time, so this one statement carries its values as literals. That is
 * injection-safe by construction: every value is an integer or a digits-only id, checked here.
 */
export async function insertLines(db: Db, shopId: number, rows: { orderId: number; line: LineState }[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows
    .map(
      ({ orderId, line: l }) =>
        `(${intLiteral(shopId)},${intLiteral(orderId)},${idLiteral(l.shopifyId)},${idLiteral(l.productId)},${idLiteral(l.variantId)},${intLiteral(l.quantity)},${intLiteral(l.unitPriceMilli)},${intLiteral(l.refundedQuantity)})`,
    )
    .join(",");
  await db.$executeRawUnsafe(
    `INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","variantId","quantity","unitPriceMilli","refundedQuantity") VALUES ${values} ON CONFLICT ("orderId","shopifyId") DO NOTHING`,
  );
}
