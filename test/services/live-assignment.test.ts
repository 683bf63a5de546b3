// Live assignment on both databases: a new order or refund re-assigns its customer under the stored
// run (R/F/M, scores and segment rebuilt, hysteresis against the stored row), first-time customers
// get a row, changed customers get a live write-back pass, and the webhook drain does it once per
// batch without ever losing the events when re-assignment fails.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  assignSegments,
  centreDims,
  featureTableFromRows,
  scaleRow,
  type SegmentModel,
} from "../../app/analytics";
import type { Db } from "../../app/db.server";
import { assignCustomersJob } from "../../app/jobs/assign-customers.server";
import { processWebhooksJob } from "../../app/jobs/process-webhooks.server";
import { runModel } from "../../app/models/segment-runs.server";
import { insertWebhookEvent } from "../../app/models/webhook-events.server";
import type { JobContext } from "../../app/queue/job-queue";
import { reassignCustomers } from "../../app/services/live-assignment.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

// The log lines are the test's to read (and the app's config, which the real logger reads, is not set here).
const warnings = vi.hoisted(() => [] as { fields: Record<string, unknown>; message: string }[]);
vi.mock("../../app/logger.server", () => {
  const log = { debug: () => {}, info: () => {}, error: () => {}, warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) };
  return { logger: () => log };
});

// The run is taken "ahead" of the real clock: live assignment keeps the run's day (never earlier),
// so every recency below is exact whatever day the tests run on.
const AS_OF = new Date("2030-06-01T12:00:00Z");
const DAY = 86_400_000;
const CUSTOMERS = 40;
const now = () => AS_OF;

/** Customer i (Shopify id 1000 + i): (i % 5) + 1 orders, the last 5 + 9·i days before AS_OF, (i·37 mod 200) + 10 units each. */
function ordersOf(i: number): { daysAgo: number; milli: number }[] {
  const n = (i % 5) + 1;
  return Array.from({ length: n }, (_, j) => ({ daysAgo: 5 + 9 * i + 30 * j, milli: (((i * 37) % 200) + 10) * 1000 }));
}

let orderSeq = 0;
/** Stores an order of one line at noon UTC (the same calendar day in New York). */
async function addOrder(db: Db, shopId: number, customerRowId: number, daysAgo: number, milli: number): Promise<void> {
  const at = new Date(AS_OF.getTime() - daysAgo * DAY);
  const o = await db.order.create({
    data: { shopId, shopifyId: String(500_000 + ++orderSeq), customerId: customerRowId, processedAt: at, shopifyUpdatedAt: at, currency: "USD", grossMilli: BigInt(milli), netMilli: BigInt(milli) },
  });
  await db.orderLine.create({ data: { shopId, orderId: o.id, shopifyId: `${o.shopifyId}-0`, productId: "p1", quantity: 1, unitPriceMilli: BigInt(milli) } });
}

async function seedShop(db: Db, domain: string): Promise<number> {
  const shop = await db.shop.create({ data: { domain, timezone: "America/New_York" } });
  for (let i = 0; i < CUSTOMERS; i++) {
    const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId: String(1000 + i) } });
    for (const o of ordersOf(i)) await addOrder(db, shop.id, customer.id, o.daysAgo, o.milli);
  }
  return shop.id;
}

async function customerRow(db: Db, shopId: number, shopifyId: string): Promise<number> {
  return (await db.customer.upsert({ where: { shopId_shopifyId: { shopId, shopifyId } }, update: {}, create: { shopId, shopifyId } })).id;
}

async function storedRow(db: Db, runId: number, shopId: number, shopifyId: string) {
  const customer = await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId } } });
  return db.customerSegment.findUnique({ where: { runId_customerId: { runId, customerId: customer.id } } });
}

async function liveWriteBacks(db: Db, shopId: number) {
  const rows = await db.writeBack.findMany({ where: { shopId, kind: "live" }, orderBy: { id: "asc" } });
  return rows.map((w) => ({ runId: w.runId, mode: w.mode, scope: JSON.parse(w.scope ?? "null") as string[] | null }));
}

/** The segment a stored model gives these features, without hysteresis. */
function plainSegment(model: SegmentModel, recencyDays: number, frequency: number, monetaryMilli: number): string {
  const t = featureTableFromRows([{ customerId: "x", recencyDays, frequency, monetaryMilli }], model.asOf);
  return model.segments[assignSegments(model, t).segmentIndex[0]!]!.id;
}

