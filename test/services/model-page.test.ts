// The Model page's service on both databases: the algorithm/K form's validation and saving, "run
// now" outcomes, rollback (another shop's run → not found, a pruned or failed run → a plain
// refusal, a kept run → a queued rollback pass), the run history page, and the newest run's stored
// plots read back for the charts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { JOB } from "../../app/queue/job-types";
import { K_MESSAGE, modelPage, rollbackToRun, runModelNow, RUN_HISTORY_PAGE_SIZE, saveModelSettings, type ModelPageData } from "../../app/services/model-page.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const AS_OF = new Date("2026-11-01T12:00:00Z");

/** 30 buying customers (as in refresh-schedule-shop-settings.test.ts). */
async function seedCustomers(db: Db, shopId: number): Promise<void> {
  let n = 0;
  for (let i = 0; i < 30; i++) {
    const customer = await db.customer.create({ data: { shopId, shopifyId: `c${i}` } });
    for (let j = 0; j <= i % 4; j++) {
      const at = new Date(Date.UTC(2026, 0, 1) + ((i * 11 + j * 37) % 290) * 86_400_000);
      const milli = BigInt((((i * 53) % 300) + 20) * 1000);
      const order = await db.order.create({
        data: { shopId, shopifyId: `o${shopId}-${n++}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "USD", grossMilli: milli, netMilli: milli },
      });
      await db.orderLine.create({ data: { shopId, orderId: order.id, shopifyId: `${order.shopifyId}-0`, productId: "p1", quantity: 1, unitPriceMilli: milli } });
    }
  }
}

describeEachDatabase("model page service", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let n = 0;
  const newShop = async (data: { algorithm?: string; clusterCount?: number | null } = {}) => (await db.shop.create({ data: { domain: `m${++n}-${provider}.myshopify.com`, ...data } })).id;
  const page = async (shopId: number, options: Parameters<typeof modelPage>[2] = {}): Promise<ModelPageData> => {
    const result = await modelPage(db, shopId, options);
    if (result.kind !== "ok") throw new Error(`expected a page, got ${result.kind}`);
    return result.data;
  };

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    db = t.db;
  }, 120_000);
  afterAll(async () => t?.drop());

  describe("saveModelSettings", () => {
    it("refuses a K outside 2–12, a fraction, a word or nothing, with one plain message, and saves nothing", async () => {
      const shopId = await newShop({ algorithm: "hybrid", clusterCount: null });
      for (const k of ["1", "13", "2.5", "four", "", undefined, "-3"]) {
        const result = await saveModelSettings(db, shopId, { algorithm: "kmeans", k });
        expect(result, `k = ${String(k)}`).toEqual({ ok: false, errors: { k: K_MESSAGE } });
      }
      expect(K_MESSAGE).toBe("K must be a whole number from 2 to 12, or Automatic.");
      const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
      expect({ algorithm: shop.algorithm, clusterCount: shop.clusterCount }).toEqual({ algorithm: "hybrid", clusterCount: null });
    });

    it("refuses an unknown algorithm with a message naming the choices", async () => {
      const shopId = await newShop();
      const result = await saveModelSettings(db, shopId, { algorithm: "gmm", k: "auto" });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.algorithm).toMatch(/Hybrid, RFM groups, K-means or DBSCAN/);
    });

    it("stores the algorithm and K (a number, or null for automatic) on the shop", async () => {
      const shopId = await newShop();
      expect(await saveModelSettings(db, shopId, { algorithm: "kmeans", k: " 12 " })).toMatchObject({ ok: true, settings: { algorithm: "kmeans", k: 12 }, message: "Saved. The next run uses K-means with K = 12." });
      expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).clusterCount).toBe(12);
      expect(await saveModelSettings(db, shopId, { algorithm: "hybrid", k: "auto" })).toMatchObject({ ok: true, settings: { algorithm: "hybrid", k: null } });
      const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
      expect({ algorithm: shop.algorithm, clusterCount: shop.clusterCount }).toEqual({ algorithm: "hybrid", clusterCount: null });
    });

    it("ignores K for the algorithms that take none, keeping the stored K for a switch back", async () => {
      const shopId = await newShop({ algorithm: "kmeans", clusterCount: 5 });
      expect(await saveModelSettings(db, shopId, { algorithm: "dbscan", k: "99" })).toMatchObject({ ok: true, settings: { algorithm: "dbscan", k: 5 } });
      const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
      expect({ algorithm: shop.algorithm, clusterCount: shop.clusterCount }).toEqual({ algorithm: "dbscan", clusterCount: 5 });
    });
  });

  describe("runModelNow", () => {
    it("queues a refresh, then says one is queued, then that one is running", async () => {
      const shopId = await newShop();
      const first = await runModelNow(db, shopId);
      expect(first.outcome).toBe("queued");
      expect(first.message).toMatch(/^Run queued/);
      expect((await page(shopId)).refreshState).toBe("queued");
      const again = await runModelNow(db, shopId);
      expect(again).toMatchObject({ outcome: "already-queued" });
      expect(again.message).toMatch(/already queued/);
      await db.job.updateMany({ where: { shopId, type: JOB.refreshSegments }, data: { status: "running" } });
      expect(await runModelNow(db, shopId)).toMatchObject({ outcome: "running", message: expect.stringMatching(/in progress/) });
      expect((await page(shopId)).refreshState).toBe("running");
      expect(await db.job.count({ where: { shopId, type: JOB.refreshSegments } })).toBe(1);
    });
  });

  describe("with stored runs", () => {
    let shopId: number;
    let otherShopId: number;
    let otherRunId: number;
    const runIds: number[] = [];

    beforeAll(async () => {
      shopId = await newShop({ algorithm: "kmeans", clusterCount: 3 });
      await seedCustomers(db, shopId);
      otherShopId = await newShop();
      await seedCustomers(db, otherShopId);
      otherRunId = (await refreshSegments(db, otherShopId, { reason: "on-demand", asOf: AS_OF })).runId!;
      // 11 completed runs (one page and one more), then one failed run.
      for (let i = 0; i < 11; i++) runIds.push((await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF })).runId!);
      await expect(refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, k: 0 })).rejects.toThrow();
      // The oldest run's customer rows pruned, as the refresh job's retention does.
      await db.customerSegment.deleteMany({ where: { shopId, runId: runIds[0]! } });
    }, 120_000);

    it("lists the shop's runs newest first, a page at a time, with K, silhouette, customers and the failed run's error", async () => {
      const first = await page(shopId);
      expect(first.history.total).toBe(12);
      expect(first.history.pageCount).toBe(2);
      expect(first.history.entries).toHaveLength(RUN_HISTORY_PAGE_SIZE);
      const [failed, newest] = first.history.entries;
      expect(failed).toMatchObject({ status: "failed", algorithm: "kmeans", customers: 0 });
      expect(failed!.error).toBeTruthy();
      expect(failed!.rollbackBlocked).toMatch(/did not complete/);
      expect(newest).toMatchObject({ id: runIds[10], status: "completed", algorithm: "kmeans", k: "3", customers: 30, reason: "on-demand", error: null, isLatest: true });
      expect(newest!.rollbackBlocked).toMatch(/is the newest run/);
      expect(first.history.entries[2]).toMatchObject({ id: runIds[9], isLatest: false, rollbackBlocked: null });
      expect(newest!.silhouette).toBeGreaterThan(-1);
      expect(newest!.silhouette).toBeLessThanOrEqual(1);
      const second = await page(shopId, { page: 2 });
      expect(second.history.entries.map((e) => e.id)).toEqual([runIds[1], runIds[0]]);
      expect(second.history.entries[1]!.rollbackBlocked).toMatch(/too old to restore/);
      // Another shop's runs never show.
      expect([...first.history.entries, ...second.history.entries].some((e) => e.id === otherRunId)).toBe(false);
    });

    it("reads the newest completed run's stored plots and segment names (not the failed run's)", async () => {
      const data = await page(shopId);
      const stored = await db.segmentRun.findUniqueOrThrow({ where: { id: runIds[10]! } });
      const plots = JSON.parse(stored.plots!) as { elbow: unknown[]; pca: { points: unknown[] } };
      const model = JSON.parse(stored.model!) as { segments: { name: string }[] };
      expect(data.latestRun?.id).toBe(runIds[10]);
      expect(data.latestRun?.plots.elbow).toEqual(plots.elbow);
      expect(data.latestRun?.plots.pca?.points).toHaveLength(plots.pca.points.length);
      expect(data.latestRun?.segmentNames).toEqual(model.segments.map((s) => s.name));
      expect(data.latestRun?.diagnostics?.k).toBe(3);
      expect(data.settings).toEqual({ algorithm: "kmeans", k: 3 });
    });

    it("rolls back to a kept run of the shop: a rollback pass for that run, queued", async () => {
      const result = await rollbackToRun(db, shopId, String(runIds[5]));
      expect(result.kind).toBe("queued");
      if (result.kind !== "queued") return;
      expect(result.message).toMatch(/dry-run mode/);
      const pass = await db.writeBack.findUniqueOrThrow({ where: { id: result.writeBackId } });
      expect(pass).toMatchObject({ shopId, runId: runIds[5], kind: "rollback", mode: "dry-run" });
      expect(await db.job.count({ where: { shopId, type: JOB.writeBack } })).toBeGreaterThanOrEqual(1);
    });

    it("answers not found for another shop's run, an unknown id or garbage — and queues nothing", async () => {
      const before = await db.writeBack.count();
      expect(await rollbackToRun(db, shopId, String(otherRunId))).toEqual({ kind: "not-found" });
      expect(await rollbackToRun(db, shopId, "999999")).toEqual({ kind: "not-found" });
      expect(await rollbackToRun(db, shopId, "abc")).toEqual({ kind: "not-found" });
      expect(await modelPage(db, shopId, { confirmRollback: String(otherRunId) })).toEqual({ kind: "not-found", what: "Run" });
      expect(await db.writeBack.count()).toBe(before);
    });

    it("refuses a pruned run, a failed run and the newest run with a plain message", async () => {
      expect(await rollbackToRun(db, shopId, runIds[10])).toMatchObject({ kind: "refused", message: expect.stringMatching(/is the newest run: its tags are already the ones Segmint writes/) });
      const pruned = await rollbackToRun(db, shopId, runIds[0]);
      expect(pruned).toEqual({ kind: "refused", message: `Run #${runIds[0]} is too old to restore: Segmint keeps customers' segments for its newest 8 runs only. Choose a newer run.` });
      const failedId = (await db.segmentRun.findFirstOrThrow({ where: { shopId, status: "failed" } })).id;
      expect(await rollbackToRun(db, shopId, failedId)).toMatchObject({ kind: "refused", message: expect.stringMatching(/did not complete \(failed\)/) });
    });

    it("the confirmation step shows the chosen run and whether it still keeps its customers", async () => {
      const kept = await page(shopId, { confirmRollback: String(runIds[4]) });
      expect(kept.rollbackCandidate).toMatchObject({ id: runIds[4], keepsRows: true, rollbackBlocked: null, customers: 30 });
      const old = await page(shopId, { confirmRollback: String(runIds[0]) });
      expect(old.rollbackCandidate).toMatchObject({ id: runIds[0], keepsRows: false });
      expect(old.rollbackCandidate?.rollbackBlocked).toMatch(/too old/);
    });
  });

  it("a shop without runs has an empty history and no latest run", async () => {
    const data = await page(await newShop());
    expect(data.latestRun).toBeNull();
    expect(data.history).toEqual({ entries: [], page: 1, pageCount: 1, total: 0 });
  });
});
