// The webhook inbox: one row per (shop, event id) however often Shopify delivers it.
import type { Db } from "../db.server";
import { JOB } from "../jobs/job-types";
import { ensureShop } from "./shops.server";

export interface IncomingWebhook {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: unknown;
}

export const PROCESS_WEBHOOKS_JOB = JOB.processWebhooks;

const shopIds = new Map<string, number>();

async function shopIdFor(db: Db, domain: string): Promise<number> {
  const cached = shopIds.get(domain);
  if (cached !== undefined) return cached;
  const shop = await ensureShop(db, domain);
  shopIds.set(domain, shop.id);
  return shop.id;
}

/** Forget cached shop ids (after shop/redact deleted the row). */
export function forgetShop(domain: string): void {
  shopIds.delete(domain);
}

/**
 * Writes the delivery unless its event is already in the inbox, and queues a drain unless one is
 * waiting — in one transaction (one commit on the hot path). Returns whether the event was new.
 */
export async function recordWebhook(db: Db, w: IncomingWebhook): Promise<boolean> {
  const cached = shopIds.has(w.shopDomain);
  try {
    return await insertEvent(db, await shopIdFor(db, w.shopDomain), w);
  } catch (error) {
    // The cached shop row may be gone: shop/redact ran in another process (scale mode).
    if (!cached) throw error;
    forgetShop(w.shopDomain);
    return insertEvent(db, await shopIdFor(db, w.shopDomain), w);
  }
}

async function insertEvent(db: Db, shopId: number, w: IncomingWebhook): Promise<boolean> {
  const payload = JSON.stringify(w.payload);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "WebhookEvent" ("shopId", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "payload", "status")
      VALUES (${shopId}, ${w.eventId}, ${w.webhookId}, ${w.topic}, ${w.apiVersion}, ${w.triggeredAt}, ${now}, ${payload}, 'received')
      ON CONFLICT ("shopId", "eventId") DO NOTHING`;
    if (inserted === 0) return false;
    await tx.$executeRaw`
      INSERT INTO "Job" ("shopId", "type", "payload", "status", "attempts", "maxAttempts", "runAt", "singletonKey", "createdAt", "updatedAt")
      SELECT ${shopId}, ${PROCESS_WEBHOOKS_JOB}, '{}', 'queued', 0, 5, ${now}, ${PROCESS_WEBHOOKS_JOB}, ${now}, ${now}
      WHERE NOT EXISTS (
        SELECT 1 FROM "Job" WHERE "shopId" = ${shopId} AND "singletonKey" = ${PROCESS_WEBHOOKS_JOB} AND "status" = 'queued'
      )`;
    return true;
  });
}
