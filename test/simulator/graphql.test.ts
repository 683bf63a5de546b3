import { describe, expect, it } from "vitest";
import { INNER_BULK_MUTATIONS, INNER_BULK_QUERIES, REFERENCE_OPERATIONS, type ReferenceOperation } from "../fixtures/graphql/reference-operations";
import { validateBulkMutation, validateBulkQuery } from "../../simulator/bulk";
import { gidOf, smallShop, TEST_DOMAIN } from "./fixtures";
import { prepareDocument } from "../../simulator/graphql";

describe("document validation against the real Admin 2026-10 schema", () => {
  it("rejects an unknown field with Shopify's error shape (HTTP 200)", async () => {
    const { sim } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "{ shop { id financialStatus } }");
    expect(res.httpStatus).toBe(200);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      { message: "Field 'financialStatus' doesn't exist on type 'Shop'", locations: [{ line: 1, column: 13 }], extensions: { code: "undefinedField", typeName: "Shop", fieldName: "financialStatus" } },
    ]);
  });

  it("names Order.financialStatus as nonexistent (the reference's gotcha)", () => {
    const prepared = prepareDocument("{ orders(first: 1) { nodes { financialStatus } } }");
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.errors[0]?.message).toBe("Field 'financialStatus' doesn't exist on type 'Order'");
  });

  it("rejects missing required arguments, unknown arguments and syntax errors with codes", () => {
    const missing = prepareDocument("{ order { id } }");
    const unknown = prepareDocument("{ orders(first: 1, foo: 2) { nodes { id } } }");
    const syntax = prepareDocument("{ shop { id ");
    expect(missing.ok || missing.errors.map((e) => e.extensions.code)).toEqual(["missingRequiredArguments"]);
    expect(unknown.ok || unknown.errors.map((e) => e.extensions.code)).toEqual(["argumentNotAccepted"]);
    expect(syntax.ok || syntax.errors[0]?.extensions.code).toBe("parseError");
    expect(syntax.ok || syntax.errors[0]?.locations?.[0]?.line).toBe(1);
    const noSelection = prepareDocument("{ shop }");
    expect(noSelection.ok || noSelection.errors[0]).toMatchObject({ message: "Field must have selections (field 'shop' returns Shop but has no selections. Did you mean 'shop { ... }'?)", extensions: { code: "selectionMismatch" } });
  });

  it("rejects variables of the wrong type with INVALID_VARIABLE", async () => {
    const { sim } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "query Q($id: ID!) { customer(id: $id) { id } }", { id: 12 + 0.5 });
    expect(res.errors?.[0]).toMatchObject({ message: "Variable $id of type ID! was provided invalid value", extensions: { code: "INVALID_VARIABLE" } });
  });

  it("fails loudly (error naming the field) on a valid field the simulator does not model", async () => {
    const { sim } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "{ shop { id billingAddress { city } } }");
    expect(res.errors?.[0]?.message).toContain("'billingAddress' on type 'Shop' is not implemented");
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "SIMULATOR_UNSUPPORTED" });
  });

  it("validates inner bulk documents too: a bad inner query is a userError, not a silent success", async () => {
    const { sim } = smallShop();
    const doc = REFERENCE_OPERATIONS.RunBulkQuery;
    const res = await sim.graphql(TEST_DOMAIN, doc, { query: "{ orders { edges { node { id financialStatus } } } }" });
    const payload = (res.data as { bulkOperationRunQuery: { bulkOperation: unknown; userErrors: Array<{ code: string; message: string }> } }).bulkOperationRunQuery;
    expect(payload.bulkOperation).toBeNull();
    expect(payload.userErrors[0]?.code).toBe("INVALID");
    expect(payload.userErrors[0]?.message).toContain("financialStatus");
    expect(validateBulkQuery("{ node(id: \"gid://shopify/Order/1\") { id } }")).toMatch(/connection|node/);
    expect(validateBulkMutation("mutation { bulkOperationRunQuery(query: \"{ shop { id } }\") { userErrors { message } } }")).toMatch(/not allowed/);
  });
});

