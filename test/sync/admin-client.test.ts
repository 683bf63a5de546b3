// The Admin client against a throttled and failing Shopify: the real shopify-api client, the
// simulator's cost bucket (Standard plan: 2,000 points, 100/s) and injected faults.
import { beforeEach, describe, expect, it } from "vitest";
import { ShopAccessError, UserErrorsError, assertNoUserErrors } from "../../app/shopify/admin-client.server";
import { ORDERS_UPDATED_SINCE, SHOP_INFO } from "../../app/shopify/graphql";
import { FakeClock } from "../../simulator/clock";
import { ShopifySimulator } from "../../simulator/simulator";
import { simulatedAdminClient } from "../support/shopify-client";

const DOMAIN = "throttle-test.myshopify.com";

describe("Admin client", () => {
  let clock: FakeClock;
  let sim: ShopifySimulator;
  beforeEach(() => {
    clock = new FakeClock("2026-11-01T00:00:00Z");
    sim = new ShopifySimulator({ clock, apiSecret: "test-secret" });
    const shop = sim.createShop({ domain: DOMAIN });
    const product = shop.createProduct({ title: "P", priceCents: 100 });
    for (let i = 0; i < 60; i++) shop.createOrder({ lines: [{ variantId: product.variants[0]!.id, quantity: 1 }] });
  });

  it("reads throttleStatus and waits for the bucket instead of being throttled", async () => {
    const admin = simulatedAdminClient(sim, DOMAIN, (ms) => clock.advance(ms));
    // Each page requests ~700 points (most refunded after execution); with no time passing but
    // our own waits, 40 pages drain the 2,000-point bucket and the client must wait for it.
    for (let i = 0; i < 40; i++) await admin.request(ORDERS_UPDATED_SINCE, { q: "updated_at:>='2000-01-01'", after: null });
    expect(admin.throttle?.maximumAvailable).toBe(2000);
    expect(admin.throttle?.restoreRate).toBe(100);
    expect(admin.slept.length).toBeGreaterThan(0);
    // It waited just long enough: never more than the time to refill one request's cost.
    expect(Math.max(...admin.slept)).toBeLessThanOrEqual(8000);
  });

  it("retries THROTTLED (HTTP 200) after the documented wait", async () => {
    sim.faults(DOMAIN).throttleNext(3);
    const admin = simulatedAdminClient(sim, DOMAIN, (ms) => clock.advance(ms));
    const data = await admin.request<{ shop: { myshopifyDomain: string } }>(SHOP_INFO);
    expect(data.shop.myshopifyDomain).toBe(DOMAIN);
    expect(admin.slept).toHaveLength(3);
    expect(admin.slept.every((ms) => ms >= 1000)).toBe(true);
  });

  it("retries 5xx and 429 with growing backoff", async () => {
    sim.faults(DOMAIN).failNext(503, 2).failNext(502, 1).failNext(429, 1, { retryAfter: 2 });
    const admin = simulatedAdminClient(sim, DOMAIN, (ms) => clock.advance(ms));
    const data = await admin.request<{ shop: { currencyCode: string } }>(SHOP_INFO);
    expect(data.shop.currencyCode).toBeTruthy();
    expect(admin.slept.slice(0, 3)).toEqual([500, 1000, 2000]);
    expect(admin.slept[3]).toBeGreaterThanOrEqual(2000);
  });

  it("gives up after maxAttempts with a retryable error", async () => {
    sim.faults(DOMAIN).failNext(500, 10);
    const admin = simulatedAdminClient(sim, DOMAIN, (ms) => clock.advance(ms), { maxAttempts: 3 });
    await expect(admin.request(SHOP_INFO)).rejects.toMatchObject({ name: "ShopifyUnavailableError" });
    expect(admin.slept).toHaveLength(2);
  });

  it.each([401, 402, 423])("turns %i into a terminal ShopAccessError without retrying", async (status) => {
    sim.faults(DOMAIN).failNext(status as 401, 1);
    const admin = simulatedAdminClient(sim, DOMAIN, (ms) => clock.advance(ms));
    const error = await admin.request(SHOP_INFO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopAccessError);
    expect((error as ShopAccessError).status).toBe(status);
    expect(admin.slept).toEqual([]);
  });

  it("turns userErrors into a typed error", async () => {
    sim.faults(DOMAIN).userErrorOnNextMutation({ field: ["query"], message: "A bulk query operation for this app and shop is already in progress", code: "OPERATION_IN_PROGRESS" });
    const admin = simulatedAdminClient(sim, DOMAIN, (ms) => clock.advance(ms));
    const data = await admin.request<{ bulkOperationRunQuery: { userErrors: { message: string; code: string }[] } }>(
      `mutation Run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { field message code } } }`,
      { query: "{ orders { edges { node { id } } } }" },
    );
    const error = (() => {
      try {
        assertNoUserErrors("bulkOperationRunQuery", data.bulkOperationRunQuery);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserErrorsError);
    expect((error as UserErrorsError).userErrors[0]?.code).toBe("OPERATION_IN_PROGRESS");
  });
});
