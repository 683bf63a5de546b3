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
 * the row is new, null for a duplicate. The shop id is looked up inside the INSERT, so there is
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
