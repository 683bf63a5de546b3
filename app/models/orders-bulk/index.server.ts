// The backfill's batched order writer for a client's database: prepared statements on a driver
// connection of its own for SQLite, multi-row statements through Prisma for PostgreSQL. Both
// implement the port in app/domain/order.ts with its write rule and column mapping.
import { sqliteFileOf, type Db } from "../../db.server";
import type { OrderBulkWriter } from "../../domain/order";
import { postgresqlBulkWriter } from "./postgresql.server";
import { sqliteBulkWriter } from "./sqlite.server";

/** Batched order writes for one shop's backfill. */
export function orderBulkWriter(db: Db, shopId: number): OrderBulkWriter {
  const file = sqliteFileOf(db);
  return file === null ? postgresqlBulkWriter(db, shopId) : sqliteBulkWriter(db, file, shopId);
}
