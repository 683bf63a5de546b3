import { describe, expect, it } from "vitest";
import { INNER_BULK_MUTATIONS, INNER_BULK_QUERIES, REFERENCE_OPERATIONS } from "../fixtures/graphql/reference-operations";
import { gidOf, smallShop, TEST_DOMAIN } from "./fixtures";

const RUN = REFERENCE_OPERATIONS.RunBulkQuery;
const INNER = INNER_BULK_QUERIES.ordersExport;
const STATUS = REFERENCE_OPERATIONS.BulkOperationStatus;

type Op = { id: string; status: string; objectCount: string; rootObjectCount: string; fileSize: string | null; url: string | null; partialDataUrl: string | null; errorCode: string | null; completedAt: string | null };

async function start(sim: ReturnType<typeof smallShop>["sim"], query = INNER): Promise<string> {
  const res = await sim.graphql(TEST_DOMAIN, RUN, { query });
  const payload = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: unknown[] } }).bulkOperationRunQuery;
  expect(payload.userErrors).toEqual([]);
  return payload.bulkOperation?.id ?? "";
}

async function status(sim: ReturnType<typeof smallShop>["sim"], id: string): Promise<Op> {
  return ((await sim.graphql(TEST_DOMAIN, STATUS, { id })).data as { bulkOperation: Op }).bulkOperation;
}

describe("bulk query lifecycle", () => {
  it("moves CREATED → RUNNING → COMPLETED with the clock and sends bulk_operations/finish", async () => {
    const { sim, clock } = smallShop({ bulk: { startDelayMs: 500, minRunMs: 2000 } });
    const id = await start(sim);
    expect((await status(sim, id)).status).toBe("CREATED");
    clock.advance(500);
    expect((await status(sim, id)).status).toBe("RUNNING");
    clock.advance(1999);
    expect((await status(sim, id)).status).toBe("RUNNING");
    clock.advance(1);
    const done = await status(sim, id);
    expect(done).toMatchObject({ status: "COMPLETED", errorCode: null, objectCount: "9", rootObjectCount: "4", partialDataUrl: null });
    expect(Number(done.fileSize)).toBe(Buffer.byteLength(sim.readBulkResult(done.url ?? "")));
    const finish = sim.webhooks.deliveries().length === 0 ? await sim.flushWebhooks() : [];
    const bulkHook = finish.find((d) => d.topic === "bulk_operations/finish");
    expect(JSON.parse(bulkHook?.body ?? "{}")).toMatchObject({ admin_graphql_api_id: id, status: "completed", error_code: null, type: "query" });
  });

  it("writes Shopify JSONL: one object per line, nested connections flattened with __parentId", async () => {
    const { sim, orders } = smallShop({ bulk: { jsonlOrder: "grouped" } });
    const id = await start(sim);
    sim.runBulkOperations();
    const lines = sim.readBulkResult((await status(sim, id)).url ?? "").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const orderLines = lines.filter((l) => !("__parentId" in l));
    const lineItemLines = lines.filter((l) => "__parentId" in l);
    expect(orderLines.map((l) => l.id)).toEqual(orders.map((o) => gidOf("Order", o.id)));
    expect(orderLines[0]).not.toHaveProperty("lineItems"); // connection removed from the parent line
    expect(orderLines[0]).toMatchObject({ legacyResourceId: String(orders[0]?.id), displayFinancialStatus: "PARTIALLY_REFUNDED", totalRefundedSet: { shopMoney: { amount: "5.10", currencyCode: "GBP" } } });
    expect(lineItemLines).toHaveLength(5);
    expect(lineItemLines[0]).toMatchObject({ quantity: 6, currentQuantity: 4, __parentId: gidOf("Order", orders[0]?.id ?? 0) });
    expect(Object.keys(lineItemLines[0] ?? {}).at(-1)).toBe("__parentId");
  });

  it("does not keep children after their parent by default (seeded shuffle) and can put all children first", async () => {
    const shuffledShop = smallShop();
    for (let i = 0; i < 40; i++) shuffledShop.shop.createOrder({ customerId: null, lines: [{ variantId: shuffledShop.products[0]?.variants[0]?.id ?? 0, quantity: 1 }] });
    const id = await start(shuffledShop.sim);
    shuffledShop.sim.runBulkOperations();
    const lines = shuffledShop.sim.readBulkResult((await status(shuffledShop.sim, id)).url ?? "").trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string; __parentId?: string });
    const position = new Map(lines.map((l, i) => [l.id, i]));
    const before = lines.filter((l, i) => l.__parentId && (position.get(l.__parentId) ?? 0) > i).length;
    expect(before).toBeGreaterThan(0); // some children come BEFORE their parent
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);

    const adversarial = smallShop({ bulk: { jsonlOrder: "children-first" } });
    const id2 = await start(adversarial.sim);
    adversarial.sim.runBulkOperations();
    const first = JSON.parse(adversarial.sim.readBulkResult((await status(adversarial.sim, id2)).url ?? "").split("\n")[0] ?? "{}") as Record<string, unknown>;
    expect(first).toHaveProperty("__parentId");
  });

  it("allows 5 concurrent bulk queries per shop on 2026-10 and refuses the 6th with LIMIT_REACHED", async () => {
    const { sim } = smallShop();
    for (let i = 0; i < 5; i++) await start(sim);
    const res = await sim.graphql(TEST_DOMAIN, RUN, { query: INNER });
    const payload = (res.data as { bulkOperationRunQuery: { bulkOperation: unknown; userErrors: Array<{ code: string }> } }).bulkOperationRunQuery;
    expect(payload.bulkOperation).toBeNull();
    expect(payload.userErrors[0]?.code).toBe("LIMIT_REACHED");
    const single = smallShop({ bulk: { maxConcurrentQueries: 1 } });
    await start(single.sim);
    const again = await single.sim.graphql(TEST_DOMAIN, RUN, { query: INNER });
    expect(JSON.stringify(again.data)).toContain("OPERATION_IN_PROGRESS");
  });

  it("cancels a running operation and fails one on demand with partialDataUrl", async () => {
    const { sim, clock } = smallShop({ bulk: { minRunMs: 10_000 } });
    const id = await start(sim);
    clock.advance(1);
    await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.CancelBulk, { id });
    clock.advance(1);
    expect(await status(sim, id)).toMatchObject({ status: "CANCELED", url: null });

    sim.faults(TEST_DOMAIN).failNextBulkOperation({ errorCode: "TIMEOUT", partial: true });
    const failing = await start(sim);
    sim.runBulkOperations();
    const failed = await status(sim, failing);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", url: null });
    expect(sim.readBulkResult(failed.partialDataUrl ?? "").trimEnd().split("\n").length).toBe(Number(failed.objectCount));
  });

  it("answers url null for a query that matched nothing, and serves files over fetch", async () => {
    const { sim } = smallShop();
    const empty = await start(sim, '{ orders(query: "created_at:<2000-01-01") { edges { node { id } } } }');
    const full = await start(sim, "{ customers { edges { node { id tags } } } }");
    sim.runBulkOperations();
    expect(await status(sim, empty)).toMatchObject({ status: "COMPLETED", url: null, objectCount: "0" });
    const response = await sim.fetch((await status(sim, full)).url ?? "");
    expect(response.status).toBe(200);
    expect((await response.text()).trimEnd().split("\n")).toHaveLength(3);
  });
});

