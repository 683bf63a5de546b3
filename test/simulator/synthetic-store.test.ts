import { describe, expect, it } from "vitest";
import { INNER_BULK_QUERIES, REFERENCE_OPERATIONS } from "../fixtures/graphql/reference-operations";
import { FakeClock } from "../../simulator/clock";
import { ShopifySimulator } from "../../simulator/simulator";
import { SyntheticStore } from "../../simulator/synthetic-store";

describe("synthetic large store", () => {
  it("is deterministic per seed, counts its objects, and shuffles children away from parents", () => {
    const a = new SyntheticStore({ orders: 2000, seed: 3 });
    const b = new SyntheticStore({ orders: 2000, seed: 3 });
    const lines = [...a.jsonl()];
    expect(lines).toEqual([...b.jsonl()]);
    expect(lines).toHaveLength(a.objectCount);
    expect(a.lineCount).toBeGreaterThan(2000 * 4);
    expect(a.lineCount).toBeLessThan(2000 * 6);
    const parsed = lines.map((l) => JSON.parse(l) as { id: string; __parentId?: string; currentTotalPriceSet?: unknown });
    const position = new Map(parsed.map((o, i) => [o.id, i]));
    expect(parsed.filter((o) => !o.__parentId)).toHaveLength(2000);
    expect(parsed.some((o, i) => o.__parentId && (position.get(o.__parentId) ?? -1) > i)).toBe(true);
    expect(parsed.every((o) => !o.__parentId || position.has(o.__parentId))).toBe(true);
  });

  it("backs a shop's bulk export with a streamed file (the reference orders export shape)", async () => {
    const sim = new ShopifySimulator({ clock: new FakeClock() });
    sim.createShop({ domain: "big.myshopify.com" });
    const store = new SyntheticStore({ orders: 500 });
    sim.attachSyntheticStore("big.myshopify.com", store);
    const run = await sim.graphql("big.myshopify.com", REFERENCE_OPERATIONS.RunBulkQuery, { query: INNER_BULK_QUERIES.ordersExport });
    const id = (run.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
    sim.runBulkOperations();
    const status = (await sim.graphql("big.myshopify.com", REFERENCE_OPERATIONS.BulkOperationStatus, { id })).data as { bulkOperation: { status: string; objectCount: string; rootObjectCount: string; url: string } };
    expect(status.bulkOperation).toMatchObject({ status: "COMPLETED", objectCount: String(store.objectCount), rootObjectCount: "500" });
    const text = await (await sim.fetch(status.bulkOperation.url)).text();
    expect(text.trimEnd().split("\n")).toHaveLength(store.objectCount);
  });

  it("answers exports of orders only: another export runs over the shop's own records", async () => {
    const sim = new ShopifySimulator({ clock: new FakeClock() });
    const shop = sim.createShop({ domain: "big.myshopify.com" });
    for (let i = 0; i < 3; i++) shop.createCustomer({ silent: true });
    sim.attachSyntheticStore("big.myshopify.com", new SyntheticStore({ orders: 500 }));
    const run = await sim.graphql("big.myshopify.com", REFERENCE_OPERATIONS.RunBulkQuery, { query: INNER_BULK_QUERIES.customersExport });
    const id = (run.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
    sim.runBulkOperations();
    const status = (await sim.graphql("big.myshopify.com", REFERENCE_OPERATIONS.BulkOperationStatus, { id })).data as { bulkOperation: { status: string; rootObjectCount: string; url: string } };
    expect(status.bulkOperation).toMatchObject({ status: "COMPLETED", rootObjectCount: "3" });
    const rows = (await (await sim.fetch(status.bulkOperation.url)).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string });
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([...shop.customers.keys()].map((cid) => `gid://shopify/Customer/${cid}`)));
    expect(rows).toHaveLength(3);
  });
});
