import { describe, expect, it } from "vitest";
import { FakeClock } from "../../simulator/clock";
import { smallShop, TEST_DOMAIN } from "./fixtures";
import { CostBucket } from "../../simulator/throttle";

const SHOP = "{ shop { id } }"; // requested cost 1 (one object)
const MUTATION = "mutation { segmentDelete(id: \"gid://shopify/Segment/1\") { deletedSegmentId userErrors { message } } }"; // 10

describe("leaky bucket (Standard plan: 2,000 points, 100/s)", () => {
  it("drains by requested cost, refunds the unused part, restores at 100 points per second", () => {
    const clock = new FakeClock();
    const bucket = new CostBucket(clock);
    expect(bucket.tryConsume(1500)).toBe(true);
    bucket.refund(1000); // actual cost was 500
    expect(bucket.status().currentlyAvailable).toBe(1500);
    expect(bucket.tryConsume(1600)).toBe(false); // can't pay: nothing taken
    expect(bucket.status().currentlyAvailable).toBe(1500);
    clock.advance(1000);
    expect(bucket.status().currentlyAvailable).toBe(1600);
    expect(bucket.tryConsume(1600)).toBe(true);
    clock.advance(60_000);
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
  });
});

describe("throttling over the Admin endpoint", () => {
  it("reports extensions.cost on every response and answers THROTTLED (HTTP 200) when the bucket can't pay", async () => {
    const { sim, clock } = smallShop();
    const first = await sim.graphql(TEST_DOMAIN, MUTATION);
    expect(first.extensions?.cost).toEqual({ requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } });
    // 199 more mutations at the same instant drain the bucket to 0 …
    for (let i = 0; i < 199; i++) await sim.graphql(TEST_DOMAIN, MUTATION);
    expect(sim.throttleStatus(TEST_DOMAIN).currentlyAvailable).toBe(0);
    // … so the next one is throttled, with actualQueryCost null and no data.
    const throttled = await sim.graphql(TEST_DOMAIN, MUTATION);
    expect(throttled.httpStatus).toBe(200);
    expect(throttled.data).toBeUndefined();
    expect(throttled.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    expect(throttled.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { currentlyAvailable: 0 } });
    // (requested − available) / restoreRate = 0.1 s later it goes through again.
    clock.advance(100);
    expect((await sim.graphql(TEST_DOMAIN, MUTATION)).errors).toBeUndefined();
  });

  it("charges connections by page size and refunds to the actual number of nodes", async () => {
    const { sim } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "{ orders(first: 50) { nodes { id customer { id } } } }");
    // 2 + 50 × (order 1 + customer 1) requested; 4 orders (3 with a customer) returned.
    expect(res.extensions?.cost?.requestedQueryCost).toBe(102);
    expect(res.extensions?.cost?.actualQueryCost).toBe(2 + 4 + 3);
    expect(res.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(2000 - 9);
    const shop = await sim.graphql(TEST_DOMAIN, SHOP);
    expect(shop.extensions?.cost?.requestedQueryCost).toBe(1);
  });

  it("rejects a query above 1,000 requested points before touching the bucket", async () => {
    const { sim } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }");
    expect(res.errors?.[0]?.extensions.code).toBe("MAX_COST_EXCEEDED");
    expect(res.extensions?.cost?.requestedQueryCost).toBe(2 + 250 * (1 + 2 + 10));
    expect(sim.throttleStatus(TEST_DOMAIN).currentlyAvailable).toBe(2000);
  });
});
