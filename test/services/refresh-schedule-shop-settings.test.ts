// The refresh runs with the shop's settings on both databases: algorithm and K from the Shop row
// (stored on the run), options still override them, and a completed run — only a completed one —
// stamps Shop.lastRefreshAt with its finish.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { latestCompletedRun } from "../../app/models/segment-runs.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const AS_OF = new Date("2026-11-01T12:00:00Z");

/** A shop of 30 buying customers: customer i places (i % 4) + 1 orders of (i × 53 mod 300) + 20 units. */
async function seedShop(db: Db, domain: string, settings: { algorithm?: string; clusterCount?: number | null }): Promise<number> {
  const shop = await db.shop.create({ data: { domain, ...settings } });
  let n = 0;
  for (let i = 0; i < 30; i++) {
    const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId: `c${i}` } });
    for (let j = 0; j <= i % 4; j++) {
      const at = new Date(Date.UTC(2026, 0, 1) + ((i * 11 + j * 37) % 290) * 86_400_000);
      const milli = BigInt((((i * 53) % 300) + 20) * 1000);
      const order = await db.order.create({
        data: { shopId: shop.id, shopifyId: `o${n++}`, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "USD", grossMilli: milli, netMilli: milli },
      });
      await db.orderLine.create({ data: { shopId: shop.id, orderId: order.id, shopifyId: `${order.shopifyId}-0`, productId: "p1", quantity: 1, unitPriceMilli: milli } });
    }
  }
  return shop.id;
}

describeEachDatabase("refresh with the shop's settings", (provider) => {
  let t: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    db = t.db;
  }, 120_000);
  afterAll(async () => t?.drop());

  const paramsOf = async (shopId: number) => JSON.parse((await latestCompletedRun(db, shopId))!.params) as Record<string, unknown>;
  const clock = (iso: string) => () => new Date(iso);

  it("uses the shop's algorithm and K, stores them on the run and stamps lastRefreshAt", async () => {
    const shopId = await seedShop(db, `kmeans3-${provider}.myshopify.com`, { algorithm: "kmeans", clusterCount: 3 });
    expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).lastRefreshAt).toBeNull();
    const outcome = await refreshSegments(db, shopId, { reason: "schedule", asOf: AS_OF, now: clock("2026-11-01T12:00:05Z") });
    expect(outcome.result?.model.algorithm).toBe("kmeans");
    expect(new Set(outcome.result?.labels).size).toBe(3);
    expect((await latestCompletedRun(db, shopId))?.algorithm).toBe("kmeans");
    expect(await paramsOf(shopId)).toMatchObject({ reason: "schedule", algorithm: "kmeans", k: 3 });
    expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).lastRefreshAt?.toISOString()).toBe("2026-11-01T12:00:05.000Z");
  });

  it("takes K as auto when the shop has none, with the shop's default algorithm (hybrid)", async () => {
    const shopId = await seedShop(db, `default-${provider}.myshopify.com`, {});
    const outcome = await refreshSegments(db, shopId, { reason: "backfill", asOf: AS_OF });
    expect(outcome.result?.model.algorithm).toBe("hybrid");
    expect(await paramsOf(shopId)).toMatchObject({ algorithm: "hybrid", k: "auto" });
  });

  it("lets options override the shop's settings, one at a time", async () => {
    const shopId = await seedShop(db, `override-${provider}.myshopify.com`, { algorithm: "dbscan", clusterCount: 5 });
    await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, algorithm: "rfm" });
    expect(await paramsOf(shopId)).toMatchObject({ algorithm: "rfm", k: 5 });
    await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, k: 2 });
    expect(await paramsOf(shopId)).toMatchObject({ algorithm: "dbscan", k: 2 });
    await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, algorithm: "kmeans", k: 4 });
    expect(await paramsOf(shopId)).toMatchObject({ algorithm: "kmeans", k: 4 });
  });

  it("a failed run leaves lastRefreshAt where the last completed one put it; a late older finish never moves it back", async () => {
    const shopId = await seedShop(db, `failing-${provider}.myshopify.com`, { algorithm: "kmeans" });
    await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, now: clock("2026-11-02T08:00:00Z") });
    // An invalid K fails inside the core: the run is recorded as failed.
    await expect(refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, k: 0, now: clock("2026-11-03T08:00:00Z") })).rejects.toThrow();
    expect((await db.segmentRun.findFirstOrThrow({ where: { shopId }, orderBy: { id: "desc" } })).status).toBe("failed");
    expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).lastRefreshAt?.toISOString()).toBe("2026-11-02T08:00:00.000Z");
    await refreshSegments(db, shopId, { reason: "on-demand", asOf: AS_OF, now: clock("2026-11-01T08:00:00Z") });
    expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).lastRefreshAt?.toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });

  it("refuses a shop whose stored algorithm is unknown, naming it", async () => {
    const shopId = await seedShop(db, `unknown-${provider}.myshopify.com`, { algorithm: "magic" });
    await expect(refreshSegments(db, shopId, { reason: "schedule", asOf: AS_OF })).rejects.toThrow('unknown segmentation algorithm "magic"');
  });
});
