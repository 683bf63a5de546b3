import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { createRfmAccumulator, type RfmFeatureTable } from "../../../app/analytics/rfm/features";
import { scoreRfm } from "../../../app/analytics/rfm/scores";
import { openCsvText, readTransactionBatches, ONLINE_RETAIL_CANCELLATION_PREFIX } from "../../../cli/csv/transactions";
import { parseCsv } from "../../../cli/csv/parser";

// The data set sits beside the repository (CI clones the repo with shared/ next to it).
const DATA = fileURLToPath(new URL("../../../../shared/data/online_retail.csv.gz", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../../fixtures/reference/rfm_online_retail.csv.gz", import.meta.url));
const EDGES = fileURLToPath(new URL("../../fixtures/reference/rfm_online_retail_edges.json", import.meta.url));

async function computeOnlineRetail(): Promise<RfmFeatureTable> {
  const acc = createRfmAccumulator({ asOf: "2011-12-10" });
  for await (const batch of readTransactionBatches(openCsvText(DATA), { cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX })) {
    expect(batch.problems).toEqual([]);
    for (const r of batch.rows) acc.addLine(r);
  }
  return acc.finish();
}

describe("RFM on the full Online Retail file equals the pandas reference (scripts/reference/rfm_online_retail.py)", async () => {
  const t = await computeOnlineRetail();
  const scores = scoreRfm(t);
  const golden = parseCsv(gunzipSync(readFileSync(FIXTURE)).toString("utf8"));
  const header = golden[0]!.fields;
  const col = (name: string): number => header.indexOf(name);
  const ref = new Map(golden.slice(1).map((r) => [r.fields[col("customer_id")]!, r.fields]));

  it("has the same customers", () => {
    expect(t.count).toBe(4372);
    expect(new Set(t.customerIds)).toEqual(new Set(ref.keys()));
  });

  it("matches recency, frequency and monetary (exact, milli) for every customer", () => {
    let compared = 0;
    for (let i = 0; i < t.count; i++) {
      const g = ref.get(t.customerIds[i]!)!;
      const rec = g[col("recency_days")]!;
      expect(Number.isNaN(t.recencyDays[i]!) ? "" : String(t.recencyDays[i])).toBe(rec);
      expect(t.frequency[i]).toBe(Number(g[col("frequency")]));
      expect(t.monetaryMilli[i]).toBe(Number(g[col("monetary_minor")]));
      compared++;
    }
    expect(compared).toBe(4372);
    const total = t.monetaryMilli.reduce((a, b) => a + b, 0);
    expect(total).toBe(JSON.parse(readFileSync(EDGES, "utf8")).total_monetary_minor);
  });

  it("matches tenure, mean inter-purchase days and value decay", () => {
    for (let i = 0; i < t.count; i++) {
      const g = ref.get(t.customerIds[i]!)!;
      const ten = g[col("tenure_days")]!;
      expect(Number.isNaN(t.tenureDays[i]!) ? "" : String(t.tenureDays[i])).toBe(ten);
      const gap = g[col("mean_gap_days")]!;
      if (gap === "") expect(Number.isNaN(t.meanInterPurchaseDays[i]!)).toBe(true);
      else expect(t.meanInterPurchaseDays[i]).toBeCloseTo(Number(gap), 5);
      expect(Math.abs(t.valueDecayMilli[i]! - Number(g[col("value_decay_minor")]))).toBeLessThan(1e-3 + 1e-9 * Math.abs(t.valueDecayMilli[i]!));
    }
  });

  it("matches the R, F, M scores of every customer and the quintile ranges", () => {
    for (let i = 0; i < t.count; i++) {
      const g = ref.get(t.customerIds[i]!)!;
      expect([scores.r[i], scores.f[i], scores.m[i]]).toEqual([Number(g[col("r")]), Number(g[col("f")]), Number(g[col("m")])]);
    }
    const edges = JSON.parse(readFileSync(EDGES, "utf8")) as { scored: number; ranges: Record<string, ([number, number] | null)[]> };
    expect(scores.model.n).toBe(edges.scored);
    expect(scores.model.recency.ranges).toEqual(edges.ranges.recency);
    expect(scores.model.frequency.ranges).toEqual(edges.ranges.frequency);
    expect(scores.model.monetary.ranges).toEqual(edges.ranges.monetary);
  });

  it("keeps the published quirks: 33 return-only customers, returns rows counted", () => {
    const returnOnly = Array.from(t.frequency).filter((f) => f === 0).length;
    expect(returnOnly).toBe(4372 - edges().scored);
    expect(t.stats.guestRows).toBe(135_080);
    expect(t.stats.rows).toBe(541_909);
  });
});

function edges(): { scored: number } {
  return JSON.parse(readFileSync(EDGES, "utf8")) as { scored: number };
}
