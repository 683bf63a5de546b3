// One segment's write-back from the admin, against the simulator (Shopify's schema, real tag
// reads and writes): the preview plans exactly the diff between the segment's customers' tags in
// Shopify and their segment's tag, by id and through the bulk read alike; apply writes exactly
// that diff and nothing else; apply is refused after a refresh, with write-back off, and for
// another shop's preview — on both databases.
import { afterAll, beforeAll, expect, it } from "vitest";
import { slugOf } from "../../app/domain/tags";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { applySegmentWriteBack, previewSegmentWriteBack, segmentWriteBackView } from "../../app/services/segment-write-back.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { simulatorAdmin } from "../../simulator/admin-client";
import type { SimulatorServer } from "../../simulator/server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { backfillShop, driveWriteBack, startWriteBackSimulator, stubAppEnv } from "../support/write-back-harness";

const DOMAIN = "segment-write-back.myshopify.com";
const CUSTOMERS = 600;
const DAY = 86_400_000;
const STALE = "segmint:former-segment";

/** An admin client that records the operation names it sends. */
function recordingAdmin(inner: AdminClient) {
  const operations: string[] = [];
  const admin: AdminClient = {
    request(document, variables) {
      const m = /(?:mutation|query)\s+(\w+)/.exec(document);
      operations.push(m?.[1] ?? "anonymous");
      return inner.request(document, variables);
    },
    get throttle() {
      return inner.throttle;
    },
  };
  return { admin, operations, mutations: () => operations.filter((o) => /Add|Remove|RunBulkMutation|Segment(Create|Update|Delete)/.test(o)) };
}

type Change = `${string} ${"add" | "remove"} ${string}`;

