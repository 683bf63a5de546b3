// The Model and Settings routes on both databases: loaders scoped to the session's shop, actions'
// validation answered with 400 and per-field messages, another shop's run id answered with 404,
// and the Model charts rendered from a stored run (server-side markup, as the page's first load).
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ModelCharts } from "../../app/components/model/model-charts";
import type { ModelPageData } from "../../app/services/model-page.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

const AS_OF = new Date("2026-11-01T12:00:00Z");

async function seedShop(t: TestDatabase, domain: string, algorithm: string): Promise<{ id: number; domain: string }> {
  const shop = await t.db.shop.create({ data: { domain, algorithm } });
  let n = 0;
  for (let i = 0; i < 40; i++) {
    const customer = await t.db.customer.create({ data: { shopId: shop.id, shopifyId: `c${i}` } });
    for (let j = 0; j <= i % 3; j++) {
      const at = new Date(Date.UTC(2026, 0, 1) + ((i * 13 + j * 41) % 290) * 86_400_000);
      const milli = BigInt((((i * 71) % 400) + 15) * 1000);
      const order = await t.db.order.create({ data: { shopId: shop.id, shopifyId: `${domain}-o${n++}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "GBP", grossMilli: milli, netMilli: milli } });
      await t.db.orderLine.create({ data: { shopId: shop.id, orderId: order.id, shopifyId: `${order.shopifyId}-0`, productId: "p1", quantity: 1, unitPriceMilli: milli } });
    }
  }
  return { id: shop.id, domain };
}

const post = (path: string, fields: Record<string, string>) => new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });

/** A route call's answer: its Response, the thrown Response, or single fetch's data() value. */
async function answer(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const result = await call.catch((e: unknown) => e);
  if (result instanceof Response) return { status: result.status, body: await result.text() };
  const d = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, body: d.data };
  return { status: 200, body: result };
}

describeEachDatabase("model and settings routes", (provider) => {
  let t: TestDatabase;
  let shopA: { id: number; domain: string };
  let shopB: { id: number; domain: string };
  let runB: number;

  beforeAll(async () => {
    vi.stubEnv("SHOPIFY_API_KEY", "test-key");
    vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
    vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
    t = await createTestDatabase(provider);
    globalThis.__segmintDb = t.db;
    shopA = await seedShop(t, `routes-a-${provider}.myshopify.com`, "dbscan");
    shopB = await seedShop(t, `routes-b-${provider}.myshopify.com`, "kmeans");
    await refreshSegments(t.db, shopA.id, { reason: "backfill", asOf: AS_OF });
    runB = (await refreshSegments(t.db, shopB.id, { reason: "backfill", asOf: AS_OF })).runId;
  }, 120_000);
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    vi.unstubAllEnvs();
    await t?.drop();
  });

  describe("/app/model", () => {
    it("loader: the shop's own runs only; another shop's run to confirm is a 404", async () => {
      const { loader } = await import("../../app/routes/app.model");
      session.shop = shopA.domain;
      const ok = await answer(loader({ request: new Request("http://localhost/app/model"), params: {}, context: {} }));
      const body = ok.body as { installed: true } & ModelPageData;
      expect(body.history.total).toBe(1);
      expect(body.latestRun?.algorithm).toBe("dbscan");
      expect(body.history.entries.some((e) => e.id === runB)).toBe(false);
      const other = await answer(loader({ request: new Request(`http://localhost/app/model?confirmRollback=${runB}`), params: {}, context: {} }));
      expect(other).toEqual({ status: 404, body: "Run not found in this store" });
    });

    it("action: a bad K is a 400 with the K message; an unknown intent is a 400", async () => {
      const { action } = await import("../../app/routes/app.model");
      session.shop = shopA.domain;
      const bad = await answer(action({ request: post("/app/model", { intent: "save", algorithm: "kmeans", k: "15" }), params: {}, context: {} }));
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ intent: "save", ok: false, errors: { k: "K must be a whole number from 2 to 12, or Automatic." } });
      expect((await t.db.shop.findUniqueOrThrow({ where: { id: shopA.id } })).algorithm).toBe("dbscan");
      expect((await answer(action({ request: post("/app/model", { intent: "explode" }), params: {}, context: {} }))).status).toBe(400);
    });

    it("action: rolling back to another shop's run is a 404 and queues nothing", async () => {
      const { action } = await import("../../app/routes/app.model");
      session.shop = shopA.domain;
      const res = await answer(action({ request: post("/app/model", { intent: "rollback", runId: String(runB) }), params: {}, context: {} }));
      expect(res).toEqual({ status: 404, body: "Run not found in this store" });
      expect(await t.db.writeBack.count({ where: { kind: "rollback" } })).toBe(0);
    });

    it("action: run now answers queued, then already queued", async () => {
      const { action } = await import("../../app/routes/app.model");
      session.shop = shopA.domain;
      const first = await answer(action({ request: post("/app/model", { intent: "run-now" }), params: {}, context: {} }));
      expect(first.body).toMatchObject({ intent: "run-now", outcome: "queued" });
      const second = await answer(action({ request: post("/app/model", { intent: "run-now" }), params: {}, context: {} }));
      expect(second.body).toMatchObject({ intent: "run-now", outcome: "already-queued" });
    });

    it("the charts render from the stored DBSCAN run: curves, eps marked, PCA named by segment", async () => {
      const { loader } = await import("../../app/routes/app.model");
      session.shop = shopA.domain;
      const body = (await answer(loader({ request: new Request("http://localhost/app/model"), params: {}, context: {} }))).body as ModelPageData;
      const run = body.latestRun!;
      const html = renderToStaticMarkup(createElement(ModelCharts, { run }));
      expect(html).toContain('data-testid="chart-k-distance"');
      expect(html).toContain(`eps = ${run.plots.kDistance!.eps.toPrecision(3)}`);
      expect(html).toContain('data-testid="chart-pca"');
      for (const name of new Set(run.plots.pca!.points.map((p) => run.segmentNames[p.segment]!))) expect(html).toContain(name.replace(/&/g, "&amp;").replace(/'/g, "&#x27;"));
      expect(html).toContain("DBSCAN does not take a K");
    });
  });

  describe("/app/settings", () => {
    it("loader: the session shop's settings", async () => {
      const { loader } = await import("../../app/routes/app.settings");
      session.shop = shopB.domain;
      const res = await answer(loader({ request: new Request("http://localhost/app/settings"), params: {}, context: {} }));
      expect(res.body).toMatchObject({ installed: true, settings: { tagPrefix: "segmint", writeBackMode: "dry-run" }, weekdayNames: expect.arrayContaining(["Sunday", "Saturday"]) });
    });

    it("action: bad prefix, hour and time zone → 400 with a message per field; a good form saves", async () => {
      const { action } = await import("../../app/routes/app.settings");
      session.shop = shopB.domain;
      const good = { tagPrefix: "segmint", writeBackMode: "dry-run", shopifySegments: "on", timeZone: "Europe/London", schedule: "weekly", weekday: "2", hour: "6" };
      const badPrefix = await answer(action({ request: post("/app/settings", { ...good, tagPrefix: "my tags", timeZone: "Nowhere/City" }), params: {}, context: {} }));
      expect(badPrefix.status).toBe(400);
      expect(Object.keys((badPrefix.body as { errors: object }).errors).sort()).toEqual(["tagPrefix", "timeZone"]);
      const badHour = await answer(action({ request: post("/app/settings", { ...good, hour: "25" }), params: {}, context: {} }));
      expect(badHour).toMatchObject({ status: 400, body: { ok: false, errors: { hour: expect.stringMatching(/from 0 \(midnight\) to 23/) } } });
      const saved = await answer(action({ request: post("/app/settings", good), params: {}, context: {} }));
      expect(saved).toMatchObject({ status: 200, body: { ok: true } });
      expect(await t.db.shop.findUniqueOrThrow({ where: { id: shopB.id } })).toMatchObject({ timezone: "Europe/London", refreshWeekday: 2, refreshHour: 6 });
      // Shop A is untouched.
      expect((await t.db.shop.findUniqueOrThrow({ where: { id: shopA.id } })).timezone).toBe("UTC");
    });
  });
});
