import { formatMoneyReadable, RFM_GROUPS, type SegmentationResult } from "../app/analytics/index";

// The run summary printed on stdout: the segment table and the RFM group counts.

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
