// The Anomalies page's service and route on both databases, with anomaly rows seeded as detection
// stores them: the kinds and statuses with their counts, highest score first, 25 a page; the
// reasons and figures read back; the store-days series (every day of the window, days in the
// shop's time zone, the flagged days with their expected ranges); the review (confirm, dismiss,
// reopen; reviewedAt stored; the feedback counts move; another shop's or an unknown id → 404, a
// malformed one → 400) and the empty states' data.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../app/db.server";
import { anomaliesPageView, anomaliesQueryOf, ANOMALIES_PAGE_SIZE, reviewAnomaly, STORE_DAYS_WINDOW } from "../../app/services/anomalies-page.server";
import type { AdminShop } from "../../app/services/admin-shop.server";
import { stubAppEnv } from "../support/write-back-harness";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

const DAY_MS = 86_400_000;
const post = (fields: Record<string, string>) => new Request("http://localhost/app/anomalies", { method: "POST", body: new URLSearchParams(fields) });

/** A route call's answer: its Response, the thrown Response, or single fetch's data() value. */
async function answer(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const result = await call.catch((e: unknown) => e);
  if (result instanceof Response) return { status: result.status, body: await result.text() };
  const d = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, body: d.data };
  return { status: 200, body: result };
}

const reasons = (...texts: string[]) => JSON.stringify(texts.map((text, i) => ({ feature: `f${i}`, text, strength: 10 - i })));

