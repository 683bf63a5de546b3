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
  return {
    async write(row) {
      const now = sqliteTime(new Date());
      if (insert(row, now)) return true;
      // Nothing inserted: a duplicate, or a shop with no row yet, which gets one (unless another
      // delivery just added it) — then the event, which a duplicate still leaves alone.
      insertShop.run(row.shopDomain, now, now, now);
      return insert(row, now);
    },
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
  const insert = async (r: InboxRow, now: string) =>
    (await pool.query({ ...insertEvent, values: [r.eventId, r.webhookId, r.topic, r.apiVersion, r.triggeredAt?.toISOString() ?? null, now, r.payload, r.shopDomain] }))
      .rowCount === 1;
  return {
    async write(row) {
      // TIMESTAMP(3) without time zone: the ISO text's "Z" is dropped, leaving UTC wall time as Prisma stores it.
      const now = new Date().toISOString();
      if (await insert(row, now)) return true;
      // As on SQLite. Whether this call added the shop does not matter: a delivery for the same new
      // shop may have added it a moment ago, and its event is not in the inbox yet.
      await pool.query({ ...insertShop, values: [row.shopDomain, now] });
      return insert(row, now);
    },
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