describeEachDatabase("segment write-back (admin preview and apply)", (provider) => {
  let sim: SimulatorServer;
  let t: TestDatabase;
  let shopId: number;
  let otherShopId: number;
  let runId: number;
  let segmentKey: string;
  let segmentTag: string;
  let members: Set<string>;
  /** Every customer's tags at the start (Shopify id → tags). */
  const initialTags = new Map<string, string[]>();

  const tagsInShopify = (id: string) => [...sim.simulator.shop(DOMAIN).customers.get(Number(id))!.tags];

  const runPass = (id: number, admin: AdminClient = simulatorAdmin(sim, DOMAIN)) => driveWriteBack(t.db, admin, shopId, id, 200);

  async function changesOf(writeBackId: number, result: string): Promise<Change[]> {
    const rows = await t.db.tagWrite.findMany({ where: { writeBackId, result }, include: { customer: { select: { shopifyId: true } } } });
    return rows.map((r) => `${r.customer.shopifyId} ${r.action as "add" | "remove"} ${r.tag}` as Change).sort();
  }

  /** The diff written out by hand from the tags the test gave each member (not by the planner). */
  function expectedChanges(): { changes: Change[]; capped: string[] } {
    const changes: Change[] = [];
    const capped: string[] = [];
    for (const id of members) {
      const tags = initialTags.get(id)!;
      const add = tags.some((x) => x.toLowerCase() === segmentTag) ? [] : [segmentTag];
      const remove = tags.filter((x) => x.startsWith("segmint:") && x !== segmentTag);
      if (add.length + remove.length === 0) continue;
      if (tags.length - remove.length + add.length > 250) {
        capped.push(id);
        continue;
      }
      for (const tag of add) changes.push(`${id} add ${tag}`);
      for (const tag of remove) changes.push(`${id} remove ${tag}`);
    }
    return { changes: changes.sort(), capped: capped.sort() };
  }

  beforeAll(async () => {
    stubAppEnv();
    sim = await startWriteBackSimulator([{ domain: DOMAIN }]);
    const shop = sim.simulator.shop(DOMAIN);
    const products = Array.from({ length: 10 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 500 + 300 * i }));
    const now = Date.now();
    for (let i = 0; i < CUSTOMERS; i++) {
      // Merchant tags (wholesale), a stale Segmint tag from an older run, and a few customers at
      // Shopify's 250-tag cap, by id.
      const id = 200_000 + i;
      const tags = id % 53 === 0 ? Array.from({ length: 250 }, (_, k) => `m-${k}`) : id % 5 === 0 ? ["wholesale", STALE] : id % 3 === 0 ? ["wholesale"] : [];
      const c = shop.createCustomer({ id, tags, silent: true });
      initialTags.set(String(c.id), [...c.tags]);
      const orders = 1 + ((i * 7919) % 6);
      for (let k = 0; k < orders; k++) {
        shop.createOrder(
          { customerId: c.id, processedAt: now - ((i * 37 + k * 89) % 600) * DAY - DAY, lines: [{ variantId: products[(i + k) % 10]!.variants[0]!.id, quantity: 1 + ((i * k) % 5) }] },
          { silent: true },
        );
      }
    }
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: DOMAIN, writeBackMode: "dry-run" } })).id;
    otherShopId = (await t.db.shop.create({ data: { domain: "other.myshopify.com", writeBackMode: "live" } })).id;
    await backfillShop(t.db, simulatorAdmin(sim, DOMAIN), shopId);
    runId = (await refreshSegments(t.db, shopId, { reason: "on-demand", algorithm: "hybrid" })).runId;
    // The largest segment: it holds stale-tagged, capped and plain customers.
    const sizes = await t.db.customerSegment.groupBy({ by: ["segmentKey"], where: { runId }, _count: { _all: true } });
    segmentKey = sizes.sort((a, b) => b._count._all - a._count._all)[0]!.segmentKey;
    const model = JSON.parse((await t.db.segmentRun.findUniqueOrThrow({ where: { id: runId } })).model!);
    segmentTag = `segmint:${slugOf(model.segments.find((s: { id: string }) => s.id === segmentKey).name)}`;
    const rows = await t.db.customerSegment.findMany({ where: { runId, segmentKey }, include: { customer: true } });
    members = new Set(rows.map((r) => r.customer.shopifyId));
  }, 300_000);
  afterAll(async () => {
    await t?.drop();
    await sim?.close();
  });

  it("the preview plans the segment's diff against Shopify's tags, writes nothing, and reads by id or in bulk alike", async () => {
    const expected = expectedChanges();
    expect(expected.changes.some((c) => c.includes(" remove "))).toBe(true);
    expect(expected.capped.length).toBeGreaterThan(0);
    expect(members.size).toBeLessThan(CUSTOMERS);

    const started = await previewSegmentWriteBack(t.db, shopId, segmentKey);
    expect(started.ok).toBe(true);
    const id = (started as { writeBackId: number }).writeBackId;
    const running = await segmentWriteBackView(t.db, shopId, segmentKey);
    expect(running).toMatchObject({ running: true, canApply: false, preview: { id, status: "pending" } });

    const { admin, operations, mutations } = recordingAdmin(simulatorAdmin(sim, DOMAIN));
    const pass = await runPass(id, admin);
    expect(pass).toMatchObject({ kind: "segment", mode: "dry-run", segmentKey, status: "completed", capped: expected.capped.length });
    expect(mutations()).toEqual([]);
    // Under the bulk threshold (1,000): read by id, one request per 100 customers.
    expect(operations.filter((o) => o === "CustomerTagsById")).toHaveLength(Math.ceil(members.size / 100));
    expect(await changesOf(id, "planned")).toEqual(expected.changes);
    const cappedRows = await t.db.tagWrite.findMany({ where: { writeBackId: id, result: "skipped-cap" }, include: { customer: true } });
    expect([...new Set(cappedRows.map((r) => r.customer.shopifyId))].sort()).toEqual(expected.capped);
    for (const [customerId, tags] of initialTags) expect(tagsInShopify(customerId)).toEqual(tags);

    const view = await segmentWriteBackView(t.db, shopId, segmentKey);
    const changed = new Set(expected.changes.map((c) => c.split(" ")[0]));
    expect(view).toMatchObject({
      tag: segmentTag,
      running: false,
      canApply: true,
      applyBlocked: null,
      preview: {
        id,
        status: "completed",
        customersChanged: changed.size,
        tagsToAdd: expected.changes.filter((c) => c.includes(" add ")).length,
        tagsToRemove: expected.changes.filter((c) => c.includes(" remove ")).length,
        capped: expected.capped.length,
      },
    });
    expect(view.sample).toHaveLength(Math.min(10, changed.size));
    for (const row of view.sample) {
      expect(members.has(row.shopifyId)).toBe(true);
      for (const tag of row.add) expect(expected.changes).toContain(`${row.shopifyId} add ${tag}`);
      for (const tag of row.remove) expect(expected.changes).toContain(`${row.shopifyId} remove ${tag}`);
    }

    // Above the shop's bulk threshold the segment is read with the full bulk query; the plan is the same.
    await t.db.shop.update({ where: { id: shopId }, data: { bulkThreshold: 10 } });
    const bulk = (await previewSegmentWriteBack(t.db, shopId, segmentKey)) as { writeBackId: number };
    const recorded = recordingAdmin(simulatorAdmin(sim, DOMAIN));
    await runPass(bulk.writeBackId, recorded.admin);
    await t.db.shop.update({ where: { id: shopId }, data: { bulkThreshold: 1000 } });
    expect(recorded.operations).toContain("RunBulkQuery");
    expect(recorded.operations).not.toContain("CustomerTagsById");
    expect(await changesOf(bulk.writeBackId, "planned")).toEqual(expected.changes);
  }, 120_000);

  it("apply is refused with write-back off, for another shop's preview and for a preview of another segment", async () => {
    const { preview } = await segmentWriteBackView(t.db, shopId, segmentKey);
    await t.db.shop.update({ where: { id: shopId }, data: { writeBackMode: "off" } });
    expect(await applySegmentWriteBack(t.db, shopId, segmentKey, preview!.id)).toEqual({ ok: false, message: "Write-back is off: turn it on in Settings to apply tags." });
    expect((await segmentWriteBackView(t.db, shopId, segmentKey)).applyBlocked).toMatch(/turn it on in Settings/);
    await t.db.shop.update({ where: { id: shopId }, data: { writeBackMode: "dry-run" } });
    const foreign = await applySegmentWriteBack(t.db, otherShopId, segmentKey, preview!.id);
    expect(foreign).toEqual({ ok: false, message: `Preview ${preview!.id} not found for this segment in this store.` });
    const otherKey = (await t.db.customerSegment.findFirstOrThrow({ where: { runId, segmentKey: { not: segmentKey } } })).segmentKey;
    expect((await applySegmentWriteBack(t.db, shopId, otherKey, preview!.id)).ok).toBe(false);
    expect(await t.db.writeBack.count({ where: { mode: "live" } })).toBe(0);
  }, 60_000);

  it("apply (shop in dry-run) writes exactly the previewed changes, live, and leaves merchant tags and other customers alone", async () => {
    const { preview } = await segmentWriteBackView(t.db, shopId, segmentKey);
    const planned = await changesOf(preview!.id, "planned");
    const applied = await applySegmentWriteBack(t.db, shopId, segmentKey, preview!.id);
    expect(applied.ok).toBe(true);
    const { admin, mutations } = recordingAdmin(simulatorAdmin(sim, DOMAIN));
    const pass = await runPass((applied as { writeBackId: number }).writeBackId, admin);
    expect(pass).toMatchObject({ kind: "segment", mode: "live", segmentKey, status: "completed", failed: 0 });
    expect(await changesOf(pass.id, "ok")).toEqual(planned);
    // tags only: no Shopify segment is created by a segment's apply
    expect(mutations().some((m) => /Segment(Create|Update|Delete)/.test(m))).toBe(false);
    expect(sim.simulator.shop(DOMAIN).segments.size).toBe(0);
    const capped = new Set(expectedChanges().capped);
    for (const [id, before] of initialTags) {
      const after = tagsInShopify(id);
      expect(after.filter((x) => !x.startsWith("segmint:"))).toEqual(before.filter((x) => !x.startsWith("segmint:")));
      if (!members.has(id) || capped.has(id)) expect(after).toEqual(before);
      else expect(after.filter((x) => x.startsWith("segmint:"))).toEqual([segmentTag]);
    }
    const view = await segmentWriteBackView(t.db, shopId, segmentKey);
    expect(view.apply).toMatchObject({ id: pass.id, status: "completed", tagsAdded: planned.filter((c) => c.includes(" add ")).length });
    expect(view.canApply).toBe(false);
    expect(view.applyBlocked).toMatch(/already applied/);
    // A new preview now finds nothing left to change but the capped customers.
    const again = (await previewSegmentWriteBack(t.db, shopId, segmentKey)) as { writeBackId: number };
    expect(await runPass(again.writeBackId)).toMatchObject({ customersChanged: 0, capped: capped.size });
  }, 120_000);

  it("apply is refused once the segments were refreshed since the preview", async () => {
    await t.db.shop.update({ where: { id: shopId }, data: { writeBackMode: "live" } });
    const preview = (await previewSegmentWriteBack(t.db, shopId, segmentKey)) as { writeBackId: number };
    expect(await applySegmentWriteBack(t.db, shopId, segmentKey, preview.writeBackId)).toEqual({ ok: false, message: "The preview is still running." });
    await runPass(preview.writeBackId);
    await refreshSegments(t.db, shopId, { reason: "on-demand", algorithm: "hybrid" });
    expect(await applySegmentWriteBack(t.db, shopId, segmentKey, preview.writeBackId)).toEqual({
      ok: false,
      message: "The segments were refreshed since this preview: preview again.",
    });
    expect((await segmentWriteBackView(t.db, shopId, segmentKey)).applyBlocked).toBe("The segments were refreshed since this preview: preview again.");
  }, 120_000);
});
