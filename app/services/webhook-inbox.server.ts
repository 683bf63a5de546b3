// Accepting a webhook: validate the payload against its topic's schema (which also strips every
// personal field) → write the inbox row once. That single INSERT is all a delivery costs the
// request: the inbox dispatcher (app/services/inbox-dispatch.server.ts) queues the shop's
// `process-webhooks` drain from the job runner, so Shopify gets its answer in milliseconds.
// The HTTP side (HMAC, headers, status codes) is app/webhooks.server.ts.
// Why an inbox: docs/decisions/0008-webhook-inbox.md; why this path: 0023-webhook-ingest-fast-path.md.
import type { Db } from "../db.server";
import type { IncomingWebhook } from "../models/webhook-events.server";
import { webhookInboxWriter } from "../models/webhook-inbox-writer.server";
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
 * Writes the event unless the inbox has it: one prepared INSERT, committed on its own. Returns
 * whether the event was new. Its drain is queued by the inbox dispatcher, not here.
 */
export async function recordWebhook(db: Db, w: IncomingWebhook): Promise<boolean> {
  return webhookInboxWriter(db).write({ ...w, payload: JSON.stringify(w.payload) });
}
