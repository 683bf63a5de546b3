import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { formatMoneyReadable, type RfmFeatureTable, type SegmentationResult } from "../app/analytics/index";
import { LineChart, ScatterChart, seriesColor } from "../app/components/charts";
import type { SegmentCommand } from "./args";

/** HTML-escapes text (element content and attribute values). */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Tick and caption numbers: "12,345", "1.23e+7", "0.123". */
function num(v: number): string {
  if (Math.abs(v) >= 1e7) return v.toExponential(2);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(3)).toString();
}

/**
 * The report's four charts (elbow and silhouette with the chosen K, k-distance with eps at the
 * knee, the PCA scatter by segment), drawn by the admin's own chart components and rendered to
 * static markup in one pass so their element ids stay unique within the page.
 */
export function reportCharts(result: SegmentationResult): string {
  const p = result.plots;
  const d = result.diagnostics;
  const chosenK = result.model.algorithm === "kmeans" && d.k !== null ? { x: d.k, label: `K = ${d.k} (chosen)` } : null;
  // The rule behind K is stated in the report's header; the charts only say what is marked.
  const kRule = chosenK ? ` The chosen K = ${d.k} is marked.` : " Shown for the whole population; the segments were not fitted with one K.";
  const evr = p.pca?.explainedVarianceRatio ?? [];
  const share = (i: number) => (evr[i] === undefined ? "" : ` (${(evr[i]! * 100).toFixed(0)}% of variance)`);
  const kd = p.kDistance;
  const charts = [
    createElement(LineChart, {
      key: "elbow",
      title: "Elbow: inertia by K",
      summary: `Within-cluster sum of squares of K-means for each K; the curve flattens after the useful number of clusters.${kRule}`,
      xLabel: "K (clusters)",
      yLabel: "Inertia",
      points: p.elbow.map((e) => ({ x: e.k, y: e.inertia })),
      marker: chosenK,
      testId: "report-elbow",
    }),
    createElement(LineChart, {
      key: "silhouette",
      title: "Silhouette by K (sampled)",
      summary: `Mean silhouette of a sample for each K, from -1 to 1; higher means better separated clusters.${kRule}`,
      xLabel: "K (clusters)",
      yLabel: "Silhouette",
      points: p.silhouette.map((e) => ({ x: e.k, y: e.silhouette })),
      marker: chosenK,
      testId: "report-silhouette",
    }),
    createElement(LineChart, {
      key: "k-distance",
      title: kd ? `k-distance (k = ${kd.minPoints})` : "k-distance",
      summary: kd
        ? `Each sampled customer's distance to its ${kd.minPoints}th nearest neighbour, sorted; the knee at ${num(kd.eps)} is the DBSCAN radius eps proposed.`
        : "Each customer's distance to its k-th nearest neighbour, sorted (not computed for this run).",
      xLabel: "Customers sorted by distance",
      yLabel: "Distance to k-th neighbour",
      points: (kd?.curve ?? []).map((c) => ({ x: c.index, y: c.distance })),
      marker: kd ? { x: kd.kneeIndex, label: `eps ${num(kd.eps)} (knee)` } : null,
      testId: "report-k-distance",
    }),
    createElement(ScatterChart, {
      key: "pca",
      title: "PCA of scaled R/F/M",
      summary: `A sample of customers on the first two principal components of scaled recency, frequency and monetary${evr.length > 0 ? ` (together ${(evr.slice(0, 2).reduce((a, b) => a + b, 0) * 100).toFixed(0)}% of the variance)` : ""}, coloured by segment; large dots are segment centres.`,
      xLabel: `PC1${share(0)}`,
      yLabel: `PC2${share(1)}`,
      points: (p.pca?.points ?? []).map((q) => ({ x: q.x, y: q.y, series: q.segment })),
      centres: (p.pca?.centroids ?? []).map((q) => ({ x: q.x, y: q.y, series: q.segment })),
      seriesNames: result.model.segments.map((s) => s.name),
      height: 400,
      testId: "report-pca",
    }),
  ];
  return renderToStaticMarkup(createElement(Fragment, null, ...charts.map((chart) => createElement("div", { key: chart.key, className: "card" }, chart))));
}

/** "48 days, 4.1 orders, £1,430" (original units), or "-" when the segment has no centre. */
export function centroidText(c: readonly number[], currency: string): string {
  if (c.length !== 3 || c.some((v) => !Number.isFinite(v))) return "-";
  return `${Math.round(c[0]!)} days, ${c[1]!.toFixed(1)} orders, ${formatMoneyReadable(Math.round(c[2]! * 1000), currency)}`;
}