describe("reference documents", () => {
  it("every document (and every inner bulk string) is valid against the schema", () => {
    for (const [name, doc] of Object.entries({ ...REFERENCE_OPERATIONS, ...INNER_BULK_QUERIES, ...INNER_BULK_MUTATIONS })) {
      const prepared = prepareDocument(doc);
      expect(prepared.ok, `${name}: ${prepared.ok ? "" : JSON.stringify(prepared.errors)}`).toBe(true);
    }
    for (const [name, doc] of Object.entries(INNER_BULK_QUERIES)) expect(validateBulkQuery(doc), name).toBeNull();
    for (const [name, doc] of Object.entries(INNER_BULK_MUTATIONS)) expect(validateBulkMutation(doc), name).toBeNull();
  });

  it("each outer document runs against the simulator and returns data without errors", async () => {
    const { sim, shop, customers, products, orders } = smallShop();
    const customerGid = gidOf("Customer", customers[0]?.id ?? 0);
    const run = async (name: ReferenceOperation, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
      const res = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS[name], variables);
      expect(res.errors, `${name}: ${JSON.stringify(res.errors)}`).toBeUndefined();
      expect(res.extensions?.cost?.requestedQueryCost, name).toBeGreaterThan(0);
      return res.data as Record<string, unknown>;
    };

    const exportRun = await run("RunBulkQuery", { query: INNER_BULK_QUERIES.ordersExport });
    const bulkId = (exportRun.bulkOperationRunQuery as { bulkOperation: { id: string; status: string } }).bulkOperation.id;
    expect((exportRun.bulkOperationRunQuery as { bulkOperation: { status: string } }).bulkOperation.status).toBe("CREATED");
    const current = await run("CurrentBulkOperation");
    expect((current.currentBulkOperation as { id: string }).id).toBe(bulkId);
    const running = await run("RunningBulkOperations");
    expect((running.bulkOperations as { nodes: Array<{ id: string }> }).nodes.map((n) => n.id)).toEqual([bulkId]); // RUNNING once ticked
    sim.runBulkOperations();
    const bulkStatus = await run("BulkOperationStatus", { id: bulkId });
    expect(bulkStatus.bulkOperation).toMatchObject({ id: bulkId, status: "COMPLETED", type: "QUERY", rootObjectCount: "4" });
    const bulkNode = await run("BulkNode", { id: bulkId });
    expect((bulkNode.node as { status: string }).status).toBe("COMPLETED");
    const cancel = await run("CancelBulk", { id: bulkId });
    expect((cancel.bulkOperationCancel as { userErrors: unknown[] }).userErrors).toHaveLength(1); // already completed

    const added = await run("AddTags", { id: customerGid, tags: ["rfm:champions"] });
    expect(added.tagsAdd).toEqual({ node: { id: customerGid, tags: ["wholesale", "rfm:champions"] }, userErrors: [] });
    const removed = await run("RemoveTags", { id: customerGid, tags: ["wholesale"] });
    expect(removed.tagsRemove).toEqual({ node: { id: customerGid, tags: ["rfm:champions"] }, userErrors: [] });
    const replaced = await run("ReplaceCustomerTags", { input: { id: customerGid, tags: ["rfm:loyal"] } });
    expect(replaced.customerUpdate).toEqual({ customer: { id: customerGid, tags: ["rfm:loyal"] }, userErrors: [] });

    const staged = await run("StageBulkVars");
    const target = (staged.stagedUploadsCreate as { stagedTargets: Array<{ url: string; resourceUrl: string | null; parameters: Array<{ name: string; value: string }> }> }).stagedTargets[0];
    expect(target?.resourceUrl).toBeNull();
    const form = new FormData();
    for (const p of target?.parameters ?? []) form.append(p.name, p.value);
    form.append("file", new Blob([JSON.stringify({ id: customerGid, tags: ["rfm:bulk"] })], { type: "text/jsonl" }), "rfm-tags.jsonl");
    expect((await sim.fetch(target?.url ?? "", { method: "POST", body: form })).status).toBe(201);
    const key = target?.parameters.find((p) => p.name === "key")?.value;
    const bulkMutation = await run("RunBulkTagsAdd", { mutation: INNER_BULK_MUTATIONS.tagsAdd, stagedUploadPath: key });
    expect((bulkMutation.bulkOperationRunMutation as { bulkOperation: { type: string } }).bulkOperation.type).toBe("MUTATION");
    sim.runBulkOperations();
    expect(shop.customers.get(customers[0]?.id ?? 0)?.tags).toEqual(["rfm:loyal", "rfm:bulk"]);

    const created = await run("CreateSegment", { name: "Loyal", query: "customer_tags CONTAINS 'rfm:loyal'" });
    expect((created.segmentCreate as { segment: { name: string } }).segment.name).toBe("Loyal");
    const segmentId = (created.segmentCreate as { segment: { id: string } }).segment.id;
    const filterList = await run("SegmentFilters");
    expect((filterList.segmentFilters as { nodes: Array<{ queryName: string }> }).nodes.map((n) => n.queryName)).toContain("customer_tags");
    const members = await run("SegmentMembers", { query: "customer_tags CONTAINS 'rfm:loyal'" });
    expect((members.customerSegmentMembers as { totalCount: number }).totalCount).toBe(1);
    const membership = await run("IsMember", { customerId: customerGid, segmentIds: [segmentId] });
    expect(membership.customerSegmentMembership).toEqual({ memberships: [{ segmentId, isMember: true }] });
    const suggestions = await run("RfmValues");
    expect((suggestions.segmentValueSuggestions as { nodes: unknown[] }).nodes).toHaveLength(11);

    const shopInfo = await run("ShopInfo");
    expect(shopInfo.shop).toMatchObject({ myshopifyDomain: TEST_DOMAIN, currencyCode: "GBP", ianaTimezone: "Europe/London" });
    const customerRfm = await run("CustomerRfm", { id: customerGid });
    expect(customerRfm.customer).toMatchObject({ numberOfOrders: "2", amountSpent: { amount: "48.45", currencyCode: "GBP" }, lastOrder: { id: gidOf("Order", orders[1]?.id ?? 0) } });
    const subscriptions = await run("WebhookSubs");
    expect((subscriptions.webhookSubscriptions as { nodes: Array<{ topic: string }> }).nodes.map((n) => n.topic)).toContain("ORDERS_CREATE");
    const byIds = await run("ProductsByIds", { ids: products.map((p) => gidOf("Product", p.id)) });
    const nodes = byIds.nodes as Array<{ onlineStoreUrl: string | null; priceRangeV2: { minVariantPrice: { amount: string } } }>;
    expect(nodes[0]?.priceRangeV2.minVariantPrice.amount).toBe("2.55");
    expect(nodes[2]?.onlineStoreUrl).toBeNull(); // DRAFT products are not on the online store
    const installation = await run("AppInstall");
    expect((installation.currentAppInstallation as { accessScopes: Array<{ handle: string }> }).accessScopes.map((s) => s.handle)).toContain("write_customers");
  });

  it("the reference's OrdersUpdatedSince (100 orders × 50 lines) exceeds Shopify's 1,000-point single-query limit; a smaller page passes", async () => {
    const { sim } = smallShop();
    const doc = REFERENCE_OPERATIONS.OrdersUpdatedSince;
    const tooBig = await sim.graphql(TEST_DOMAIN, doc, { q: "updated_at:>='2026-01-01T00:00:00Z'" });
    expect(tooBig.errors?.[0]?.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED" });
    expect(tooBig.extensions?.cost?.requestedQueryCost).toBeGreaterThan(1000);
    const smaller = doc.replace("orders(first: 100", "orders(first: 3").replace("lineItems(first: 50)", "lineItems(first: 20)");
    const ok = await sim.graphql(TEST_DOMAIN, smaller, { q: "updated_at:>='2026-01-01T00:00:00Z'" });
    expect(ok.errors).toBeUndefined();
    const page = (ok.data as { orders: { nodes: Array<{ updatedAt: string }>; pageInfo: { hasNextPage: boolean } } }).orders;
    expect(page.nodes).toHaveLength(3);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const times = page.nodes.map((n) => n.updatedAt);
    expect([...times].sort()).toEqual(times);
  });
});

