// Shopify signs each webhook with HMAC-SHA256 of the raw body under the app's client secret, sent
// base64 in X-Shopify-Hmac-Sha256. Checked here over the bytes as received (never a re-encoded
// string), compared in constant time. test/webhooks/hmac.test.ts holds it to @shopify/shopify-api's
// own validation: the same verdict on random bodies, secrets and tampered signatures.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Whether `signature` (the header's value) is the body's HMAC under `secret`. */
export function verifyWebhookHmac(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("base64"));
  // The base64 text, not its decoded bytes: Node's decoder skips characters that are not base64,
  // so two different headers could decode alike. Equal lengths first: timingSafeEqual needs them.
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
