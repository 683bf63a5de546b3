// The bridge's whole-shop read on PostgreSQL (the refresh's features), through a `pg` connection
// of its own instead of Prisma: the same batches as the SQLite driver read
// (order-facts-sqlite.server.ts), in Order.id order, an order's lines as one text (string_agg)
// decoded per batch (order-facts-batch.server.ts), the shop's customers read once. Rows come as
// arrays of raw text (no parsing by the driver); instants as epoch milliseconds. A batch's three
// queries go in one round trip and depend only on the previous batch's last id, so the next batch
// is asked for before the current one is handed on: the server works while the app accumulates
// (bench/results/refresh.md).
// Money travels as text, so no value is rounded on the way; beyond 2^53 it is refused by the mapping.
import pg from "pg";
import { postgresUrlOf, type Db } from "../db.server";
import { assembleBatch, type OrderFactsRecord, type OrderLinesText, type OrderRowFacts, type RefundFacts } from "./order-facts-batch.server";

/** Every column as the server's text: conversions are done here, only where needed. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

type Row = (string | null)[];

/** Milli as text → number (NaN beyond ±(2^53 − 1): refused by the mapping). */
function milliOf(text: string): number {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

const instantOf = (epochMs: string): Date => new Date(Number(epochMs));

/** A timestamp column as epoch milliseconds (timestamp(3) holds UTC: exact in float8). */
const epochMs = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * One batch's three statements, one round trip (the simple protocol, hence values written into
 * the text: integers checked by the caller). The keyset: the shop's next `limit` orders after id
 * `after`; every order of the shop with an id in (after, last of the batch] is in the batch, so its
 * lines and refunds are those of that id range and shop (the (orderId, shopifyId) unique index).
 */
function batchSql(shopId: number, after: number, limit: number): string {
  const last = `(SELECT max("id") FROM (SELECT "id" FROM "Order" WHERE "shopId" = ${shopId} AND "id" > ${after} ORDER BY "id" LIMIT ${limit}) b)`;
  return `SELECT "id", "shopifyId", ${epochMs(`"processedAt"`)}, ${epochMs(`"cancelledAt"`)}, "grossMilli", "test", "customerId"
      FROM "Order" WHERE "shopId" = ${shopId} AND "id" > ${after} ORDER BY "id" LIMIT ${limit};
    SELECT "orderId", count(*), string_agg("quantity"::text || ' ' || "unitPriceMilli"::text, ' ')
      FROM "OrderLine" WHERE "orderId" > ${after} AND "orderId" <= ${last} AND "shopId" = ${shopId} GROUP BY "orderId" ORDER BY "orderId";
    SELECT "orderId", ${epochMs(`"processedAt"`)}, "amountMilli"
      FROM "Refund" WHERE "orderId" > ${after} AND "orderId" <= ${last} AND "shopId" = ${shopId} ORDER BY "orderId", "id"`;
}

interface RawBatch {
  readonly orders: Row[];
  readonly lines: Row[];
  readonly refunds: Row[];
}

/** The shop's orders with lines and refunds, `batchSize` orders at a time in Order.id order. */
export async function* postgresOrderFacts(db: Db, shopId: number, batchSize: number): AsyncGenerator<OrderFactsRecord[], void, undefined> {
  for (const n of [shopId, batchSize]) if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  const url = postgresUrlOf(db);
  if (url === null) throw new Error("postgresOrderFacts needs a PostgreSQL client");
  const client = new pg.Client({ connectionString: url });
  // A lost connection fails the pending query; the event alone must not end the process.
  client.on("error", () => undefined);
  await client.connect();
  const rows = async (text: string, values: unknown[]): Promise<Row[]> => (await client.query<Row>({ text, values, rowMode: "array", types: RAW_TEXT })).rows;
  const fetchBatch = (after: number): Promise<RawBatch> => {
    const fetching = (async (): Promise<RawBatch> => {
      const results = (await client.query<Row>({ text: batchSql(shopId, after, batchSize), rowMode: "array", types: RAW_TEXT })) as unknown as pg.QueryResult<Row>[];
      return { orders: results[0]!.rows, lines: results[1]!.rows, refunds: results[2]!.rows };
    })();
    // A failure while the consumer holds the previous batch is seen when it is awaited, never unhandled.
    fetching.catch(() => undefined);
    return fetching;
  };
  let pending: Promise<RawBatch> | null = null;
  try {
    const customers = new Map<number, string>();
    for (const [id, shopifyId] of await rows(`SELECT "id", "shopifyId" FROM "Customer" WHERE "shopId" = $1`, [shopId])) customers.set(Number(id), shopifyId!);
    pending = fetchBatch(0);
    for (;;) {
      const batch: RawBatch = await pending;
      pending = null;
      if (batch.orders.length === 0) return;
      // A customer created while the read runs is looked up on its own.
      const unknown = [...new Set(batch.orders.flatMap((r) => (r[6] !== null && !customers.has(Number(r[6])) ? [Number(r[6])] : [])))];
      if (unknown.length > 0) {
        for (const [id, shopifyId] of await rows(`SELECT "id", "shopifyId" FROM "Customer" WHERE "shopId" = $1 AND "id" = ANY($2::int[])`, [shopId, unknown])) customers.set(Number(id), shopifyId!);
      }
      // The next batch is read while this one is processed (two batches in memory at most; one
      // query at a time on the connection).
      pending = fetchBatch(Number(batch.orders[batch.orders.length - 1]![0]));
      const orders = batch.orders.map(
        (r): OrderRowFacts => ({
          id: Number(r[0]),
          shopifyId: r[1]!,
          processedAt: instantOf(r[2]!),
          cancelledAt: r[3] === null ? null : instantOf(r[3]),
          grossMilli: milliOf(r[4]!),
          test: r[5] === "t",
          customerShopifyId: r[6] === null ? null : (customers.get(Number(r[6])) ?? null),
        }),
      );
      yield assembleBatch(
        orders,
        batch.lines.map((l): OrderLinesText => [Number(l[0]), Number(l[1]), l[2]!]),
        batch.refunds.map((f): RefundFacts => ({ orderId: Number(f[0]), processedAt: instantOf(f[1]!), amountMilli: milliOf(f[2]!) })),
      );
    }
  } finally {
    // Stopped early: the queued batch is let finish (or fail) before the connection closes.
    if (pending !== null) await pending.catch(() => undefined);
    await client.end();
  }
}
