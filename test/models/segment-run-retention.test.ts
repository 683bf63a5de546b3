// Runs left "running" by a dead process, and the retention of older runs' customer rows; a
// rollback refuses a run whose rows were pruned.
import { afterAll, beforeAll, expect, it } from "vitest";
import { failInterruptedRuns, pruneRunRows } from "../../app/models/segment-runs.server";
import { rollbackTags } from "../../app/services/write-back.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

describeEachDatabase("segment run housekeeping", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  let otherShopId: number;
  const runs: number[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shopId = (await t.db.shop.create({ data: { domain: "runs.myshopify.com" } })).id;
    otherShopId = (await t.db.shop.create({ data: { domain: "other.myshopify.com" } })).id;
    const customer = await t.db.customer.create({ data: { shopId, shopifyId: "1" } });
    for (let i = 0; i < 5; i++) {
      const run = await t.db.segmentRun.create({ data: { shopId, algorithm: "hybrid", asOf: new Date(), status: "completed", customerCount: 1 } });
      runs.push(run.id);
      await t.db.customerSegment.create({
        data: { shopId, runId: run.id, customerId: customer.id, segmentKey: "s", cluster: 0, frequency: 1, monetaryMilli: 1000n, rScore: 3, fScore: 3, mScore: 3, rfmGroup: "Active", explanation: "" },
      });
    }
  });
  afterAll(async () => t?.drop());

  it("marks the shop's running runs interrupted, and only that shop's", async () => {
    await t.db.segmentRun.create({ data: { shopId, algorithm: "hybrid", asOf: new Date(), status: "running" } });
    const other = await t.db.segmentRun.create({ data: { shopId: otherShopId, algorithm: "hybrid", asOf: new Date(), status: "running" } });
    expect(await failInterruptedRuns(t.db, shopId)).toBe(1);
    const failed = await t.db.segmentRun.findFirstOrThrow({ where: { shopId, status: "failed" } });
    expect(failed.error).toMatch(/interrupted/);
    expect((await t.db.segmentRun.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("running");
  });

  it("keeps the newest runs' customer rows and deletes older ones", async () => {
    expect(await pruneRunRows(t.db, shopId, 3)).toBe(2);
    const left = await t.db.customerSegment.findMany({ where: { shopId }, select: { runId: true }, orderBy: { runId: "asc" } });
    expect(left.map((r) => r.runId)).toEqual(runs.slice(2));
    expect(await t.db.segmentRun.count({ where: { shopId, status: "completed" } })).toBe(5); // the runs stay
    expect(await pruneRunRows(t.db, shopId, 3)).toBe(0);
  });

  it("refuses to roll back to a run whose rows were pruned", async () => {
    await expect(rollbackTags(t.db, shopId, runs[0]!)).rejects.toThrow(/too old to restore/);
    await expect(rollbackTags(t.db, otherShopId, runs[4]!)).rejects.toThrow(/not a completed run of this shop/);
  });
});
