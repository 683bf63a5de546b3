// The backfill's PostgreSQL writer: on a `pg` connection of its own (as the refresh's whole-shop
// read, order-facts-postgres.server.ts), each batch is a few statements whose rows travel as one
// array per column (INSERT … SELECT FROM unnest($1::int[], …)): a fixed number of parameters
// whatever the batch size, so a batch of 50,000 lines is one statement, one round trip, one plan.
// Measured on the Online Retail lines (bench/results/sync.md): the server's own work (index
// maintenance, foreign-key checks) is then most of the time, as it is for the floor.
// Instants are written as ISO-8601 UTC text cast to timestamp(3) (Prisma's storage: UTC, no zone;
// the session's time zone plays no part) and read back as epoch milliseconds.
import pg from "pg";
import { postgresUrlOf, type Db } from "../../db.server";
import {
  ORDER_COLUMNS,
  orderColumns,
  orderColumnValues,
  orderWriteDecision,
  type LineState,
  type OrderBulkWriter,
  type OrderColumns,
  type OrderState,
} from "../../domain/order";
import { customerRowIds } from "../customers.server";

/** Every column as the server's text: conversions are done here, only where needed. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** The array type each Order column travels as (unnest), by the column's SQL type. */
const ORDER_COLUMN_TYPES: Record<keyof OrderColumns, string> = {
  customerId: "int[]",
  processedAt: "timestamp(3)[]",
  shopifyUpdatedAt: "timestamp(3)[]",
  currency: "text[]",
  grossMilli: "bigint[]",
  netMilli: "bigint[]",
  cancelledAt: "timestamp(3)[]",
  test: "bool[]",
};

/** A column value as the driver sends it: instants as ISO text (UTC), integers as text (exact). */
function param(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  return v;
}

/** Rows → one array per column (what unnest takes). */
function columnsOf(rows: unknown[][], width: number): unknown[][] {
  const out = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < width; c++) out[c]![r] = param(row[c]);
  }
  return out;
}