export interface ReportInput {
  readonly result: SegmentationResult;
  readonly features: RfmFeatureTable;
  readonly file: string;
  readonly command: SegmentCommand;
  readonly skipped: ReadonlyMap<string, number>;
  readonly validRows: number;
  readonly currency: string;
}

/** The whole report: one HTML file, inline CSS and SVG, no script, no external URL; readable without JavaScript. */
export function renderReport(input: ReportInput): string {
  const { result, features, command, currency } = input;
  const d = result.diagnostics;
  const charts = reportCharts(result);
  const rows = result.profiles
    .map(
      (pr, k) => `<tr><td><i class="sw" style="background:${seriesColor(k)}"></i>${esc(pr.name)}<br><small>${esc(pr.segmentId)}</small></td><td class="n">${pr.size}</td><td class="n">${(pr.share * 100).toFixed(1)}%</td><td class="n">${(pr.revenueShare * 100).toFixed(1)}%</td>` +
        `<td class="n">${Number.isNaN(pr.mean.recencyDays) ? "-" : pr.mean.recencyDays.toFixed(0)} / ${Number.isNaN(pr.median.recencyDays) ? "-" : pr.median.recencyDays.toFixed(0)}</td>` +
        `<td class="n">${Number.isNaN(pr.mean.frequency) ? "-" : pr.mean.frequency.toFixed(1)} / ${Number.isNaN(pr.median.frequency) ? "-" : pr.median.frequency}</td>` +
        `<td class="n">${esc(formatMoneyReadable(Number.isNaN(pr.mean.monetaryMilli) ? 0 : pr.mean.monetaryMilli, currency))} / ${esc(formatMoneyReadable(pr.median.monetaryMilli, currency))}</td>` +
        `<td class="n">${esc(centroidText(pr.centroidOriginal, currency))}</td>` +
        `<td>${esc(pr.definition)}</td><td>${esc(pr.action)}</td></tr>`,
    )
    .join("\n");
  const skipped = [...input.skipped.entries()].map(([r, c]) => `${c} ${r}`).join(", ") || "none";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Segmint report: ${esc(input.file)}</title>
<style>
:root{--p-color-text:#303030;--p-color-text-secondary:#616161;--p-color-text-critical:#8e0b21;--p-color-text-link:#005bd3;--p-color-border:#e3e3e3;--p-color-border-secondary:#ebebeb;--p-color-border-inverse:#616161;--p-color-bg:#f1f1f1;--p-color-bg-surface:#fff;--p-color-bg-fill-emphasis:#005bd3;--p-color-bg-fill-critical:#c70a24;--p-color-icon-secondary:#8a8a8a;--p-font-family-sans:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',sans-serif}
body{font:14px/1.4 var(--p-font-family-sans);margin:24px;color:var(--p-color-text);background:var(--p-color-bg)}h1{font-size:20px}h2{font-size:16px;margin-top:24px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(460px,100%),1fr));gap:16px}
.card{background:var(--p-color-bg-surface);border:1px solid var(--p-color-border);border-radius:12px;padding:16px;min-width:0}
.scroll{overflow-x:auto;background:var(--p-color-bg-surface)}
table{border-collapse:collapse}td,th{border:1px solid var(--p-color-border);padding:4px 6px;vertical-align:top}th{background:#f7f7f7}.n{text-align:right;white-space:nowrap}
.sw{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
@media (max-width:600px){body{margin:12px}}
</style></head><body>
<main>
<h1>Segmint report</h1>
<p>Input <code>${esc(input.file)}</code>: ${input.validRows} valid rows, skipped: ${esc(skipped)}. ${features.count} customers as of ${esc(features.asOf)}; ${d.clusteredCustomers} with a purchase were segmented.</p>
<p>Algorithm <b>${esc(command.algorithm)}</b>, seed ${command.seed}. ${esc(d.kRule ?? "")}${d.silhouette === null ? "" : `. Silhouette (sampled): ${d.silhouette.toFixed(3)}`}.</p>
<h2>Model diagnostics</h2>
<div class="charts">
${charts}
</div>
<h2>Segment profiles</h2>
<div class="scroll" tabindex="0" role="region" aria-label="Segment profiles table"><table><thead><tr><th>Segment</th><th>Customers</th><th>Share</th><th>Revenue share</th><th>Recency days mean / median</th><th>Orders mean / median</th><th>Spend mean / median</th><th>Centroid (days, orders, spend)</th><th>Definition</th><th>Recommended action</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p><small>Generated by segmint. Data stays local; this file loads nothing from the network.</small></p>
</main>
</body></html>
`;
}
