import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DistributionChart, LineChart, ScatterChart, seriesColor } from "../../app/components/charts";

// The charts render to plain markup (no DOM in this environment), so the tests read that markup.

/** Every start tag of `tag` whose class list has `cls`, as attribute maps. */
function elements(html: string, tag: string, cls?: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>`, "g"))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    if (cls === undefined || (attrs.class ?? "").split(" ").includes(cls)) out.push(attrs);
  }
  return out;
}

/** The text of the element with this id (title, desc). */
function textById(html: string, id: string): string | undefined {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`id="${escaped}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

/** Data-table body rows as arrays of cell texts. */
function tableRows(html: string): string[][] {
  const body = /<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]!));
}

const num = (s: string | undefined) => Number(s);
const elbow = [2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => ({ x: k, y: Math.round(90_000 / k) }));

describe("LineChart", () => {
  const html = renderToStaticMarkup(
    <LineChart title="Elbow: inertia by K" summary="Inertia falls as K grows; K = 4 was chosen." xLabel="K" yLabel="Inertia" points={elbow}
      marker={{ x: 4, label: "K = 4 (chosen)" }} testId="chart-elbow" />,
  );

  it("is an SVG image named by its title and described by its summary", () => {
    expect(typeof document).toBe("undefined"); // drawn without a DOM
    const [svg] = elements(html, "svg");
    expect(svg!.role).toBe("img");
    expect(textById(html, svg!["aria-labelledby"]!)).toBe("Elbow: inertia by K");
    expect(textById(html, svg!["aria-describedby"]!)).toBe("Inertia falls as K grows; K = 4 was chosen.");
    expect(svg!.viewBox).toMatch(/^0 0 560 \d+$/);
    expect(svg!.width).toBe("100%");
    expect(html).toMatch(/^<figure [^>]*data-testid="chart-elbow"/);
    expect(html).toMatch(/<figcaption[^>]*>.*Elbow: inertia by K.*Inertia falls as K grows/);
  });

  it("draws one point per datum and a line through all of them", () => {
    expect(elements(html, "circle", "segmint-chart-point")).toHaveLength(elbow.length);
    const d = elements(html, "path", "segmint-chart-line")[0]!.d!;
    expect(d.match(/[ML]/g)).toHaveLength(elbow.length);
  });

  it("puts the marker at the scale's x of the chosen K, with its label", () => {
    const dots = elements(html, "circle", "segmint-chart-point").map((c) => num(c.cx));
    const [line] = elements(html, "line", "segmint-chart-marker");
    expect(num(line!.x1)).toBe(num(line!.x2));
    // the point at K = 4 is the third; the marker shares its x
    expect(num(line!.x1)).toBeCloseTo(dots[2]!, 1);
    expect(html).toContain(">K = 4 (chosen)</text>");
  });

  it("places a marker between data points by the linear scale (eps at a knee)", () => {
    const h = renderToStaticMarkup(<LineChart title="t" summary="s" xLabel="x" yLabel="y" points={elbow} marker={{ x: 4.5, label: "m" }} />);
    const dots = elements(h, "circle", "segmint-chart-point").map((c) => num(c.cx));
    const x = num(elements(h, "line", "segmint-chart-marker")[0]!.x1);
    const expected = dots[0]! + ((4.5 - 2) / (10 - 2)) * (dots[8]! - dots[0]!);
    expect(x).toBeCloseTo(expected, 0);
    expect(Math.abs(x - expected)).toBeLessThanOrEqual(0.1);
  });

  it("widens the x range to show a marker outside the data", () => {
    const h = renderToStaticMarkup(<LineChart title="t" summary="s" xLabel="x" yLabel="y" points={elbow} marker={{ x: 12, label: "m" }} />);
    const dots = elements(h, "circle", "segmint-chart-point").map((c) => num(c.cx));
    const x = num(elements(h, "line", "segmint-chart-marker")[0]!.x1);
    expect(x).toBeGreaterThan(dots[8]!);
    // K = 10 sits at 8/10 of the way from K = 2 to K = 12
    expect((dots[8]! - dots[0]!) / (x - dots[0]!)).toBeCloseTo(0.8, 2);
  });

  it("lists the values in the data table, marker noted", () => {
    const rows = tableRows(html);
    expect(rows).toEqual(elbow.map((p) => [String(p.x), p.y.toLocaleString("en-US")]));
    expect(html).toContain("<summary>Show data</summary>");
    expect(html).toContain("Marked: K = 4 (chosen) (K 4).");
    expect(html).toMatch(/<th scope="col"[^>]*>K<\/th><th scope="col"[^>]*>Inertia<\/th>/);
  });

  it("formats ticks and table with the caller's formats", () => {
    const h = renderToStaticMarkup(
      <LineChart title="t" summary="s" xLabel="K" yLabel="Silhouette" points={[{ x: 2, y: 0.31 }, { x: 3, y: 0.42 }]}
        formatX={(v) => `K${v}`} formatY={(v) => `${(v * 100).toFixed(0)} pts`} />,
    );
    expect(h).toContain(">K2</text>");
    expect(h).toMatch(/>\d+ pts<\/text>/);
    expect(tableRows(h)).toEqual([["K2", "31 pts"], ["K3", "42 pts"]]);
  });

  it("keeps long curves to a line, and thins the table evenly", () => {
    const curve = Array.from({ length: 700 }, (_, i) => ({ x: i, y: i * i }));
    const h = renderToStaticMarkup(<LineChart title="k-distance" summary="s" xLabel="index" yLabel="distance" points={curve} />);
    expect(elements(h, "circle", "segmint-chart-point")).toHaveLength(0);
    expect(elements(h, "path", "segmint-chart-line")[0]!.d!.match(/[ML]/g)).toHaveLength(700);
    const rows = tableRows(h);
    expect(rows.length).toBeLessThanOrEqual(300);
    expect(rows[0]).toEqual(["0", "0"]);
    expect(rows[rows.length - 1]).toEqual(["699", (699 * 699).toLocaleString("en-US")]);
    expect(h).toContain(`${rows.length} of 700 points shown`);
  });

  it("says there is no data instead of drawing empty axes", () => {
    for (const points of [[], [{ x: Number.NaN, y: 1 }]]) {
      const h = renderToStaticMarkup(<LineChart title="Silhouette" summary="s" xLabel="K" yLabel="y" points={points} testId="empty" />);
      expect(h).toContain("No data for this chart");
      expect(h).not.toContain("<svg");
      expect(h).toContain('data-testid="empty"');
      expect(h).toContain("Silhouette");
    }
  });

  it("escapes titles, labels and summaries", () => {
    const evil = '<script>alert("x")</script>';
    const h = renderToStaticMarkup(<LineChart title={evil} summary={evil} xLabel={evil} yLabel={evil} points={elbow} marker={{ x: 3, label: evil }} />);
    expect(h).not.toContain("<script");
    expect(h).toContain("&lt;script&gt;");
  });

  it("gives every chart on a page its own ids", () => {
    const h = renderToStaticMarkup(
      <>
        <LineChart title="One" summary="first" xLabel="x" yLabel="y" points={elbow} />
        <LineChart title="Two" summary="second" xLabel="x" yLabel="y" points={elbow} />
      </>,
    );
    const svgs = elements(h, "svg");
    expect(svgs).toHaveLength(2);
    expect(svgs[0]!["aria-labelledby"]).not.toBe(svgs[1]!["aria-labelledby"]);
    expect(svgs.map((s) => textById(h, s["aria-labelledby"]!))).toEqual(["One", "Two"]);
    expect(svgs.map((s) => textById(h, s["aria-describedby"]!))).toEqual(["first", "second"]);
  });
});

