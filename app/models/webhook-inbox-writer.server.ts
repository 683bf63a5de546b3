// The webhook hot path's one write: the inbox row, through a driver connection of the writer's own
// (better-sqlite3 on SQLite, a `pg` pool on PostgreSQL) and one prepared statement, without
// Prisma's query engine in between. Measured (bench/results/sync.md, ADR 0023): Prisma's raw query
// plus its transaction cost more than everything else a delivery does.
// Storage formats are Prisma's own (read back through Prisma in test/db/webhook-inbox.test.ts):
// DateTime as ISO-8601 text with "+00:00" on SQLite; UTC wall time in TIMESTAMP(3) on PostgreSQL.
import Database from "better-sqlite3";
import pg from "pg";
import { postgresUrlOf, sqliteFileOf, type Db } from "../db.server";

/** A delivery whose payload was validated and minimised, ready to be stored. */
export interface InboxRow {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  /** The validated payload as JSON text (only what the topic's schema keeps). */
  payload: string;
}

export interface WebhookInboxWriter {
  /** Stores the row unless the inbox has its (shop, event id); resolves whether it was new. */
  write(row: InboxRow): Promise<boolean>;
  close(): Promise<void>;
}

// The shop id is looked up inside the INSERT: nothing to go stale when shop/redact deletes the
// shop row in another process. The WHERE also keeps SQLite's parser from reading ON CONFLICT as a
// join constraint. A shop without a row gets one (its first delivery, or one after shop/redact).
const INSERT_EVENT = (p: (i: number) => string) => `
  INSERT INTO "WebhookEvent" ("shopId", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "payload", "status")
  SELECT s."id", ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, 'received' FROM "Shop" s WHERE s."domain" = ${p(8)}
  ON CONFLICT ("shopId", "eventId") DO NOTHING`;
const INSERT_SHOP = (p: (i: number) => string) => `
  INSERT INTO "Shop" ("domain", "installedAt", "createdAt", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(2)}, ${p(2)})
  ON CONFLICT ("domain") DO NOTHING`;

const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Rows per transaction at most. */
const MAX_BATCH = 256;

/**
 * Group commit: the rows written while the event loop turns (deliveries in flight together) go
 * to the database in one transaction, each request answered once that transaction committed.
 * One commit per batch instead of one per row: measured on SQLite, 72 µs per row alone, 22 µs in
 * batches of 8 (ADR 0023); on PostgreSQL one WAL flush per batch. If a batch fails, its rows are
 * written one by one, so only a row that fails on its own fails its request.
 */
function groupCommit(flush: (rows: InboxRow[]) => Promise<boolean[]>): (row: InboxRow) => Promise<boolean> {
  const queue: { row: InboxRow; resolve(isNew: boolean): void; reject(err: unknown): void }[] = [];
  const run = () => {
    const batch = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) setImmediate(run);
    flush(batch.map((b) => b.row)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
      () => {
        for (const b of batch) flush([b.row]).then((results) => b.resolve(results[0]!), b.reject);
      },
    );
  };
  return (row) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(run);
      queue.push({ row, resolve, reject });
    });
}

function sqliteWriter(file: string): WebhookInboxWriter {
  const sql = new Database(file, { timeout: 10_000 });
  // As the app's own connections (app/db.server.ts): WAL, synchronous = NORMAL (ADR 0003), foreign keys.
  sql.pragma("journal_mode = WAL");
  sql.pragma("synchronous = NORMAL");
  sql.pragma("foreign_keys = ON");
  const insertEvent = sql.prepare(INSERT_EVENT(() => "?"));
  const insertShop = sql.prepare(INSERT_SHOP(() => "?"));
  const insert = (r: InboxRow, now: string) =>
    insertEvent.run(r.eventId, r.webhookId, r.topic, r.apiVersion, r.triggeredAt && sqliteTime(r.triggeredAt), now, r.payload, r.shopDomain).changes === 1;
  const writeRow = (row: InboxRow, now: string) => {
    if (insert(row, now)) return true;
    // Nothing inserted: a duplicate, or a shop with no row yet, which gets one (unless another
    // delivery just added it) — then the event, which a duplicate still leaves alone.
    insertShop.run(row.shopDomain, now, now, now);
    return insert(row, now);
  };
  const writeBatch = sql.transaction((rows: InboxRow[]) => {
    const now = sqliteTime(new Date());
    return rows.map((r) => writeRow(r, now));
  });
  return {
    write: groupCommit(async (rows) => writeBatch(rows)),
    async close() {
      sql.close();
    },
  };
}

function postgresWriter(url: string): WebhookInboxWriter {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection's error (a restart, a dropped test database) must not end the process;
  // the next query reports it to its delivery, which answers 500 and Shopify retries.
  pool.on("error", () => undefined);
  // Named statements: each pooled connection parses and plans them once.
  const insertEvent = { name: "segmint_webhook_event_insert", text: INSERT_EVENT((i) => `$${i}`) };
  const insertShop = { name: "segmint_webhook_shop_insert", text: INSERT_SHOP((i) => `$${i}`) };
  // TIMESTAMP(3) without time zone: the ISO text's "Z" is dropped, leaving UTC wall time as Prisma stores it.
  const insert = async (c: pg.PoolClient, r: InboxRow, now: string) =>
    (await c.query({ ...insertEvent, values: [r.eventId, r.webhookId, r.topic, r.apiVersion, r.triggeredAt?.toISOString() ?? null, now, r.payload, r.shopDomain] })).rowCount === 1;
  const writeRow = async (c: pg.PoolClient, row: InboxRow, now: string) => {
    if (await insert(c, row, now)) return true;
    // As on SQLite. Whether this call added the shop does not matter: a delivery for the same new
    // shop may have added it a moment ago (it waits for that one's commit), and its event is not
    // in the inbox yet.
    await c.query({ ...insertShop, values: [row.shopDomain, now] });
    return insert(c, row, now);
  };
  return {
    write: groupCommit(async (rows) => {
      const now = new Date().toISOString();
      const c = await pool.connect();
      let broken: Error | undefined;
      try {
        if (rows.length === 1) return [await writeRow(c, rows[0]!, now)];
        await c.query("BEGIN");
        const results: boolean[] = [];
        for (const r of rows) results.push(await writeRow(c, r, now));
        await c.query("COMMIT");
        return results;
      } catch (error) {
        // A connection that cannot even roll back is discarded, not handed to the next batch.
        await c.query("ROLLBACK").catch((e: Error) => (broken = e));
        throw error;
      } finally {
        c.release(broken);
      }
    }),
    async close() {
      await pool.end();
    },
  };
}

const writers = new WeakMap<Db, WebhookInboxWriter>();

/** The inbox writer for a client's database, opened on first use and kept for the process. */
export function webhookInboxWriter(db: Db): WebhookInboxWriter {
  let writer = writers.get(db);
  if (!writer) {
    const file = sqliteFileOf(db);
    writer = file !== null ? sqliteWriter(file) : postgresWriter(postgresUrlOf(db)!);
    writers.set(db, writer);
  }
  return writer;
}

/** Closes the client's inbox writer if one was opened (tests dropping their database, shutdown). */
export async function closeWebhookInboxWriter(db: Db): Promise<void> {
  const writer = writers.get(db);
  writers.delete(db);
  await writer?.close();
}
