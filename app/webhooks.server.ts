// The HTTP side of webhook ingest (ADR 0023): a node:http handler that server.ts mounts for the
// subscription URLs (shopify.app.toml) before Remix, so a delivery never goes through the Remix
// build, a session lookup or Prisma. Raw body (bounded) → HMAC over its bytes → Shopify's headers
// → JSON → the inbox use case (topic schema, PII stripped, one INSERT) → status:
// 405 not POST · 413 body too large · 400 refused, nothing stored (a clear reason in the body)
// · 401 bad HMAC · 200 stored or already stored · 500 the database failed (Shopify retries).
// `receiveWebhook` answers a Fetch Request with the same rules (in-process transports in tests).
import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "./config.server";
import { db as appDb, type Db } from "./db.server";
import { logger } from "./logger.server";
import { acceptWebhook } from "./services/webhook-inbox.server";
import { verifyWebhookHmac } from "./webhook-ingest/hmac.server";

/** Every webhook URL of shopify.app.toml; other /webhooks/* paths fall through to Remix (404). */
export const WEBHOOK_PATHS = [
  "/webhooks/orders",
  "/webhooks/customers",
  "/webhooks/products",
  "/webhooks/app/uninstalled",
  "/webhooks/app/scopes_update",
  "/webhooks/bulk",
  "/webhooks/compliance",
] as const;

/** Shopify's payloads are far smaller; a bigger body is refused before it is buffered whole. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export interface WebhookIngestOptions {
  /** The app's client secret (Shopify signs every delivery with it). */
  secret: () => string;
  db: () => Db;
  maxBytes?: number;
}

interface Answer {
  status: number;
  message?: string;
}

const HEADER = {
  hmac: "x-shopify-hmac-sha256",
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
  eventId: "x-shopify-event-id",
  triggeredAt: "x-shopify-triggered-at",
} as const;
const REQUIRED = [HEADER.topic, HEADER.shop, HEADER.apiVersion, HEADER.webhookId] as const;
/** A myshopify host name, as Shopify sends it; anything else is not a shop we could store. */
const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9.-]{0,254}$/;
/** Ids and versions are short; a longer header value is not Shopify's. */
const MAX_HEADER_CHARS = 255;

/**
 * One delivery, from its method, headers and raw body to its answer. The order follows
 * @shopify/shopify-api's validation: body and signature first (401 only for a wrong signature),
 * then the headers, so a forged request learns nothing about the rest.
 */
export async function ingestDelivery(o: WebhookIngestOptions, method: string, header: (name: string) => string | undefined, body: Buffer): Promise<Answer> {
  if (method !== "POST") return { status: 405, message: "webhooks are POST requests" };
  if (body.length === 0) return { status: 400, message: "empty body" };
  const signature = header(HEADER.hmac);
  if (!signature) return { status: 400, message: "missing X-Shopify-Hmac-Sha256 header" };
  if (!verifyWebhookHmac(o.secret(), body, signature)) return { status: 401, message: "invalid HMAC" };

  const missing = REQUIRED.filter((h) => !header(h));
  if (missing.length > 0) return { status: 400, message: `missing header ${missing.join(", ")}` };
  const long = Object.values(HEADER).find((h) => h !== HEADER.hmac && (header(h)?.length ?? 0) > MAX_HEADER_CHARS);
  if (long) return { status: 400, message: `header ${long} is longer than ${MAX_HEADER_CHARS} characters` };
  const shopDomain = header(HEADER.shop)!;
  if (!SHOP_DOMAIN.test(shopDomain)) return { status: 400, message: `bad ${HEADER.shop} header` };
  const triggered = header(HEADER.triggeredAt);
  const triggeredAt = triggered ? new Date(triggered) : null;
  if (triggeredAt && Number.isNaN(triggeredAt.getTime())) return { status: 400, message: `bad ${HEADER.triggeredAt} header` };

  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    return { status: 400, message: "malformed JSON body" };
  }
  const webhookId = header(HEADER.webhookId)!;
  const result = await acceptWebhook(o.db(), {
    shopDomain,
    topic: header(HEADER.topic)!,
    // X-Shopify-Event-Id is stable across retries of one event; the webhook id is per delivery.
    eventId: header(HEADER.eventId) || webhookId,
    webhookId,
    apiVersion: header(HEADER.apiVersion)!,
    triggeredAt,
    payload,
  });
  return result.accepted ? { status: 200 } : { status: 400, message: result.reason };
}

/** The node:http (and Express) handler for WEBHOOK_PATHS. */
export function webhookRequestHandler(o: WebhookIngestOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBytes = o.maxBytes ?? MAX_WEBHOOK_BYTES;
  const header = (req: IncomingMessage) => (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(", ") : v;
  };
  const reply = (res: ServerResponse, a: Answer) => {
    if (res.headersSent) return;
    res.statusCode = a.status;
    if (a.status === 405) res.setHeader("allow", "POST");
    if (a.message === undefined) res.end();
    else res.setHeader("content-type", "text/plain; charset=utf-8").end(a.message);
  };
  const tooLarge = (req: IncomingMessage, res: ServerResponse) => {
    // Stop reading: close the connection once the answer is out rather than take the rest.
    res.setHeader("connection", "close");
    res.once("finish", () => req.destroy());
    reply(res, { status: 413, message: `body larger than ${maxBytes} bytes` });
  };

  return (req, res) => {
    if (req.method !== "POST") {
      req.resume();
      reply(res, { status: 405, message: "webhooks are POST requests" });
      return;
    }
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) return tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      refused = true;
      chunks.length = 0;
      tooLarge(req, res);
    });
    req.on("error", () => undefined); // a client gone mid-body: nothing was stored, nothing to answer
    req.on("end", () => {
      if (refused) return;
      ingestDelivery(o, "POST", header(req), chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
        .then((a) => reply(res, a))
        .catch((err: unknown) => {
          reply(res, { status: 500 });
          logger("webhooks").error({ err, topic: req.headers[HEADER.topic], shop: req.headers[HEADER.shop] }, "webhook ingest failed; Shopify retries");
        })
        .catch(() => undefined); // the logger itself failing must not take the process down
    });
  };
}

const appIngest: WebhookIngestOptions = { secret: () => config().SHOPIFY_API_SECRET, db: appDb };

/** The app's handler: its client secret and database from the validated configuration. */
export const handleWebhookRequest = webhookRequestHandler(appIngest);

/** The same rules for a Fetch Request (the simulator's in-process transport in tests). */
export async function receiveWebhook(request: Request): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_WEBHOOK_BYTES) return new Response(`body larger than ${MAX_WEBHOOK_BYTES} bytes`, { status: 413 });
  const a = await ingestDelivery(appIngest, request.method, (name) => request.headers.get(name) ?? undefined, body);
  return new Response(a.message ?? null, { status: a.status, headers: a.status === 405 ? { allow: "POST" } : {} });
}
