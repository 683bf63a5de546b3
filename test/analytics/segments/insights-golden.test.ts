// Run insights (distributions + migration) against numpy: scripts/reference/run_insights.py read
// test/fixtures/insights/{run,previous}.csv and wrote expected.json (np.histogram counts, the
// rounded quantile cuts, the migration pairs); the core must give the same numbers.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { moneyBinLabels, roundSignificant, runDistributions, runMigration, type InsightFeatures } from "../../../app/analytics/index";

const dir = path.join(__dirname, "../../fixtures/insights");

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(path.join(dir, file), "utf8").trim().split(/\r?\n/);
  const names = header!.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i]!, v])));
}

interface ExpectedHistogram {
  edges: number[];
  store: number[];
  segments: Record<string, number[]>;
}
const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as {
  segmentIds: string[];
  excluded: number;
  recency: ExpectedHistogram;
  frequency: ExpectedHistogram;
  monetary: ExpectedHistogram;
  migration: { rows: { from: string | null; to: string; customers: number }[]; gone: number };
};

const run = readCsv("run.csv");
const features: InsightFeatures = {
  count: run.length,
  customerIds: run.map((r) => r.customer_id!),
  recencyDays: Float64Array.from(run, (r) => (r.recency_days === "" ? NaN : Number(r.recency_days))),
  frequency: Int32Array.from(run, (r) => Number(r.frequency)),
  monetaryMilli: Float64Array.from(run, (r) => Number(r.monetary_milli)),
};
const segmentIds = expected.segmentIds;
const segmentIndex = Int32Array.from(run, (r) => segmentIds.indexOf(r.segment!));

describe("run insights (numpy golden)", () => {
  const d = runDistributions(features, segmentIndex, segmentIds);

  it.each(["recency", "frequency", "monetary"] as const)("%s: edges and counts per bin, store and per segment, as np.histogram", (feature) => {
    expect(d[feature].edges).toEqual(expected[feature].edges);
    expect(d[feature].store).toEqual(expected[feature].store);
    expect(d[feature].segments).toEqual(expected[feature].segments);
    expect(d[feature].labels).toHaveLength(d[feature].edges.length - 1);
  });

  it("leaves the customers without a purchase out of every histogram", () => {
    expect(expected.excluded).toBeGreaterThan(0);
    for (const feature of ["recency", "frequency", "monetary"] as const) {
      expect(d[feature].store.reduce((a, b) => a + b, 0)).toBe(run.length - expected.excluded);
    }
    expect(d.recency.segments.PROSPECTS!.every((c) => c === 0)).toBe(true);
  });

  it("labels the fixed bins in words", () => {
    expect(d.recency.labels).toEqual(["0–30 days", "31–90 days", "91–180 days", "181–365 days", "Over 365 days"]);
    expect(d.frequency.labels).toEqual(["1 order", "2 orders", "3–4 orders", "5–9 orders", "10+ orders"]);
    expect(moneyBinLabels([-4, 87, 250, 1000])).toEqual(["Under 87", "87–250", "250 and over"]);
    expect(moneyBinLabels([0, 5])).toEqual(["All"]);
    expect([roundSignificant(307.5), roundSignificant(0.04749), roundSignificant(12345)]).toEqual([310, 0.047, 12000]);
  });

  it("migration: customers per (previous segment → this segment), largest first, and the gone ones", () => {
    const previousRows = readCsv("previous.csv");
    const previous = new Map(previousRows.map((r) => [r.customer_id!, r.segment!]));
    const names = new Map([...new Set(previous.values())].map((id) => [id, `Name of ${id}`]));
    const m = runMigration(features, segmentIndex, segmentIds, { runId: 41, segments: previous, names });
    expect(m.previousRunId).toBe(41);
    expect(m.gone).toBe(expected.migration.gone);
    expect(m.rows.map(({ from, to, customers }) => ({ from, to, customers }))).toEqual(expected.migration.rows);
    expect(m.rows.reduce((s, r) => s + r.customers, 0)).toBe(run.length);
    for (const r of m.rows) expect(r.fromName).toBe(r.from === null ? null : `Name of ${r.from}`);
  });

  it("a store without buyers gives the fixed bins with zero counts and one money bin", () => {
    const empty = runDistributions({ count: 1, customerIds: ["x"], recencyDays: Float64Array.of(NaN), frequency: Int32Array.of(0), monetaryMilli: Float64Array.of(0) }, Int32Array.of(0), ["PROSPECTS"]);
    expect(empty.recency.store).toEqual([0, 0, 0, 0, 0]);
    expect(empty.monetary.edges).toEqual([0, 1]);
    expect(empty.monetary.labels).toEqual(["All"]);
  });
});
