// Holdout experiments against the simulator (Shopify's schema, real tag writes and segment
// evaluation), on both databases: in live mode the control members, and only they, carry the
// holdout tag; the "segment minus holdout" Shopify segment exists with its query and its members
// (as Shopify evaluates it) are exactly the segment's treatment customers; a refresh keeps the
// holdout tags; stop removes them and deletes the segment; redaction removes the customer's arms.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { holdoutTag } from "../../app/domain/experiment";
import { slugOf } from "../../app/domain/tags";
import { createExperiment, stopExperiment } from "../../app/services/experiments.server";
import { deleteCustomerDerivedData, redactCustomer } from "../../app/services/privacy.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { startWriteBack } from "../../app/services/write-back.server";
import { simulatorAdmin } from "../../simulator/admin-client";
import type { SimulatorServer } from "../../simulator/server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { backfillShop, driveWriteBack, startWriteBackSimulator, stubAppEnv } from "../support/write-back-harness";

const DOMAIN = "experiment-holdout.myshopify.com";
const CUSTOMERS = 400;
const DAY = 86_400_000;

describeEachDatabase("holdout experiments in Shopify (simulator)", (provider) => {
  let sim: SimulatorServer;
  let t: TestDatabase;
  let db: Db;
  let shopId: number;
  let experimentId: number;
  let segmentKey: string;
  let segmentName: string;
  let segmentTag: string;
  const HOLDOUT = holdoutTag("segmint", "spring-email");

  const shopState = () => sim.simulator.shop(DOMAIN);
  /** Shopify ids of the customers carrying `tag` in Shopify. */
  const carrying = (tag: string) => new Set([...shopState().customers.values()].filter((c) => c.tags.includes(tag)).map((c) => String(c.id)));

  async function runPass(id: number | null) {
    expect(id).not.toBeNull();
    return driveWriteBack(db, simulatorAdmin(sim, DOMAIN), shopId, id!, 300);
  }
  const newestPass = async () => (await db.writeBack.findFirstOrThrow({ where: { shopId }, orderBy: { id: "desc" } })).id;

  async function armsOf(id: number): Promise<Map<string, string>> {
    const rows = await db.experimentAssignment.findMany({ where: { experimentId: id }, include: { customer: { select: { shopifyId: true } } } });
    return new Map(rows.map((r) => [r.customer.shopifyId, r.arm]));
  }
  const idsWith = (arms: Map<string, string>, arm: string) => new Set([...arms].filter(([, a]) => a === arm).map(([id]) => id));

  /** The members of a Shopify segment, as the simulator evaluates its query. */
  async function shopifyMembers(segmentGid: string): Promise<Set<string>> {
    const members = new Set<string>();
    let after: string | null = null;
    let total = -1;
    do {
      type Page = { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      // through the cost-aware client: it waits for the bucket instead of being throttled
      const data: { customerSegmentMembers: Page } = await simulatorAdmin(sim, DOMAIN).request(
        "query SegmentMembers($id: ID!, $after: String) { customerSegmentMembers(first: 100, segmentId: $id, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }",
        { id: segmentGid, after },
      );
      const page = data.customerSegmentMembers;
      total = page.totalCount;
      for (const e of page.edges) members.add(e.node.id.split("/").pop()!);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null);
    expect(members.size).toBe(total);
    return members;
  }

  beforeAll(async () => {
    stubAppEnv();
    sim = await startWriteBackSimulator([{ domain: DOMAIN }]);
    const shop = shopState();
    const products = Array.from({ length: 8 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 700 + 400 * i }));
    const now = Date.now();
    for (let i = 0; i < CUSTOMERS; i++) {
      const c = shop.createCustomer({ id: 300_000 + i, tags: i % 4 === 0 ? ["wholesale"] : [], silent: true });
      for (let k = 0; k <= i % 5; k++) {
        shop.createOrder(
          { customerId: c.id, processedAt: now - ((i * 41 + k * 83) % 500) * DAY - DAY, lines: [{ variantId: products[(i + k) % 8]!.variants[0]!.id, quantity: 1 + ((i + k) % 3) }] },
          { silent: true },
        );
      }
    }
    t = await createTestDatabase(provider);
    db = t.db;
    shopId = (await db.shop.create({ data: { domain: DOMAIN, writeBackMode: "live" } })).id;
    await backfillShop(db, simulatorAdmin(sim, DOMAIN), shopId);
    const runId = (await refreshSegments(db, shopId, { reason: "on-demand", algorithm: "hybrid" })).runId;
    await runPass(await startWriteBack(db, shopId, { kind: "refresh", runId }));
    // the largest segment is the experiment's target
    const sizes = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { runId }, _count: { _all: true } });
    segmentKey = sizes.sort((a, b) => b._count._all - a._count._all)[0]!.segmentKey;
    const model = JSON.parse((await db.segmentRun.findUniqueOrThrow({ where: { id: runId } })).model!);
    segmentName = model.segments.find((s: { id: string }) => s.id === segmentKey).name;
    segmentTag = `segmint:${slugOf(segmentName)}`;
  }, 300_000);
  afterAll(async () => {
    await t?.drop();
    await sim?.close();
  });

  it("tags exactly the control group and creates the 'segment minus holdout' segment, whose members are the treated customers", async () => {
    const created = await createExperiment(db, shopId, { name: "Spring email", segmentKey, controlShare: "20", metric: "revenue", horizonDays: "30" });
    expect(created.ok).toBe(true);
    experimentId = (created as { id: number }).id;
    const pass = await runPass(await newestPass());
    expect(pass).toMatchObject({ kind: "experiment", mode: "live", status: "completed", failed: 0 });

    const arms = await armsOf(experimentId);
    const control = idsWith(arms, "control");
    const treatment = idsWith(arms, "treatment");
    expect(control.size).toBeGreaterThan(5);
    expect(carrying(HOLDOUT)).toEqual(control);
    // the segment tags and the merchant's tags are untouched
    for (const c of shopState().customers.values()) if ((c.id - 300_000) % 4 === 0) expect(c.tags).toContain("wholesale");
    expect(carrying(segmentTag)).toEqual(new Set(arms.keys()));

    const segments = [...shopState().segments.values()].filter((s) => s.query.includes("NOT CONTAINS"));
    expect(segments).toHaveLength(1);
    const segment = segments[0]!;
    expect(segment.name).toBe(`Segmint · ${segmentName} without holdout spring-email`);
    expect(segment.query).toBe(`customer_tags CONTAINS '${segmentTag}' AND customer_tags NOT CONTAINS '${HOLDOUT}'`);
    expect(await shopifyMembers(`gid://shopify/Segment/${segment.id}`)).toEqual(treatment);
    expect(await db.shopifySegment.findFirst({ where: { shopId, segmentKey: `experiment:${experimentId}` } })).toMatchObject({ query: segment.query });
  }, 120_000);

  it("a refresh keeps the holdout tags and the experiment's segment (a rerun changes nothing)", async () => {
    const segmentsBefore = [...shopState().segments.values()].map((s) => `${s.id} ${s.query}`).sort();
    const runId = (await refreshSegments(db, shopId, { reason: "on-demand", algorithm: "hybrid" })).runId;
    const pass = await runPass(await startWriteBack(db, shopId, { kind: "refresh", runId }));
    expect(pass.status).toBe("completed");
    expect(carrying(HOLDOUT)).toEqual(idsWith(await armsOf(experimentId), "control"));
    expect(await db.tagWrite.count({ where: { writeBackId: pass.id, tag: HOLDOUT } })).toBe(0);
    expect([...shopState().segments.values()].map((s) => `${s.id} ${s.query}`).sort()).toEqual(segmentsBefore);

    // a live-assignment pass over a few customers reads their holdouts only, and keeps them too;
    // a control member whose holdout tag was removed in Shopify gets it back
    const arms = await armsOf(experimentId);
    const [controlA, controlB] = [...idsWith(arms, "control")];
    const treated = [...idsWith(arms, "treatment")][0]!;
    const customer = shopState().customers.get(Number(controlB))!;
    customer.tags = customer.tags.filter((x) => x !== HOLDOUT);
    const live = await runPass(await startWriteBack(db, shopId, { kind: "live", customerIds: [controlA!, controlB!, treated] }));
    expect(live.status).toBe("completed");
    const writes = await db.tagWrite.findMany({ where: { writeBackId: live.id }, include: { customer: { select: { shopifyId: true } } } });
    expect(writes.map((w) => `${w.customer.shopifyId} ${w.action} ${w.tag}`)).toEqual([`${controlB} add ${HOLDOUT}`]);
    expect(carrying(HOLDOUT)).toEqual(idsWith(arms, "control"));
  }, 120_000);

  it("an experiment over all customers gets a segment of everyone without its holdout tag", async () => {
    const created = await createExperiment(db, shopId, { name: "Everyone", segmentKey: "all", controlShare: "10", metric: "conversion", horizonDays: "14" });
    const id = (created as { id: number }).id;
    await runPass(await newestPass());
    const tag = holdoutTag("segmint", "everyone");
    const arms = await armsOf(id);
    expect(arms.size).toBe(await db.customerSegment.count({ where: { runId: (await db.experiment.findUniqueOrThrow({ where: { id } })).runId! } }));
    expect(carrying(tag)).toEqual(idsWith(arms, "control"));
    const segment = [...shopState().segments.values()].find((s) => s.name === "Segmint · All customers without holdout everyone")!;
    expect(segment.query).toBe(`customer_tags NOT CONTAINS '${tag}'`);
    // every Shopify customer but the control group (the store has no customer Segmint has not seen)
    const everyone = new Set([...shopState().customers.values()].map((c) => String(c.id)));
    const control = idsWith(arms, "control");
    expect(await shopifyMembers(`gid://shopify/Segment/${segment.id}`)).toEqual(new Set([...everyone].filter((c) => !control.has(c))));
    // the other experiment's control members carry both holdout tags where the groups overlap
    expect(carrying(HOLDOUT)).toEqual(idsWith(await armsOf(experimentId), "control"));
    expect(await stopExperiment(db, shopId, id)).toBe(true);
    await runPass(await newestPass());
    expect(carrying(tag).size).toBe(0);
  }, 120_000);

  it("stop removes the holdout tag and deletes the segment; the other tags stay", async () => {
    const segmentTagged = carrying(segmentTag);
    expect(await stopExperiment(db, shopId, experimentId)).toBe(true);
    const pass = await runPass(await newestPass());
    expect(pass).toMatchObject({ kind: "experiment", status: "completed", failed: 0 });
    expect(carrying(HOLDOUT).size).toBe(0);
    expect(carrying(segmentTag)).toEqual(segmentTagged);
    expect([...shopState().segments.values()].some((s) => s.query.includes("NOT CONTAINS"))).toBe(false);
    expect(await db.shopifySegment.count({ where: { shopId, segmentKey: { startsWith: "experiment:" } } })).toBe(0);
    // the segments of the run are still there
    expect([...shopState().segments.values()].some((s) => s.query === `customer_tags CONTAINS '${segmentTag}'`)).toBe(true);
  }, 120_000);

  it("redaction removes the customer's arms (cascade); uninstall removes every experiment and arm", async () => {
    const arms = await armsOf(experimentId);
    const someone = [...arms.keys()][0]!;
    const customerRow = await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: someone } } });
    // in both experiments: the segment's and the one over every customer
    expect(await db.experimentAssignment.count({ where: { customerId: customerRow.id } })).toBe(2);
    const before = await db.experimentAssignment.count({ where: { shopId } });
    await redactCustomer(db, shopId, someone, []);
    expect(await db.experimentAssignment.count({ where: { customerId: customerRow.id } })).toBe(0);
    expect(await db.experimentAssignment.count({ where: { shopId } })).toBe(before - 2);
    await deleteCustomerDerivedData(db, shopId);
    expect(await db.experimentAssignment.count({ where: { shopId } })).toBe(0);
    expect(await db.experiment.count({ where: { shopId } })).toBe(0);
  }, 60_000);
});
