// The shop's time zone is known: the install hook, given an Admin client, stores Shopify's
// `shop { ianaTimezone }` (asked of the simulator through the production GraphQL path).
import { afterAll, beforeAll, expect, it } from "vitest";
import { onShopInstalled } from "../../app/services/install.server";
import { createSimulator, FakeClock } from "../../simulator";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { simulatedAdminClient } from "../support/shopify-client";

describeEachDatabase("install stores the shop's time zone", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.drop());

  it("asks Shopify for ianaTimezone and keeps it on install and re-install", async () => {
    const clock = new FakeClock("2026-10-01T09:00:00Z");
    const sim = createSimulator({ clock, apiSecret: "test-secret", appUrl: "https://app.test" });
    sim.createShop({ domain: "tokyo.myshopify.com", ianaTimezone: "Asia/Tokyo" });
    const admin = simulatedAdminClient(sim, "tokyo.myshopify.com", (ms) => clock.advance(ms));

    const id = await onShopInstalled(t.db, "tokyo.myshopify.com", "read_orders", new Date("2026-10-01T09:00:00Z"), admin);
    expect((await t.db.shop.findUniqueOrThrow({ where: { id } })).timezone).toBe("Asia/Tokyo");
    // The nightly reconciliation is scheduled in the shop's own night.
    const reconcile = await t.db.job.findFirstOrThrow({ where: { shopId: id, type: "reconcile" } });
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", hourCycle: "h23" }).format(reconcile.runAt)).toBe("02");

    // A re-install without a client leaves the stored zone alone.
    await onShopInstalled(t.db, "tokyo.myshopify.com", "read_orders");
    expect((await t.db.shop.findUniqueOrThrow({ where: { id } })).timezone).toBe("Asia/Tokyo");
  });

  it("leaves a new shop on UTC when no client is given", async () => {
    const id = await onShopInstalled(t.db, "plain.myshopify.com", undefined);
    expect((await t.db.shop.findUniqueOrThrow({ where: { id } })).timezone).toBe("UTC");
  });
});