export function postgresqlBulkWriter(db: Db, shopId: number): OrderBulkWriter {
  if (!Number.isSafeInteger(shopId)) throw new RangeError(`not a shop id: ${shopId}`);
  const url = postgresUrlOf(db);
  if (url === null) throw new Error("postgresqlBulkWriter needs a PostgreSQL client");
  const client = new pg.Client({ connectionString: url });
  // A lost connection fails the pending query; the event alone must not end the process.
  client.on("error", () => undefined);
  const connected = client.connect();
  connected.catch(() => undefined); // seen by the first write that awaits it
  const query = async (text: string, values: unknown[] = []): Promise<string[][]> => {
    await connected;
    return (await client.query<string[]>({ text, values, rowMode: "array", types: RAW_TEXT })).rows;
  };
  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    await query("BEGIN");
    try {
      const result = await work();
      await query("COMMIT");
      return result;
    } catch (error) {
      await query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };

  // Customer rows already resolved in this run: each customer is upserted once per backfill.
  const customers = new Map<string, number>();
  const resolveCustomers = async (orders: OrderState[]) => {
    const unknown = [...new Set(orders.flatMap((o) => (o.customerShopifyId && !customers.has(o.customerShopifyId) ? [o.customerShopifyId] : [])))];
    // Through the app's client, before the batch's transaction (as the per-event path does).
    for (const [shopifyId, id] of await customerRowIds(db, shopId, unknown)) customers.set(shopifyId, id);
  };

  const writeOrders = async (orders: OrderState[]): Promise<Map<string, number | null>> => {
    const result = new Map<string, number | null>();
    if (orders.length === 0) return result;
    await resolveCustomers(orders);
    const columns = (o: OrderState) => orderColumns(o, o.customerShopifyId ? (customers.get(o.customerShopifyId) ?? null) : null);
    await inTransaction(async () => {
      const existing = await query(
        `SELECT "id", "shopifyId", (extract(epoch from "shopifyUpdatedAt") * 1000)::float8 FROM "Order" WHERE "shopId" = $1 AND "shopifyId" = ANY($2::text[])`,
        [shopId, orders.map((o) => o.shopifyId)],
      );
      const stored = new Map(existing.map(([id, shopifyId, updatedMs]) => [shopifyId!, { id: Number(id), updatedAt: new Date(Number(updatedMs)) }]));
      const fresh: OrderState[] = [];
      const newer: { id: number; state: OrderState }[] = [];
      for (const o of orders) {
        const s = stored.get(o.shopifyId) ?? null;
        const decision = orderWriteDecision(s, o, "resume");
        if (decision === "insert" || s === null) fresh.push(o);
        else if (decision === "replace") newer.push({ id: s.id, state: o });
        else result.set(o.shopifyId, decision === "resume" ? s.id : null);
      }
      if (fresh.length > 0) {
        // Column names come from the code (ORDER_COLUMNS), never from data.
        const names = ORDER_COLUMNS.map((c) => `"${c}"`).join(", ");
        const unnest = ORDER_COLUMNS.map((c, i) => `$${i + 3}::${ORDER_COLUMN_TYPES[c]}`).join(", ");
        const rows = fresh.map((o) => orderColumnValues(columns(o)));
        const inserted = await query(
          `INSERT INTO "Order" ("shopId", "shopifyId", ${names}, "createdAt", "updatedAt")
           SELECT $1, x.*, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM unnest($2::text[], ${unnest}) AS x
           ON CONFLICT ("shopId", "shopifyId") DO NOTHING
           RETURNING "id", "shopifyId"`,
          [shopId, fresh.map((o) => o.shopifyId), ...columnsOf(rows, ORDER_COLUMNS.length)],
        );
        for (const [id, shopifyId] of inserted) result.set(shopifyId!, Number(id));
      }
      for (const { id, state: o } of newer) {
        const c = columns(o);
        const sets = ORDER_COLUMNS.map((name, i) => `"${name}" = $${i + 2}::${ORDER_COLUMN_TYPES[name].slice(0, -2)}`).join(", ");
        await query(`UPDATE "Order" SET ${sets}, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = $1`, [id, ...orderColumnValues(c).map(param)]);
        await query(`DELETE FROM "OrderLine" WHERE "orderId" = $1`, [id]);
        await query(`DELETE FROM "Refund" WHERE "orderId" = $1`, [id]);
        result.set(o.shopifyId, id);
      }
      const refunds = orders.flatMap((o) => {
        const orderId = result.get(o.shopifyId);
        return orderId ? o.refunds.map((r) => [orderId, r.shopifyId, r.processedAt, r.amountMilli]) : [];
      });
      if (refunds.length > 0) {
        await query(
          `INSERT INTO "Refund" ("shopId", "orderId", "shopifyId", "processedAt", "amountMilli")
           SELECT $1, x.* FROM unnest($2::int[], $3::text[], $4::timestamp(3)[], $5::bigint[]) AS x
           ON CONFLICT ("orderId", "shopifyId") DO NOTHING`,
          [shopId, ...columnsOf(refunds, 4)],
        );
      }
    });
    return result;
  };

  const insertLines = async (rows: { orderId: number; line: LineState }[]): Promise<void> => {
    if (rows.length === 0) return;
    const tuples = rows.map(({ orderId, line: l }) => [orderId, l.shopifyId, l.productId, l.variantId, l.quantity, l.unitPriceMilli, l.refundedQuantity]);
    await query(
      `INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productId", "variantId", "quantity", "unitPriceMilli", "refundedQuantity")
       SELECT $1, x.* FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::int[]) AS x
       ON CONFLICT ("orderId", "shopifyId") DO NOTHING`,
      [shopId, ...columnsOf(tuples, 7)],
    );
  };

  return {
    writeOrders,
    insertLines,
    close: async () => {
      await connected.catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
