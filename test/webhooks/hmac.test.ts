// The ingest's HMAC check (app/webhook-ingest/hmac.server.ts) against Shopify's own library: for
// random bodies and secrets, with the right signature and with tampered, truncated, re-encoded,
// wrongly keyed and garbage ones, both give the same verdict — no mismatch in any direction.
import "@shopify/shopify-api/adapters/web-api";
import { createHmac } from "node:crypto";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import fc from "fast-check";
import { expect, it } from "vitest";
import { verifyWebhookHmac } from "../../app/webhook-ingest/hmac.server";

const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

/** Shopify's verdict: @shopify/shopify-api's webhooks.validate on a real Request with every header. */
async function libraryAccepts(secret: string, body: string, signature: string): Promise<boolean> {
  const shopify = shopifyApi({ apiKey: "k", apiSecretKey: secret, apiVersion: ApiVersion.October26, hostName: "app.segmint.test", isEmbeddedApp: true, logger: { level: 0 } });
  const headers: Record<string, string> = {
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": "hmac.myshopify.com",
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": "w-1",
  };
  if (signature !== "") headers["x-shopify-hmac-sha256"] = signature;
  const rawRequest = new Request("https://app.segmint.test/webhooks/orders", { method: "POST", headers, body });
  const result = await shopify.webhooks.validate({ rawBody: body, rawRequest });
  return result.valid;
}

/** A signature for (secret, body) as an attacker or a broken proxy might send it. */
const signatureVariant = (secret: string, body: string) =>
  fc.oneof(
    fc.constant(sign(secret, body)),
    // One character changed.
    fc.tuple(fc.nat(), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")).map(([i, c]) => {
      const s = sign(secret, body);
      const at = i % s.length;
      return s.slice(0, at) + c + s.slice(at + 1);
    }),
    // A character Node's base64 decoder would skip, so the decoded bytes still match.
    fc.nat().map((i) => {
      const s = sign(secret, body);
      const at = i % s.length;
      return `${s.slice(0, at)}!${s.slice(at)}`;
    }),
    fc.nat({ max: 43 }).map((n) => sign(secret, body).slice(0, n)), // truncated (to nothing, too)
    fc.constant(sign(`${secret}x`, body)), // another key
    fc.constant(sign(secret, `${body} `)), // another body
    fc.constant(createHmac("sha256", secret).update(body).digest("hex")), // hex, not base64
    fc.constant(sign(secret, body).replace(/=+$/, "")), // padding dropped
    fc.string({ maxLength: 60 }).filter((s) => !/[\r\n\0]/.test(s) && s.trim() === s), // garbage header
  );

it("agrees with @shopify/shopify-api's webhook validation on random and tampered deliveries", async () => {
  let valid = 0;
  await fc.assert(
    fc.asyncProperty(
      fc
        .tuple(fc.string({ minLength: 1, maxLength: 64 }), fc.fullUnicodeString({ minLength: 1, maxLength: 2000 }))
        .chain(([secret, body]) => signatureVariant(secret, body).map((signature) => ({ secret, body, signature }))),
      async ({ secret, body, signature }) => {
        const ours = verifyWebhookHmac(secret, Buffer.from(body, "utf8"), signature === "" ? undefined : signature);
        const theirs = await libraryAccepts(secret, body, signature);
        if (ours) valid++;
        expect(ours).toBe(theirs);
      },
    ),
    { numRuns: 400, seed: 20261201 },
  );
  // Both verdicts occurred: the property compared accepting and refusing, not one of them only.
  expect(valid).toBeGreaterThan(20);
  expect(valid).toBeLessThan(400);
});

it("every variant of a tampered signature is refused by both", async () => {
  const secret = "segmint-test-secret";
  const body = JSON.stringify({ id: 1, note: "é 日本 🎉" });
  const good = sign(secret, body);
  const tampered = [good.replace(/^./, (c) => (c === "A" ? "B" : "A")), `${good.slice(0, 10)}!${good.slice(10)}`, good.slice(0, -1), good.toLowerCase()]; // (surrounding spaces: HTTP strips them before either sees the header)
  for (const signature of tampered) {
    expect(verifyWebhookHmac(secret, Buffer.from(body), signature), signature).toBe(false);
    expect(await libraryAccepts(secret, body, signature), signature).toBe(false);
  }
  expect(verifyWebhookHmac(secret, Buffer.from(body), good)).toBe(true);
  expect(await libraryAccepts(secret, body, good)).toBe(true);
});