describe("connections and search", () => {
  it("pages with cursors, honours reverse and sortKey, and filters with updated_at", async () => {
    const { sim, orders } = smallShop();
    const q = "query P($after: String, $q: String) { orders(first: 2, after: $after, query: $q, sortKey: CREATED_AT) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }";
    type Page = { orders: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { id: string } }> } };
    const p1 = (await sim.graphql(TEST_DOMAIN, q)).data as Page;
    const p2 = (await sim.graphql(TEST_DOMAIN, q, { after: p1.orders.pageInfo.endCursor })).data as Page;
    expect([...p1.orders.edges, ...p2.orders.edges].map((e) => e.node.id)).toEqual(orders.map((o) => gidOf("Order", o.id)));
    expect(p1.orders.pageInfo.hasNextPage).toBe(true);
    expect(p2.orders.pageInfo.hasNextPage).toBe(false);
    // o1 (refunded at 09:05) and o4 (cancelled at 09:06) are the only orders updated since 09:05.
    const recent = (await sim.graphql(TEST_DOMAIN, q, { q: "updated_at:>='2026-10-01T09:05:00Z'" })).data as Page;
    expect(recent.orders.edges.map((e) => e.node.id)).toEqual([orders[0], orders[3]].map((o) => gidOf("Order", o?.id ?? 0)));
  });

  it("requires first or last and caps them at 250, like Shopify", async () => {
    const { sim } = smallShop();
    expect((await sim.graphql(TEST_DOMAIN, "{ orders { nodes { id } } }")).errors?.[0]?.message).toBe("you must provide one of first or last");
    expect((await sim.graphql(TEST_DOMAIN, "{ orders(first: 251) { nodes { id } } }")).errors?.[0]?.message).toContain("250");
  });

  it("ignores a query with an unknown search field (returns everything) and says so in debug mode", async () => {
    const { sim } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "{ orders(first: 10, query: \"updatedAt:>2030-01-01\") { nodes { id } } }", {}, { "Shopify-Search-Query-Debug": "1" });
    expect((res.data as { orders: { nodes: unknown[] } }).orders.nodes).toHaveLength(4);
    expect(JSON.stringify(res.extensions?.search)).toContain("updatedat");
  });
});
