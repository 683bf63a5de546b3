// Tag write-back against the simulator (Shopify's real schema, Standard-plan limits, bulk
// operations): 10,000 customers synced and segmented for real, then written back, re-run,
// changed, rolled back, and written with Shopify failing — on both databases.
import { afterAll, beforeAll, expect, it } from "vitest";
import { segmentTags } from "../../app/domain/tags";
import { runAssignments, runModel } from "../../app/models/segment-runs.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { advanceWriteBack, rollbackTags, startWriteBack } from "../../app/services/write-back.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { simulatorAdmin } from "../../simulator/admin-client";
import type { SimulatorServer } from "../../simulator/server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { backfillShop, driveWriteBack, startWriteBackSimulator, stubAppEnv } from "../support/write-back-harness";

const DOMAIN = "write-back.myshopify.com";
const CUSTOMERS = 10_000;
const DAY = 86_400_000;

/** An admin client that counts the mutations it sends (by operation name). */
function countingAdmin(inner: AdminClient) {
  const mutations: string[] = [];
  const admin: AdminClient = {
    request(document, variables) {
      const m = /mutation\s+(\w+)/.exec(document);
      if (m && m[1] !== "RunBulkQuery") mutations.push(m[1]!);
      return inner.request(document, variables);
    },
    get throttle() {
      return inner.throttle;
    },
  };
  return { admin, mutations };
}

