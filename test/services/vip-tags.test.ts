// VIP tags against the simulator (Shopify's schema, real tag writes), on both databases: with the
// shop's vipTags on, a full pass gives `<prefix>:vip` to exactly the whales the merchant did not
// dismiss (open or confirmed), beside their segment tags; a live-assignment pass keeps it; a
// dismissed whale loses it at the next pass; turning the setting off removes every VIP tag and
// leaves the segment tags and the merchant's own tags alone.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { startWriteBack } from "../../app/services/write-back.server";
import { reviewAnomaly } from "../../app/services/anomalies-page.server";
import { simulatorAdmin } from "../../simulator/admin-client";
import type { SimulatorServer } from "../../simulator/server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { backfillShop, driveWriteBack, startWriteBackSimulator, stubAppEnv } from "../support/write-back-harness";

const DOMAIN = "vip-tags.myshopify.com";
const CUSTOMERS = 120;
const FIRST_ID = 410_000;
const DAY = 86_400_000;
const VIP = "segmint:vip";

describeEachDatabase("VIP tags in Shopify (simulator)", (provider) => {
  let sim: SimulatorServer;
  let t: TestDatabase;
  let db: Db;
  let shopId: number;
  let runId: number;

  const shopState = () => sim.simulator.shop(DOMAIN);
  const carrying = (tag: string) => new Set([...shopState().customers.values()].filter((c) => c.tags.includes(tag)).map((c) => String(c.id)));
  const segmintTagCount = () => [...shopState().customers.values()].filter((c) => c.tags.some((tag) => tag.startsWith("segmint:") && tag !== VIP)).length;
  async function runPass(id: number | null) {
    expect(id).not.toBeNull();
    const pass = await driveWriteBack(db, simulatorAdmin(sim, DOMAIN), shopId, id!, 300);
    expect(pass).toMatchObject({ status: "completed", failed: 0 });
    return pass;
  }
  const customerAnomaly = (shopifyId: number, category: "whale" | "review", status = "open") =>
    db.anomaly.create({ data: { shopId, kind: "customer", subjectKey: String(shopifyId), score: 0.9, category, status, reasons: "[]" } });

  beforeAll(async () => {
    stubAppEnv();
    sim = await startWriteBackSimulator([{ domain: DOMAIN }]);
    const shop = shopState();
    const products = Array.from({ length: 4 }, (_, i) => shop.createProduct({ title: `P${i}`, priceCents: 900 + 500 * i }));
    const now = Date.now();
    for (let i = 0; i < CUSTOMERS; i++) {
      const c = shop.createCustomer({ id: FIRST_ID + i, tags: i % 3 === 0 ? ["VIP", "wholesale"] : [], silent: true });
      for (let k = 0; k <= i % 4; k++) {
        shop.createOrder({ customerId: c.id, processedAt: now - ((i * 37 + k * 71) % 400) * DAY - DAY, lines: [{ variantId: products[(i + k) % 4]!.variants[0]!.id, quantity: 1 + (k % 2) }] }, { silent: true });
      }
    }
    t = await createTestDatabase(provider);
    db = t.db;
    shopId = (await db.shop.create({ data: { domain: DOMAIN, writeBackMode: "live", shopifySegments: false } })).id;
    await backfillShop(db, simulatorAdmin(sim, DOMAIN), shopId);
    runId = (await refreshSegments(db, shopId, { reason: "on-demand", algorithm: "hybrid" })).runId;
    await runPass(await startWriteBack(db, shopId, { kind: "refresh", runId }));
    // whales: 0 (open), 3 (confirmed), 6 (dismissed); 9 is a review customer, never a VIP
    await customerAnomaly(FIRST_ID, "whale");
    await customerAnomaly(FIRST_ID + 3, "whale", "confirmed");
    await customerAnomaly(FIRST_ID + 6, "whale", "dismissed");
    await customerAnomaly(FIRST_ID + 9, "review");
  }, 300_000);
  afterAll(async () => {
    await t?.drop();
    await sim?.close();
  });

  it("writes no VIP tag while the setting is off (the default)", async () => {
    await runPass(await startWriteBack(db, shopId, { kind: "refresh", runId }));
    expect(carrying(VIP)).toEqual(new Set());
  }, 60_000);

  it("tags exactly the whales not dismissed, and keeps the segment and merchant tags", async () => {
    const segmentTagged = segmintTagCount();
    await db.shop.update({ where: { id: shopId }, data: { vipTags: true } });
    const pass = await runPass(await startWriteBack(db, shopId, { kind: "refresh", runId }));
    expect(carrying(VIP)).toEqual(new Set([String(FIRST_ID), String(FIRST_ID + 3)]));
    expect(pass.tagsAdded).toBe(2);
    expect(pass.tagsRemoved).toBe(0);
    expect(segmintTagCount()).toBe(segmentTagged);
    expect(carrying("VIP").size).toBe(CUSTOMERS / 3);

    // a live-assignment pass over a whale keeps its VIP tag (and restores one removed in Shopify)
    shopState().removeCustomerTags(FIRST_ID, [VIP]);
    await runPass(await startWriteBack(db, shopId, { kind: "live", runId, customerIds: [String(FIRST_ID), String(FIRST_ID + 9)] }));
    expect(carrying(VIP)).toEqual(new Set([String(FIRST_ID), String(FIRST_ID + 3)]));
  }, 60_000);

  it("a whale the merchant dismisses on the Anomalies page loses the tag at once (a live pass for that customer)", async () => {
    const whale = await db.anomaly.findFirstOrThrow({ where: { shopId, subjectKey: String(FIRST_ID + 3) } });
    const review = await reviewAnomaly(db, shopId, { id: whale.id, status: "dismissed" });
    expect(review).toMatchObject({ kind: "reviewed", status: "dismissed", message: expect.stringContaining("VIP tag is being removed") });
    const live = await db.writeBack.findFirstOrThrow({ where: { shopId, kind: "live" }, orderBy: { id: "desc" } });
    expect(JSON.parse(live.scope!)).toEqual([String(FIRST_ID + 3)]);
    const pass = await runPass(live.id);
    expect(carrying(VIP)).toEqual(new Set([String(FIRST_ID)]));
    expect(await db.tagWrite.findMany({ where: { writeBackId: pass.id }, select: { tag: true, action: true } })).toEqual([{ tag: VIP, action: "remove" }]);
    // a review customer's verdict starts no pass
    const reviewRow = await db.anomaly.findFirstOrThrow({ where: { shopId, subjectKey: String(FIRST_ID + 9) } });
    const passes = await db.writeBack.count({ where: { shopId } });
    expect(await reviewAnomaly(db, shopId, { id: reviewRow.id, status: "confirmed" })).toMatchObject({ kind: "reviewed", message: expect.not.stringContaining("VIP") });
    expect(await db.writeBack.count({ where: { shopId } })).toBe(passes);
  }, 60_000);

  it("turning the setting off removes every VIP tag, and only those", async () => {
    const segmentTagged = segmintTagCount();
    await db.shop.update({ where: { id: shopId }, data: { vipTags: false } });
    await runPass(await startWriteBack(db, shopId, { kind: "refresh", runId }));
    expect(carrying(VIP)).toEqual(new Set());
    expect(segmintTagCount()).toBe(segmentTagged);
    expect(carrying("VIP").size).toBe(CUSTOMERS / 3);
  }, 60_000);
});
