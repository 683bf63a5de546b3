// The segment refresh on both databases: a run is stored with its customer rows and metrics, a
// second run starts from the first run's model, a failing run is recorded and leaves the last
// completed run as it was, a run never shows half-written, and every row belongs to its shop.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { parseSegmentModel } from "../../app/analytics";
import {
  completeRun,
  createRun,
  failRun,
  latestCompletedRun,
  latestModel,
  runById,
  runCustomerRows,
  type CustomerSegmentRow,
} from "../../app/models/segment-runs.server";
import { tombstoneCustomer } from "../../app/models/customers.server";
import { parseRunMetrics } from "../../app/domain/run-metrics";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const AS_OF = new Date("2026-11-01T12:00:00Z");
const CUSTOMERS = 40;

/** Customer i: (i % 5) + 1 orders, 9 + i days apart, of (i × 37 mod 200) + 10 units each. */
function ordersOf(i: number): { day: number; milli: number }[] {
  const n = (i % 5) + 1;
  return Array.from({ length: n }, (_, j) => ({ day: 20 + ((i * 7 + j * (9 + i)) % 280), milli: (((i * 37) % 200) + 10) * 1000 }));
}

/** A shop with CUSTOMERS buying customers `c0`…, plus `ret`, whose only order is a cancellation record. */
async function seedShop(db: Db, domain: string): Promise<number> {
  const shop = await db.shop.create({ data: { domain, timezone: "America/New_York" } });
  let order = 0;
  for (let i = 0; i <= CUSTOMERS; i++) {
    const shopifyId = i === CUSTOMERS ? "ret" : `c${i}`;
    const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId } });
    const specs = i === CUSTOMERS ? [{ day: 100, milli: 5000 }] : ordersOf(i);
    for (const s of specs) {
      const at = new Date(Date.UTC(2026, 0, 1) + s.day * 86_400_000);
      const o = await db.order.create({
        data: {
          shopId: shop.id,
          shopifyId: `o${order++}`,
          customerId: customer.id,
          processedAt: at,
          shopifyUpdatedAt: at,
          currency: "USD",
          grossMilli: BigInt(s.milli),
          netMilli: BigInt(s.milli),
          cancelledAt: i === CUSTOMERS ? at : null, // cancelled at processing: never a purchase
        },
      });
      await db.orderLine.create({ data: { shopId: shop.id, orderId: o.id, shopifyId: `${o.shopifyId}-0`, productId: "p1", quantity: 1, unitPriceMilli: BigInt(s.milli) } });
    }
  }
  return shop.id;
}

/** A clock that advances 250 ms per reading: durations are exact. */
function steppingClock(start = AS_OF.getTime()): () => Date {
  let t = start;
  return () => new Date((t += 250));
}

