// The webhook hot path's one write: the inbox row, through a driver connection of the writer's own
// (better-sqlite3 on SQLite, a `pg` pool on PostgreSQL) and one prepared statement, without
// Prisma's query engine in between. Measured (bench/results/sync.md, ADR 0023): Prisma's raw query
// plus its transaction cost more than everything else a delivery does.
// Storage formats are Prisma's own (read back through Prisma in test/db/webhook-inbox.test.ts):
// DateTime as ISO-8601 text with "+00:00" on SQLite; UTC wall time in TIMESTAMP(3) on PostgreSQL.
import Database from "better-sqlite3";
import pg from "pg";
import { postgresUrlOf, sqliteFileOf, type Db } from "../db.server";
import type { IncomingWebhook } from "./webhook-events.server";

/** A delivery whose payload was validated and minimised, ready to be stored. */
export interface InboxRow extends Omit<IncomingWebhook, "payload"> {
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
 * batches of 8 (ADR 0023); on PostgreSQL one statement and one WAL flush per batch. `flush`
 * either writes the batch or nothing (it throws), or answers each row (an Error for a row that
 * failed on its own); a batch that wrote nothing is written again row by row, so only a row that
 * fails on its own fails its request.
 */
type RowResult = boolean | Error;

function groupCommit(flush: (rows: InboxRow[]) => Promise<RowResult[]>): (row: InboxRow) => Promise<boolean> {
  const queue: { row: InboxRow; resolve(isNew: boolean): void; reject(err: unknown): void }[] = [];
  const run = () => {
    const batch = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) setImmediate(run);
    const settle = (b: (typeof batch)[number], r: RowResult) => (r instanceof Error ? b.reject(r) : b.resolve(r));
    flush(batch.map((b) => b.row)).then(
      (results) => batch.forEach((b, i) => settle(b, results[i]!)),
      (error: unknown) => {
        if (batch.length === 1) return batch[0]!.reject(error);
        for (const b of batch) flush([b.row]).then((results) => settle(b, results[0]!), b.reject);
      },
    );
  };
  return (row) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(run);
      queue.push({ row, resolve, reject });
    });
}

/** Runs `write` until SQLite's write lock is free (up to 10 s, as the app's busy timeout), retrying on a timer. */
async function whenUnlocked<T>(write: () => T): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 8)) {
    try {
      return write();
    } catch (error) {
      const busy = error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY");
      if (!busy || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

function sqliteWriter(file: string): WebhookInboxWriter {
  const sql = new Database(file, { timeout: 10_000 });
  // As the app's own connections (app/db.server.ts): WAL, synchronous = NORMAL (ADR 0003), foreign keys.
  sql.pragma("journal_mode = WAL");
  sql.pragma("synchronous = NORMAL");
  sql.pragma("foreign_keys = ON");
  // No busy wait in SQLite: it would sleep on the request thread (in steps of up to 100 ms) while
  // the job thread holds the write lock. The batch retries on a timer instead, and the requests
  // that arrive meanwhile join it.
  sql.pragma("busy_timeout = 0");
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
    // BEGIN IMMEDIATE: the write lock first, so a busy database fails the batch before any work.
    write: groupCommit((rows) => whenUnlocked(() => writeBatch.immediate(rows))),
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
  // INSERT_EVENT over arrays; says for each row (by its 1-based position) whether it was inserted
  // and whether its shop has a row.
  const insertBatch = {
    name: "segmint_webhook_event_batch",
    text: `
      WITH v AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
          WITH ORDINALITY AS v("eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload", "domain", "ord")
      ), inserted AS (
        INSERT INTO "WebhookEvent" ("shopId", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "payload", "status")
        SELECT s."id", v."eventId", v."webhookId", v."topic", v."apiVersion", v."triggeredAt"::timestamp(3), $8::timestamp(3), v."payload", 'received'
        FROM v JOIN "Shop" s ON s."domain" = v."domain" ORDER BY v."ord"
        ON CONFLICT ("shopId", "eventId") DO NOTHING
        RETURNING "shopId", "eventId"
      )
      SELECT v."ord", i."eventId" IS NOT NULL AS "inserted", s."id" IS NOT NULL AS "shop"
      FROM v LEFT JOIN "Shop" s ON s."domain" = v."domain" LEFT JOIN inserted i ON i."shopId" = s."id" AND i."eventId" = v."eventId"
      ORDER BY v."ord"`,
  };
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
      try {
        if (rows.length === 1) return [await writeRow(c, rows[0]!, now)];
        // The whole batch in one statement (one round trip, one commit), in arrival order.
        const { rows: found } = await c.query<{ ord: string; inserted: boolean; shop: boolean }>({
          ...insertBatch,
          values: [
            rows.map((r) => r.eventId),
            rows.map((r) => r.webhookId),
            rows.map((r) => r.topic),
            rows.map((r) => r.apiVersion),
            rows.map((r) => r.triggeredAt?.toISOString() ?? null),
            rows.map((r) => r.payload),
            rows.map((r) => r.shopDomain),
            now,
          ],
        });
        const results: RowResult[] = rows.map(() => false);
        const seen = new Set<string>();
        const shopless: number[] = [];
        for (const f of found) {
          const i = Number(f.ord) - 1;
          const key = `${rows[i]!.shopDomain}\n${rows[i]!.eventId}`;
          // The same event twice in one batch: the first is the new one.
          if (f.inserted && !seen.has(key)) results[i] = true;
          seen.add(key);
          if (!f.shop) shopless.push(i);
        }
        // A shop without a row: as a single delivery (shop row, then the event), in order, each
        // committed on its own — so a failure here is that row's alone.
        for (const i of shopless) results[i] = await writeRow(c, rows[i]!, now).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
        return results;
      } finally {
        c.release();
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
