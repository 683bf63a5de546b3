import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { REFERENCE_OPERATIONS } from "../fixtures/graphql/reference-operations";
import { gidOf, smallShop, TEST_DOMAIN, TEST_SECRET } from "./fixtures";
import type { Delivery } from "../../simulator/webhooks";

const shopify = shopifyApi({ apiKey: "test-api-key", apiSecretKey: TEST_SECRET, apiVersion: ApiVersion.October26, hostName: "app.segmint.test", isEmbeddedApp: true, logger: { level: 0 } });

/** An app endpoint that validates with @shopify/shopify-api itself, like authenticate.webhook. */
function validatingApp(seen: Array<{ request: Request; body: string; valid: boolean }>): (request: Request) => Promise<Response> {
  return async (request) => {
    const body = await request.text();
    const result = await shopify.webhooks.validate({ rawBody: body, rawRequest: request });
    seen.push({ request, body, valid: result.valid });
    if (!result.valid) return new Response(null, { status: 401 });
    try {
      JSON.parse(body);
    } catch {
      return new Response(null, { status: 400 });
    }
    return new Response(null, { status: 200 });
  };
}

describe("webhook deliveries", () => {
  it("are signed so @shopify/shopify-api validates them, with every Shopify header", async () => {
    const seen: Array<{ request: Request; body: string; valid: boolean }> = [];
    const { sim, shop, products } = smallShop({ webhooks: { transport: validatingApp(seen) } });
    sim.webhooks.clearLog();
    await sim.flushWebhooks(); // the fixture's history
    seen.length = 0;
    const customer = shop.createCustomer();
    shop.createOrder({ customerId: customer.id, lines: [{ variantId: products[1]?.variants[0]?.id ?? 0, quantity: 4 }] });
    const sent = await sim.flushWebhooks();
    expect(sent.map((d) => d.topic)).toEqual(["customers/create", "orders/create", "orders/paid"]);
    expect(seen.every((s) => s.valid)).toBe(true);
    expect(sent.every((d) => d.status === 200)).toBe(true);
    const headers = seen[1]?.request.headers;
    expect(headers?.get("x-shopify-topic")).toBe("orders/create");
    expect(headers?.get("x-shopify-shop-domain")).toBe(TEST_DOMAIN);
    expect(headers?.get("x-shopify-api-version")).toBe("2026-10");
    expect(headers?.get("x-shopify-webhook-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers?.get("x-shopify-event-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers?.get("x-shopify-triggered-at")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(headers?.get("x-shopify-hmac-sha256")).toBe(getHmac(seen[1]?.body ?? "", TEST_SECRET));
    expect(seen[1]?.request.url).toBe("https://app.segmint.test/webhooks/orders");
  });

  it("carry REST-shaped snake_case payloads", async () => {
    const { sim, orders } = smallShop();
    const sent = await sim.flushWebhooks();
    const refund = sent.find((d) => d.topic === "refunds/create");
    const cancelled = sent.find((d) => d.topic === "orders/cancelled");
    const refundBody = JSON.parse(refund?.body ?? "{}") as Record<string, unknown>;
    expect(refundBody).toMatchObject({ order_id: orders[0]?.id, refund_line_items: [{ line_item_id: orders[0]?.lineItems[0]?.id, quantity: 2, subtotal: "5.10" }], transactions: [{ kind: "refund", amount: "5.10" }] });
    const order = JSON.parse(cancelled?.body ?? "{}") as Record<string, unknown>;
    expect(order).toMatchObject({ id: orders[3]?.id, admin_graphql_api_id: gidOf("Order", orders[3]?.id ?? 0), financial_status: "refunded", current_total_price: "0.00", total_price: "2.55", test: false, cancel_reason: "customer", customer: { id: orders[3]?.customerId } });
    expect(order.cancelled_at).toMatch(/\+00:00$/);
    expect((order.line_items as Array<Record<string, unknown>>)[0]).toMatchObject({ quantity: 1, current_quantity: 0, price: "2.55", variant_id: orders[3]?.lineItems[0]?.variantId });
    const guest = JSON.parse(sent.find((d) => d.topic === "orders/create" && JSON.parse(d.body).id === orders[2]?.id)?.body ?? "{}") as Record<string, unknown>;
    expect(guest.customer).toBeNull();
  });

  it("tags written by the app trigger customers/update, like Shopify", async () => {
    const { sim, customers } = smallShop();
    await sim.flushWebhooks();
    await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.AddTags, { id: gidOf("Customer", customers[2]?.id ?? 0), tags: ["rfm:new"] });
    await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.AddTags, { id: gidOf("Customer", customers[2]?.id ?? 0), tags: ["rfm:new"] }); // no-op: no event
    const sent = await sim.flushWebhooks();
    expect(sent.map((d) => d.topic)).toEqual(["customers/update"]);
    expect(JSON.parse(sent[0]?.body ?? "{}")).toMatchObject({ id: customers[2]?.id, tags: "rfm:new" });
  });

  it("sends app/uninstalled, app/scopes_update and the compliance topics; nothing else after uninstall", async () => {
    const { sim, shop, customers } = smallShop();
    await sim.flushWebhooks();
    sim.updateScopes(TEST_DOMAIN, ["read_orders"]);
    sim.sendCompliance(TEST_DOMAIN, "customers/redact", { customerId: customers[0]?.id ?? 0 });
    sim.uninstall(TEST_DOMAIN);
    shop.createCustomer();
    sim.sendCompliance(TEST_DOMAIN, "shop/redact");
    const sent = await sim.flushWebhooks();
    expect(sent.map((d) => [d.topic, new URL(d.url).pathname])).toEqual([
      ["app/scopes_update", "/webhooks/app/scopes_update"],
      ["customers/redact", "/webhooks/compliance"],
      ["app/uninstalled", "/webhooks/app/uninstalled"],
      ["shop/redact", "/webhooks/compliance"],
    ]);
    expect(JSON.parse(sent[1]?.body ?? "{}")).toMatchObject({ shop_domain: TEST_DOMAIN, customer: { id: customers[0]?.id }, orders_to_redact: [expect.any(Number), expect.any(Number)] });
    expect(JSON.parse(sent[0]?.body ?? "{}")).toMatchObject({ current: ["read_orders"] });
    expect((await sim.graphql(TEST_DOMAIN, "{ shop { id } }")).httpStatus).toBe(401); // token revoked
  });

  it("load test: 10,000 deliveries with exactly 5% duplicates, 10% out of order, 1% bad HMAC, 1% malformed JSON", async () => {
    const seen: Array<{ request: Request; body: string; valid: boolean }> = [];
    const { sim, shop, orders } = smallShop({ webhooks: { transport: validatingApp(seen), seed: 11 } });
    await sim.flushWebhooks();
    seen.length = 0;
    sim.webhooks.clearLog();
    // 9,524 originals + 476 duplicates = 10,000 deliveries.
    for (let i = 0; i < 9524; i++) shop.updateOrder(orders[i % 4]?.id ?? 0, {});
    const sent = await sim.flushWebhooks({ duplicateRate: 476 / 9524, outOfOrderRate: 0.1, badHmacRate: 95.24 / 9524, malformedJsonRate: 95.24 / 9524, outOfOrderWindow: 50 });
    const count = (f: (d: Delivery) => boolean): number => sent.filter(f).length;
    expect(sent).toHaveLength(10_000);
    expect(count((d) => d.kind === "duplicate")).toBe(476);
    expect(count((d) => d.corruption === "bad-hmac")).toBe(95);
    expect(count((d) => d.corruption === "malformed-json")).toBe(95);
    expect(count((d) => d.outOfOrder)).toBe(952);
    // What the app answered: 401 for bad HMAC only (shopify-api's own check), 400 for bad JSON.
    expect(count((d) => d.status === 401)).toBe(95);
    expect(count((d) => d.status === 400)).toBe(95);
    expect(seen.filter((s) => !s.valid)).toHaveLength(95);
    // Duplicates repeat the webhook id and event id of a delivered original.
    const ids = new Map(sent.filter((d) => d.kind === "original").map((d) => [d.webhookId, d]));
    for (const dup of sent.filter((d) => d.kind === "duplicate")) expect(ids.get(dup.webhookId)?.eventId).toBe(dup.headers["x-shopify-event-id"]);
    // Out of order: updated_at of what arrives is not monotonic.
    const times = sent.filter((d) => d.corruption === null).map((d) => (JSON.parse(d.body) as { updated_at: string }).updated_at);
    expect(times.some((t, i) => i > 0 && t < (times[i - 1] as string))).toBe(true);
  });

  it("retries failed deliveries with the same webhook id", async () => {
    let fail = true;
    const { sim, shop } = smallShop({ webhooks: { transport: () => Promise.resolve(new Response(null, { status: fail ? 500 : 200 })) } });
    await sim.flushWebhooks();
    sim.webhooks.clearLog();
    shop.createCustomer();
    const [first] = await sim.flushWebhooks();
    expect(first?.status).toBe(500);
    fail = false;
    const [retry] = await sim.webhooks.retryFailed();
    expect(retry).toMatchObject({ kind: "retry", attempt: 2, status: 200, webhookId: first?.webhookId, body: first?.body });
  });
});
