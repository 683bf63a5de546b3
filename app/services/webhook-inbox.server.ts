// Receiving a webhook: verify → validate → write the inbox row once → 200. Processing happens in
// the `process-webhooks` job, so Shopify gets its answer in milliseconds (it allows 5 s).
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { webhookPayloads, webhookTopic } from "../shopify/webhook-payloads";
import { recordWebhook } from "../models/webhook-events.server";

export async function receiveWebhook(request: Request): Promise<Response> {
  let ctx: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    // Throws 405 (not POST), 401 (bad HMAC) and 400 (missing headers) as Responses.
    ctx = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof SyntaxError) return new Response("malformed JSON body", { status: 400 });
    throw error;
  }
  const topic = webhookTopic(String(ctx.topic));
  if (!topic) return new Response(`unsubscribed topic ${String(ctx.topic)}`, { status: 400 });
  const parsed = webhookPayloads[topic].safeParse(ctx.payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return new Response(`invalid ${topic} payload: ${first?.path.join(".") ?? ""} ${first?.message ?? ""}`.trim(), {
      status: 400,
    });
  }
  await recordWebhook(db(), {
    shopDomain: ctx.shop,
    topic,
    // X-Shopify-Event-Id is stable across retries of one event; the webhook id is per delivery.
    eventId: ctx.eventId ?? ctx.webhookId,
    webhookId: ctx.webhookId,
    apiVersion: ctx.apiVersion,
    triggeredAt: ctx.triggeredAt ? new Date(ctx.triggeredAt) : null,
    payload: parsed.data,
  });
  return new Response(null, { status: 200 });
}
