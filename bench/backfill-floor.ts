// The backfill's floor (bench/sync.bench.ts): what storing a bulk export costs with nothing of the
// app's around it. One read of the JSONL, JSON.parse of every line, the same rows the app stores
// (ids out of the gids, money in milli, Prisma's storage formats), inserted into the app's own
// migrated tables — same columns, same unique and secondary indexes, same foreign keys — by
// prepared inserts (SQLite) or multi-row INSERT … SELECT FROM unnest (PostgreSQL), 50,000 rows per
// transaction, the secondary indexes of OrderLine built after the rows (the cheaper order). It
// skips what the app must do on top: resumability (progress rows), the write rule against stored
// newer versions (ON CONFLICT, a SELECT per order), the customer upsert through Prisma and the
// mapping's validation. Lines come before their order in the file, so the floor keeps them in
// memory (compact tuples) until the orders are in; the app reads the file twice instead.
import fs from "node:fs";
import readline from "node:readline";
import Database from "better-sqlite3";
import pg from "pg";

const BATCH = 50_000;
const LINE_INDEX = `"OrderLine_shopId_productId_idx"`;
const CREATE_LINE_INDEX = `CREATE INDEX ${LINE_INDEX} ON "OrderLine"("shopId", "productId")`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the export's shape, read as the app's mapper reads it
const gid = (s: string) => s.slice(s.lastIndexOf("/") + 1);
const milli = (m: Json) => Math.round(Number(m.shopMoney.amount) * 1000);
type LineTuple = [parent: string, shopifyId: string, productId: string | null, variantId: string | null, quantity: number, unitPriceMilli: number, refundedQuantity: number];
const lineTuple = (v: Json): LineTuple => [
  v.__parentId,
  gid(v.id),
  v.product ? gid(v.product.id) : null,
  v.variant ? gid(v.variant.id) : null,
  v.quantity,
  milli(v.originalUnitPriceSet),
  Math.max(0, v.quantity - (v.currentQuantity ?? v.quantity)),
];

interface Sink {
  orders(batch: Json[]): Promise<void>;
  lines(batch: LineTuple[]): Promise<void>;
  end(): Promise<void>;
}

async function run(file: string, sink: Sink): Promise<void> {
  const lines: LineTuple[] = [];
  let orders: Json[] = [];
  for await (const text of readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    if (!text) continue;
    const v = JSON.parse(text) as Json;
    if (v.__parentId) lines.push(lineTuple(v));
    else {
      orders.push(v);
      if (orders.length >= BATCH) {
        await sink.orders(orders);
        orders = [];
      }
    }
  }
  await sink.orders(orders);
  for (let i = 0; i < lines.length; i += BATCH) await sink.lines(lines.slice(i, i + BATCH));
  await sink.end();
}