describe("ScatterChart", () => {
  const points = Array.from({ length: 2000 }, (_, i) => ({ x: (i % 97) / 10 - 4, y: (i % 89) / 10 - 3, series: i % 3 }));
  const centres = [0, 1, 2].map((s) => ({ x: s - 1, y: s, series: s }));
  const html = renderToStaticMarkup(
    <ScatterChart title="PCA" summary="Customers on two components." xLabel="PC1" yLabel="PC2" points={points} centres={centres}
      seriesNames={["Champions", "At risk"]} testId="chart-pca" />,
  );

  it("draws every point, grouped and coloured by series, and the centres larger", () => {
    expect(elements(html, "circle", "segmint-chart-point")).toHaveLength(2000);
    const groups = elements(html, "g", "segmint-chart-series");
    expect(groups.map((g) => g["data-series"])).toEqual(["0", "1", "2"]);
    groups.forEach((g, s) => expect(g.style).toContain(`fill:${seriesColor(s)}`));
    const perSeries = [...html.matchAll(/<g class="segmint-chart-series"[^>]*>(.*?)<\/g>/gs)].map((m) => (m[1]!.match(/<circle/g) ?? []).length);
    expect(perSeries).toEqual([667, 667, 666]);
    const big = elements(html, "circle", "segmint-chart-centre");
    expect(big).toHaveLength(3);
    expect(num(big[0]!.r)).toBeGreaterThan(num(elements(html, "circle", "segmint-chart-point")[0]!.r));
    expect(big[1]!.style).toContain(`fill:${seriesColor(1)}`);
  });

  it("places points by linear scales (equal data steps, equal drawing steps; y up)", () => {
    const h = renderToStaticMarkup(
      <ScatterChart title="t" summary="s" xLabel="x" yLabel="y" points={[{ x: 0, y: 0, series: 0 }, { x: 1, y: 1, series: 0 }, { x: 2, y: 2, series: 0 }]} seriesNames={["a"]} />,
    );
    const c = elements(h, "circle", "segmint-chart-point").map((e) => [num(e.cx), num(e.cy)] as const);
    expect(c[1]![0] - c[0]![0]).toBeCloseTo(c[2]![0] - c[1]![0], 0);
    expect(c[1]![0]).toBeGreaterThan(c[0]![0]);
    expect(c[1]![1]).toBeLessThan(c[0]![1]); // larger y is higher on screen
  });

  it("has a legend and a per-series table, naming unnamed series", () => {
    expect(html).toMatch(/<ul class="segmint-chart-legend"[^>]*>.*Champions.*At risk.*Series 3.*<\/ul>/s);
    expect(tableRows(html)).toEqual([
      ["Champions", "667", "-1", "0"],
      ["At risk", "667", "0", "1"],
      ["Series 3", "666", "1", "2"],
    ]);
    const [svg] = elements(html, "svg");
    expect(textById(html, svg!["aria-labelledby"]!)).toBe("PCA");
  });

  it("shows the empty state without points", () => {
    const h = renderToStaticMarkup(<ScatterChart title="PCA" summary="s" xLabel="x" yLabel="y" points={[]} centres={centres} seriesNames={[]} />);
    expect(h).toContain("No data for this chart");
    expect(h).not.toContain("<svg");
  });
});

