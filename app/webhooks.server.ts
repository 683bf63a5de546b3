// The HTTP side of every webhook route (app/routes/webhooks.*.tsx): verify the request, hand the
// delivery to the inbox use case, answer with a status: 401 bad HMAC, 400 refused (nothing
// stored), 200 stored or already stored. Kept out of services/: it speaks Request and Response.
import { db } from "./db.server";
import { acceptWebhook } from "./services/webhook-inbox.server";
import { authenticate } from "./shopify.server";

export async function receiveWebhook(request: Request): Promise<Response> {
  let ctx: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    // Throws 405 (not POST), 401 (bad HMAC) and 400 (missing headers) as Responses.
    ctx = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof SyntaxError) return new Response("malformed JSON body", { status: 400 });
    throw error;
  }
  const result = await acceptWebhook(db(), {
    shopDomain: ctx.shop,
    topic: String(ctx.topic),
    // X-Shopify-Event-Id is stable across retries of one event; the webhook id is per delivery.
    eventId: ctx.eventId ?? ctx.webhookId,
    webhookId: ctx.webhookId,
    apiVersion: ctx.apiVersion,
    triggeredAt: ctx.triggeredAt ? new Date(ctx.triggeredAt) : null,
    payload: ctx.payload,
  });
  return result.accepted ? new Response(null, { status: 200 }) : new Response(result.reason, { status: 400 });
}