describe("bulk mutation", () => {
  it("runs each JSONL line as the mutation, results out of order with __lineNumber, bad lines as errors", async () => {
    const { sim, shop, customers } = smallShop();
    const staged = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.StageBulkVars);
    const target = (staged.data as { stagedUploadsCreate: { stagedTargets: Array<{ url: string; parameters: Array<{ name: string; value: string }> }> } }).stagedUploadsCreate.stagedTargets[0];
    const vars = [...customers.map((c) => JSON.stringify({ id: gidOf("Customer", c.id), tags: ["rfm:new"] })), JSON.stringify({ id: gidOf("Customer", 1), tags: ["x"] }), JSON.stringify({ id: 5 })];
    const form = new FormData();
    for (const p of target?.parameters ?? []) form.append(p.name, p.value);
    form.append("file", new Blob([vars.join("\n")]), "rfm-tags.jsonl");
    // The file must be the LAST field, as on GCS.
    const wrongOrder = new FormData();
    wrongOrder.append("file", new Blob(["{}"]), "x.jsonl");
    for (const p of target?.parameters ?? []) wrongOrder.append(p.name, p.value);
    expect((await sim.fetch(target?.url ?? "", { method: "POST", body: wrongOrder })).status).toBe(400);
    expect((await sim.fetch(target?.url ?? "", { method: "POST", body: form })).status).toBe(201);
    const key = target?.parameters.find((p) => p.name === "key")?.value;
    const run = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.RunBulkTagsAdd, { mutation: INNER_BULK_MUTATIONS.tagsAdd, stagedUploadPath: key });
    const op = (run.data as { bulkOperationRunMutation: { bulkOperation: { id: string } } }).bulkOperationRunMutation.bulkOperation;
    sim.runBulkOperations();
    const done = await status(sim, op.id);
    const results = sim.readBulkResult(done.url ?? "").trimEnd().split("\n").map((l) => JSON.parse(l) as { __lineNumber: number; data?: { tagsAdd: { userErrors: unknown[] } }; errors?: Array<{ extensions: { code: string } }> });
    expect(results.map((r) => r.__lineNumber).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(results.find((r) => r.__lineNumber === 3)?.data?.tagsAdd.userErrors).toHaveLength(1); // unknown customer
    expect(results.find((r) => r.__lineNumber === 4)?.errors?.[0]?.extensions.code).toBe("INVALID_VARIABLE");
    for (const c of customers) expect(shop.customers.get(c.id)?.tags).toContain("rfm:new");
    const wrongKey = await sim.graphql(TEST_DOMAIN, REFERENCE_OPERATIONS.RunBulkTagsAdd, { mutation: INNER_BULK_MUTATIONS.tagsAdd, stagedUploadPath: "tmp/nope.jsonl" });
    expect(JSON.stringify(wrongKey.data)).toContain("NO_SUCH_FILE");
  });
});
