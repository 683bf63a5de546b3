// The webhook inbox (WebhookEvent): one row per (shop, event id) however often Shopify delivers
// it, read back in arrival order by the process-webhooks job, which records each event's outcome.
import type { Prisma } from "@prisma/client";
import type { Db } from "../db.server";

export interface IncomingWebhook {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: unknown;
}

type Client = Db | Prisma.TransactionClient;

/**
 * Writes the delivery unless its event is already in the inbox; resolves to the shop's id when
 * the row is new, null for a duplicate. The request path writes through webhookInboxWriter
 * (./webhook-inbox-writer.server.ts, same statement on a driver connection); this Prisma form
 * serves callers holding a transaction client and the tests that seed an inbox. The shop id is looked up inside the INSERT, so there is
 * nothing to go stale when shop/redact deletes the shop row (in this process or another).
 * A shop without a row (its first delivery, or one after shop/redact) gets one, as before.
 */
export async function insertWebhookEvent(client: Client, w: IncomingWebhook, now = new Date()): Promise<number | null> {
  const payload = JSON.stringify(w.payload);
  const shopId = await insertForDomain(client, w, payload, now);
  if (shopId !== null) return shopId;
  // Nothing inserted: a duplicate (the common case) or a shop with no row yet. Raw SQL: this is
  // on the path of every retried delivery, and a raw read costs a fraction of a Prisma query here.
  const known = await client.$queryRaw<unknown[]>`SELECT 1 FROM "Shop" WHERE "domain" = ${w.shopDomain}`;
  if (known.length > 0) return null;
  await client.shop.upsert({ where: { domain: w.shopDomain }, update: {}, create: { domain: w.shopDomain } });
  return insertForDomain(client, w, payload, now);
}

async function insertForDomain(client: Client, w: IncomingWebhook, payload: string, now: Date): Promise<number | null> {
  // The SELECT's WHERE also keeps SQLite's parser from reading ON CONFLICT as a join constraint.
  const rows = await client.$queryRaw<{ shopId: number | bigint }[]>`
    INSERT INTO "WebhookEvent" ("shopId", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "payload", "status")
    SELECT s."id", ${w.eventId}, ${w.webhookId}, ${w.topic}, ${w.apiVersion}, ${w.triggeredAt}, ${now}, ${payload}, 'received'
    FROM "Shop" s WHERE s."domain" = ${w.shopDomain}
    ON CONFLICT ("shopId", "eventId") DO NOTHING
    RETURNING "shopId"`;
  const shopId = rows[0]?.shopId;
  return shopId === undefined ? null : Number(shopId);
}

/** The inbox's highest row id, 0 when it is empty (the inbox dispatcher's high-water mark). */
export async function latestWebhookEventId(db: Db): Promise<number> {
  const rows = await db.$queryRaw<{ id: number | bigint | null }[]>`SELECT MAX("id") AS "id" FROM "WebhookEvent"`;
  return Number(rows[0]?.id ?? 0);
}

/**
 * Events still 'received' with an id above `afterId`, across shops: the inbox dispatcher's scan
 * (a range of the primary key, so it stays cheap however large the inbox grows).
 */
export async function receivedWebhookEventsAfter(db: Db, afterId: number): Promise<{ id: number; shopId: number }[]> {
  const rows = await db.$queryRaw<{ id: number | bigint; shopId: number | bigint }[]>`
    SELECT "id", "shopId" FROM "WebhookEvent" WHERE "id" > ${afterId} AND "status" = 'received' ORDER BY "id"`;
  return rows.map((r) => ({ id: Number(r.id), shopId: Number(r.shopId) }));
}

export interface PendingWebhookEvent {
  id: number;
  topic: string;
  payload: string;
}

/** The shop's events still waiting to be applied, oldest first. */
export async function pendingWebhookEvents(db: Db, shopId: number): Promise<PendingWebhookEvent[]> {
  return db.webhookEvent.findMany({
    where: { shopId, status: "received" },
    orderBy: { id: "asc" },
    select: { id: true, topic: true, payload: true },
  });
}

/** Records what became of an event: applied, ignored (stale or an echo), or failed for good with its error. */
export async function markWebhookEvent(db: Db, id: number, status: "processed" | "ignored" | "failed", error?: string): Promise<void> {
  await db.webhookEvent.update({ where: { id }, data: { status, processedAt: new Date(), ...(error === undefined ? {} : { error }) } });
}
