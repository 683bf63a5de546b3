// Holdout experiments' service on both databases: the create form's validation (a message per
// refused field, nothing written), the cohort's arms (deterministic: the same store gives the same
// arms in another database; stratified by segment), the up-front figures, results that sum
// planted orders per arm as written out by hand, tenant isolation, and the stop / archive rules.
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { startBusinessClock } from "../../app/clock.server";
import type { Db } from "../../app/db.server";
import { holdoutTag } from "../../app/domain/experiment";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import {
  archiveExperiment,
  createExperiment,
  designDraft,
  experimentFormOptions,
  experimentResults,
  experimentsList,
  stopExperiment,
} from "../../app/services/experiments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const DOMAIN = "experiments.myshopify.com";
const TODAY = "2011-12-10T12:00:00.000Z";
const CUSTOMERS = 240;
const DAY = 86_400_000;

/**
 * The store: customer i (Shopify id 1000 + i) ordered (i % 5) + 1 times before 2011-09-01, for a
 * spend that varies with i, so the refresh finds segments of different sizes.
 */
async function seedStore(db: Db, domain: string, writeBackMode = "dry-run", timezone = "UTC"): Promise<number> {
  const shop = await db.shop.create({ data: { domain, timezone, writeBackMode } });
  const orders = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId: String(1000 + i) } });
    for (let k = 0; k <= i % 5; k++) {
      const at = new Date(Date.UTC(2011, 8, 1) - (((i * 37 + k * 101) % 600) + 1) * DAY);
      const milli = BigInt((((i * 13 + k * 7) % 90) + 10) * 1000);
      orders.push({ shopId: shop.id, shopifyId: `s${i}-${k}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "GBP", grossMilli: milli, netMilli: milli });
    }
  }
  await db.order.createMany({ data: orders });
  await refreshSegments(db, shop.id, { reason: "on-demand", algorithm: "hybrid", asOf: new Date("2011-09-01T00:00:00Z") });
  return shop.id;
}

const form = (over: Record<string, string> = {}) => ({ name: "Winter email", segmentKey: "all", controlShare: "20", metric: "revenue", horizonDays: "30", ...over });

/** Arm per Shopify customer id of an experiment. */
async function armsOf(db: Db, experimentId: number): Promise<Map<string, { arm: string; stratum: string }>> {
  const rows = await db.experimentAssignment.findMany({ where: { experimentId }, include: { customer: { select: { shopifyId: true } } } });
  return new Map(rows.map((r) => [r.customer.shopifyId, { arm: r.arm, stratum: r.stratum }]));
}

describeEachDatabase("experiments service", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let shopId: number;
  let otherShopId: number;

  beforeAll(async () => {
    vi.stubEnv("SHOPIFY_API_KEY", "test-key");
    vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
    vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
    vi.stubEnv("LOG_LEVEL", "error");
    startBusinessClock(TODAY);
    t = await createTestDatabase(provider);
    db = t.db;
    shopId = await seedStore(db, DOMAIN);
    otherShopId = (await db.shop.create({ data: { domain: "other.myshopify.com" } })).id;
  }, 120_000);
  afterAll(async () => {
    startBusinessClock(undefined);
    await t?.drop();
  });
  afterEach(() => startBusinessClock(TODAY));

  it("offers the latest run's segments with their sizes, and nothing before the first run", async () => {
    const options = await experimentFormOptions(db, shopId);
    expect(options).not.toBeNull();
    const sizes = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId }, _count: { _all: true } });
    expect(options!.allCustomers).toBe(CUSTOMERS);
    expect(options!.segments.map((s) => [s.key, s.customers]).sort()).toEqual(sizes.map((s) => [s.segmentKey, s._count._all]).sort());
    expect(options!.currency).toBe("GBP");
    expect(options!.defaults).toMatchObject({ segmentKey: "all", metric: "revenue" });
    expect(await experimentFormOptions(db, otherShopId)).toBeNull();
  });

  it("refuses bad values with a message per field and writes nothing", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ name: "" }, "name"],
      [{ name: "x".repeat(61) }, "name"],
      [{ segmentKey: "no-such-segment" }, "segmentKey"],
      [{ controlShare: "0" }, "controlShare"],
      [{ controlShare: "51" }, "controlShare"],
      [{ controlShare: "ten" }, "controlShare"],
      [{ metric: "profit" }, "metric"],
      [{ horizonDays: "6" }, "horizonDays"],
      [{ horizonDays: "181" }, "horizonDays"],
      [{ horizonDays: "7.5" }, "horizonDays"],
    ];
    for (const [values, field] of cases) {
      const result = await createExperiment(db, shopId, form(values));
      expect(result.ok, JSON.stringify(values)).toBe(false);
      const errors = (result as { errors: Record<string, string> }).errors;
      expect(Object.keys(errors), JSON.stringify(values)).toEqual([field]);
      expect(errors[field]!.length).toBeGreaterThan(20);
    }
    const several = await createExperiment(db, shopId, form({ name: "", metric: "x", horizonDays: "1" }));
    expect(Object.keys((several as { errors: object }).errors).sort()).toEqual(["horizonDays", "metric", "name"]);
    expect(await db.experiment.count()).toBe(0);
    expect(await db.experimentAssignment.count()).toBe(0);
    expect(await createExperiment(db, otherShopId, form())).toMatchObject({ ok: false, errors: { segmentKey: expect.stringMatching(/first refresh/) } });
  });

  it("shows the design before saving (no name needed) and stores the same figures", async () => {
    // a 180-day horizon: the baseline window before today holds the store's orders
    const values = { segmentKey: "all", controlShare: "20", metric: "revenue", horizonDays: "180" };
    const draft = await designDraft(db, shopId, values);
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    const design = draft.design;
    expect(design).toMatchObject({ metric: "revenue", horizonDays: 180, controlShare: 0.2, cohort: CUSTOMERS });
    // the control group is exact per stratum (segment): Σ round(20 % × its size)
    const sizes = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId }, _count: { _all: true } });
    expect(design.nControl).toBe(sizes.reduce((n, s) => n + Math.round(0.2 * s._count._all), 0));
    expect(design.nTreatment + design.nControl).toBe(CUSTOMERS);
    expect(design.baselineMean).toBeGreaterThan(0);
    expect(design.mde).toBeGreaterThan(0);
    expect(design.mdeRelative).toBeCloseTo(design.mde / design.baselineMean, 12);
    expect(design.cupedMde).toBeLessThanOrEqual(design.mde);
    expect(design.plannedStandardError).toBeGreaterThan(0);
    expect(design.balance.pValue).toBeGreaterThanOrEqual(0);
    expect(design.balance.pValue).toBeLessThanOrEqual(1);
    expect(await designDraft(db, shopId, { ...values, controlShare: "80" })).toMatchObject({ ok: false, errors: { controlShare: expect.any(String) } });
    expect(await designDraft(db, shopId, { ...values, metric: "" })).toMatchObject({ ok: false, errors: { metric: expect.any(String) } });

    // with a name, the draft is what saving stores (same salt, same arms, same figures)
    const named = await designDraft(db, shopId, { ...values, name: "Design check" });
    const created = await createExperiment(db, shopId, { ...values, name: "Design check" });
    if (!named.ok || !created.ok) throw new Error("refused");
    expect(JSON.parse((await db.experiment.findUniqueOrThrow({ where: { id: created.id } })).design)).toEqual(JSON.parse(JSON.stringify(named.design)));
  });

  it("assigns the cohort by segment stratum, deterministically (another database, same store: same arms), and starts the holdout pass", async () => {
    const sizes = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId }, _count: { _all: true } });
    const created = await createExperiment(db, shopId, form({ name: "Stratified" }), { startsOn: new Date("2011-11-10T00:00:00Z") });
    expect(created.ok).toBe(true);
    const id = (created as { id: number }).id;
    const arms = await armsOf(db, id);
    expect(arms.size).toBe(CUSTOMERS);
    // every stratum is the customer's segment, and splits exactly round(20 % × its size)
    const segmentOf = new Map((await db.customerSegment.findMany({ where: { shopId }, include: { customer: true } })).map((r) => [r.customer.shopifyId, r.segmentKey]));
    for (const [customer, a] of arms) expect(a.stratum).toBe(segmentOf.get(customer));
    for (const s of sizes) {
      const control = [...arms.values()].filter((a) => a.stratum === s.segmentKey && a.arm === "control").length;
      expect(control, s.segmentKey).toBe(Math.round(0.2 * s._count._all));
    }
    // the write-back pass that tags the control group (dry-run mode: a planning pass)
    const pass = await db.writeBack.findFirst({ where: { shopId }, orderBy: { id: "desc" } });
    expect(pass).toMatchObject({ kind: "experiment", mode: "dry-run" });

    // the same store in another database: the same arms, customer by customer
    const again = await createTestDatabase(provider);
    try {
      const sameShop = await seedStore(again.db, DOMAIN);
      const copy = await createExperiment(again.db, sameShop, form({ name: "Stratified" }), { startsOn: new Date("2011-11-10T00:00:00Z") });
      expect(Object.fromEntries(await armsOf(again.db, (copy as { id: number }).id))).toEqual(Object.fromEntries(arms));
    } finally {
      await again.drop();
    }
    // the name's tag is taken now
    expect(await createExperiment(db, shopId, form({ name: "stratified!" }))).toMatchObject({ ok: false, errors: { name: expect.stringMatching(/already/) } });
  }, 120_000);

  it("sums planted orders per arm (cancelled and test orders and orders outside the window left out), fixed-horizon at the horizon", async () => {
    const created = await createExperiment(db, shopId, form({ name: "Planted", controlShare: "25" }), { startsOn: new Date("2011-11-10T00:00:00Z") });
    const id = (created as { id: number }).id;
    const arms = await armsOf(db, id);
    const customers = new Map((await db.customer.findMany({ where: { shopId } })).map((c) => [c.shopifyId, c.id]));
    // In the window [2011-11-10, 2011-12-10): treatment customers with an even id spend 30.00
    // (twice 15.00), control customers with an even id spend 12.00 once; customers with an odd
    // id buy nothing there. Noise that must not count: a cancelled order, a test order, an order
    // on the day before the start.
    const expected = { treatment: { revenue: 0, orders: 0, n: 0 }, control: { revenue: 0, orders: 0, n: 0 } };
    const orders = [];
    for (const [shopifyId, a] of arms) {
      const arm = a.arm as "treatment" | "control";
      expected[arm].n++;
      const cid = customers.get(shopifyId)!;
      const at = (day: number) => new Date(Date.UTC(2011, 10, 10) + day * DAY + 3_600_000);
      const order = (key: string, day: number, milli: number, extra: object = {}) => ({
        shopId,
        shopifyId: `p${id}-${shopifyId}-${key}`,
        customerId: cid,
        processedAt: at(day),
        shopifyUpdatedAt: at(day),
        currency: "GBP",
        grossMilli: BigInt(milli),
        netMilli: BigInt(milli),
        ...extra,
      });
      orders.push(order("before", -1, 99_000), order("cancelled", 3, 50_000, { cancelledAt: at(4) }), order("test", 5, 50_000, { test: true }));
      if (Number(shopifyId) % 2 !== 0) continue;
      if (arm === "treatment") {
        orders.push(order("a", 2, 15_000), order("b", 29, 15_000));
        expected.treatment.revenue += 30;
        expected.treatment.orders += 2;
      } else {
        orders.push(order("a", 0, 12_000));
        expected.control.revenue += 12;
        expected.control.orders += 1;
      }
    }
    await db.order.createMany({ data: orders });

    const results = await experimentResults(db, shopId, id);
    expect(results).not.toBeNull();
    const r = results!;
    expect(r.summary).toMatchObject({ status: "completed", daysElapsed: 30, startsOn: "2011-11-10", endsOn: "2011-12-09", nTreatment: expected.treatment.n, nControl: expected.control.n, holdoutTag: holdoutTag("segmint", "planted") });
    expect(r.horizonReached).toBe(true);
    expect(r.asOf).toBe("2011-12-09");
    const a = r.analysis!;
    expect(a.validity).toBe("fixed-horizon");
    expect(a.nTreatment).toBe(expected.treatment.n);
    expect(a.nControl).toBe(expected.control.n);
    expect(a.meanTreatment).toBeCloseTo(expected.treatment.revenue / expected.treatment.n, 9);
    expect(a.meanControl).toBeCloseTo(expected.control.revenue / expected.control.n, 9);
    expect(a.unadjusted.liftPerCustomer).toBeCloseTo(expected.treatment.revenue / expected.treatment.n - expected.control.revenue / expected.control.n, 9);
    // the cumulative series: 30 days, ending at the arms' means
    expect(r.series).toHaveLength(30);
    expect(r.series[0]).toMatchObject({ day: "2011-11-10", treatment: 0 });
    expect(r.series[0]!.control).toBeCloseTo(expected.control.revenue / expected.control.n, 9);
    expect(r.series[2]!.treatment).toBeCloseTo((expected.treatment.revenue / 2) / expected.treatment.n, 9);
    expect(r.series[29]!.treatment).toBeCloseTo(expected.treatment.revenue / expected.treatment.n, 9);
    expect(r.currency).toBe("GBP");

    // orders per customer, from the same planted orders (the stored metric decides; read via a second experiment)
    const ordersExp = await createExperiment(db, shopId, form({ name: "Planted orders", controlShare: "25", metric: "orders" }), { startsOn: new Date("2011-11-10T00:00:00Z") });
    const o = (await experimentResults(db, shopId, (ordersExp as { id: number }).id))!;
    const arms2 = await armsOf(db, (ordersExp as { id: number }).id);
    // the planted orders follow the first experiment's arms: recount them under the second's
    let tOrders = 0;
    let cOrders = 0;
    for (const [shopifyId, a2] of arms2) {
      if (Number(shopifyId) % 2 !== 0) continue;
      const n = arms.get(shopifyId)!.arm === "treatment" ? 2 : 1;
      if (a2.arm === "treatment") tOrders += n;
      else cOrders += n;
    }
    expect(o.analysis!.meanTreatment).toBeCloseTo(tOrders / o.analysis!.nTreatment, 9);
    expect(o.analysis!.meanControl).toBeCloseTo(cOrders / o.analysis!.nControl, 9);
    expect(o.series[29]!.control).toBeCloseTo(cOrders / o.analysis!.nControl, 9);
  }, 120_000);

  it("counts days in the shop's time zone: an order at 01:00 Tokyo on the first day is in the window, one at 23:00 the evening before is not", async () => {
    const tokyo = await seedStore(db, "tokyo.myshopify.com", "dry-run", "Asia/Tokyo");
    const created = await createExperiment(db, tokyo, form({ name: "Tokyo", controlShare: "25" }), { startsOn: new Date("2011-11-10T00:00:00Z") });
    const id = (created as { id: number }).id;
    const customers = await db.customer.findMany({ where: { shopId: tokyo } });
    const order = (cid: number, key: string, at: string, milli: number) => ({ shopId: tokyo, shopifyId: `tz-${cid}-${key}`, customerId: cid, processedAt: new Date(at), shopifyUpdatedAt: new Date(at), currency: "GBP", grossMilli: BigInt(milli), netMilli: BigInt(milli) });
    await db.order.createMany({
      data: customers.flatMap((c) => [
        order(c.id, "first-day", "2011-11-09T16:00:00Z", 10_000), // 2011-11-10 01:00 in Tokyo: day 1 of the experiment
        order(c.id, "eve", "2011-11-09T14:00:00Z", 7_000), // 2011-11-09 23:00 in Tokyo: the pre-period
      ]),
    });
    const r = (await experimentResults(db, tokyo, id))!;
    expect(r.analysis!.meanTreatment).toBeCloseTo(10, 9);
    expect(r.analysis!.meanControl).toBeCloseTo(10, 9);
    expect(r.series[0]).toMatchObject({ day: "2011-11-10" });
    expect(r.series[0]!.treatment).toBeCloseTo(10, 9);
    expect(r.series[0]!.control).toBeCloseTo(10, 9);

    // Stopped at 05:00 on 6 Dec in Tokyo (20:00 on 5 Dec in UTC): its data ends with Tokyo's 6 Dec.
    startBusinessClock("2011-12-05T20:00:00.000Z");
    expect(await stopExperiment(db, tokyo, id)).toBe(true);
    startBusinessClock(TODAY);
    const stopped = (await experimentResults(db, tokyo, id))!;
    expect(stopped.asOf).toBe("2011-12-06");
    expect(stopped.summary).toMatchObject({ status: "stopped", daysElapsed: 26 });
  }, 120_000);

  it("before the horizon: always-valid interval, running, days so far", async () => {
    const created = await createExperiment(db, shopId, form({ name: "Early look", horizonDays: "60" }), { startsOn: new Date("2011-12-01T00:00:00Z") });
    const r = (await experimentResults(db, shopId, (created as { id: number }).id))!;
    expect(r.summary).toMatchObject({ status: "running", daysElapsed: 9 });
    expect(r.horizonReached).toBe(false);
    expect(r.asOf).toBe("2011-12-10");
    expect(r.series).toHaveLength(10);
    expect(r.analysis?.validity).toBe("always-valid");
    // the first day: no analysis yet, and a sentence saying why
    const today = await createExperiment(db, shopId, form({ name: "Starts today" }));
    const first = (await experimentResults(db, shopId, (today as { id: number }).id))!;
    expect(first.summary).toMatchObject({ startsOn: "2011-12-10", daysElapsed: 0 });
    expect(first.analysis).toBeNull();
    expect(first.analysisNote).toMatch(/first day/);
  }, 60_000);

  it("keeps other shops out, and stops / archives by the rules", async () => {
    const created = await createExperiment(db, shopId, form({ name: "Rules", horizonDays: "60" }), { startsOn: new Date("2011-12-01T00:00:00Z") });
    const id = (created as { id: number }).id;
    expect(await experimentResults(db, otherShopId, id)).toBeNull();
    expect(await stopExperiment(db, otherShopId, id)).toBe(false);
    expect(await archiveExperiment(db, otherShopId, id)).toBe(false);
    expect(await stopExperiment(db, shopId, 999_999)).toBe(false);

    // running before its horizon: not archivable
    expect(await archiveExperiment(db, shopId, id)).toBe(false);
    const passesBefore = await db.writeBack.count({ where: { shopId, kind: "experiment" } });
    expect(await stopExperiment(db, shopId, id)).toBe(true);
    expect(await db.writeBack.count({ where: { shopId, kind: "experiment" } })).toBe(passesBefore + 1);
    expect(await stopExperiment(db, shopId, id)).toBe(true); // already stopped: nothing more
    expect(await db.writeBack.count({ where: { shopId, kind: "experiment" } })).toBe(passesBefore + 1);
    const stopped = (await experimentsList(db, shopId)).find((e) => e.id === id)!;
    expect(stopped.status).toBe("stopped");

    expect(await archiveExperiment(db, shopId, id)).toBe(true);
    expect((await experimentsList(db, shopId)).some((e) => e.id === id)).toBe(false);
    expect((await experimentsList(db, shopId, { archived: true })).map((e) => e.id)).toContain(id);
    expect(await archiveExperiment(db, shopId, id)).toBe(false);
    // archived results stay readable
    expect((await experimentResults(db, shopId, id))!.summary.status).toBe("archived");

    // a completed experiment (past its horizon) is archived directly, which ends its holdout
    const done = await createExperiment(db, shopId, form({ name: "Done", horizonDays: "7" }), { startsOn: new Date("2011-11-01T00:00:00Z") });
    const doneId = (done as { id: number }).id;
    expect((await experimentsList(db, shopId)).find((e) => e.id === doneId)!.status).toBe("completed");
    expect(await archiveExperiment(db, shopId, doneId)).toBe(true);
    expect(await db.experiment.findUniqueOrThrow({ where: { id: doneId } })).toMatchObject({ status: "archived" });
  }, 60_000);

  it("starts no write-back pass while write-back is off", async () => {
    await db.shop.update({ where: { id: shopId }, data: { writeBackMode: "off" } });
    const before = await db.writeBack.count({ where: { shopId } });
    const created = await createExperiment(db, shopId, form({ name: "Quiet" }));
    expect(created.ok).toBe(true);
    expect(await stopExperiment(db, shopId, (created as { id: number }).id)).toBe(true);
    expect(await db.writeBack.count({ where: { shopId } })).toBe(before);
    await db.shop.update({ where: { id: shopId }, data: { writeBackMode: "dry-run" } });
  });
});
