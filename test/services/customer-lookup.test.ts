// Customer lookup (/app/customers) on both databases: a customer's segment in the latest run with
// its "why here", figures, scores and the segment's medians; its segment in two stored runs; the
// tags Segmint wrote or planned; another shop's customer not found (404); a bad id named (400).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCustomerIdInput } from "../../app/domain/customer-lookup";
import { lookupCustomer, type CustomerLookup } from "../../app/services/customer-lookup.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

const AS_OF = new Date("2026-11-01T12:00:00Z");
const LATER = new Date("2027-01-15T12:00:00Z");
const DAY = 86_400_000;

async function seedShop(t: TestDatabase, domain: string, firstId: number): Promise<number> {
  const shop = await t.db.shop.create({ data: { domain, algorithm: "kmeans" } });
  let n = 0;
  for (let i = 0; i < 40; i++) {
    const customer = await t.db.customer.create({ data: { shopId: shop.id, shopifyId: String(firstId + i) } });
    for (let j = 0; j <= i % 4; j++) {
      const at = new Date(Date.UTC(2026, 0, 1) + ((i * 13 + j * 41) % 290) * DAY);
      const milli = BigInt((((i * 71) % 400) + 15) * 1000);
      const order = await t.db.order.create({ data: { shopId: shop.id, shopifyId: `${domain}-o${n++}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "GBP", grossMilli: milli, netMilli: milli } });
      await t.db.orderLine.create({ data: { shopId: shop.id, orderId: order.id, shopifyId: `${order.shopifyId}-0`, productId: "p1", quantity: 1, unitPriceMilli: milli } });
    }
  }
  return shop.id;
}

/** A route call's answer: its Response, the thrown Response, or single fetch's data() value. */
async function answer(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const result = await call.catch((e: unknown) => e);
  if (result instanceof Response) return { status: result.status, body: await result.json().catch(() => null) };
  const d = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, body: d.data };
  return { status: 200, body: result };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

describe("parseCustomerIdInput", () => {
  it("takes a numeric id or a customer GID, and nothing else", () => {
    expect(parseCustomerIdInput(" 7012345678 ")).toBe("7012345678");
    expect(parseCustomerIdInput("gid://shopify/Customer/7012345678")).toBe("7012345678");
    expect(parseCustomerIdInput("gid://shopify/Order/7012345678")).toBeNull();
    expect(parseCustomerIdInput("12ab")).toBeNull();
    expect(parseCustomerIdInput("")).toBeNull();
    expect(parseCustomerIdInput("0")).toBeNull();
    expect(parseCustomerIdInput("1".repeat(21))).toBeNull();
  });
});

describeEachDatabase("customer lookup", (provider) => {
  let t: TestDatabase;
  let shopA: number;
  let shopB: number;
  let run1: number;
  let run2: number;
  const A = `lookup-a-${provider}.myshopify.com`;
  const B = `lookup-b-${provider}.myshopify.com`;
  /** A customer of shop A whose stored rows and tag history the tests check. */
  const ID = "1007";

  beforeAll(async () => {
    vi.stubEnv("SHOPIFY_API_KEY", "test-key");
    vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
    vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
    vi.stubEnv("LOG_LEVEL", "error");
    t = await createTestDatabase(provider);
    globalThis.__segmintDb = t.db;
    shopA = await seedShop(t, A, 1000);
    // Shop B's ids overlap shop A's from 1020: the same Shopify id in two stores is two customers.
    shopB = await seedShop(t, B, 1020);
    run1 = (await refreshSegments(t.db, shopA, { reason: "backfill", asOf: AS_OF })).runId;
    run2 = (await refreshSegments(t.db, shopA, { reason: "on-demand", asOf: LATER })).runId;
    await refreshSegments(t.db, shopB, { reason: "backfill", asOf: AS_OF });
    // Tag history: a dry-run plan in run 1, then a live write in run 2.
    const customer = await t.db.customer.findFirstOrThrow({ where: { shopId: shopA, shopifyId: ID } });
    const wb1 = await t.db.writeBack.create({ data: { shopId: shopA, runId: run1, kind: "refresh", mode: "dry-run", status: "completed" } });
    const wb2 = await t.db.writeBack.create({ data: { shopId: shopA, runId: run2, kind: "segment", mode: "live", status: "completed" } });
    await t.db.tagWrite.create({ data: { shopId: shopA, customerId: customer.id, tag: "segmint:old", action: "add", mode: "dry-run", runId: run1, writeBackId: wb1.id, result: "planned" } });
    await t.db.tagWrite.create({ data: { shopId: shopA, customerId: customer.id, tag: "segmint:old", action: "remove", mode: "live", runId: run2, writeBackId: wb2.id, result: "ok" } });
    await t.db.tagWrite.create({ data: { shopId: shopA, customerId: customer.id, tag: "segmint:new", action: "add", mode: "live", runId: run2, writeBackId: wb2.id, result: "failed", message: "Customer is locked" } });
  }, 120_000);
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    vi.unstubAllEnvs();
    await t?.drop();
  });

  it("shows the latest run's segment with why, figures, scores and the segment's medians; the history of both runs; the tag writes newest first", async () => {
    const outcome = await lookupCustomer(shopA, `gid://shopify/Customer/${ID}`, t.db);
    expect(outcome.kind).toBe("found");
    const c = (outcome as { customer: CustomerLookup }).customer;
    const rows = await t.db.customerSegment.findMany({ where: { shopId: shopA, customer: { shopifyId: ID } }, orderBy: { runId: "desc" } });
    expect(rows.map((r) => r.runId)).toEqual([run2, run1]);
    const names = async (runId: number) => {
      const model = JSON.parse((await t.db.segmentRun.findUniqueOrThrow({ where: { id: runId } })).model!) as { segments: { id: string; name: string }[] };
      return new Map(model.segments.map((s) => [s.id, s.name]));
    };
    const names2 = await names(run2);
    const names1 = await names(run1);
    expect(c.history).toEqual([
      { runId: run2, runAsOf: LATER.toISOString(), segmentKey: rows[0]!.segmentKey, segmentName: names2.get(rows[0]!.segmentKey), rfmGroup: rows[0]!.rfmGroup },
      { runId: run1, runAsOf: AS_OF.toISOString(), segmentKey: rows[1]!.segmentKey, segmentName: names1.get(rows[1]!.segmentKey), rfmGroup: rows[1]!.rfmGroup },
    ]);
    // 75 days later, the customer's recency has grown by 75 days
    expect(rows[0]!.recencyDays! - rows[1]!.recencyDays!).toBe(75);
    const top = rows[0]!;
    expect(c.latestRunId).toBe(run2);
    expect(c.current).toMatchObject({
      runId: run2,
      segmentKey: top.segmentKey,
      segmentName: names2.get(top.segmentKey),
      explanation: top.explanation,
      assignedAt: null,
      figures: { recencyDays: top.recencyDays, frequency: top.frequency, monetaryMilli: Number(top.monetaryMilli) },
      scores: { r: top.rScore, f: top.fScore, m: top.mScore },
    });
    expect(c.current!.explanation.length).toBeGreaterThan(10);
    // The medians are the segment's in that run, recomputed here from its members' rows.
    const members = await t.db.customerSegment.findMany({ where: { runId: run2, segmentKey: top.segmentKey } });
    expect(c.current!.medians!.frequency).toBe(median(members.map((m) => m.frequency)));
    expect(Number(c.current!.medians!.monetaryMilli)).toBe(median(members.map((m) => Number(m.monetaryMilli))));
    expect(c.tagWrites.map((w) => [w.tag, w.action, w.mode, w.result, w.message])).toEqual([
      ["segmint:new", "add", "live", "failed", "Customer is locked"],
      ["segmint:old", "remove", "live", "ok", null],
      ["segmint:old", "add", "dry-run", "planned", null],
    ]);
    expect(c.tagWritesTruncated).toBe(false);
  });

  it("says when live assignment moved the customer into its current segment", async () => {
    const at = new Date("2027-01-20T09:30:00Z");
    const row = await t.db.customerSegment.findFirstOrThrow({ where: { runId: run2, customer: { shopifyId: ID } } });
    await t.db.customerSegment.update({ where: { id: row.id }, data: { assignedAt: at } });
    const c = ((await lookupCustomer(shopA, ID, t.db)) as { customer: CustomerLookup }).customer;
    expect(c.current!.assignedAt).toBe(at.toISOString());
    await t.db.customerSegment.update({ where: { id: row.id }, data: { assignedAt: null } });
  });

  it("a customer with rows only in an older run has no current segment but keeps its history", async () => {
    const row = await t.db.customerSegment.findFirstOrThrow({ where: { runId: run2, customer: { shopifyId: "1003" } } });
    const { id: _id, ...values } = row;
    await t.db.customerSegment.delete({ where: { id: row.id } });
    const c = ((await lookupCustomer(shopA, "1003", t.db)) as { customer: CustomerLookup }).customer;
    expect(c.current).toBeNull();
    expect(c.history.map((h) => h.runId)).toEqual([run1]);
    await t.db.customerSegment.create({ data: values });
  });

  it("tenant isolation: shop B's customer is not found in shop A, and the same id in both stores gives each store's own rows", async () => {
    expect(await lookupCustomer(shopA, "1059", t.db)).toEqual({ kind: "not-found", message: "No customer with id 1059 in this store." });
    const inB = ((await lookupCustomer(shopB, "1025", t.db)) as { customer: CustomerLookup }).customer;
    const inA = ((await lookupCustomer(shopA, "1025", t.db)) as { customer: CustomerLookup }).customer;
    expect(inB.history).toHaveLength(1);
    expect(inA.history).toHaveLength(2);
    expect(inB.latestRunId).not.toBe(inA.latestRunId);
    expect(inB.tagWrites).toEqual([]);
    expect(await lookupCustomer(shopB, ID, t.db)).toEqual({ kind: "not-found", message: `No customer with id ${ID} in this store.` });
  });

  it("a bad id gets a plain message", async () => {
    const outcome = await lookupCustomer(shopA, "bob@example.com", t.db);
    expect(outcome.kind).toBe("invalid");
    expect((outcome as { message: string }).message).toMatch(/^Enter a Shopify customer id/);
  });

  describe("/app/customers loader", () => {
    const get = async (query: string) => {
      const { loader } = await import("../../app/routes/app.customers");
      return answer(loader({ request: new Request(`http://localhost/app/customers${query}`), params: {}, context: {} }));
    };

    it("no id: the search form only; a found id: the customer (200)", async () => {
      session.shop = A;
      expect(await get("")).toMatchObject({ status: 200, body: { installed: true, customer: null, error: null, notFound: null } });
      const found = await get(`?id=${ID}`);
      expect(found.status).toBe(200);
      expect((found.body as { customer: CustomerLookup }).customer.history).toHaveLength(2);
    });

    it("another store's customer or an unknown id is a 404 saying so; a bad id is a 400 with the field's message", async () => {
      session.shop = B;
      const foreign = await get(`?id=${ID}`);
      expect(foreign).toMatchObject({ status: 404, body: { customer: null, notFound: `No customer with id ${ID} in this store.` } });
      const bad = await get("?id=abc");
      expect(bad.status).toBe(400);
      expect((bad.body as { error: string }).error).toMatch(/^Enter a Shopify customer id/);
      expect((await get("?id=")).status).toBe(400);
    });
  });
});
