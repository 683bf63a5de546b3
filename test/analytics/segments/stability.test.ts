import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createRfmAccumulator, type LineInput, type RfmFeatureTable } from "../../../app/analytics/rfm/features";
import { segmentCustomers } from "../../../app/analytics/segments/pipeline";
import type { SegmentationResult } from "../../../app/analytics/segments/result";
import { parseSegmentModel } from "../../../app/analytics/segments/model";
import { createRng } from "../../../app/analytics/util/random";
import { openCsvText, readTransactionBatches, ONLINE_RETAIL_CANCELLATION_PREFIX } from "../../../cli/csv/transactions";
import { blobs, FOUR_GROUPS } from "./planted-groups";

const DATA = fileURLToPath(new URL("../../../../shared/data/online_retail.csv.gz", import.meta.url));

async function loadLines(): Promise<LineInput[]> {
  const out: LineInput[] = [];
  for await (const b of readTransactionBatches(openCsvText(DATA), { cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX })) for (const r of b.rows) out.push(r);
  return out;
}

function features(lines: readonly LineInput[], skip: (l: LineInput) => boolean): RfmFeatureTable {
  const acc = createRfmAccumulator({ asOf: "2011-12-10" });
  for (const l of lines) if (!skip(l)) acc.addLine(l);
  return acc.finish();
}

function segmentIds(r: SegmentationResult, t: RfmFeatureTable): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < t.count; i++) m.set(t.customerIds[i]!, r.model.segments[r.segmentIndex[i]!]!.id);
  return m;
}

describe("stability across refreshes", () => {
  it("same data and previous model: every id, name and assignment persists", () => {
    const t = blobs(FOUR_GROUPS, 11);
    const first = segmentCustomers(t, { seed: 1, k: 4, algorithm: "kmeans" });
    // a different seed permutes the K-means labels; matching must restore the ids
    const second = segmentCustomers(t, { seed: 99, k: 4, algorithm: "kmeans", previousModel: parseSegmentModel(JSON.stringify(first.model)) });
    expect(second.diagnostics.matchedSegments).toBe(4);
    expect(segmentIds(second, t)).toEqual(segmentIds(first, t));
    const names = (r: SegmentationResult): string[] => r.model.segments.map((s) => `${s.id}:${s.name}`).sort();
    expect(names(second)).toEqual(names(first));
  });

  it("hybrid (the default): same data and previous model, another seed: every id, name and assignment persists", () => {
    const t = blobs(FOUR_GROUPS, 11);
    const first = segmentCustomers(t, { seed: 1 });
    expect(first.model.algorithm).toBe("hybrid");
    const second = segmentCustomers(t, { seed: 99, previousModel: parseSegmentModel(JSON.stringify(first.model)) });
    const clusters = first.model.segments.filter((s) => s.kind === "cluster").length;
    expect(second.diagnostics.matchedSegments).toBe(clusters);
    expect(segmentIds(second, t)).toEqual(segmentIds(first, t));
    const names = (r: SegmentationResult): string[] => r.model.segments.map((s) => `${s.id}:${s.name}`).sort();
    expect(names(second)).toEqual(names(first));
  });

  const linesPromise = loadLines();
  it.each([
    ["kmeans" as const, "auto" as const],
    ["kmeans" as const, 6],
    ["hybrid" as const, "auto" as const],
  ])("Online Retail + 1 %% new orders changes the segment of < 1 %% of unchanged customers (%s, k = %s)", async (algorithm, k) => {
    const lines = await linesPromise;
    // hold out 1 % of the customers' orders (seeded), as if they arrived after the first run
    const orders = [...new Set(lines.filter((l) => l.customerId !== null).map((l) => l.orderId))].sort();
    const rng = createRng(2026);
    const heldOut = new Set(orders.filter(() => rng() < 0.01));
    expect(heldOut.size).toBeGreaterThan(150);
    const before = features(lines, (l) => heldOut.has(l.orderId));
    const after = features(lines, () => false);
    const touched = new Set(lines.filter((l) => heldOut.has(l.orderId) && l.customerId !== null).map((l) => l.customerId!));

    const first = segmentCustomers(before, { seed: 42, k, algorithm });
    const second = segmentCustomers(after, { seed: 42, k, algorithm, previousModel: parseSegmentModel(JSON.stringify(first.model)) });
    const a = segmentIds(first, before);
    const b = segmentIds(second, after);
    let unchanged = 0;
    let moved = 0;
    for (const [id, seg] of a) {
      if (touched.has(id)) continue;
      unchanged++;
      if (b.get(id) !== seg) moved++;
    }
    expect(unchanged).toBeGreaterThan(3500);
    expect(moved / unchanged).toBeLessThan(0.01);
    // and the ids are the same set
    expect(new Set(second.model.segments.map((s) => s.id))).toEqual(new Set(first.model.segments.map((s) => s.id)));

    // the hysteresis margin is what keeps boundary customers: without it more of them move
    const noMargin = segmentCustomers(after, { seed: 42, k, algorithm, previousModel: first.model, hysteresisMargin: 0 });
    const c = segmentIds(noMargin, after);
    let movedNoMargin = 0;
    for (const [id, seg] of a) if (!touched.has(id) && c.get(id) !== seg) movedNoMargin++;
    expect(moved).toBeLessThanOrEqual(movedNoMargin);
  });
});
