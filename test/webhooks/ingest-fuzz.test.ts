// Property-based fuzz of the webhook ingest path (issue 13, "Done when"): the real handler
// (app/webhooks.server.ts) behind a real node:http server, writing a real database, receives
// arbitrary sequences of deliveries — valid ones, duplicates, any order, bad or missing
// signatures and headers, unsubscribed and odd topics, bodies that are not JSON, JSON that fails
// the topic's schema, personal fields to strip, oversized bodies, other methods. For every
// sequence: no 5xx; each delivery gets the answer its contents call for; the inbox holds exactly
// one row per distinct (shop, event id) of the accepted deliveries, with a payload one of them
// carried (schema-stripped), and a shop row only for shops with an accepted delivery — a refused
// delivery writes nothing.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeWebhookInboxWriter } from "../../app/models/webhook-inbox-writer.server";
import { webhookPayloads, webhookTopic } from "../../app/shopify/webhook-payloads";
import { webhookRequestHandler } from "../../app/webhooks.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const SECRET = "fuzz-secret";
const MAX_BYTES = 64 * 1024;
const SHOPS = ["alpha.myshopify.com", "beta.myshopify.com", "gamma-3.myshopify.com"];

/** One valid payload per topic, with personal fields the schema must strip. */
const order = { id: 1, created_at: "2026-11-01T10:00:00Z", updated_at: "2026-11-01T10:00:00Z", currency: "GBP", total_price: "25.50", email: "a@b.example", customer: { id: 7, email: "a@b.example", first_name: "Ann" }, line_items: [{ id: 9, product_id: 11, variant_id: 12, quantity: 2, price: "12.75", name: "Mug" }], billing_address: { address1: "1 High St" } };
const TEMPLATES: Record<string, unknown> = {
  "orders/create": order,
  "orders/updated": order,
  "orders/paid": order,
  "orders/cancelled": { ...order, cancelled_at: "2026-11-02T10:00:00Z" },
  "refunds/create": { id: 5, order_id: 1, created_at: "2026-11-02T10:00:00Z", refund_line_items: [{ line_item_id: 9, quantity: 1 }], transactions: [{ kind: "refund", amount: "12.75" }], note: "call Ann" },
  "customers/create": { id: 7, email: "a@b.example", phone: "+441234", tags: "vip" },
  "customers/update": { id: 7, updated_at: "2026-11-01T10:00:00Z", first_name: "Ann" },
  "customers/delete": { id: 7 },
  "products/create": { id: 11, handle: "mug", title: "Mug", status: "active", updated_at: "2026-11-01T10:00:00Z", variants: [{ id: 12, price: "12.75" }] },
  "products/update": { id: 11, handle: "mug", title: "Mug", status: "draft", updated_at: "2026-11-01T10:00:00Z" },
  "products/delete": { id: 11 },
  "app/uninstalled": { id: 1, name: "Shop", email: "owner@b.example" },
  "app/scopes_update": { current: ["read_orders"], previous: [] },
  "bulk_operations/finish": { admin_graphql_api_id: "gid://shopify/BulkOperation/1", status: "completed" },
  "customers/data_request": { shop_domain: "alpha.myshopify.com", customer: { id: 7, email: "a@b.example" }, orders_requested: [1] },
  "customers/redact": { shop_domain: "alpha.myshopify.com", customer: { id: 7, phone: "+441234" }, orders_to_redact: [1] },
  "shop/redact": { shop_domain: "alpha.myshopify.com", shop_id: 1 },
};
const TOPICS = Object.keys(TEMPLATES);

const printable = (max: number) => fc.stringOf(fc.char(), { minLength: 1, maxLength: max }).map((s) => s.trim()).filter((s) => s.length > 0);

interface Delivery {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** A body for `topic`: its template with another id and maybe a field dropped, any JSON, or not JSON. */
const bodyFor = (topic: string) =>
  fc.oneof(
    { weight: 30, arbitrary: fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }).map((n) => n === 0), fc.nat()).map(([id, drop, which]) => {
      const template: Record<string, unknown> = { ...((TEMPLATES[topic] ?? order) as Record<string, unknown>), id: id + 1 };
      if (drop) delete template[Object.keys(template)[which % Object.keys(template).length]!];
      return JSON.stringify(template);
    }) },
    { weight: 5, arbitrary: fc.json({ maxDepth: 2 }) },
    { weight: 5, arbitrary: fc.string({ maxLength: 40 }) }, // mostly not JSON, sometimes empty
    { weight: 5, arbitrary: fc.constant(JSON.stringify(TEMPLATES[topic] ?? order)).map((s) => s.slice(0, s.length - 3)) }, // truncated
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ ...order, pad: "x".repeat(MAX_BYTES) })) }, // over the limit
  );

