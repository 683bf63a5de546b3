// The simulator's control API and the Admin API surface the tag write-back uses, over real HTTP
// (server mode on 127.0.0.1): customers as JSON lines, segments, the call log, per-line bulk
// mutation faults, the 250-tag cap, bulk queries/mutations end to end with the finish webhook.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulatorServer, type SimulatorServer } from "../../simulator/server";
import { merchantTags } from "../../simulator/seed-online-retail";
import { TEST_SECRET } from "./fixtures";

const FIXTURE = fileURLToPath(new URL("./fixtures/online-retail-ii-small.csv", import.meta.url));
const DOMAIN = "control-api.myshopify.com";
const customerGid = (csvId: number) => `gid://shopify/Customer/${7_000_000_000_000 + csvId}`;

type UserErrors = Array<{ field: string[] | null; message: string; code?: string | null }>;
type Segment = { id: string; name: string; query: string };
/** The root fields these tests read (each response carries only the ones it asked for). */
interface Payloads {
  bulkOperation: { status: string; url: string | null; objectCount: string; errorCode: string | null };
  stagedUploadsCreate: { stagedTargets: Array<{ url: string; parameters: Array<{ name: string; value: string }> }> };
  segmentCreate: { segment: Segment; userErrors: UserErrors };
  segmentUpdate: { segment: Segment | null; userErrors: UserErrors };
  segmentDelete: { deletedSegmentId: string | null; userErrors: UserErrors };
  segments: { nodes: Segment[] };
  tagsAdd: { node: { id: string; tags?: string[] } | null; userErrors: UserErrors };
  tagsRemove: { node: { id: string } | null; userErrors: UserErrors };
  nodes: Array<{ id: string; tags: string[] } | null>;
  bulkOperationRunQuery: { bulkOperation: { id: string }; userErrors: UserErrors };
  bulkOperationRunMutation: { bulkOperation: { id: string; status: string; type: string }; userErrors: UserErrors };
}
type Body = { data?: Payloads | null; errors?: Array<{ message: string; extensions: { code: string } }>; extensions?: { cost?: { requestedQueryCost: number; throttleStatus: { maximumAvailable: number; restoreRate: number } } } };
type CustomerLine = { id: string; customerId: string | null; tags: string[] };

let server: SimulatorServer;
const webhooks: Array<{ topic: string; body: string }> = [];