/** Seconds to store `file` into the migrated SQLite database `dbFile` (one shop, created here). */
export async function sqliteFloor(file: string, dbFile: string): Promise<number> {
  const started = performance.now();
  const sql = new Database(dbFile);
  sql.pragma("journal_mode = WAL");
  sql.pragma("synchronous = NORMAL");
  sql.pragma("cache_size = -65536");
  const now = new Date().toISOString().replace("Z", "+00:00");
  const iso = (s: string | null) => (s === null ? null : new Date(s).toISOString().replace("Z", "+00:00"));
  const shopId = Number(sql.prepare(`INSERT INTO "Shop" ("domain", "updatedAt") VALUES ('floor.myshopify.com', ?) RETURNING "id"`).pluck().get(now));
  sql.exec(`DROP INDEX ${LINE_INDEX}`);
  const insCustomer = sql.prepare(`INSERT INTO "Customer" ("shopId","shopifyId","createdAt","updatedAt") VALUES (?,?,?,?) RETURNING "id"`).pluck();
  const insOrder = sql.prepare(
    `INSERT INTO "Order" ("id","shopId","shopifyId","customerId","processedAt","shopifyUpdatedAt","currency","grossMilli","netMilli","cancelledAt","test","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insRefund = sql.prepare(`INSERT INTO "Refund" ("shopId","orderId","shopifyId","processedAt","amountMilli") VALUES (?,?,?,?,?)`);
  const insLine = sql.prepare(`INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","variantId","quantity","unitPriceMilli","refundedQuantity") VALUES (?,?,?,?,?,?,?,?)`);
  const orderIds = new Map<string, number>();
  const customers = new Map<string, number>();
  const writeOrders = sql.transaction((batch: Json[]) => {
    for (const v of batch) {
      const id = orderIds.size + 1;
      orderIds.set(v.id as string, id);
      let cid: number | null = null;
      if (v.customer) {
        const c = gid(v.customer.id);
        cid = customers.get(c) ?? null;
        if (cid === null) customers.set(c, (cid = Number(insCustomer.get(shopId, c, now, now))));
      }
      insOrder.run(id, shopId, gid(v.id), cid, iso(v.processedAt), iso(v.updatedAt), v.currencyCode, milli(v.totalPriceSet), milli(v.currentTotalPriceSet), iso(v.cancelledAt ?? null), v.test ? 1 : 0, now, now);
      for (const r of v.refunds ?? []) insRefund.run(shopId, id, gid(r.id), iso(r.createdAt), milli(r.totalRefundedSet));
    }
  });
  const writeLines = sql.transaction((batch: LineTuple[]) => {
    for (const [parent, ...rest] of batch) insLine.run(shopId, orderIds.get(parent), ...rest);
  });
  await run(file, {
    orders: async (b) => writeOrders(b),
    lines: async (b) => writeLines(b),
    end: async () => {
      sql.exec(CREATE_LINE_INDEX);
      sql.close();
    },
  });
  return (performance.now() - started) / 1000;
}

/** Seconds to store `file` into the migrated PostgreSQL database at `url` (one shop, created here). */
export async function postgresFloor(file: string, url: string): Promise<number> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const shopId = Number((await client.query(`INSERT INTO "Shop" ("domain", "updatedAt") VALUES ('floor.myshopify.com', now()) RETURNING "id"`)).rows[0].id);
  await client.query(`DROP INDEX ${LINE_INDEX}`);
  const orderIds = new Map<string, number>();
  const customers = new Map<string, number>();
  const columns = <T>(rows: T[][], n: number) => Array.from({ length: n }, (_, k) => rows.map((r) => r[k]));
  await run(file, {
    orders: async (batch) => {
      await client.query("BEGIN");
      const fresh = [...new Set(batch.flatMap((v) => (v.customer && !customers.has(gid(v.customer.id)) ? [gid(v.customer.id)] : [])))];
      if (fresh.length > 0) {
        const res = await client.query(`INSERT INTO "Customer" ("shopId","shopifyId","createdAt","updatedAt") SELECT $1, s, now(), now() FROM unnest($2::text[]) s RETURNING "id", "shopifyId"`, [shopId, fresh]);
        for (const r of res.rows) customers.set(r.shopifyId, Number(r.id));
      }
      const orders: unknown[][] = [];
      const refunds: unknown[][] = [];
      for (const v of batch) {
        const id = orderIds.size + 1;
        orderIds.set(v.id, id);
        orders.push([id, gid(v.id), v.customer ? customers.get(gid(v.customer.id)) : null, v.processedAt, v.updatedAt, v.currencyCode, milli(v.totalPriceSet), milli(v.currentTotalPriceSet), v.cancelledAt ?? null, v.test === true]);
        for (const r of v.refunds ?? []) refunds.push([id, gid(r.id), r.createdAt, milli(r.totalRefundedSet)]);
      }
      await client.query(
        `INSERT INTO "Order" ("id","shopId","shopifyId","customerId","processedAt","shopifyUpdatedAt","currency","grossMilli","netMilli","cancelledAt","test","createdAt","updatedAt")
         SELECT i, $1, s, c, p, u, cur, g, n, ca, t, now(), now() FROM unnest($2::int[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::bigint[], $9::bigint[], $10::timestamptz[], $11::bool[]) AS x(i, s, c, p, u, cur, g, n, ca, t)`,
        [shopId, ...columns(orders, 10)],
      );
      if (refunds.length > 0) {
        await client.query(
          `INSERT INTO "Refund" ("shopId","orderId","shopifyId","processedAt","amountMilli") SELECT $1, o, s, p, a FROM unnest($2::int[], $3::text[], $4::timestamptz[], $5::bigint[]) AS x(o, s, p, a)`,
          [shopId, ...columns(refunds, 4)],
        );
      }
      await client.query("COMMIT");
    },
    lines: async (batch) => {
      const rows = batch.map(([parent, ...rest]) => [orderIds.get(parent), ...rest]);
      await client.query(
        `INSERT INTO "OrderLine" ("shopId","orderId","shopifyId","productId","variantId","quantity","unitPriceMilli","refundedQuantity")
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::int[])`,
        [shopId, ...columns(rows, 7)],
      );
    },
    end: async () => {
      await client.query(CREATE_LINE_INDEX);
      await client.end();
    },
  });
  return (performance.now() - started) / 1000;
}