const delivery: fc.Arbitrary<Delivery> = fc
  .record({
    topic: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...TOPICS) }, { weight: 1, arbitrary: fc.constantFrom("ORDERS_CREATE", "orders/edited", "shop/update") }, { weight: 1, arbitrary: printable(20) }),
    shop: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...SHOPS) }, { weight: 1, arbitrary: printable(30) }),
    eventId: fc.option(fc.constantFrom("e1", "e2", "e3", "e4", "e5"), { nil: undefined, freq: 6 }),
    webhookId: fc.constantFrom("w1", "w2", "w3"),
    apiVersion: fc.oneof(fc.constant("2026-10"), printable(12)),
    triggeredAt: fc.option(fc.oneof({ weight: 4, arbitrary: fc.constant("2026-11-01T10:00:00.000Z") }, { weight: 1, arbitrary: printable(24) }), { nil: undefined }),
    signature: fc.constantFrom("right", "right", "right", "right", "right", "wrong-key", "tampered", "missing"),
    drop: fc.subarray(["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"], { maxLength: 1 }).chain((d) => fc.constantFrom(d, [], [], [], [])),
    method: fc.constantFrom("POST", "POST", "POST", "POST", "POST", "POST", "POST", "POST", "GET", "PUT"),
  })
  .chain((d) => bodyFor(d.topic).map((body) => ({ ...d, body })))
  .map((d) => {
    const right = createHmac("sha256", SECRET).update(d.body).digest("base64");
    const signatures: Record<string, string> = { right, "wrong-key": createHmac("sha256", "other").update(d.body).digest("base64"), tampered: `${right.slice(0, -2)}A=`, missing: "" };
    const signature = signatures[d.signature] ?? "";
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": signature,
      "x-shopify-topic": d.topic,
      "x-shopify-shop-domain": d.shop,
      "x-shopify-api-version": d.apiVersion,
      "x-shopify-webhook-id": d.webhookId,
      ...(d.eventId === undefined ? {} : { "x-shopify-event-id": d.eventId }),
      ...(d.triggeredAt === undefined ? {} : { "x-shopify-triggered-at": d.triggeredAt }),
    };
    for (const h of d.drop) delete headers[h];
    if (signature === "") delete headers["x-shopify-hmac-sha256"];
    return { method: d.method, headers, body: d.method === "GET" ? "" : d.body };
  });

/**
 * The answer a delivery calls for, decided from its contents alone (the spec: Shopify's header
 * rules, the subscribed topics and their schemas) — and, when accepted, its key and stored payload.
 */
function expected(d: Delivery): { status: number; key?: string; shop?: string; payload?: string } {
  const h = d.headers;
  if (d.method !== "POST") return { status: 405 };
  if (Buffer.byteLength(d.body) > MAX_BYTES) return { status: 413 };
  if (d.body.length === 0) return { status: 400 };
  if (!h["x-shopify-hmac-sha256"]) return { status: 400 };
  if (h["x-shopify-hmac-sha256"] !== createHmac("sha256", SECRET).update(d.body).digest("base64")) return { status: 401 };
  if (!h["x-shopify-topic"] || !h["x-shopify-shop-domain"] || !h["x-shopify-api-version"] || !h["x-shopify-webhook-id"]) return { status: 400 };
  if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]*$/.test(h["x-shopify-shop-domain"])) return { status: 400 };
  const triggered = h["x-shopify-triggered-at"];
  if (triggered && Number.isNaN(Date.parse(triggered))) return { status: 400 };
  let json: unknown;
  try {
    json = JSON.parse(d.body);
  } catch {
    return { status: 400 };
  }
  const topic = webhookTopic(h["x-shopify-topic"]);
  if (!topic) return { status: 400 };
  const parsed = webhookPayloads[topic].safeParse(json);
  if (!parsed.success) return { status: 400 };
  const shop = h["x-shopify-shop-domain"];
  return { status: 200, shop, key: `${shop} ${h["x-shopify-event-id"] || h["x-shopify-webhook-id"]}`, payload: JSON.stringify(parsed.data) };
}

describeEachDatabase("webhook ingest fuzz", (provider) => {
  let t: TestDatabase;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    server = http.createServer(webhookRequestHandler({ secret: () => SECRET, db: () => t.db, maxBytes: MAX_BYTES }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/orders`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (t) await closeWebhookInboxWriter(t.db);
    await t?.drop();
  });

  it("never answers 5xx, refuses exactly the bad deliveries, and stores each valid event once", async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(delivery, { minLength: 5, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), async (deliveries, concurrency) => {
        await t.db.webhookEvent.deleteMany();
        await t.db.shop.deleteMany();
        const statuses: number[] = new Array(deliveries.length);
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (let i = next++; i < deliveries.length; i = next++) {
              const d = deliveries[i]!;
              const res = await fetch(url, { method: d.method, headers: d.headers, body: d.method === "GET" ? undefined : d.body });
              await res.arrayBuffer();
              statuses[i] = res.status;
            }
          }),
        );
        const want = deliveries.map(expected);
        expect(statuses.filter((s) => s >= 500)).toEqual([]);
        expect(statuses).toEqual(want.map((w) => w.status));

        // Accepted: one row per (shop, event id), holding a payload one of its deliveries carried.
        const candidates = new Map<string, Set<string>>();
        for (const w of want) if (w.key) candidates.set(w.key, (candidates.get(w.key) ?? new Set()).add(w.payload!));
        const rows = await t.db.webhookEvent.findMany({ select: { eventId: true, payload: true, status: true, shop: { select: { domain: true } } } });
        expect(rows.map((r) => `${r.shop.domain} ${r.eventId}`).sort()).toEqual([...candidates.keys()].sort());
        for (const r of rows) {
          expect(candidates.get(`${r.shop.domain} ${r.eventId}`)?.has(r.payload)).toBe(true);
          expect(r.status).toBe("received");
          expect(r.payload).not.toMatch(/email|phone|first_name|address|"name"|"note"/);
        }
        // Nothing of a refused delivery: not even its shop's row.
        const shops = await t.db.shop.findMany({ select: { domain: true } });
        expect(shops.map((s) => s.domain).sort()).toEqual([...new Set(want.flatMap((w) => (w.shop ? [w.shop] : [])))].sort());
        accepted += want.filter((w) => w.status === 200).length;
        refused += want.filter((w) => w.status !== 200).length;
      }),
      { numRuns: 100, seed: provider === "sqlite" ? 13 : 1313 },
    );
    // The runs exercised both sides: many deliveries stored, many refused.
    expect(accepted).toBeGreaterThan(120);
    expect(refused).toBeGreaterThan(300);
  }, 120_000);
});
