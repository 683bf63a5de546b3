// Seeded customers planted around known RFM centres ("blobs"), so a segmentation test knows the
// groups it must recover; plus a snapshot to prove inputs are not mutated.
import { createRng, randomNormal } from "../../../app/analytics/util/random";
import { featureTableFromRows, type RfmFeatureTable } from "../../../app/analytics/rfm/features";

export interface Blob {
  n: number;
  recency: number;
  frequency: number;
  monetary: number; // units of currency
  spread?: number; // relative
  prefix: string;
}

/** Seeded customers around given centres (log-normal-ish noise), as an RFM feature table. */
export function blobs(list: readonly Blob[], seed: number, asOf = "2024-06-30"): RfmFeatureTable {
  const rng = createRng(seed);
  const rows: { customerId: string; recencyDays: number | null; frequency: number; monetaryMilli: number }[] = [];
  for (const b of list) {
    const s = b.spread ?? 0.15;
    for (let i = 0; i < b.n; i++) {
      const jitter = (v: number): number => v * Math.exp(s * randomNormal(rng));
      rows.push({
        customerId: `${b.prefix}${i}`,
        recencyDays: Math.max(0, Math.round(jitter(b.recency))),
        frequency: Math.max(1, Math.round(jitter(b.frequency))),
        monetaryMilli: Math.round(jitter(b.monetary) * 100) * 10,
      });
    }
  }
  return featureTableFromRows(rows, asOf);
}

export const FOUR_GROUPS: readonly Blob[] = [
  { n: 120, recency: 5, frequency: 12, monetary: 3000, prefix: "champ" },
  { n: 200, recency: 20, frequency: 1, monetary: 60, prefix: "new" },
  { n: 150, recency: 350, frequency: 6, monetary: 1500, prefix: "risk" },
  { n: 250, recency: 300, frequency: 1, monetary: 40, prefix: "gone" },
];

/** Copies every column so that a later comparison proves the inputs were not mutated. */
export function snapshot(t: RfmFeatureTable): unknown {
  return {
    ids: [...t.customerIds],
    r: Array.from(t.recencyDays),
    f: Array.from(t.frequency),
    m: Array.from(t.monetaryMilli),
  };
}
