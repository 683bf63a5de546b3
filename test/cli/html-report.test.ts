import { describe, expect, it } from "vitest";
import { renderReport, reportCharts, esc } from "../../cli/html-report";
import { segmentCustomers } from "../../app/analytics/segments/pipeline";
import { parseArgs, type SegmentCommand } from "../../cli/args";
import { blobs, FOUR_GROUPS } from "../analytics/segments/planted-groups";

describe("HTML report", () => {
  const features = blobs(FOUR_GROUPS, 2);
  const result = segmentCustomers(features, { seed: 1, currencySymbol: "<u>" });
  const evil = '<img src=x onerror="alert(1)">.csv';
  const command = parseArgs(["segment", evil]) as SegmentCommand;
  const html = renderReport({ result, features, file: evil, command, skipped: new Map([["<bad> reason", 2]]), validRows: 10, currency: "<u>" });

  it("escapes every piece of text", () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<u>");
    expect(html).toContain("&lt;u&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.csv");
    expect(html).toContain("&lt;bad&gt; reason");
  });
  it("is self-contained: inline SVG plots, no script, no external URL", () => {
    expect(html).not.toMatch(/https?:|<script|<link|<img|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain("Elbow: inertia by K");
    expect(html).toContain("Silhouette by K");
    expect(html).toContain("k-distance");
    expect(html).toContain("PCA of scaled R/F/M");
    for (const p of result.profiles.filter((x) => x.size > 0)) expect(html).toContain(esc(p.name));
  });
  it("draws the admin's chart components: accessible figures, each with its data table", () => {
    expect(html.match(/<figure class="segmint-chart /g)).toHaveLength(4);
    expect(html.match(/<svg [^>]*role="img"/g)).toHaveLength(4);
    expect(html.match(/<summary>Show data<\/summary>/g)).toHaveLength(4);
    for (const id of ["report-elbow", "report-silhouette", "report-k-distance", "report-pca"]) expect(html).toContain(`data-testid="${id}"`);
    // ids from one render pass: no two charts share one
    const ids = [...html.matchAll(/aria-labelledby="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(4);
    // every sampled customer of the PCA is a dot, every segment centre a large mark
    expect(html.match(/<circle class="segmint-chart-point"/g)!.length).toBe(result.plots.pca!.points.length);
    // and every K of the elbow and silhouette curves a dot on its line
    expect(html.match(/<circle class="visx-circle segmint-chart-point"/g)!.length).toBe(result.plots.elbow.length + result.plots.silhouette.length);
    expect(html.match(/class="segmint-chart-centre"/g) ?? []).toHaveLength(result.plots.pca!.centroids.length);
  });
  it("marks eps at the k-distance knee, and the chosen K when K-means chose one", () => {
    const kd = result.plots.kDistance!;
    expect(html).toMatch(new RegExp(`>eps ${Number(kd.eps.toPrecision(3))} \\(knee\\)</text>`));
    const kmeans = segmentCustomers(features, { seed: 1, algorithm: "kmeans" });
    const charts = reportCharts(kmeans);
    const k = kmeans.diagnostics.k!;
    expect(charts.match(new RegExp(`>K = ${k} \\(chosen\\)</text>`, "g"))).toHaveLength(2);
    // the hybrid fits no single K: nothing marked on its elbow and silhouette
    expect(html).not.toContain("(chosen)");
  });
  it("says so instead of drawing a curve that was not computed", () => {
    const bare = { ...result, plots: { elbow: [], silhouette: [], kDistance: null, pca: null } };
    const charts = reportCharts(bare);
    expect(charts.match(/No data for this chart/g)).toHaveLength(4);
    expect(charts).not.toContain("<svg");
  });
});