describe("DistributionChart", () => {
  const bins = [
    { label: "0–30 days", segment: 0.5, store: 0.2 },
    { label: "31–90 days", segment: 0.3, store: 0.3 },
    { label: "91–365 days", segment: 0.2, store: 0.4 },
    { label: "366+ days", segment: 0, store: 0.1 },
  ];
  const html = renderToStaticMarkup(
    <DistributionChart title="Recency" summary="Days since the last order, this segment against the store." xLabel="Days since last order" bins={bins}
      segmentLabel="Champions" testId="chart-recency" />,
  );
  const bars = elements(html, "rect", "segmint-chart-bar");

  it("draws a pair of columns per bin, this segment first", () => {
    expect(bars).toHaveLength(2 * bins.length);
    expect(bars.map((b) => b["data-series"])).toEqual(bins.flatMap(() => ["segment", "store"]));
    // columns of one bin sit side by side, bins left to right
    for (let i = 0; i < bins.length; i++) expect(num(bars[2 * i + 1]!.x)).toBeGreaterThan(num(bars[2 * i]!.x));
    for (let i = 1; i < bins.length; i++) expect(num(bars[2 * i]!.x)).toBeGreaterThan(num(bars[2 * i - 1]!.x));
  });

  it("draws column heights in proportion to the shares, on one baseline", () => {
    const heights = bars.map((b) => num(b.height));
    const unit = heights[0]! / 0.5;
    bins.flatMap((b) => [b.segment, b.store]).forEach((share, i) => expect(heights[i]!).toBeCloseTo(share * unit, 0));
    const baseline = bars.map((b) => num(b.y) + num(b.height));
    for (const y of baseline) expect(y).toBeCloseTo(baseline[0]!, 0);
  });

  it("labels the y axis in percent, the bins by name, and lists the shares", () => {
    expect(html).toContain(">50%</text>");
    expect(html).toContain(">0%</text>");
    expect(html).toContain("0–30 days");
    expect(html).toContain("Share of customers");
    expect(tableRows(html)).toEqual([
      ["0–30 days", "50.0%", "20.0%"],
      ["31–90 days", "30.0%", "30.0%"],
      ["91–365 days", "20.0%", "40.0%"],
      ["366+ days", "0.0%", "10.0%"],
    ]);
    expect(html).toMatch(/<ul class="segmint-chart-legend"[^>]*>.*Champions.*All customers.*<\/ul>/s);
  });

  it("uses the store label given", () => {
    const h = renderToStaticMarkup(<DistributionChart title="t" summary="s" xLabel="x" bins={bins} segmentLabel="Seg" storeLabel="Whole store" />);
    expect(h).toContain("Whole store");
    expect(h).not.toContain("All customers");
  });

  it("shows the empty state for no bins or only zeros", () => {
    for (const b of [[], [{ label: "a", segment: 0, store: 0 }]]) {
      const h = renderToStaticMarkup(<DistributionChart title="t" summary="s" xLabel="x" bins={b} segmentLabel="Seg" />);
      expect(h).toContain("No data for this chart");
      expect(h).not.toContain("<rect");
    }
  });
});

describe("seriesColor", () => {
  it("gives twelve distinct colours, then repeats; any index is safe", () => {
    const colours = Array.from({ length: 12 }, (_, i) => seriesColor(i));
    expect(new Set(colours).size).toBe(12);
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(seriesColor(12)).toBe(seriesColor(0));
    expect(seriesColor(-1)).toBe(seriesColor(11));
    expect(seriesColor(Number.NaN)).toBe(seriesColor(0));
  });
});