describeEachDatabase("segment refresh", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let shopA: number;
  let shopB: number;
  let firstRun: number;
  let secondRun: number;

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    db = tdb.db;
    shopA = await seedShop(db, "a.myshopify.com");
    shopB = await seedShop(db, "b.myshopify.com"); // same Shopify customer ids as shop A
  }, 120_000);
  afterAll(async () => tdb?.drop());

  it("stores a run: status, duration, metrics, model, plots and one row per customer", async () => {
    expect(await latestModel(db, shopA)).toBeNull();
    const outcome = await refreshSegments(db, shopA, { reason: "on-demand", asOf: AS_OF, now: steppingClock(), rowBatchSize: 7 });
    firstRun = outcome.runId;
    expect(outcome.previousRunId).toBeNull();
    expect(outcome.result?.diagnostics.matchedSegments).toBe(0);
    expect(outcome.customerCount).toBe(CUSTOMERS + 1);

    const run = await latestCompletedRun(db, shopA);
    expect(run?.id).toBe(firstRun);
    expect(run?.status).toBe("completed");
    expect(run?.algorithm).toBe("hybrid"); // the shop's setting (Shop.algorithm, default hybrid): no option given
    expect(run?.customerCount).toBe(CUSTOMERS + 1);
    expect(run?.error).toBeNull();
    // Clock readings: start, finish (the stepping clock gives 250 ms each).
    expect(run?.durationMs).toBe(run!.finishedAt!.getTime() - run!.startedAt.getTime());
    expect(run?.durationMs).toBeGreaterThan(0);
    expect(JSON.parse(run!.params)).toMatchObject({ reason: "on-demand", algorithm: "hybrid", k: "auto", seed: 42 });
    const metrics = JSON.parse(run!.metrics) as { customers: number; asOfDay: string; timeZone: string; diagnostics: { clusteredCustomers: number }; profiles: { segmentId: string; size: number }[] };
    expect(metrics.customers).toBe(CUSTOMERS + 1);
    expect(metrics.asOfDay).toBe("2026-11-01");
    expect(metrics.timeZone).toBe("America/New_York");
    expect(metrics.diagnostics.clusteredCustomers).toBe(CUSTOMERS);
    expect(metrics.profiles.reduce((s, p) => s + p.size, 0)).toBe(CUSTOMERS + 1);
    // The admin's insights are stored with the run: histograms over the buyers ("ret" bought
    // nothing), every segment present; no migration for a first run.
    const insights = parseRunMetrics(run!.metrics);
    expect(insights.migration).toBeNull();
    for (const feature of ["recency", "frequency", "monetary"] as const) {
      const h = insights.distributions![feature];
      expect(h.store.reduce((a, b) => a + b, 0)).toBe(CUSTOMERS);
      expect(Object.keys(h.segments).sort()).toEqual(metrics.profiles.map((p) => p.segmentId).sort());
      for (const p of insights.profiles) expect(h.segments[p.segmentId]!.reduce((a, b) => a + b, 0)).toBe(p.kind === "prospects" ? 0 : p.size);
    }
    // Customer i has (i % 5) + 1 orders: 8 customers per frequency 1..5 → bins 1, 2, 3–4, 5–9.
    expect(insights.distributions!.frequency.store).toEqual([8, 8, 16, 8, 0]);

    const stored = await db.segmentRun.findUniqueOrThrow({ where: { id: firstRun } });
    const model = parseSegmentModel(stored.model);
    expect(model.asOf).toBe("2026-11-01");
    expect(JSON.parse(stored.plots!)).toHaveProperty("elbow");
    expect((await latestModel(db, shopA))?.runId).toBe(firstRun);

    const rows = await runCustomerRows(db, shopA, firstRun);
    expect(rows).toHaveLength(CUSTOMERS + 1);
    const ids = new Set(model.segments.map((s) => s.id));
    for (const r of rows) expect(ids.has(r.segmentKey)).toBe(true);
    // Sizes per segment agree with the profiles.
    for (const p of metrics.profiles) expect(rows.filter((r) => r.segmentKey === p.segmentId)).toHaveLength(p.size);
    const c3 = rows.find((r) => r.shopifyCustomerId === "c3")!;
    expect(c3.frequency).toBe(4);
    expect(c3.monetaryMilli).toBe(BigInt(4 * ((3 * 37) % 200 + 10) * 1000));
    expect(c3.recencyDays).toBeGreaterThan(0);
    expect(c3.explanation).toMatch(/closest centre/);
    // The cancellation record bought nothing: no recency, the prospects segment.
    const ret = rows.find((r) => r.shopifyCustomerId === "ret")!;
    expect(ret.frequency).toBe(0);
    expect(ret.recencyDays).toBeNull();
    expect(model.segments.find((s) => s.id === ret.segmentKey)?.kind).toBe("prospects");
  });

  it("a second run starts from the first run's model: its clusters keep the first run's ids", async () => {
    // New orders move the data, so the fit differs; matching keeps the identities.
    const c0 = await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shopA, shopifyId: "c0" } } });
    const at = new Date("2026-10-30T15:00:00Z");
    await db.order.create({ data: { shopId: shopA, shopifyId: "late-1", customerId: c0.id, processedAt: at, shopifyUpdatedAt: at, currency: "USD", grossMilli: 90_000n, netMilli: 90_000n } });
    const outcome = await refreshSegments(db, shopA, { reason: "schedule", asOf: AS_OF, now: steppingClock() });
    secondRun = outcome.runId;
    expect(outcome.previousRunId).toBe(firstRun);
    const first = parseSegmentModel((await db.segmentRun.findUniqueOrThrow({ where: { id: firstRun } })).model);
    const clusters = first.segments.filter((s) => s.kind === "cluster").map((s) => s.id);
    const second = outcome.result!.model.segments.filter((s) => s.kind === "cluster").map((s) => s.id);
    const matched = Math.min(clusters.length, second.length);
    expect(matched).toBeGreaterThanOrEqual(2);
    // Only a run given the previous model matches clusters (a first run reports 0).
    expect(outcome.result?.diagnostics.matchedSegments).toBe(matched);
    expect(second.filter((id) => clusters.includes(id))).toHaveLength(matched);
    expect(JSON.parse((await latestCompletedRun(db, shopA))!.metrics)).toMatchObject({ previousRunId: firstRun });
    // Migration from the first run: every customer of this run counted once, from the first run's stored segments.
    const migration = parseRunMetrics((await latestCompletedRun(db, shopA))!.metrics).migration!;
    expect(migration.previousRunId).toBe(firstRun);
    expect(migration.gone).toBe(0);
    expect(migration.rows.reduce((s, r) => s + r.customers, 0)).toBe(CUSTOMERS + 1);
    const firstRows = await runCustomerRows(db, shopA, firstRun);
    const secondRows = await runCustomerRows(db, shopA, secondRun);
    const pairs = new Map<string, number>();
    for (const r of secondRows) {
      const from = firstRows.find((f) => f.shopifyCustomerId === r.shopifyCustomerId)!.segmentKey;
      pairs.set(`${from}>${r.segmentKey}`, (pairs.get(`${from}>${r.segmentKey}`) ?? 0) + 1);
    }
    expect(new Map(migration.rows.map((r) => [`${r.from}>${r.to}`, r.customers]))).toEqual(pairs);
    for (const r of migration.rows) expect(r.fromName).toBe(first.segments.find((s) => s.id === r.from)!.name);
    expect((await latestCompletedRun(db, shopA))?.id).toBe(secondRun);
    const c0Row = (await runCustomerRows(db, shopA, secondRun)).find((r) => r.shopifyCustomerId === "c0")!;
    expect(c0Row.frequency).toBe(2);
  });

  it("a failing run is recorded as failed with its error; the latest completed run is unchanged", async () => {
    await expect(refreshSegments(db, shopA, { reason: "on-demand", asOf: AS_OF, k: 0 })).rejects.toThrow(/k must be/);
    const failed = await db.segmentRun.findFirstOrThrow({ where: { shopId: shopA }, orderBy: { id: "desc" } });
    expect(failed.id).toBeGreaterThan(secondRun);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/RangeError: .*k must be/);
    expect(failed.finishedAt).not.toBeNull();
    expect(failed.durationMs).not.toBeNull();
    expect(await db.customerSegment.count({ where: { runId: failed.id } })).toBe(0);
    expect((await latestCompletedRun(db, shopA))?.id).toBe(secondRun);
    expect((await latestModel(db, shopA))?.runId).toBe(secondRun);
  });

  it("rows written before a failure are never seen as the latest run, and are deleted", async () => {
    const runId = await createRun(db, shopA, { algorithm: "kmeans", asOf: AS_OF, params: {} });
    function* rows(): Generator<CustomerSegmentRow> {
      for (let i = 0; i < 5; i++) {
        yield { customerId: `c${i}`, segmentKey: "seg-0", cluster: 0, outlier: false, recencyDays: 1, frequency: 1, monetaryMilli: 1000, rScore: 5, fScore: 1, mScore: 1, rfmGroup: "New", explanation: "" };
      }
      throw new Error("disk full");
    }
    const writing = completeRun(db, shopA, runId, { metrics: {}, model: null, plots: null, rows: rows(), batchSize: 2 });
    await expect(writing).rejects.toThrow("disk full");
    // Two batches of 2 reached the table, under a run still `running`: readers skip it.
    expect(await db.customerSegment.count({ where: { runId } })).toBe(4);
    expect((await runById(db, shopA, runId))?.status).toBe("running");
    expect((await latestCompletedRun(db, shopA))?.id).toBe(secondRun);
    await failRun(db, shopA, runId, new Error("disk full"));
    expect(await db.customerSegment.count({ where: { runId } })).toBe(0);
    expect((await runById(db, shopA, runId))?.error).toBe("Error: disk full");
    // A failed run cannot be completed afterwards.
    await expect(completeRun(db, shopA, runId, { metrics: {}, model: null, plots: null, rows: [] })).rejects.toThrow(/not running/);
  });

  it("rows are scoped by shop: same Shopify ids, the shop's own Customer rows, no cross-shop reads", async () => {
    expect(await latestCompletedRun(db, shopB)).toBeNull();
    expect(await latestModel(db, shopB)).toBeNull();
    expect(await runCustomerRows(db, shopB, secondRun)).toEqual([]);
    expect(await runById(db, shopB, secondRun)).toBeNull();
    await tombstoneCustomer(db, shopB, "c1");
    const outcome = await refreshSegments(db, shopB, { reason: "backfill", asOf: AS_OF });
    expect(outcome.previousRunId).toBeNull(); // shop A's runs are not shop B's history
    const rowsB = await runCustomerRows(db, shopB, outcome.runId);
    expect(rowsB).toHaveLength(CUSTOMERS); // c1 is deleted in Shopify: no membership
    expect(rowsB.some((r) => r.shopifyCustomerId === "c1")).toBe(false);
    const customersB = new Set((await db.customer.findMany({ where: { shopId: shopB } })).map((c) => c.id));
    for (const r of rowsB) {
      expect(r.shopId).toBe(shopB);
      expect(customersB.has(r.customerId)).toBe(true);
    }
    expect((await latestCompletedRun(db, shopA))?.id).toBe(secondRun);
    expect(await db.customerSegment.count({ where: { runId: secondRun, shopId: { not: shopA } } })).toBe(0);
  });
});