describeEachDatabase("tag write-back", (provider) => {
  let sim: SimulatorServer;
  let t: TestDatabase;
  let shopId: number;
  let firstRunId: number;
  /** Simulator customer id → its merchant tags at the start. */
  const merchantTags = new Map<string, string[]>();

  const shopState = () => sim.simulator.shop(DOMAIN);
  const segmintTagsInShopify = () => {
    const out = new Map<string, string[]>();
    for (const c of shopState().customers.values()) out.set(String(c.id), c.tags.filter((x) => x.startsWith("segmint:")).sort());
    return out;
  };
  async function desiredOf(runId: number): Promise<Map<string, string>> {
    const model = await runModel(t.db, shopId, runId);
    const tagOf = segmentTags("segmint", model!.segments.map((s) => ({ key: s.id, name: s.name })));
    const out = new Map<string, string>();
    for (const [id, a] of await runAssignments(t.db, shopId, runId)) out.set(id, tagOf.get(a.segmentKey)!);
    return out;
  }
  /** Drives a pass to its end; `whenWriting` runs once, when the pass first reaches "writing". */
  async function runPass(id: number | null, admin: AdminClient, whenWriting?: () => void) {
    expect(id).not.toBeNull();
    return driveWriteBack(t.db, admin, shopId, id!, 500, async () => {
      if (whenWriting && (await t.db.writeBack.findUniqueOrThrow({ where: { id: id! } })).status === "writing") {
        whenWriting();
        whenWriting = undefined;
      }
    });
  }
  const capped = (id: string) => Number(id) % 97 === 0;

  beforeAll(async () => {
    stubAppEnv();
    sim = await startWriteBackSimulator([{ domain: DOMAIN, computeRfmGroups: true }]);
    const shop = shopState();
    const products = Array.from({ length: 20 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 500 + 250 * i }));
    const now = Date.now();
    for (let i = 0; i < CUSTOMERS; i++) {
      // Merchant tags by id, as the demo's seeder gives them: id divisible by 97 → 250 tags (the
      // cap), else divisible by 7 → wholesale.
      const id = 100_000 + i;
      const tags = id % 97 === 0 ? Array.from({ length: 250 }, (_, k) => `m-${k + 1}`) : id % 7 === 0 ? ["wholesale"] : [];
      const c = shop.createCustomer({ id, tags, silent: true });
      merchantTags.set(String(c.id), [...c.tags]);
      const orders = 1 + ((i * 7919) % 5);
      for (let k = 0; k < orders; k++) {
        shop.createOrder(
          {
            customerId: c.id,
            processedAt: now - ((i * 31 + k * 97) % 700) * DAY - DAY,
            lines: [{ variantId: products[(i + k) % 20]!.variants[0]!.id, quantity: 1 + ((i + k) % 4) * (i % 13 === 0 ? 10 : 1) }],
          },
          { silent: true },
        );
      }
    }
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: DOMAIN, writeBackMode: "live" } })).id;
    await backfillShop(t.db, simulatorAdmin(sim, DOMAIN), shopId);
    firstRunId = (await refreshSegments(t.db, shopId, { reason: "on-demand", algorithm: "hybrid" })).runId;
  }, 300_000);
  afterAll(async () => {
    await t?.drop();
    await sim?.close();
  });

  it("a dry run writes nothing and records the plan", async () => {
    await t.db.shop.update({ where: { id: shopId }, data: { writeBackMode: "dry-run" } });
    const { admin, mutations } = countingAdmin(simulatorAdmin(sim, DOMAIN));
    const pass = await runPass(await startWriteBack(t.db, shopId, { kind: "refresh" }), admin);
    expect(pass).toMatchObject({ status: "completed", mode: "dry-run", tagsAdded: 0 });
    expect(mutations).toEqual([]);
    expect([...segmintTagsInShopify().values()].every((tags) => tags.length === 0)).toBe(true);
    const planned = await t.db.tagWrite.count({ where: { writeBackId: pass.id, result: "planned", action: "add" } });
    expect(planned).toBe(pass.customersChanged);
    expect(pass.customersChanged).toBe(CUSTOMERS - [...merchantTags.keys()].filter(capped).length);
    await t.db.shop.update({ where: { id: shopId }, data: { writeBackMode: "live" } });
  }, 120_000);

  it("writes every customer's segment tag in bulk, leaves merchant tags alone and reports capped customers", async () => {
    const { admin, mutations } = countingAdmin(simulatorAdmin(sim, DOMAIN));
    const pass = await runPass(await startWriteBack(t.db, shopId, { kind: "refresh" }), admin);
    const desired = await desiredOf(firstRunId);
    const cappedIds = [...merchantTags.keys()].filter(capped);
    expect(pass).toMatchObject({ status: "completed", failed: 0, capped: cappedIds.length, customersChanged: CUSTOMERS - cappedIds.length });
    expect(pass.tagsAdded).toBe(CUSTOMERS - cappedIds.length);
    // the bulk path: one file of additions (nothing to remove), not 9,897 tagsAdd calls
    expect(mutations.filter((m) => m === "CustomerTagsAdd")).toEqual([]);
    expect(mutations.filter((m) => m === "RunBulkMutation")).toHaveLength(1);
    const inShopify = segmintTagsInShopify();
    for (const [id, merchant] of merchantTags) {
      const tags = shopState().customers.get(Number(id))!.tags;
      expect(tags.filter((x) => !x.startsWith("segmint:"))).toEqual(merchant);
      expect(inShopify.get(id)).toEqual(capped(id) ? [] : [desired.get(id)]);
    }
    const skipped = await t.db.tagWrite.findMany({ where: { writeBackId: pass.id, result: "skipped-cap" }, include: { customer: true } });
    expect(skipped.map((s) => s.customer.shopifyId).sort()).toEqual([...cappedIds].sort());
    // one Shopify segment per populated Segmint segment, querying its tag
    const segments = [...shopState().segments.values()];
    const tags = new Set(desired.values());
    expect(segments.map((s) => s.query).sort()).toEqual([...tags].map((tag) => `customer_tags CONTAINS '${tag}'`).sort());
    // the agreement with Shopify's own RFM groups is stored on the run
    const agreement = JSON.parse((await t.db.segmentRun.findUniqueOrThrow({ where: { id: firstRunId } })).shopifyRfm!);
    expect(agreement.customers).toBe(CUSTOMERS);
    expect(agreement.withShopifyGroup).toBeGreaterThan(0);
  }, 120_000);

  it("a newer full pass supersedes an unfinished one, which then writes nothing", async () => {
    const older = (await startWriteBack(t.db, shopId, { kind: "refresh" }))!;
    const newer = (await startWriteBack(t.db, shopId, { kind: "refresh" }))!;
    expect(await t.db.writeBack.findUniqueOrThrow({ where: { id: older } })).toMatchObject({ status: "failed", error: `superseded by write-back ${newer}` });
    const { admin, mutations } = countingAdmin(simulatorAdmin(sim, DOMAIN));
    expect(await advanceWriteBack({ db: t.db, admin, shopId, writeBackId: older })).toEqual({ done: true });
    expect(mutations).toEqual([]);
    await runPass(newer, admin);
  }, 60_000);

  it("a full pass supersedes a segment's apply but lets its preview finish (a preview writes nothing)", async () => {
    const runId = (await t.db.segmentRun.findFirstOrThrow({ where: { shopId, status: "completed" }, orderBy: { id: "desc" } })).id;
    const segmentKey = (await t.db.customerSegment.findFirstOrThrow({ where: { shopId, runId }, select: { segmentKey: true } })).segmentKey;
    const preview = (await startWriteBack(t.db, shopId, { kind: "segment", segmentKey, mode: "dry-run", runId }))!;
    const apply = (await startWriteBack(t.db, shopId, { kind: "segment", segmentKey, mode: "live", runId }))!;
    const full = (await startWriteBack(t.db, shopId, { kind: "refresh", runId }))!;
    expect(await t.db.writeBack.findUniqueOrThrow({ where: { id: apply } })).toMatchObject({ status: "failed", error: `superseded by write-back ${full}` });
    expect((await t.db.writeBack.findUniqueOrThrow({ where: { id: preview } })).status).not.toBe("failed");
    const { admin, mutations } = countingAdmin(simulatorAdmin(sim, DOMAIN));
    expect(await runPass(preview, admin)).toMatchObject({ status: "completed", mode: "dry-run" });
    expect(mutations).toEqual([]);
    await runPass(full, admin);
  }, 60_000);

  it("a rerun with no change performs zero mutations", async () => {
    const { admin, mutations } = countingAdmin(simulatorAdmin(sim, DOMAIN));
    const pass = await runPass(await startWriteBack(t.db, shopId, { kind: "refresh" }), admin);
    expect(pass).toMatchObject({ status: "completed", customersChanged: 0, tagsAdded: 0, tagsRemoved: 0 });
    expect(mutations).toEqual([]);
  }, 60_000);

  it("a run with one changed segment touches only its customers (a failed bulk line is recorded), and rollback restores the first run exactly", async () => {
    // A second run equal to the first but for one segment's name (hence its tag).
    const first = await t.db.segmentRun.findUniqueOrThrow({ where: { id: firstRunId } });
    const model = JSON.parse(first.model!);
    const rows = await t.db.customerSegment.findMany({ where: { runId: firstRunId } });
    const sizes = new Map<string, number>();
    for (const r of rows) sizes.set(r.segmentKey, (sizes.get(r.segmentKey) ?? 0) + 1);
    const largest = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const renamed = model.segments.find((s: { id: string }) => s.id === largest);
    renamed.name = `${renamed.name} renamed`;
    const { id: _id, createdAt: _c, ...runFields } = first;
    const second = await t.db.segmentRun.create({ data: { ...runFields, model: JSON.stringify(model), shopifyRfm: null } });
    await t.db.customerSegment.createMany({ data: rows.map(({ id: _rowId, ...r }) => ({ ...r, runId: second.id })) });
    const members = rows.filter((r) => r.segmentKey === renamed.id).length;
    const before = segmintTagsInShopify();

    // A lower bulk threshold than the default 1,000: this segment's change goes through the bulk
    // path (removals, then additions); the per-customer path has the next test.
    await t.db.shop.update({ where: { id: shopId }, data: { bulkThreshold: 200 } });
    const assignments = await runAssignments(t.db, shopId, second.id);
    const renamedMembers = [...assignments].filter(([, a]) => a.segmentKey === renamed.id).map(([id]) => id);
    const cappedMembers = renamedMembers.filter(capped).length;
    // One line of the bulk result file fails (the operation still COMPLETES): that customer's
    // removal, so its addition is not attempted and it keeps the old tag.
    const unlucky = renamedMembers.find((id) => !capped(id))!;
    sim.simulator.faults(DOMAIN).bulkLineError({ customerId: Number(unlucky), message: "Internal error. Looks like something went wrong on our end." });
    const { admin, mutations } = countingAdmin(simulatorAdmin(sim, DOMAIN));
    const pass = await runPass(await startWriteBack(t.db, shopId, { kind: "refresh", runId: second.id }), admin);
    expect(pass).toMatchObject({ status: "completed", customersChanged: members - cappedMembers, failed: 1 });
    const failedWrites = await t.db.tagWrite.findMany({ where: { writeBackId: pass.id, result: "failed" }, include: { customer: true } });
    expect(failedWrites.map((w) => [w.customer.shopifyId, w.action])).toEqual([
      [unlucky, "remove"],
      [unlucky, "add"],
    ]);
    expect(failedWrites[0]!.message).toMatch(/Internal error/);
    const after = segmintTagsInShopify();
    expect(after.get(unlucky)).toEqual(before.get(unlucky));
    let touched = 0;
    for (const [id, tags] of after) if (JSON.stringify(tags) !== JSON.stringify(before.get(id))) touched++;
    expect(touched).toBe(members - cappedMembers - 1);
    expect(members).toBeGreaterThan(200);
    expect(mutations.filter((m) => m === "RunBulkMutation")).toHaveLength(2); // removals, then additions
    expect(mutations).not.toContain("CustomerTagsAdd");
    expect(mutations).toContain("SegmintSegmentUpdate"); // the Shopify segment follows the new name
    expect([...shopState().segments.values()].some((s) => s.name.includes("renamed"))).toBe(true);

    const rollback = await runPass(await rollbackTags(t.db, shopId, firstRunId), simulatorAdmin(sim, DOMAIN));
    expect(rollback).toMatchObject({ status: "completed", kind: "rollback", failed: 0, customersChanged: members - cappedMembers - 1 });
    expect(segmintTagsInShopify()).toEqual(before);
    expect([...shopState().segments.values()].some((s) => s.name.includes("renamed"))).toBe(false);
    await t.db.shop.update({ where: { id: shopId }, data: { bulkThreshold: 1000 } });
  }, 120_000);

  it("finishes through throttling, 5xx and userErrors on the per-customer path; failures are recorded", async () => {
    // Move 60 customers to another segment in a new run: a small diff (per-customer path).
    const latest = await t.db.segmentRun.findFirstOrThrow({ where: { shopId }, orderBy: { id: "desc" } });
    const { id: _id, createdAt: _c, ...runFields } = await t.db.segmentRun.findUniqueOrThrow({ where: { id: firstRunId } });
    const third = await t.db.segmentRun.create({ data: { ...runFields, shopifyRfm: null } });
    const rows = await t.db.customerSegment.findMany({ where: { runId: firstRunId }, orderBy: { id: "asc" }, include: { customer: { select: { shopifyId: true } } } });
    const keys = [...new Set(rows.map((r) => r.segmentKey))];
    const moved = rows.filter((r) => !capped(r.customer.shopifyId)).slice(0, 60);
    const movedIds = new Set(moved.map((r) => r.id));
    await t.db.customerSegment.createMany({
      data: rows.map(({ id, customer: _customer, ...r }) => ({ ...r, runId: third.id, segmentKey: movedIds.has(id) ? keys[(keys.indexOf(r.segmentKey) + 1) % keys.length]! : r.segmentKey })),
    });
    expect(third.id).toBeGreaterThan(latest.id);
    // Shopify fails once the pass writes: the first tag mutation is refused, then the bucket is
    // drained and the server errors.
    const pass = await runPass(await startWriteBack(t.db, shopId, { kind: "refresh", runId: third.id }), simulatorAdmin(sim, DOMAIN), () => {
      sim.simulator.faults(DOMAIN).userErrorOnNextMutation({ field: ["tags"], message: "Customer is locked" }).throttleNext(3).failNext(503, 2).failNext(502, 1);
    });
    expect(pass.status).toBe("completed");
    expect(pass.customersChanged).toBe(60);
    expect(pass.failed).toBe(1);
    const failed = await t.db.tagWrite.findMany({ where: { writeBackId: pass.id, result: "failed" } });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.message).toMatch(/locked/);
    // every other moved customer carries exactly its new tag
    const desired = await desiredOf(third.id);
    const inShopify = segmintTagsInShopify();
    const failedCustomer = failed[0]!.customerId;
    let right = 0;
    for (const r of moved) {
      const shopifyId = r.customer.shopifyId;
      if (r.customerId === failedCustomer) continue;
      expect(inShopify.get(shopifyId)).toEqual([desired.get(shopifyId)]);
      right++;
    }
    expect(right).toBe(59);
  }, 120_000);
});
