import { formatMoneyReadable, type RfmFeatureTable, type SegmentationResult } from "../app/analytics/index";
import type { SegmentCommand } from "./args";

/** HTML-escapes text (element content and attribute values). */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const color = (k: number): string => PALETTE[k % PALETTE.length]!;

const W = 460;
const H = 260;
const M = { l: 56, r: 12, t: 24, b: 36 };

function scale(min: number, max: number, a: number, b: number): (v: number) => number {
  const span = max - min || 1;
  return (v) => a + ((v - min) / span) * (b - a);
}

function num(v: number): string {
  if (Math.abs(v) >= 1e7) return v.toExponential(2);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(3)).toString();
}

function axes(title: string, xLabel: string, yLabel: string, xr: [number, number], yr: [number, number]): string {
  return [
    `<text x="${W / 2}" y="16" text-anchor="middle" class="t">${esc(title)}</text>`,
    `<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" class="ax"/>`,
    `<line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" class="ax"/>`,
    `<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${esc(yLabel)}</text>`,
    `<text x="${M.l}" y="${H - M.b + 14}" text-anchor="start">${esc(num(xr[0]))}</text>`,
    `<text x="${W - M.r}" y="${H - M.b + 14}" text-anchor="end">${esc(num(xr[1]))}</text>`,
    `<text x="${M.l - 4}" y="${H - M.b}" text-anchor="end">${esc(num(yr[0]))}</text>`,
    `<text x="${M.l - 4}" y="${M.t + 8}" text-anchor="end">${esc(num(yr[1]))}</text>`,
  ].join("");
}

export function lineChart(title: string, xLabel: string, yLabel: string, pts: readonly { x: number; y: number }[], marker: number | null): string {
  if (pts.length === 0) return `<svg viewBox="0 0 ${W} ${H}" class="chart" role="img"><text x="${W / 2}" y="${H / 2}" text-anchor="middle">${esc(title)}: not computed</text></svg>`;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const xr: [number, number] = [Math.min(...xs), Math.max(...xs)];
  const yr: [number, number] = [Math.min(...ys), Math.max(...ys)];
  const sx = scale(xr[0], xr[1], M.l, W - M.r);
  const sy = scale(yr[0], yr[1], H - M.b, M.t);
  const path = pts.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join("");
  const dots = pts.length <= 40 ? pts.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3"/>`).join("") : "";
  const mark = marker === null ? "" : `<line x1="${sx(marker).toFixed(1)}" y1="${M.t}" x2="${sx(marker).toFixed(1)}" y2="${H - M.b}" class="mk"/>`;
  return `<svg viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="${esc(title)}">${axes(title, xLabel, yLabel, xr, yr)}${mark}<path d="${path}" class="ln"/>${dots}</svg>`;
}

export function scatter(title: string, pts: readonly { x: number; y: number; segment: number }[], centres: readonly { x: number; y: number; segment: number }[]): string {
  if (pts.length === 0) return "";
  const all = [...pts, ...centres];
  const xr: [number, number] = [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  const yr: [number, number] = [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))];
  const sx = scale(xr[0], xr[1], M.l, W - M.r);
  const sy = scale(yr[0], yr[1], H - M.b, M.t);
  const dots = pts.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2" fill="${color(p.segment)}" fill-opacity="0.55"/>`).join("");
  const cs = centres.map((p) => `<rect x="${(sx(p.x) - 5).toFixed(1)}" y="${(sy(p.y) - 5).toFixed(1)}" width="10" height="10" fill="${color(p.segment)}" stroke="#000"/>`).join("");
  return `<svg viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="${esc(title)}">${axes(title, "PC1", "PC2", xr, yr)}${dots}${cs}</svg>`;
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

/** The whole report: one HTML file, inline CSS and SVG, no script, no external URL. */
export function renderReport(input: ReportInput): string {
  const { result, features, command, currency } = input;
  const p = result.plots;
  const d = result.diagnostics;
  const evr = p.pca?.explainedVarianceRatio ?? [];
  const chosenK = d.k;
  const charts = [
    lineChart("Elbow: inertia by K", "K", "inertia", p.elbow.map((e) => ({ x: e.k, y: e.inertia })), result.model.algorithm === "kmeans" ? chosenK : null),
    lineChart("Silhouette by K (sampled)", "K", "silhouette", p.silhouette.map((e) => ({ x: e.k, y: e.silhouette })), result.model.algorithm === "kmeans" ? chosenK : null),
    lineChart(
      p.kDistance ? `k-distance (k = ${p.kDistance.minPoints}), knee eps ${num(p.kDistance.eps)}` : "k-distance",
      "points sorted by distance",
      "distance to k-th neighbour",
      (p.kDistance?.curve ?? []).map((c) => ({ x: c.index, y: c.distance })),
      null,
    ),
    p.pca ? scatter(`PCA of scaled R/F/M (explained ${evr.map((v) => (v * 100).toFixed(0) + "%").join(" + ")})`, p.pca.points, p.pca.centroids) : "",
  ].join("\n");
  const legend = result.model.segments
    .map((s, k) => `<span class="lg"><i style="background:${color(k)}"></i>${esc(s.name)}</span>`)
    .join(" ");
  const rows = result.profiles
    .map(
      (pr, k) => `<tr><td><i class="sw" style="background:${color(k)}"></i>${esc(pr.name)}<br><small>${esc(pr.segmentId)}</small></td><td class="n">${pr.size}</td><td class="n">${(pr.share * 100).toFixed(1)}%</td><td class="n">${(pr.revenueShare * 100).toFixed(1)}%</td>` +
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
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:12px}
.chart{width:100%;height:auto;border:1px solid #ddd;background:#fff}.chart text{font-size:10px}.chart .t{font-size:12px;font-weight:600}
.ax{stroke:#444}.ln{fill:none;stroke:#1f77b4;stroke-width:2}.mk{stroke:#d62728;stroke-dasharray:4 3}
table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top}th{background:#f4f4f4}.n{text-align:right;white-space:nowrap}
.sw,.lg i{display:inline-block;width:10px;height:10px;margin-right:4px}.lg{margin-right:10px}
</style></head><body>
<h1>Segmint report</h1>
<p>Input <code>${esc(input.file)}</code>: ${input.validRows} valid rows, skipped: ${esc(skipped)}. ${features.count} customers as of ${esc(features.asOf)}; ${d.clusteredCustomers} with a purchase were segmented.</p>
<p>Algorithm <b>${esc(command.algorithm)}</b>, seed ${command.seed}. ${esc(d.kRule ?? "")}${d.silhouette === null ? "" : `. Silhouette (sampled): ${d.silhouette.toFixed(3)}`}.</p>
<div class="charts">
${charts}
</div>
<p>${legend}</p>
<h2>Segment profiles</h2>
<table><thead><tr><th>Segment</th><th>Customers</th><th>Share</th><th>Revenue share</th><th>Recency days mean / median</th><th>Orders mean / median</th><th>Spend mean / median</th><th>Centroid (days, orders, spend)</th><th>Definition</th><th>Recommended action</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><small>Generated by segmint. Data stays local; this file loads nothing from the network.</small></p>
</body></html>
`;
}
