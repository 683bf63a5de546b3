// The Overview from stored data, on both databases: segment cards and their change since the
// previous run (from two stored runs), the migration table passed through, the agreement with
// Shopify's RFM groups in percent, live progress while a backfill, a refresh or a write-back
// runs, the first-run stages, and tenant isolation (another shop's rows never show or count).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SegmentProfile } from "../../app/analytics";
import type { Db } from "../../app/db.server";
import { rfmAgreement } from "../../app/domain/shopify-rfm";
import { lastPassText } from "../../app/components/overview/status-card";
import { JOB } from "../../app/queue/job-types";
import { enqueue } from "../../app/queue/queue.server";
import type { AdminShop } from "../../app/services/admin-shop.server";
import { backfillFraction, refreshFraction, shopOverview } from "../../app/services/overview.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const session = vi.hoisted(() => ({ shop: "" }));
vi.mock("../../app/shopify/admin-auth.server", () => ({ requireAdmin: async () => ({ session, admin: {} }) }));

beforeAll(() => {
  vi.stubEnv("SHOPIFY_API_KEY", "test-key");
  vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
  vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
  vi.stubEnv("SEGMINT_SIMULATOR_URL", "http://127.0.0.1:4100");
  vi.stubEnv("LOG_LEVEL", "error");
});

/** A stored profile: only the fields the Overview reads carry meaning. */
function profile(segmentId: string, name: string, size: number, total: number, revenueShare = 0.1): SegmentProfile {
  return {
    segmentId,
    name,
    kind: "cluster",
    tier: null,
    size,
    share: size / total,
    revenueMilli: size * 50_000,
    revenueShare,
    mean: { recencyDays: 40, frequency: 2.5, monetaryMilli: 60_000 },
    median: { recencyDays: 30, frequency: 2, monetaryMilli: 45_500 },
    centroidOriginal: [],
    definition: "",
    action: "",
  };
}

async function storeRun(db: Db, shopId: number, o: { metrics: unknown; shopifyRfm?: unknown; status?: string; startedAt?: Date; durationMs?: number }): Promise<number> {
  const run = await db.segmentRun.create({
    data: {
      shopId,
      algorithm: "hybrid",
      asOf: new Date("2026-11-01T00:00:00Z"),
      status: o.status ?? "completed",
      metrics: JSON.stringify(o.metrics),
      shopifyRfm: o.shopifyRfm === undefined ? null : JSON.stringify(o.shopifyRfm),
      startedAt: o.startedAt ?? new Date("2026-11-01T00:00:00Z"),
      finishedAt: (o.status ?? "completed") === "running" ? null : new Date("2026-11-01T00:00:30Z"),
      durationMs: o.durationMs ?? null,
      customerCount: 0,
    },
  });
  return run.id;
}

async function installed(db: Db, domain: string): Promise<AdminShop> {
  const shop = await db.shop.create({ data: { domain, timezone: "Europe/London", writeBackMode: "live" } });
  return { id: shop.id, domain, currency: "GBP", timeZone: "Europe/London" };
}

describe("progress figures", () => {
  it("a running refresh's share is elapsed / last duration, held below 1; unknown without a duration", () => {
    expect(refreshFraction(5_000, 20_000)).toBe(0.25);
    expect(refreshFraction(50_000, 20_000)).toBe(0.95);
    expect(refreshFraction(5_000, null)).toBeNull();
    expect(refreshFraction(5_000, 0)).toBeNull();
  });
  it("the import's share is rows done / rows total, unknown while Shopify prepares the export", () => {
    expect(backfillFraction({ status: "running", rowsDone: 250, rowsTotal: 1000 })).toBe(0.25);
    expect(backfillFraction({ status: "running", rowsDone: 0, rowsTotal: 1000 })).toBeNull();
    expect(backfillFraction({ status: "pending", rowsDone: 0, rowsTotal: null })).toBeNull();
    expect(backfillFraction({ status: "completed", rowsDone: 10, rowsTotal: 10 })).toBe(1);
  });
});

