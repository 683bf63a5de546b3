// The backfill's SQLite fast path: prepared statements in one transaction per batch, on a
// better-sqlite3 connection of its own to the same file (WAL: readers are not blocked, and the
// app's connection waits up to its busy timeout for the few milliseconds a batch holds the lock).
// Measured on the Online Retail lines: ~3× faster than multi-row statements through Prisma.
// Storage formats are Prisma's own (verified in test/sync/backfill.test.ts by reading back through
// Prisma): DateTime as ISO-8601 text with "+00:00", Boolean as 0/1, BigInt as INTEGER.
import Database from "better-sqlite3";
import { sqliteFilePath } from "../db/migrate.server";
import type { OrderState } from "../services/order-sync.server";
import type { LineState } from "../shopify/mappers/order";
import type { OrderBulkWriter } from "./orders-bulk.server";

const iso = (d: Date | null) => (d === null ? null : d.toISOString().replace("Z", "+00:00"));

export function sqliteBulkWriter(url: string, shopId: number): OrderBulkWriter {
  const sql = new Database(sqliteFilePath(url), { timeout: 10_000 });
  sql.pragma("journal_mode = WAL");
  sql.pragma("foreign_keys = ON");
  // In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last batches, which
  // the resumable backfill writes again. Halves the time per batch here.
  sql.pragma("synchronous = NORMAL");
  sql.pragma("cache_size = -65536"); // 64 MiB page cache for index maintenance
  sql.defaultSafeIntegers(true);

  const insertCustomer = sql.prepare(
    `INSERT INTO "Customer" ("shopId","shopifyId","createdAt","updatedAt") VALUES (?,?,?,?) ON CONFLICT ("shopId","shopifyId") DO NOTHING`,
  );
  const customerId = sql.prepare(`SELECT "id" FROM "Customer" WHERE "shopId" = ? AND "shopifyId" = ?`).pluck();
  const existingOrder = sql.prepare(`SELECT "id", "shopifyUpdatedAt" FROM "Order" WHERE "shopId" = ? AND "shopifyId" = ?`);
  const insertOrder = sql.prepare(
    `INSERT INTO "Order" ("shopId","shopifyId","customerId","processedAt","shopifyUpdatedAt","currency","grossMilli","netMilli","cancelledAt","test","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING "id"`,
  ).pluck();
  const updateOrder = sql.prepare(
    `UPDATE "Order" SET "customerId"=?,"processedAt"=?,"shopifyUpdatedAt"=?,"currency"=?,"grossMilli"=?,"netMilli"=?,"cancelledAt"=?,"test"=?,"updatedAt"=? WHERE "id"=?`,
  );
  const deleteLines = sql.prepare(`DELETE FROM "OrderLine" WHERE "orderId" = ?`);
  const deleteRefunds = sql.prepare(`DELETE FROM "Refund" WHERE "orderId" = ?`);
  const insertRefund = sql.prepare(
    `INSERT INTO "Refund" ("shopId","orderId","shopifyId","processedAt","amountMilli") VALUES (?,?,?,?,?) ON CONFLICT ("orderId","shopifyId") DO NOTHING`,
  );
  const insertLine = sql.prepare(
    `INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","variantId","quantity","unitPriceMilli","refundedQuantity")
     VALUES (?,?,?,?,?,?,?,?) ON CONFLICT ("orderId","shopifyId") DO NOTHING`,
  );

  const customers = new Map<string, number>();

  const writeOrders = sql.transaction((orders: OrderState[]) => {
    const now = iso(new Date());
    const result = new Map<string, number | null>();
    for (const o of orders) {
      let cid: number | null = null;
      if (o.customerShopifyId) {
        cid = customers.get(o.customerShopifyId) ?? null;
        if (cid === null) {
          insertCustomer.run(shopId, o.customerShopifyId, now, now);
          cid = Number(customerId.get(shopId, o.customerShopifyId));
          customers.set(o.customerShopifyId, cid);
        }
      }
      const stored = existingOrder.get(shopId, o.shopifyId) as { id: bigint; shopifyUpdatedAt: string } | undefined;
      let id: number;
      if (!stored) {
        id = Number(insertOrder.get(shopId, o.shopifyId, cid, iso(o.processedAt), iso(o.updatedAt), o.currency, o.grossMilli, o.netMilli, iso(o.cancelledAt), o.test ? 1 : 0, now, now));
      } else {
        const storedAt = Date.parse(stored.shopifyUpdatedAt);
        id = Number(stored.id);
        if (storedAt > o.updatedAt.getTime()) {
          result.set(o.shopifyId, null); // a webhook already stored a later state
          continue;
        }
        if (storedAt < o.updatedAt.getTime()) {
          updateOrder.run(cid, iso(o.processedAt), iso(o.updatedAt), o.currency, o.grossMilli, o.netMilli, iso(o.cancelledAt), o.test ? 1 : 0, now, id);
          deleteLines.run(id);
          deleteRefunds.run(id);
        }
      }
      for (const r of o.refunds) insertRefund.run(shopId, id, r.shopifyId, iso(r.processedAt), r.amountMilli);
      result.set(o.shopifyId, id);
    }
    return result;
  });

  const insertLines = sql.transaction((rows: { orderId: number; line: LineState }[]) => {
    for (const { orderId, line: l } of rows) {
      insertLine.run(shopId, orderId, l.shopifyId, l.productId, l.variantId, l.quantity, l.unitPriceMilli, l.refundedQuantity);
    }
  });

  return {
    writeOrders: async (orders) => writeOrders(orders),
    insertLines: async (rows) => {
      insertLines(rows);
    },
    close: async () => {
      sql.close();
    },
  };
}