/** Distance of a customer's features to each cluster centre of a stored model (its scaled space). */
function centreDistances(model: SegmentModel, recencyDays: number, frequency: number, units: number): { id: string; d: number }[] {
  const dims = centreDims(model.algorithm);
  const x = scaleRow(model.scaler, [recencyDays, frequency, units]);
  return model.segments
    .filter((s) => s.kind === "cluster")
    .map((s) => ({ id: s.id, d: Math.sqrt(s.centroidScaled.slice(0, dims).reduce((sum, c, j) => sum + (x[j]! - c) ** 2, 0)) }))
    .sort((a, b) => a.d - b.d);
}

/**
 * Integer features (recency, orders, spend) whose nearest centre is closer than the second one
 * by less than the hysteresis margin: where a stored segment holds.
 */
function borderlinePoint(model: SegmentModel): { recencyDays: number; frequency: number; units: number; nearest: string; other: string } {
  for (let recencyDays = 1; recencyDays <= 400; recencyDays++) {
    for (let frequency = 1; frequency <= 5; frequency++) {
      for (let units = 10; units <= 1000; units += 10) {
        const ranked = centreDistances(model, recencyDays, frequency, units);
        const ratio = ranked[0]!.d / ranked[1]!.d;
        if (ratio > 1 - model.hysteresisMargin + 0.02 && ratio < 0.98) return { recencyDays, frequency, units, nearest: ranked[0]!.id, other: ranked[1]!.id };
      }
    }
  }
  throw new Error("no borderline point on the grid");
}