beforeAll(async () => {
  server = await startSimulatorServer({
    apiSecret: TEST_SECRET,
    onlineRetail: { csvPath: FIXTURE, domain: DOMAIN, moveClock: true },
    bulk: { minRunMs: 30 },
    tickMs: 10,
    webhooks: { transport: async (request) => (webhooks.push({ topic: request.headers.get("x-shopify-topic") ?? "", body: await request.text() }), new Response(null, { status: 200 })) },
  });
});
afterAll(async () => server?.close());

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Body> {
  const response = await server.fetch(`https://${DOMAIN}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": server.simulator.accessToken(DOMAIN) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Body;
}

const control = (path: string, init?: RequestInit) => fetch(`${server.url}/_sim/shops/${DOMAIN}${path}`, init);
const post = (path: string, body: unknown) => control(path, { method: "POST", body: JSON.stringify(body) });

async function customers(): Promise<CustomerLine[]> {
  const response = await control("/customers");
  expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as CustomerLine);
}

async function waitForBulk(id: string): Promise<{ status: string; url: string | null; objectCount: string; errorCode: string | null }> {
  for (let i = 0; i < 300; i++) {
    const op = (await gql("query Status($id: ID!) { bulkOperation(id: $id) { status url objectCount errorCode } }", { id })).data?.bulkOperation;
    if (op && !["CREATED", "RUNNING", "CANCELING"].includes(op.status)) return op;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`bulk operation ${id} did not finish`);
}

/** stagedUploadsCreate → multipart POST (parameters, file LAST) → the stagedUploadPath (the `key`). */
async function stage(lines: unknown[]): Promise<string> {
  const staged = await gql('mutation Stage { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } userErrors { field message } } }');
  const target = staged.data?.stagedUploadsCreate.stagedTargets[0];
  if (!target) throw new Error("no staged target");
  expect(target.url.startsWith(server.url)).toBe(true);
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([lines.map((l) => JSON.stringify(l)).join("\n")], { type: "text/jsonl" }), "tags.jsonl");
  expect((await fetch(target.url, { method: "POST", body: form })).status).toBe(201);
  return target.parameters.find((p) => p.name === "key")?.value ?? "";
}

const RUN_MUTATION = "mutation RunBulkTags($mutation: String!, $path: String!) { bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) { bulkOperation { id status type } userErrors { field message code } } }";
const INNER = (field: "tagsAdd" | "tagsRemove") => `mutation ${field}($id: ID!, $tags: [String!]!) { ${field}(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

describe("control API (server mode)", () => {
  it("lists customers as JSON lines: GID, the CSV customer id, tags (merchant tags by CSV id)", async () => {
    const lines = await customers();
    expect(lines.map((c) => c.customerId)).toEqual(["14", "97", "679", "13085"]);
    expect(lines[0]).toEqual({ id: customerGid(14), customerId: "14", tags: ["wholesale"] });
    expect(lines[1]?.tags).toEqual(merchantTags(97));
    expect(lines[2]?.tags).toHaveLength(250);
    expect(lines[3]?.tags).toEqual([]);
    const created = await post("/customers", { tags: ["vip"] });
    expect(created.status).toBe(201);
    const after = await customers();
    expect(after.at(-1)).toMatchObject({ customerId: null, tags: ["vip"] });
  });

  it("lists Shopify customer segments as the app creates, renames and deletes them", async () => {
    const create = async (name: string): Promise<Payloads["segmentCreate"]> => (await gql("mutation Create($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } } }", { name, query: `customer_tags CONTAINS 'segmint:${name.toLowerCase()}'` })).data!.segmentCreate;
    const a = await create("Champions");
    const b = await create("Dormant");
    expect(a.userErrors).toEqual([]);
    expect((await create("champions")).userErrors).toEqual([{ field: ["name"], message: "Name has already been taken" }]);
    const renamed = await gql("mutation Rename($id: ID!, $name: String!) { segmentUpdate(id: $id, name: $name) { segment { id name } userErrors { message } } }", { id: b.segment.id, name: "Segmint: Dormant" });
    expect(renamed.data?.segmentUpdate.userErrors).toEqual([]);
    const listed = (await (await control("/segments")).json()) as { segments: Array<{ id: string; name: string; query: string }> };
    expect(listed.segments).toEqual([
      { id: a.segment.id, name: "Champions", query: "customer_tags CONTAINS 'segmint:champions'" },
      { id: b.segment.id, name: "Segmint: Dormant", query: "customer_tags CONTAINS 'segmint:dormant'" },
    ]);
    const read = await gql("query Segments { segments(first: 50) { nodes { id name query } } }");
    expect(read.data?.segments.nodes).toEqual(listed.segments);
    const deleted = await gql("mutation Delete($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { message } } }", { id: a.segment.id });
    expect(deleted.data?.segmentDelete.deletedSegmentId).toBe(a.segment.id);
    expect(((await (await control("/segments")).json()) as { segments: unknown[] }).segments).toHaveLength(1);
  });

  it("counts Admin API requests by operation name (root field when anonymous), throttled and failed ones included; reset starts over", async () => {
    expect((await post("/calls/reset", {})).status).toBe(200);
    await gql("query ShopName { shop { name } }");
    await gql("query ShopName { shop { name } }");
    await gql("{ customers(first: 2) { nodes { id } } }");
    await gql("mutation AddTags($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }", { id: customerGid(13085), tags: ["x"] });
    await post("/faults", { throttle: 1 });
    expect((await gql("query ShopName { shop { name } }")).errors?.[0]?.extensions.code).toBe("THROTTLED");
    await post("/faults", { status: 503, count: 1 });
    expect((await server.fetch(`https://${DOMAIN}/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "x-shopify-access-token": server.simulator.accessToken(DOMAIN) }, body: JSON.stringify({ query: "{ shop { id } }" }) })).status).toBe(503);
    const calls = (await (await control("/calls")).json()) as { total: number; byOperation: Record<string, number>; throttled: number; httpErrors: number; bulkOperations: unknown[] };
    expect(calls).toEqual({ total: 6, byOperation: { AddTags: 1, customers: 1, shop: 1, ShopName: 3 }, throttled: 1, httpErrors: 1, bulkOperations: [] });
  });
});

describe("what the tag write-back sends", () => {
  it("tagsAdd / tagsRemove cost 10 on a Standard-plan bucket; tagsAdd refuses to pass 250 tags; nodes(ids) reads tags", async () => {
    const add = await gql("mutation AddTags($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags } } userErrors { field message } } }", { id: customerGid(14), tags: ["segmint:champions"] });
    expect(add.data?.tagsAdd).toEqual({ node: { id: customerGid(14), tags: ["wholesale", "segmint:champions"] }, userErrors: [] });
    expect(add.extensions?.cost).toMatchObject({ requestedQueryCost: 10, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
    const capped = await gql("mutation AddTags($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }", { id: customerGid(97), tags: ["segmint:loyal"] });
    expect(capped.data?.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["tags"], message: "Tags exceeds the maximum of 250 tags" }] });
    // Re-adding a tag the customer has is not "more tags": a capped customer can still be sent an existing one.
    const same = await gql("mutation AddTags($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }", { id: customerGid(97), tags: ["M-1"] });
    expect(same.data?.tagsAdd.userErrors).toEqual([]);
    const removed = await gql("mutation RemoveTags($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { message } } }", { id: customerGid(14), tags: ["segmint:champions"] });
    expect(removed.data?.tagsRemove.userErrors).toEqual([]);
    expect(removed.extensions?.cost?.requestedQueryCost).toBe(10);
    const nodes = await gql("query Tags($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { id tags } } }", { ids: [customerGid(14), customerGid(13085), "gid://shopify/Customer/1"] });
    expect(nodes.data?.nodes).toEqual([{ id: customerGid(14), tags: ["wholesale"] }, { id: customerGid(13085), tags: ["x"] }, null]);
  });

  it("bulk query: customers with id, tags and Shopify's rfmGroup (computed for the seeded shop)", async () => {
    const run = await gql("mutation Export($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: "{ customers { edges { node { id tags statistics { rfmGroup } } } } }" });
    const op = await waitForBulk(run.data?.bulkOperationRunQuery.bulkOperation.id ?? "");
    expect(op.status).toBe("COMPLETED");
    const lines = (await (await fetch(op.url ?? "")).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string; tags: string[]; statistics: { rfmGroup: string | null } });
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.size).toBe(5);
    expect(byId.get(customerGid(679))?.tags).toHaveLength(250);
    for (const csvId of [14, 97, 679, 13085]) expect(byId.get(customerGid(csvId))?.statistics.rfmGroup).toMatch(/^[A-Z_]+$/);
    expect(lines.filter((l) => l.statistics.rfmGroup === "PROSPECTS")).toHaveLength(1); // the customer created above, no orders
  });

  it("bulk mutations: one result line per input line with __lineNumber, a planned per-line error and the cap, COMPLETED, finish webhook", async () => {
    await post("/calls/reset", {});
    const gids = (await customers()).map((c) => c.id);
    // Customer 14's line (0) fails with a top-level error; 97 and 679 (lines 1, 2) are at the cap: userErrors.
    expect((await post("/faults", { bulkLineError: { customerId: customerGid(14), message: "Internal error on this line" } })).status).toBe(200);
    const addPath = await stage(gids.map((id) => ({ id, tags: ["segmint:active"] })));
    const run = await gql(RUN_MUTATION, { mutation: INNER("tagsAdd"), path: addPath });
    expect(run.data?.bulkOperationRunMutation.userErrors).toEqual([]);
    const op = await waitForBulk(run.data?.bulkOperationRunMutation.bulkOperation.id ?? "");
    expect(op).toMatchObject({ status: "COMPLETED", errorCode: null, objectCount: String(gids.length) });
    type ResultLine = { __lineNumber: number; data?: { tagsAdd?: { node: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> }; tagsRemove?: { userErrors: Array<{ field: string[] | null; message: string }> } }; errors?: Array<{ message: string; extensions: { code: string } }> };
    const results = (await (await fetch(op.url ?? "")).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as ResultLine);
    expect(results.map((r) => r.__lineNumber).sort((a, b) => a - b)).toEqual(gids.map((_, i) => i));
    const line = (i: number) => results.find((r) => r.__lineNumber === i) as ResultLine;
    expect(line(0)).toEqual({ errors: [{ message: "Internal error on this line", extensions: { code: "INTERNAL_SERVER_ERROR" } }], __lineNumber: 0 });
    expect(line(1).data?.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["tags"], message: "Tags exceeds the maximum of 250 tags" }] });
    expect(line(2).data?.tagsAdd?.userErrors).toHaveLength(1);
    expect(line(3).data?.tagsAdd).toEqual({ node: { id: gids[3] }, userErrors: [] });
    const tagged = new Map((await customers()).map((c) => [c.id, c.tags]));
    expect(tagged.get(customerGid(14))).toEqual(["wholesale"]); // the failed line changed nothing
    expect(tagged.get(customerGid(97))).toEqual(merchantTags(97));
    expect(tagged.get(customerGid(13085))).toContain("segmint:active");
    for (let i = 0; i < 100 && !webhooks.some((w) => w.topic === "bulk_operations/finish" && w.body.includes('"mutation"')); i++) await new Promise((r) => setTimeout(r, 10));
    const finish = webhooks.find((w) => w.topic === "bulk_operations/finish" && w.body.includes('"mutation"'));
    expect(JSON.parse(finish?.body ?? "{}")).toMatchObject({ admin_graphql_api_id: run.data?.bulkOperationRunMutation.bulkOperation.id, status: "completed", type: "mutation", error_code: null });

    // tagsRemove in bulk; a userError planned for line 3 by number (the mutation answers it, nothing changes).
    await post("/faults", { bulkLineError: { lineNumber: 3, kind: "userErrors", message: "Customer is locked", field: ["id"] } });
    const removePath = await stage(gids.map((id) => ({ id, tags: ["segmint:active"] })));
    const removeRun = await gql(RUN_MUTATION, { mutation: INNER("tagsRemove"), path: removePath });
    const removeOp = await waitForBulk(removeRun.data?.bulkOperationRunMutation.bulkOperation.id ?? "");
    expect(removeOp.status).toBe("COMPLETED");
    const removeResults = (await (await fetch(removeOp.url ?? "")).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as ResultLine);
    expect(removeResults.find((r) => r.__lineNumber === 3)?.data?.tagsRemove?.userErrors).toEqual([{ field: ["id"], message: "Customer is locked" }]);
    expect(removeResults.filter((r) => r.data?.tagsRemove?.userErrors.length === 0)).toHaveLength(gids.length - 1);
    const after = new Map((await customers()).map((c) => [c.id, c.tags]));
    expect(after.get(gids[4] ?? "")).not.toContain("segmint:active");
    expect(after.get(customerGid(13085))).toContain("segmint:active"); // line 3, the locked one, kept its tag

    const calls = (await (await control("/calls")).json()) as { byOperation: Record<string, number>; bulkOperations: Array<{ type: string; status: string; rootField: string; objectCount: number }> };
    expect(calls.byOperation).toMatchObject({ Stage: 2, RunBulkTags: 2 });
    expect(calls.bulkOperations.map((b) => [b.type, b.status, b.rootField, b.objectCount])).toEqual([
      ["MUTATION", "COMPLETED", "tagsAdd", gids.length],
      ["MUTATION", "COMPLETED", "tagsRemove", gids.length],
    ]);
    expect(server.simulator.faults(DOMAIN).pending.bulkLines).toBe(0);
  });
});
