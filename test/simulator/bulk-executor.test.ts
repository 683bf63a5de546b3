import { describe, expect, it } from "vitest";
import { ordersBulkQuery } from "../../app/shopify/graphql";
import { INNER_BULK_QUERIES, REFERENCE_OPERATIONS } from "../fixtures/graphql/reference-operations";
import type { BulkExecutor, JsonlOrder } from "../../simulator/bulk";
import { smallShop, TEST_DOMAIN } from "./fixtures";
import { JsonlFile, shuffleBlocks } from "../../simulator/jsonl";
import { createRng } from "../../simulator/random";

type Sim = ReturnType<typeof smallShop>["sim"];

/** smallShop() plus enough orders for several windows of 100 root objects (deterministic). */
function shopWith(executor: BulkExecutor, jsonlOrder: JsonlOrder = "shuffled"): Sim {
  const fixture = smallShop({ bulk: { executor, jsonlOrder } });
  const { shop, clock, customers, products } = fixture;
  const variants = products.map((p) => p.variants[0]?.id ?? 0);
  for (let i = 0; i < 230; i++) {
    clock.advance(1000);
    const order = shop.createOrder({
      customerId: i % 4 === 3 ? null : (customers[i % 3]?.id ?? null),
      lines: Array.from({ length: 1 + (i % 5) }, (_, k) => ({ variantId: variants[(i + k) % 3] ?? 0, quantity: 1 + ((i * 7 + k) % 9) })),
    });
    if (i % 7 === 0) shop.refundOrder(order.id, { lines: [{ lineItemId: order.lineItems[0]?.id ?? 0, quantity: 1 }] });
    if (i % 11 === 0) shop.cancelOrder(order.id, { reason: "CUSTOMER" });
  }
  return fixture.sim;
}

async function exportText(sim: Sim, query: string): Promise<string> {
  const res = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.RunBulkQuery, { query });
  const payload = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: unknown[] } }).bulkOperationRunQuery;
  expect(payload.userErrors).toEqual([]);
  sim.runBulkOperations();
  const status = await sim.graphql(TEST_DOMAIN, "query S($id: ID!) { bulkOperation(id: $id) { url fileSize objectCount } }", { id: payload.bulkOperation?.id });
  const op = (status.data as { bulkOperation: { url: string | null; fileSize: string | null; objectCount: string } }).bulkOperation;
  if (op.url === null) return "";
  const text = sim.readBulkResult(op.url);
  expect(Number(op.fileSize)).toBe(Buffer.byteLength(text));
  expect(await (await sim.fetch(op.url)).text()).toBe(text);
  return text;
}

const QUERIES: Record<string, string> = {
  "app backfill": ordersBulkQuery(),
  "reference orders export": INNER_BULK_QUERIES.ordersExport,
  "reference customers export": INNER_BULK_QUERIES.customersExport,
  "nested connections, nodes, pageInfo, cursors": `{ customers(sortKey: UPDATED_AT, reverse: true) { edges { cursor node { id tags
      orders { pageInfo { hasNextPage } edges { cursor node { id name displayFinancialStatus lineItems { nodes { id sku quantity } } } } } } } } }`,
  "aliases, fragments, __typename, @include/@skip": `query Q { orders(query: "financial_status:partially_refunded OR status:cancelled") { edges { node {
      __typename ...O key: id id t: totalPriceSet { shopMoney { amount } } tags @include(if: false) closed @skip(if: false)
      customer { ... on Customer { id numberOfOrders } __typename }
      lineItems { edges { node { ... on LineItem { id title variant { id sku product { handle } } } } } } } } } }
    fragment O on Order { name processedAt refunds { id note transactions { edges { node { id kind amountSet { shopMoney { amount } } } } } } }`,
  "products, variants, media (abstract types)": `{ products(sortKey: TITLE) { edges { node { id title handle status
      featuredMedia { __typename ... on MediaImage { id image { url } } }
      variants { edges { node { id sku price availableForSale displayName createdAt } } } } } } }`,
  "nothing matches": `{ orders(query: "created_at:<2000-01-01") { edges { node { id } } } }`,
};

describe("fast bulk executor", () => {
  for (const [name, query] of Object.entries(QUERIES)) {
    it(`writes the same JSONL as graphql-js, line for line and in the same shuffled order: ${name}`, async () => {
      const reference = await exportText(shopWith("graphql-js"), query);
      const fast = await exportText(shopWith("fast"), query);
      expect(fast).toBe(reference);
      if (name !== "nothing matches") expect(reference.length).toBeGreaterThan(0);
    });
  }

  it("keeps grouped and children-first orders identical too", async () => {
    for (const order of ["grouped", "children-first"] as const) {
      expect(await exportText(shopWith("fast", order), ordersBulkQuery())).toBe(await exportText(shopWith("graphql-js", order), ordersBulkQuery()));
    }
  });

  it("fails loudly on a field the simulator does not model, like graphql-js", async () => {
    for (const executor of ["fast", "graphql-js"] as const) {
      const sim = shopWith(executor);
      const res = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.RunBulkQuery, { query: "{ orders { edges { node { id clientIp } } } }" });
      expect(JSON.stringify(res.data)).toContain('"userErrors":[]');
      expect(() => sim.runBulkOperations()).toThrow(/bulk query failed in the simulator: .*field 'clientIp' on type 'Order' is not implemented/);
    }
  });
});

describe("JsonlFile", () => {
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `gid://shopify/LineItem/${i}`, title: i % 13 === 0 ? `crème brûlée ☕ ${i}` : "x".repeat(i % 50) }));

  it("shuffles blocks exactly like the array version and reports exact sizes", () => {
    for (const n of [0, 1, 63, 64, 65, 1000]) {
      const file = JsonlFile.fromLines(lines.slice(0, n));
      file.shuffleBlocks(createRng(7));
      const expected = shuffleBlocks(lines.slice(0, n), createRng(7));
      expect([...file.lines()]).toEqual(expected);
      const text = expected.length ? expected.join("\n") + "\n" : "";
      expect(file.text()).toBe(text);
      expect(file.size).toBe(Buffer.byteLength(text));
      expect(file.lineCount).toBe(n);
    }
  });

  it("keeps blocks whole across 1 MB chunks (long lines, multi-byte text, a line larger than a chunk)", () => {
    const big = Array.from({ length: 300 }, (_, i) => JSON.stringify({ i, pad: (i % 3 === 0 ? "é☕" : "ab").repeat(5_000 + i * 37) }));
    big.splice(150, 0, JSON.stringify({ huge: "x".repeat(2_500_000) }));
    const file = JsonlFile.fromLines(big);
    expect(file.text()).toBe(big.join("\n") + "\n");
    expect(file.size).toBe(Buffer.byteLength(file.text()));
    file.shuffleBlocks(createRng(3));
    expect([...file.lines()]).toEqual(shuffleBlocks([...big], createRng(3)));
  });

  it("takes a head, concatenates, and streams the same bytes", async () => {
    const file = JsonlFile.fromLines(lines);
    expect([...file.head(100).lines()]).toEqual(lines.slice(0, 100));
    expect([...file.head(0).lines()]).toEqual([]);
    expect([...JsonlFile.fromLines(lines.slice(0, 10)).concat(JsonlFile.fromLines(lines.slice(10, 20))).lines()]).toEqual(lines.slice(0, 20));
    expect(await new Response(file.stream()).text()).toBe(file.text());
    expect(await new Response(file.stream()).text()).toBe(lines.join("\n") + "\n"); // twice: nothing consumed
  });
});