describeEachDatabase("overview", (provider) => {
  let t: TestDatabase;
  let a: AdminShop;
  let b: AdminShop;
  let previousRun: number;
  let latestRun: number;
  const NOW = new Date("2026-11-02T10:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    globalThis.__segmintDb = t.db;
    a = await installed(t.db, `overview-a-${provider}.myshopify.com`);
    b = await installed(t.db, `overview-b-${provider}.myshopify.com`);
    await t.db.syncRun.create({ data: { shopId: a.id, kind: "backfill", status: "completed", rowsDone: 900, rowsTotal: 900, finishedAt: new Date("2026-10-31T23:00:00Z") } });
    await t.db.shop.update({ where: { id: a.id }, data: { lastRefreshAt: new Date("2026-11-01T00:00:30Z"), nextRefreshAt: new Date("2026-11-09T03:00:00Z") } });
    // Shop A: two runs. The previous: loyal 100, lapsed 50. The latest: loyal 120, lapsed 40, whales 10 (new), empty 0.
    previousRun = await storeRun(t.db, a.id, { metrics: { customers: 150, profiles: [profile("loyal", "Loyal", 100, 150), profile("lapsed", "Lapsed", 50, 150)] }, durationMs: 20_000 });
    const agreement = rfmAgreement(
      ["loyal", "lapsed"],
      [
        { shopifyGroup: "LOYAL", segmentKey: "loyal", segmintGroup: "LOYAL" },
        { shopifyGroup: "LOYAL", segmentKey: "loyal", segmintGroup: "LOYAL" },
        { shopifyGroup: "CHAMPIONS", segmentKey: "loyal", segmintGroup: "LOYAL" },
        { shopifyGroup: "AT_RISK", segmentKey: "lapsed", segmintGroup: "AT_RISK" },
        { shopifyGroup: null, segmentKey: "lapsed", segmintGroup: "DORMANT" },
      ],
    );
    latestRun = await storeRun(t.db, a.id, {
      metrics: {
        customers: 170,
        asOfDay: "2026-11-01",
        previousRunId: previousRun,
        profiles: [profile("loyal", "Loyal", 120, 170, 0.6), profile("lapsed", "Lapsed", 40, 170), profile("whales", "Whales", 10, 170), profile("empty", "Empty", 0, 170)],
        migration: {
          previousRunId: previousRun,
          rows: [
            { from: "loyal", fromName: "Loyal", to: "loyal", customers: 90 },
            { from: "lapsed", fromName: "Lapsed", to: "loyal", customers: 20 },
            { from: "lapsed", fromName: "Lapsed", to: "lapsed", customers: 25 },
            { from: "loyal", fromName: "Loyal", to: "whales", customers: 6 },
            { from: null, fromName: null, to: "loyal", customers: 10 },
            { from: null, fromName: null, to: "lapsed", customers: 15 },
            { from: null, fromName: null, to: "whales", customers: 4 },
          ],
          gone: 9,
        },
      },
      shopifyRfm: agreement,
      durationMs: 30_000,
    });
    // Shop B: a run with other segments, a running refresh, a running backfill, a write-back in progress and a waiting refresh job.
    await storeRun(t.db, b.id, { metrics: { customers: 5, profiles: [profile("b-only", "B's segment", 5, 5)] } });
    await storeRun(t.db, b.id, { metrics: {}, status: "running", startedAt: new Date(NOW.getTime() - 1000) });
    await t.db.syncRun.create({ data: { shopId: b.id, kind: "backfill", status: "running", rowsDone: 1, rowsTotal: 2 } });
    const bRun = (await t.db.segmentRun.findFirstOrThrow({ where: { shopId: b.id, status: "completed" } })).id;
    await t.db.writeBack.create({ data: { shopId: b.id, runId: bRun, kind: "refresh", mode: "live", status: "writing" } });
    await enqueue(t.db, { type: JOB.refreshSegments, shopId: b.id, singletonKey: JOB.refreshSegments, payload: { reason: "on-demand" } });
  });
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    await t?.drop();
  });

  it("one card per segment with customers, with the size's change against the previous run's segment of the same id", async () => {
    const o = await shopOverview(a.domain, a, t.db, NOW);
    expect(o.stage).toBe("ready");
    expect(o.run).toMatchObject({ id: latestRun, previousRunId: previousRun, customers: 170, asOfDay: "2026-11-01" });
    expect(o.cards.map((c) => [c.segmentId, c.size, c.change])).toEqual([
      ["loyal", 120, { previousSize: 100, delta: 20 }],
      ["lapsed", 40, { previousSize: 50, delta: -10 }],
      ["whales", 10, "new"],
    ]);
    expect(o.cards[0]).toMatchObject({ name: "Loyal", share: 120 / 170, revenueShare: 0.6, revenueMilli: 6_000_000, median: { recencyDays: 30, frequency: 2, monetaryMilli: 45_500 } });
  });

  it("compares with the completed run before when the metrics name no previous run; a first run has no change", async () => {
    const shop = await installed(t.db, `overview-c-${provider}.myshopify.com`);
    const first = await storeRun(t.db, shop.id, { metrics: { customers: 3, profiles: [profile("x", "X", 3, 3)] } });
    expect((await shopOverview(shop.domain, shop, t.db, NOW)).cards[0]!.change).toBeNull();
    await storeRun(t.db, shop.id, { metrics: {}, status: "failed" });
    await storeRun(t.db, shop.id, { metrics: { customers: 5, profiles: [profile("x", "X", 5, 5)] } });
    const o = await shopOverview(shop.domain, shop, t.db, NOW);
    expect(o.run?.previousRunId).toBe(first);
    expect(o.cards[0]!.change).toEqual({ previousSize: 3, delta: 2 });
    expect(o.refresh.failed).toBeNull(); // the failed run is older than the latest completed one
  });

  it("passes the migration through as a from × to table", async () => {
    const m = (await shopOverview(a.domain, a, t.db, NOW)).migration!;
    expect(m.rows.map((r) => r.name)).toEqual(["Loyal", "Lapsed", "New to this run"]);
    expect(m.columns.map((c) => c.id)).toEqual(["loyal", "lapsed", "whales"]);
    expect(m.counts).toEqual([
      [90, 0, 6],
      [20, 25, 0],
      [10, 15, 4],
    ]);
    expect(m.columnTotals).toEqual([120, 40, 10]); // = this run's segment sizes
    expect(m.rowTotals).toEqual([96, 45, 29]);
    expect({ stayed: m.stayed, inBoth: m.inBoth, newcomers: m.newcomers, gone: m.gone }).toEqual({ stayed: 115, inBoth: 141, newcomers: 29, gone: 9 });
  });

  it("shows the agreement with Shopify's RFM groups as a share of the customers Shopify groups", async () => {
    const ag = (await shopOverview(a.domain, a, t.db, NOW)).agreement!;
    expect(ag).toMatchObject({ customers: 5, withShopifyGroup: 4, sameGroup: 3, agreement: 0.75 });
    expect(ag.groups.map((g) => g.label)).toEqual(["Champions", "Loyal", "At risk", "No Shopify group"]);
    expect(ag.segments.map((s) => s.name)).toEqual(["Loyal", "Lapsed"]);
    expect(ag.counts).toEqual([
      [1, 0],
      [2, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(ag.emptyGroups).toBe(12 - 4);
  });

  it("shows last and next refresh, the write-back mode, and polls only while something runs", async () => {
    const o = await shopOverview(a.domain, a, t.db, NOW);
    expect(o.refresh).toMatchObject({ running: null, queued: false, lastRefreshAt: new Date("2026-11-01T00:00:30Z"), nextRefreshAt: new Date("2026-11-09T03:00:00Z") });
    expect(o.writeBack).toEqual({ mode: "live", active: null, last: null });
    expect(o.backfill).toMatchObject({ status: "completed", fraction: 1 });
    expect(o.live).toBe(false);
    expect(o).toMatchObject({ demo: true, currency: "GBP", timeZone: "Europe/London" });
  });

  it("never reads another shop's rows: shop B's runs, jobs and work in progress leave shop A's page alone", async () => {
    const o = await shopOverview(a.domain, a, t.db, NOW);
    expect(JSON.stringify(o)).not.toContain("b-only");
    expect(o.live).toBe(false);
    const ob = await shopOverview(b.domain, b, t.db, NOW);
    expect(ob.cards.map((c) => c.segmentId)).toEqual(["b-only"]);
    expect(ob.live).toBe(true);
    expect(ob.refresh.queued).toBe(true);
    expect(ob.refresh.running).toMatchObject({ elapsedMs: 1000, estimateMs: null, fraction: null });
  });

  it("while a refresh runs: elapsed time and an estimate from the last completed run's duration", async () => {
    const running = await storeRun(t.db, a.id, { metrics: {}, status: "running", startedAt: new Date(NOW.getTime() - 7_500) });
    try {
      const o = await shopOverview(a.domain, a, t.db, NOW);
      expect(o.refresh.running).toMatchObject({ elapsedMs: 7_500, estimateMs: 30_000, fraction: 0.25 });
      expect(o.live).toBe(true);
      expect(o.stage).toBe("ready"); // the last good run stays on screen
      expect(o.run?.id).toBe(latestRun);
    } finally {
      await t.db.segmentRun.delete({ where: { id: running } });
    }
  });

  it("while a write-back runs: tag changes settled of planned", async () => {
    const wb = await t.db.writeBack.create({ data: { shopId: a.id, runId: latestRun, kind: "refresh", mode: "live", status: "writing", customersChanged: 3 } });
    const customer = await t.db.customer.create({ data: { shopId: a.id, shopifyId: "wb-1" } });
    for (const result of ["ok", "ok", "failed", "pending"]) {
      await t.db.tagWrite.create({ data: { shopId: a.id, customerId: customer.id, tag: "segmint-x", action: "add", mode: "live", runId: latestRun, writeBackId: wb.id, result } });
    }
    try {
      const o = await shopOverview(a.domain, a, t.db, NOW);
      expect(o.writeBack.active).toMatchObject({ id: wb.id, status: "writing", tagChanges: 4, tagChangesSettled: 3, fraction: 0.75, customersChanged: 3 });
      expect(o.live).toBe(true);
    } finally {
      await t.db.writeBack.delete({ where: { id: wb.id } });
    }
  });

  it("after a full pass: what it changed (or would change), the newest finished refresh or rollback pass, never a segment's or a live one", async () => {
    const older = await t.db.writeBack.create({ data: { shopId: a.id, runId: latestRun, kind: "refresh", mode: "dry-run", status: "completed", customersChanged: 9, tagsAdded: 9, finishedAt: new Date("2026-11-01T00:01:00Z") } });
    const full = await t.db.writeBack.create({
      data: { shopId: a.id, runId: latestRun, kind: "refresh", mode: "dry-run", status: "completed", customersChanged: 40, tagsAdded: 38, tagsRemoved: 5, capped: 2, finishedAt: new Date("2026-11-02T00:01:00Z") },
    });
    const segment = await t.db.writeBack.create({ data: { shopId: a.id, runId: latestRun, kind: "segment", segmentKey: "x", mode: "live", status: "completed", customersChanged: 1 } });
    const live = await t.db.writeBack.create({ data: { shopId: a.id, runId: latestRun, kind: "live", mode: "live", status: "completed", customersChanged: 1 } });
    try {
      const o = await shopOverview(a.domain, a, t.db, NOW);
      expect(o.writeBack.last).toMatchObject({ kind: "refresh", mode: "dry-run", status: "completed", customersChanged: 40, tagsAdded: 38, tagsRemoved: 5, capped: 2 });
      expect(lastPassText(o.writeBack.last!, "UTC")).toBe(
        "Last dry run (2 Nov 2026, 00:01 UTC): 40 customers would change (38 tags added, 5 removed); 2 skipped (they would pass Shopify's 250 tags). Nothing was written; each segment's page previews and applies its own tags.",
      );
      expect(lastPassText({ ...o.writeBack.last!, tagsAdded: 0, tagsRemoved: 0 }, "UTC")).toMatch(/: 40 customers would change; 2 skipped/);
      expect(lastPassText({ ...o.writeBack.last!, status: "failed", error: "Shopify refused the file" }, "UTC")).toMatch(/^Last dry run .* failed: Shopify refused the file\. See Jobs to retry\.$/);
      const ob = await shopOverview(b.domain, b, t.db, NOW);
      expect(ob.writeBack.last).toBeNull();
    } finally {
      await t.db.writeBack.deleteMany({ where: { id: { in: [older.id, full.id, segment.id, live.id] } } });
    }
  });

  it("keeps the store counts for countsMaxAgeMs when asked (the route), counting again after it; the default counts every time", async () => {
    const first = await shopOverview(a.domain, a, t.db, NOW, { countsMaxAgeMs: 60_000 });
    const added = await t.db.customer.create({ data: { shopId: a.id, shopifyId: "counts-cache-1" } });
    try {
      const soon = await shopOverview(a.domain, a, t.db, new Date(NOW.getTime() + 59_000), { countsMaxAgeMs: 60_000 });
      expect(soon.summary.customers).toBe(first.summary.customers);
      const later = await shopOverview(a.domain, a, t.db, new Date(NOW.getTime() + 61_000), { countsMaxAgeMs: 60_000 });
      expect(later.summary.customers).toBe(first.summary.customers + 1);
      await t.db.customer.update({ where: { id: added.id }, data: { deletedAt: NOW } });
      const uncached = await shopOverview(a.domain, a, t.db, new Date(NOW.getTime() + 62_000));
      expect(uncached.summary.customers).toBe(first.summary.customers);
    } finally {
      await t.db.customer.delete({ where: { id: added.id } });
    }
  });

  describe("first-run stages", () => {
    it("not installed yet", async () => {
      const o = await shopOverview("new.myshopify.com", null, t.db, NOW);
      expect(o).toMatchObject({ installed: false, stage: "not-installed", live: false, cards: [] });
    });

    it("installed, the import running: its progress; then the first refresh being built; then no customers", async () => {
      const shop = await installed(t.db, `overview-first-${provider}.myshopify.com`);
      let o = await shopOverview(shop.domain, shop, t.db, NOW);
      expect(o).toMatchObject({ stage: "syncing", backfill: null, live: false });
      const sync = await t.db.syncRun.create({ data: { shopId: shop.id, kind: "backfill", status: "running", rowsDone: 300, rowsTotal: 1200 } });
      o = await shopOverview(shop.domain, shop, t.db, NOW);
      expect(o).toMatchObject({ stage: "syncing", live: true, backfill: { rowsDone: 300, rowsTotal: 1200, fraction: 0.25 } });

      await t.db.syncRun.update({ where: { id: sync.id }, data: { status: "completed", rowsDone: 1200 } });
      await enqueue(t.db, { type: JOB.refreshSegments, shopId: shop.id, singletonKey: JOB.refreshSegments, payload: { reason: "backfill" } });
      o = await shopOverview(shop.domain, shop, t.db, NOW);
      expect(o).toMatchObject({ stage: "building", live: true, refresh: { queued: true, running: null } });

      await t.db.job.updateMany({ where: { shopId: shop.id }, data: { status: "running" } });
      const run = await storeRun(t.db, shop.id, { metrics: {}, status: "running", startedAt: new Date(NOW.getTime() - 2000) });
      o = await shopOverview(shop.domain, shop, t.db, NOW);
      expect(o).toMatchObject({ stage: "building", live: true, refresh: { queued: false, running: { elapsedMs: 2000, estimateMs: null } } });

      await t.db.segmentRun.update({ where: { id: run }, data: { status: "completed", metrics: JSON.stringify({ customers: 0, profiles: [] }), finishedAt: NOW } });
      await t.db.job.updateMany({ where: { shopId: shop.id }, data: { status: "succeeded" } });
      o = await shopOverview(shop.domain, shop, t.db, NOW);
      expect(o).toMatchObject({ stage: "no-customers", live: false, cards: [], migration: null, agreement: null });
    });

    it("the import failed", async () => {
      const shop = await installed(t.db, `overview-failed-${provider}.myshopify.com`);
      await t.db.syncRun.create({ data: { shopId: shop.id, kind: "backfill", status: "failed", error: "bulk operation FAILED (TIMEOUT)" } });
      const o = await shopOverview(shop.domain, shop, t.db, NOW);
      expect(o).toMatchObject({ stage: "sync-failed", live: false, backfill: { error: "bulk operation FAILED (TIMEOUT)" } });
    });
  });

  it("the route's loader serves the session's shop and none of another shop's rows", async () => {
    const { loader } = await import("../../app/routes/app._index");
    session.shop = a.domain;
    const res = await loader({ request: new Request("http://localhost/app"), params: {}, context: {} });
    const body = (await res.json()) as unknown as { stage: string; cards: { segmentId: string }[]; demo: boolean };
    expect(body.stage).toBe("ready");
    expect(body.cards.map((c) => c.segmentId)).toEqual(["loyal", "lapsed", "whales"]);
    expect(body.demo).toBe(true);
    expect(JSON.stringify(body)).not.toContain("b-only");
    session.shop = "not-installed.myshopify.com";
    const none = (await (await loader({ request: new Request("http://localhost/app"), params: {}, context: {} })).json()) as unknown as { stage: string };
    expect(none.stage).toBe("not-installed");
  });
});