describeEachDatabase("anomalies page", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let n = 0;

  /** A shop in Tokyo with `orders` order anomalies (scores descending from 0.99 in steps of 0.01 by insertion, inserted in a shuffled order), a whale, a reviewer and two store days. */
  async function seedShop(orders: number): Promise<{ shop: AdminShop; orderRows: number[]; whale: number; days: number[] }> {
    const domain = `anomalies-${++n}-${provider}.myshopify.com`;
    const row = await db.shop.create({ data: { domain, timezone: "Asia/Tokyo" } });
    const shop: AdminShop = { id: row.id, domain, currency: "GBP", timeZone: "Asia/Tokyo" };
    const customer = await db.customer.create({ data: { shopId: row.id, shopifyId: `${100 + n}` } });
    const orderRows: number[] = [];
    // Insert in a scrambled order so "highest score first" is the query's doing, not insertion's.
    const order = Array.from({ length: orders }, (_, i) => (i * 7) % orders);
    for (const i of order) {
      const at = new Date(Date.UTC(2011, 11, 1, 3) + i * 3_600_000);
      const o = await db.order.create({ data: { shopId: row.id, shopifyId: `50000005814${String(i).padStart(2, "0")}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "GBP", grossMilli: BigInt(1000 * (i + 1)), netMilli: BigInt(1000 * (i + 1)) } });
      const a = await db.anomaly.create({
        data: { shopId: row.id, kind: "order", subjectKey: o.shopifyId, orderId: o.id, customerId: customer.id, day: "2011-12-01", score: 0.99 - i * 0.01, category: "review", reasons: reasons(`reason ${i}`, `second reason ${i}`) },
      });
      orderRows[i] = a.id;
    }
    const whale = (
      await db.anomaly.create({ data: { shopId: row.id, kind: "customer", subjectKey: customer.shopifyId, customerId: customer.id, score: 0.8, category: "whale", reasons: reasons("spent £280,206.02, 40× the store's median customer"), facts: JSON.stringify({ orders: 73, spentMilli: 280_206_020, refundedMilli: 0, currency: "GBP" }) } })
    ).id;
    const days = [
      (await db.anomaly.create({ data: { shopId: row.id, kind: "day", subjectKey: "2011-12-05:orders", day: "2011-12-05", score: 4.2, category: "drop", reasons: reasons("no orders; 20 to 40 expected"), facts: JSON.stringify({ metric: "orders", value: 0, expected: 30, low: 20, high: 40 }) } })).id,
      (await db.anomaly.create({ data: { shopId: row.id, kind: "day", subjectKey: "2011-06-01:revenue", day: "2011-06-01", score: 5, category: "spike", reasons: reasons("revenue spike"), facts: JSON.stringify({ metric: "revenue", value: 9_000_000, expected: 1_000_000, low: 0, high: 2_000_000 }) } })).id,
    ];
    await db.anomalyModel.create({ data: { shopId: row.id, asOf: "2011-12-09", orderCount: 18_532, threshold: 0.6, model: "{}", fittedAt: new Date("2011-12-10T02:00:00Z") } });
    return { shop, orderRows, whale, days };
  }

  beforeAll(async () => {
    stubAppEnv();
    t = await createTestDatabase(provider);
    db = t.db;
    globalThis.__segmintDb = db;
  }, 120_000);
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    vi.unstubAllEnvs();
    await t?.drop();
  });

  it("reads the URL's kind, status and page, and falls back to orders, open, page 1", () => {
    expect(anomaliesQueryOf(new URLSearchParams("kind=day&status=all&page=3"))).toEqual({ kind: "day", status: "all", page: 3 });
    expect(anomaliesQueryOf(new URLSearchParams("kind=refund&status=maybe&page=-2"))).toEqual({ kind: "order", status: "open", page: 1 });
    expect(anomaliesQueryOf(new URLSearchParams("page=1.5"))).toEqual({ kind: "order", status: "open", page: 1 });
  });

  it("lists a kind highest score first, 25 a page, with the order's link data, value, reasons and the counts per kind", async () => {
    const { shop, orderRows } = await seedShop(30);
    const first = await anomaliesPageView(db, shop, { kind: "order", status: "open", page: 1 });
    expect(first.counts).toEqual({ order: { open: 30, confirmed: 0, dismissed: 0, all: 30 }, customer: { open: 1, confirmed: 0, dismissed: 0, all: 1 }, day: { open: 2, confirmed: 0, dismissed: 0, all: 2 } });
    expect(first.rows).toHaveLength(ANOMALIES_PAGE_SIZE);
    expect({ page: first.page, pageCount: first.pageCount, total: first.total }).toEqual({ page: 1, pageCount: 2, total: 30 });
    expect(first.rows.map((r) => r.id)).toEqual(orderRows.slice(0, 25));
    expect(first.rows[0]).toMatchObject({ kind: "order", category: "review", status: "open", orderId: "5000000581400", customerId: `${100 + n}`, at: "2011-12-01T03:00:00.000Z", value: 1000, reasons: ["reason 0", "second reason 0"], source: "refresh", reviewedAt: null });
    const second = await anomaliesPageView(db, shop, { kind: "order", status: "open", page: 2 });
    expect(second.rows.map((r) => r.id)).toEqual(orderRows.slice(25));
    // A page past the end shows the last page rather than nothing.
    expect((await anomaliesPageView(db, shop, { kind: "order", status: "open", page: 9 })).page).toBe(2);
    expect(first.model).toEqual({ fittedAt: "2011-12-10T02:00:00.000Z", asOf: "2011-12-09", orderCount: 18_532 });
    expect(first.storeDays).toBeNull();
    const customers = await anomaliesPageView(db, shop, { kind: "customer", status: "open", page: 1 });
    expect(customers.rows).toEqual([expect.objectContaining({ kind: "customer", category: "whale", customerId: `${100 + n}`, orderId: null, value: 280_206_020, at: null })]);
  });

  it("the store days tab: each metric's days up to the day before the model's, in the shop's zone, 0 on a day without orders, the flagged days with their ranges", async () => {
    const { shop } = await seedShop(3);
    // 23:30 UTC on 3 Dec is 08:30 on 4 Dec in Tokyo; a test order is left out.
    const c = await db.customer.findFirstOrThrow({ where: { shopId: shop.id } });
    for (const [id, at, test] of [["x1", "2011-12-03T23:30:00Z", false], ["x2", "2011-12-04T01:00:00Z", false], ["x3", "2011-12-04T02:00:00Z", true]] as const) {
      await db.order.create({ data: { shopId: shop.id, shopifyId: id, customerId: c.id, processedAt: new Date(at), shopifyUpdatedAt: new Date(at), currency: "GBP", grossMilli: 5000n, netMilli: 5000n, test } });
    }
    const view = await anomaliesPageView(db, shop, { kind: "day", status: "all", page: 1 });
    expect(view.rows.map((r) => r.day)).toEqual(["2011-12-05", "2011-06-01"]);
    expect(view.rows[0]).toMatchObject({ metric: "orders", value: 0, expected: { low: 20, high: 40, median: 30 }, category: "drop" });
    const [orders, revenue] = view.storeDays!;
    expect(orders!.metric).toBe("orders");
    // The window reaches back to the earliest flagged day (1 Jun), within a year of the model's day.
    expect(orders!.points[0]!.day).toBe("2011-06-01");
    // …up to the day before the model's day (2011-12-09): the last day detection judged.
    expect(orders!.points.at(-1)!.day).toBe("2011-12-08");
    expect(orders!.points).toHaveLength(Math.round((Date.UTC(2011, 11, 8) - Date.UTC(2011, 5, 1)) / DAY_MS) + 1);
    const byDay = new Map(orders!.points.map((p) => [p.day, p.value]));
    // Seeded orders: 1 Dec 03:00, 04:00, 05:00 UTC (all 1 Dec in Tokyo); then x1, x2 on 4 Dec in Tokyo.
    expect([byDay.get("2011-12-01"), byDay.get("2011-12-03"), byDay.get("2011-12-04"), byDay.get("2011-12-05")]).toEqual([3, 0, 2, 0]);
    expect(new Map(revenue!.points.map((p) => [p.day, p.value])).get("2011-12-01")).toBe(1000 + 2000 + 3000);
    expect(orders!.flagged).toEqual([{ day: "2011-12-05", value: 0, low: 20, high: 40, median: 30, direction: "drop" }]);
    expect(revenue!.flagged).toEqual([{ day: "2011-06-01", value: 9_000_000, low: 0, high: 2_000_000, median: 1_000_000, direction: "spike" }]);
  });

  it("without a flagged day far back, the window is the last STORE_DAYS_WINDOW days", async () => {
    const { shop, days } = await seedShop(1);
    await db.anomaly.delete({ where: { id: days[1]! } });
    const view = await anomaliesPageView(db, shop, { kind: "day", status: "open", page: 1 });
    expect(view.storeDays![0]!.points).toHaveLength(STORE_DAYS_WINDOW);
    expect(view.storeDays![0]!.points.at(-1)!.day).toBe("2011-12-08");
  });

  it("review: confirm and dismiss store the status and reviewedAt, move the rows between tabs and the feedback counts; reopen clears it", async () => {
    const { shop, orderRows, whale } = await seedShop(4);
    const at = new Date("2011-12-10T09:00:00Z");
    expect(await reviewAnomaly(db, shop.id, { id: String(orderRows[0]), status: "confirmed" }, at)).toMatchObject({ kind: "reviewed", status: "confirmed" });
    expect(await reviewAnomaly(db, shop.id, { id: String(orderRows[1]), status: "dismissed" }, at)).toMatchObject({ kind: "reviewed", status: "dismissed" });
    expect(await reviewAnomaly(db, shop.id, { id: String(whale), status: "confirmed" }, at)).toMatchObject({ kind: "reviewed" });
    const stored = await db.anomaly.findUniqueOrThrow({ where: { id: orderRows[0]! } });
    expect({ status: stored.status, reviewedAt: stored.reviewedAt?.toISOString() }).toEqual({ status: "confirmed", reviewedAt: at.toISOString() });
    const view = await anomaliesPageView(db, shop, { kind: "order", status: "confirmed", page: 1 });
    expect(view.rows.map((r) => r.id)).toEqual([orderRows[0]]);
    expect(view.counts.order).toEqual({ open: 2, confirmed: 1, dismissed: 1, all: 4 });
    expect(view.counts.customer).toEqual({ open: 0, confirmed: 1, dismissed: 0, all: 1 });
    expect((await anomaliesPageView(db, shop, { kind: "order", status: "open", page: 1 })).rows.map((r) => r.id)).toEqual(orderRows.slice(2));
    expect(await reviewAnomaly(db, shop.id, { id: String(orderRows[1]), status: "open" }, at)).toMatchObject({ kind: "reviewed", status: "open" });
    const reopened = await db.anomaly.findUniqueOrThrow({ where: { id: orderRows[1]! } });
    expect({ status: reopened.status, reviewedAt: reopened.reviewedAt }).toEqual({ status: "open", reviewedAt: null });
  });

  it("review: another shop's or an unknown id is not found and changes nothing; a malformed id or status is refused in words", async () => {
    const a = await seedShop(1);
    const b = await seedShop(1);
    expect(await reviewAnomaly(db, a.shop.id, { id: String(b.orderRows[0]), status: "confirmed" })).toEqual({ kind: "not-found" });
    expect(await reviewAnomaly(db, a.shop.id, { id: "2147483000", status: "confirmed" })).toEqual({ kind: "not-found" });
    expect((await db.anomaly.findUniqueOrThrow({ where: { id: b.orderRows[0]! } })).status).toBe("open");
    expect(await reviewAnomaly(db, a.shop.id, { id: "abc", status: "confirmed" })).toEqual({ kind: "invalid", message: "Choose an anomaly from the list to review." });
    expect(await reviewAnomaly(db, a.shop.id, { id: String(a.orderRows[0]), status: "deleted" })).toEqual({ kind: "invalid", message: "Choose Confirm, Dismiss or Reopen." });
    expect((await db.anomaly.findUniqueOrThrow({ where: { id: a.orderRows[0]! } })).status).toBe("open");
  });

  it("a shop with no model and no rows: no model, zero counts (the page's empty state)", async () => {
    const row = await db.shop.create({ data: { domain: `anomalies-empty-${provider}.myshopify.com` } });
    const view = await anomaliesPageView(db, { id: row.id, domain: row.domain, currency: "USD", timeZone: "UTC" }, { kind: "day", status: "open", page: 1 });
    expect(view.model).toBeNull();
    expect(view.rows).toEqual([]);
    expect(view.counts.order.all + view.counts.customer.all + view.counts.day.all).toBe(0);
    expect(view.storeDays).toBeNull();
  });

  describe("/app/anomalies route", () => {
    it("loader: the session shop's rows only; action: confirm → 200 with a message, another shop's id → 404, a bad status → 400, an unknown intent → 400", async () => {
      const { loader, action } = await import("../../app/routes/app.anomalies");
      const a = await seedShop(2);
      const b = await seedShop(2);
      session.shop = a.shop.domain;
      const page = (await answer(loader({ request: new Request("http://localhost/app/anomalies?status=all"), params: {}, context: {} }))).body as { installed: true; view: { rows: { id: number }[] } };
      expect(page.view.rows.map((r) => r.id)).toEqual(a.orderRows);
      const confirmed = await answer(action({ request: post({ intent: "review", id: String(a.orderRows[1]), status: "confirmed" }), params: {}, context: {} }));
      expect(confirmed).toMatchObject({ status: 200, body: { ok: true, message: expect.stringMatching(/^Confirmed/) } });
      expect((await db.anomaly.findUniqueOrThrow({ where: { id: a.orderRows[1]! } })).status).toBe("confirmed");
      expect(await answer(action({ request: post({ intent: "review", id: String(b.orderRows[0]), status: "dismissed" }), params: {}, context: {} }))).toEqual({ status: 404, body: "Anomaly not found in this store" });
      expect((await db.anomaly.findUniqueOrThrow({ where: { id: b.orderRows[0]! } })).status).toBe("open");
      expect(await answer(action({ request: post({ intent: "review", id: String(a.orderRows[0]), status: "gone" }), params: {}, context: {} }))).toMatchObject({ status: 400, body: { ok: false } });
      expect((await answer(action({ request: post({ intent: "delete", id: String(a.orderRows[0]) }), params: {}, context: {} }))).status).toBe(400);
    });
  });
});
