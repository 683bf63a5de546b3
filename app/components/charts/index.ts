// Charts for the admin pages and the CLI's HTML report (ADR 0018: visx primitives, our own shell).
//
// Usage:
//   import { LineChart, ScatterChart, DistributionChart, seriesColor } from "../components/charts";
//   <LineChart title="Silhouette by K" summary="Higher is better; K = 4 was chosen." xLabel="K"
//     yLabel="Silhouette" points={run.silhouette.map((s) => ({ x: s.k, y: s.silhouette }))}
//     marker={{ x: 4, label: "K = 4 (chosen)" }} testId="chart-silhouette" />
//   <ScatterChart ... points={pca.points.map((p) => ({ x: p.x, y: p.y, series: p.segment }))}
//     centres={...} seriesNames={model.segments.map((s) => s.name)} />
//   <DistributionChart ... bins={[{ label: "0–30 days", segment: 0.42, store: 0.18 }]} segmentLabel="Champions" />
//
// - Plain SVG drawn during render: works in Remix loaders' server render, in the browser, and
//   through react-dom/server's renderToStaticMarkup (the CLI report). No window, no effects, no
//   measuring: a fixed 560-unit-wide coordinate system scaled by the viewBox to 100% of the
//   container; tick text grows in narrow containers (CSS container queries) so it stays readable
//   at 375 px.
// - Each chart is a <figure>: caption = `title` + `summary`; <svg role="img"> named by <title>,
//   described by <desc> (= summary); a "Show data" <details> with the values as a table (for a
//   scatter: points and centre per group). Put the chart inside a Polaris Card; the card's heading
//   may differ from `title` (which also names the table).
// - `summary`: one sentence saying what the chart shows and what to read from it.
// - `height` is in chart units (width is 560); the rendered height scales with the width.
// - Empty data (no finite points, or all-zero bins) renders "No data for this chart" instead of axes.
// - Colours: Polaris tokens as CSS variables with fallbacks; series colours from `seriesColor(i)`
//   (colour-blind-friendly, index = segment index in the run's model) — use it for any swatch
//   that must match a scatter (e.g. a segment table next to the PCA chart).
// - `testId` lands on the <figure> as data-testid; bars/points carry classes
//   segmint-chart-bar / segmint-chart-point / segmint-chart-centre, the marker segmint-chart-marker.
export { LineChart, type LineChartProps, type LineChartMarker, type XY } from "./line-chart";
export { ScatterChart, type ScatterChartProps, type SeriesPoint } from "./scatter-chart";
export { DistributionChart, type DistributionChartProps, type DistributionBin } from "./distribution-chart";
export { seriesColor } from "./theme";
