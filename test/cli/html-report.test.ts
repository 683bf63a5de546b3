import { describe, expect, it } from "vitest";
import { renderReport, esc, lineChart } from "../../cli/html-report";
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
  it("draws a placeholder when a curve was not computed", () => {
    expect(lineChart("Elbow", "K", "inertia", [], null)).toContain("Elbow: not computed");
  });
});
