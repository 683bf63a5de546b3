import { describe, expect, it } from "vitest";
import { REFERENCE_OPERATIONS } from "../fixtures/graphql/reference-operations";
import { gidOf, smallShop, TEST_DOMAIN } from "./fixtures";

describe("fault plan", () => {
  it("answers the next N requests with the planned HTTP status, then recovers", async () => {
    const { sim } = smallShop();
    sim.faults(TEST_DOMAIN).failNext(502, 2).failNext(423).failNext(503, 1, { retryAfter: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await sim.graphql(TEST_DOMAIN, "{ shop { id } }")).httpStatus);
    expect(statuses).toEqual([502, 502, 423, 503, 200]);
    sim.faults(TEST_DOMAIN).failNext(503, 1, { retryAfter: 2 });
    const raw = await sim.fetch(`https://${TEST_DOMAIN}/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "x-shopify-access-token": sim.accessToken(TEST_DOMAIN), "content-type": "application/json" }, body: JSON.stringify({ query: "{ shop { id } }" }) });
    expect(raw.headers.get("retry-after")).toBe("2");
    sim.faults(TEST_DOMAIN).failNext(402);
    expect(await sim.graphql(TEST_DOMAIN, "{ shop { id } }")).toMatchObject({ httpStatus: 402, httpError: "Unavailable Shop" });
  });

  it("puts a userError on the next mutation only, without changing anything", async () => {
    const { sim, shop, customers } = smallShop();
    const id = gidOf("Customer", customers[1]?.id ?? 0);
    sim.faults(TEST_DOMAIN).userErrorOnNextMutation({ field: ["id"], message: "Customer is locked" });
    await sim.graphql(TEST_DOMAIN, "{ shop { id } }"); // queries don't consume it
    const first = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.AddTags, { id, tags: ["a"] });
    const second = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.AddTags, { id, tags: ["a"] });
    expect((first.data as { tagsAdd: unknown }).tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: "Customer is locked" }] });
    expect((second.data as { tagsAdd: { userErrors: unknown[] } }).tagsAdd.userErrors).toEqual([]);
    expect(shop.customers.get(customers[1]?.id ?? 0)?.tags).toEqual(["a"]);
  });

  it("forces THROTTLED regardless of the bucket, and unknown shops / versions / tokens get 404/401", async () => {
    const { sim } = smallShop();
    sim.faults(TEST_DOMAIN).throttleNext(2);
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) codes.push((await sim.graphql(TEST_DOMAIN, "{ shop { id } }")).errors?.[0]?.extensions.code);
    expect(codes).toEqual(["THROTTLED", "THROTTLED", undefined]);
    const oldVersion = await sim.fetch(`https://${TEST_DOMAIN}/admin/api/2023-01/graphql.json`, { method: "POST", headers: { "x-shopify-access-token": sim.accessToken(TEST_DOMAIN) }, body: "{}" });
    expect(oldVersion.status).toBe(404);
    const noToken = await sim.fetch(`https://${TEST_DOMAIN}/admin/api/2026-10/graphql.json`, { method: "POST", body: JSON.stringify({ query: "{ shop { id } }" }) });
    expect(noToken.status).toBe(401);
  });
});
