import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { explainCustomer, formatMilli, NOT_CLUSTERED_LABEL, RFM_GROUPS, type RfmFeatureTable, type SegmentationResult } from "../app/analytics/index";

/** Columns of the per-customer CSV, in order: a contract (docs/analytics.md, --help). */
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
      (label === NOT_CLUSTERED_LABEL ? "" : String(label)) +
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