describeEachDatabase("live assignment", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let shopId: number;
  let runId: number;
  let model: SegmentModel;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    db = t.db;
    shopId = await seedShop(db, `live-${provider}.myshopify.com`);
    runId = (await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, algorithm: "kmeans", k: 3 })).runId;
    model = (await runModel(db, shopId, runId))!;
  }, 120_000);
  afterAll(async () => t?.drop());

  it("re-assigning with unchanged data writes nothing and queues no write-back", async () => {
    const before = await db.customerSegment.findMany({ where: { runId }, orderBy: { id: "asc" } });
    const outcome = await reassignCustomers(db, shopId, ["1000", "1007", "1039"], { now });
    expect(outcome).toMatchObject({ runId, asOf: "2030-06-01", assigned: 3, written: 0, inserted: 0, changed: [], writeBackId: null });
    expect(await db.customerSegment.findMany({ where: { runId }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await liveWriteBacks(db, shopId)).toEqual([]);
  });

  it("a new order moves the customer's R/F/M, scores and segment, and queues a live write-back of that customer", async () => {
    // A customer for whom one small order today is clearly past the boundary: the new nearest
    // centre is at most 3/4 as far as the stored segment's (the margin lets 9/10 hold).
    let id = "";
    for (let i = 0; i < CUSTOMERS && id === ""; i++) {
      const row = (await storedRow(db, runId, shopId, String(1000 + i)))!;
      const ranked = centreDistances(model, 1, row.frequency + 1, Number(row.monetaryMilli) / 1000 + 30);
      const toStored = ranked.find((r) => r.id === row.segmentKey)!.d;
      if (ranked[0]!.id !== row.segmentKey && ranked[0]!.d < 0.75 * toStored) id = String(1000 + i);
    }
    expect(id).not.toBe("");
    const before = (await storedRow(db, runId, shopId, id))!;
    expect(before.recencyDays).toBeGreaterThan(30);
    const c = await customerRow(db, shopId, id);
    await addOrder(db, shopId, c, 1, 30_000);

    const outcome = await reassignCustomers(db, shopId, [id], { now });
    const after = (await storedRow(db, runId, shopId, id))!;
    expect(after.recencyDays).toBe(1);
    expect(after.frequency).toBe(before.frequency + 1);
    expect(after.monetaryMilli).toBe(before.monetaryMilli + 30_000n);
    expect(after.rScore).toBe(5); // bought yesterday: the most recent quintile
    expect(after.fScore).toBeGreaterThanOrEqual(before.fScore);
    expect(after.segmentKey).not.toBe(before.segmentKey);
    expect(after.segmentKey).toBe(plainSegment(model, 1, after.frequency, Number(after.monetaryMilli)));
    expect(after.explanation).toMatch(/last purchase 1 day ago/);
    expect(after.assignedAt).toEqual(AS_OF);
    expect(outcome).toMatchObject({ assigned: 1, written: 1, inserted: 0, changed: [id] });
    expect(outcome?.writeBackId).toEqual(expect.any(Number));
    expect(await liveWriteBacks(db, shopId)).toEqual([{ runId, mode: "dry-run", scope: [id] }]);
    expect(await db.job.count({ where: { shopId, type: "write-back" } })).toBe(1);
  });

  it("hysteresis keeps a borderline customer in the stored segment: the row is updated, no write-back", async () => {
    const edge = borderlinePoint(model);
    // The new customer's orders give exactly the borderline features; the stored row says `other`.
    const c = await customerRow(db, shopId, "2001");
    for (let k = 0; k < edge.frequency; k++) {
      const units = k === edge.frequency - 1 ? edge.units - (edge.frequency - 1) : 1;
      await addOrder(db, shopId, c, edge.recencyDays + 3 * (edge.frequency - 1 - k), units * 1000);
    }
    expect(plainSegment(model, edge.recencyDays, edge.frequency, edge.units * 1000)).toBe(edge.nearest);
    await db.customerSegment.create({
      data: { shopId, runId, customerId: c, segmentKey: edge.other, cluster: 0, recencyDays: 999, frequency: 0, monetaryMilli: 0n, rScore: 1, fScore: 1, mScore: 1, rfmGroup: "Dormant", explanation: "" },
    });
    const passes = (await liveWriteBacks(db, shopId)).length;

    const outcome = await reassignCustomers(db, shopId, ["2001"], { now });
    const row = (await storedRow(db, runId, shopId, "2001"))!;
    expect(row.segmentKey).toBe(edge.other);
    expect(row.explanation).toMatch(/Kept from the previous run/);
    expect(row.recencyDays).toBe(edge.recencyDays);
    expect(row.frequency).toBe(edge.frequency);
    expect(row.monetaryMilli).toBe(BigInt(edge.units * 1000));
    expect(row.assignedAt).toEqual(AS_OF);
    expect(outcome).toMatchObject({ written: 1, inserted: 0, changed: [], writeBackId: null });
    expect(await liveWriteBacks(db, shopId)).toHaveLength(passes);
  });

  it("a first-time customer gets a row in the run, counted, with a live write-back", async () => {
    const customersBefore = (await db.segmentRun.findUniqueOrThrow({ where: { id: runId } })).customerCount;
    const c = await customerRow(db, shopId, "3001");
    await addOrder(db, shopId, c, 0, 25_000);
    const outcome = await reassignCustomers(db, shopId, ["3001", "9999"], { now }); // 9999: unknown, skipped
    const row = (await storedRow(db, runId, shopId, "3001"))!;
    expect(row).toMatchObject({ recencyDays: 0, frequency: 1, monetaryMilli: 25_000n, assignedAt: AS_OF });
    expect(row.segmentKey).toBe(plainSegment(model, 0, 1, 25_000));
    expect(outcome).toMatchObject({ assigned: 1, inserted: 1, changed: ["3001"] });
    expect((await db.segmentRun.findUniqueOrThrow({ where: { id: runId } })).customerCount).toBe(customersBefore + 1);
    expect((await liveWriteBacks(db, shopId)).at(-1)).toEqual({ runId, mode: "dry-run", scope: ["3001"] });
  });

  it("with write-back off, a changed customer is re-assigned but no pass is queued", async () => {
    await db.shop.update({ where: { id: shopId }, data: { writeBackMode: "off" } });
    const passes = (await liveWriteBacks(db, shopId)).length;
    const c = await customerRow(db, shopId, "3002");
    await addOrder(db, shopId, c, 2, 30_000);
    const outcome = await reassignCustomers(db, shopId, ["3002"], { now });
    expect(outcome).toMatchObject({ inserted: 1, changed: ["3002"], writeBackId: null });
    expect(await liveWriteBacks(db, shopId)).toHaveLength(passes);
    await db.shop.update({ where: { id: shopId }, data: { writeBackMode: "dry-run" } });
  });

  it("nothing to assign against: no completed run, or no customers", async () => {
    const other = await db.shop.create({ data: { domain: `no-run-${provider}.myshopify.com` } });
    const c = await customerRow(db, other.id, "1000");
    await addOrder(db, other.id, c, 1, 10_000);
    expect(await reassignCustomers(db, other.id, ["1000"], { now })).toBeNull();
    expect(await reassignCustomers(db, shopId, [], { now })).toBeNull();
    expect(await db.customerSegment.count({ where: { shopId: other.id } })).toBe(0);
  });

  describe("through the webhook drain", () => {
    let n = 0;
    const domain = `live-${provider}.myshopify.com`;
    const ctx = (client: Db): JobContext => ({ db: client, job: { id: 1, shopId, type: "process-webhooks", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });
    async function inbox(topic: string, payload: unknown): Promise<string> {
      const eventId = `live-ev-${++n}`;
      await insertWebhookEvent(db, { shopDomain: domain, topic, eventId, webhookId: `w-${eventId}`, apiVersion: "2026-10", triggeredAt: null, payload });
      return eventId;
    }
    const at = (daysAgo: number) => new Date(AS_OF.getTime() - daysAgo * DAY).toISOString();
    const orderPayload = (id: number, customer: number, daysAgo: number, total: string) => ({
      id,
      created_at: at(daysAgo),
      updated_at: at(daysAgo),
      processed_at: at(daysAgo),
      currency: "USD",
      total_price: total,
      customer: { id: customer },
      line_items: [{ id: id * 10, quantity: 1, price: total }],
    });
    const statusOf = async (eventId: string) => (await db.webhookEvent.findFirstOrThrow({ where: { eventId } })).status;

    it("re-assigns the customers of a drained batch once: orders and refunds, a new customer included", async () => {
      const refundTarget = (await storedRow(db, runId, shopId, "1020"))!;
      const lastOrder = await db.order.findFirstOrThrow({ where: { shopId, customer: { shopifyId: "1020" } }, orderBy: { processedAt: "desc" } });
      const passes = (await liveWriteBacks(db, shopId)).length;
      const events = [
        await inbox("orders/create", orderPayload(910_001, 4001, 3, "45.00")),
        await inbox("orders/create", orderPayload(910_002, 4001, 2, "55.00")),
        await inbox("refunds/create", { id: 920_001, order_id: Number(lastOrder.shopifyId), created_at: at(1), transactions: [{ kind: "refund", status: "success", amount: "3.00" }] }),
      ];
      await processWebhooksJob.run({}, ctx(db));
      for (const e of events) expect(await statusOf(e)).toBe("processed");

      const fresh = (await storedRow(db, runId, shopId, "4001"))!;
      expect(fresh).toMatchObject({ recencyDays: 2, frequency: 2, monetaryMilli: 100_000n });
      // Real clock in the drain: the run's day holds because the run is ahead of today.
      expect(fresh.assignedAt).not.toBeNull();
      const refunded = (await storedRow(db, runId, shopId, "1020"))!;
      expect(refunded.monetaryMilli).toBe(refundTarget.monetaryMilli - 3_000n);
      expect(refunded.frequency).toBe(refundTarget.frequency);
      // One pass for the batch, not one per event; 1020's segment did not change (3 units less).
      const after = await liveWriteBacks(db, shopId);
      expect(after).toHaveLength(passes + 1);
      expect(after.at(-1)!.scope).toContain("4001");
      expect(after.at(-1)!.scope).toEqual(refunded.segmentKey === refundTarget.segmentKey ? ["4001"] : expect.arrayContaining(["4001", "1020"]));
    });

    it("a failing re-assignment loses no event: it is logged and handed to an assign-customers job", async () => {
      const event = await inbox("orders/create", orderPayload(910_003, 4002, 1, "80.00"));
      // The latest run's model cannot be read: live assignment fails, the order itself is applied.
      const broken = await db.segmentRun.create({ data: { shopId, algorithm: "kmeans", asOf: AS_OF, status: "completed", model: "{not json" } });
      await processWebhooksJob.run({}, ctx(db));
      expect(await statusOf(event)).toBe("processed");
      expect(await db.order.count({ where: { shopId, shopifyId: "910003" } })).toBe(1);
      expect(await storedRow(db, runId, shopId, "4002")).toBeNull();
      const retry = await db.job.findFirstOrThrow({ where: { shopId, type: "assign-customers" }, orderBy: { id: "desc" } });
      expect(JSON.parse(retry.payload)).toEqual({ customerIds: ["4002"] });
      expect(warnings.at(-1)).toMatchObject({ fields: { shopId, customers: 1, err: expect.any(SyntaxError) }, message: expect.stringMatching(/live assignment failed/) });

      // The retry, once the run is readable again (here: the broken run is gone).
      await db.segmentRun.delete({ where: { id: broken.id } });

      await assignCustomersJob.run({ customerIds: ["4002"] }, { ...ctx(db), job: { id: retry.id, shopId, type: "assign-customers", attempts: 1, maxAttempts: 5 } });
      expect(await storedRow(db, runId, shopId, "4002")).toMatchObject({ recencyDays: 1, frequency: 1, monetaryMilli: 80_000n });
    });
  });
});
