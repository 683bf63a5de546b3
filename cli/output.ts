import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { explainCustomer, formatMilli, formatMoneyReadable, RFM_GROUPS, type RfmFeatureTable, type SegmentationResult } from "../app/analytics/index";

export const OUTPUT_COLUMNS = [
  "customer_id",
  "recency_days",
  "frequency",
  "monetary",
  "r_score",
  "f_score",
  "m_score",
  "rfm_group",
  "cluster",
  "segment",
  "outlier",
  "explanation",
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the per-customer CSV, streaming (1M rows never become one string). */
export async function writeSegmentsCsv(path: string, features: RfmFeatureTable, result: SegmentationResult, currency: string): Promise<number> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  let buf = OUTPUT_COLUMNS.join(",") + "\n";
  const names = result.model.segments.map((s) => csvField(s.name));
  for (let i = 0; i < features.count; i++) {
    const has = features.frequency[i]! > 0;
    const label = result.labels[i]!;
    buf +=
      csvField(features.customerIds[i]!) +
      "," +
      (has ? String(features.recencyDays[i]) : "") +
      "," +
      features.frequency[i] +
      "," +
      formatMilli(features.monetaryMilli[i]!) +
      "," +
      (has ? `${result.r[i]},${result.f[i]},${result.m[i]}` : ",,") +
      "," +
      csvField(RFM_GROUPS[result.rfmGroups[i]!].name) +
      "," +
      (label === -2 ? "" : String(label)) +
      "," +
      names[result.segmentIndex[i]!] +
      "," +
      (result.outlier[i] === 1 ? "true" : "false") +
      "," +
      csvField(explainCustomer(result, features, i, currency)) +
      "\n";
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await Promise.race([once(out, "drain"), failed]);
      buf = "";
    }
  }
  out.end(buf);
  await Promise.race([once(out, "finish"), failed]);
  return features.count;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Plain-text summary table for stdout. */
export function summaryTable(result: SegmentationResult, currency: string): string {
  const header = ["segment", "customers", "share", "revenue", "median R (days)", "median F", "median M"];
  const rows = result.profiles
    .filter((p) => p.size > 0)
    .map((p) => [
      p.name,
      String(p.size),
      pct(p.share),
      pct(p.revenueShare),
      Number.isNaN(p.median.recencyDays) ? "-" : String(Math.round(p.median.recencyDays)),
      Number.isNaN(p.median.frequency) ? "-" : String(p.median.frequency),
      formatMoneyReadable(p.median.monetaryMilli, currency),
    ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]): string => r.map((c, j) => pad(c, widths[j]!, j > 0)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Counts per RFM group as text. */
export function groupCounts(result: SegmentationResult): string {
  const counts = new Map<string, number>();
  for (const g of result.rfmGroups) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([g, c]) => `${RFM_GROUPS[g as keyof typeof RFM_GROUPS].name} ${c}`)
    .join(", ");
}
