// Accepting a webhook: validate the payload → write the inbox row once, with its drain job, in
// one transaction. Processing happens in the `process-webhooks` job, so Shopify gets its answer in
// milliseconds (it allows 5 s). The HTTP side (HMAC, status codes) is app/webhooks.server.ts.
// Why an inbox: docs/decisions/0008-webhook-inbox.md.
import type { Db } from "../db.server";
import { insertWebhookEvent, type IncomingWebhook } from "../models/webhook-events.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { webhookPayloads, webhookTopic } from "../shopify/webhook-payloads";

/** A delivery whose signature and headers were verified, its body parsed as JSON but not validated. */
export type VerifiedWebhook = IncomingWebhook;

export type AcceptResult = { accepted: true; isNew: boolean } | { accepted: false; reason: string };

/**
 * Refuses a topic we do not subscribe to or a payload that fails its topic's schema (nothing is
 * written); otherwise records the event. Parsing also minimises: only ids and order facts survive,
 * so no name, email, phone or address reaches the inbox.
 */
export async function acceptWebhook(db: Db, w: VerifiedWebhook): Promise<AcceptResult> {
  const topic = webhookTopic(w.topic);
  if (!topic) return { accepted: false, reason: `unsubscribed topic ${w.topic}` };
  const parsed = webhookPayloads[topic].safeParse(w.payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { accepted: false, reason: `invalid ${topic} payload: ${first?.path.join(".") ?? ""} ${first?.message ?? ""}`.trim() };
  }
  return { accepted: true, isNew: await recordWebhook(db, { ...w, topic, payload: parsed.data }) };
}

/**
 * Writes the event unless the inbox has it, and queues the shop's drain unless one is waiting,
 * in one transaction (one commit on the hot path). Returns whether the event was new.
 */
export async function recordWebhook(db: Db, w: IncomingWebhook): Promise<boolean> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    const shopId = await insertWebhookEvent(tx, w, now);
    if (shopId === null) return false;
    await enqueue(tx, { type: JOB.processWebhooks, shopId, singletonKey: JOB.processWebhooks, runAt: now });
    return true;
  });
}
