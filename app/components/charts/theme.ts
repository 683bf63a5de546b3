// Colours, sizes and the one stylesheet every chart carries. Theme colours are Polaris tokens
// (CSS variables) with their Polaris 13 values as fallbacks, so a chart looks the same inside the
// admin (tokens defined) and in the CLI's standalone report (fallbacks used).

/** The internal coordinate system: every chart is drawn 560 units wide and scaled by its viewBox. */
export const CHART_WIDTH = 560;

/**
 * Tick text sizes in chart units. The stylesheet picks one by the figure's own width (container
 * queries), so labels stay about 11–16 px on screen from a 375 px phone to a full-width card;
 * layout margins are sized for the largest.
 */
export const FONT_UNITS = { wide: 9, normal: 12, medium: 16, narrow: 19 } as const;
export const MAX_FONT_UNITS = FONT_UNITS.narrow;

/** Single-series marks (lines, "this segment" columns): Polaris' emphasis blue. */
export const PRIMARY = "var(--p-color-bg-fill-emphasis, #005bd3)";
/** The comparison series ("all customers"): a neutral grey that still reads against white. */
export const COMPARISON = "var(--p-color-icon-secondary, #8a8a8a)";
/** Markers (chosen K, eps): Polaris' critical red, distinct from the blue line. */
export const MARKER = "var(--p-color-bg-fill-critical, #c70a24)";

/**
 * Categorical series colours: the Okabe–Ito palette (distinguishable with the common forms of
 * colour blindness) in an order that keeps neighbours apart, then Paul Tol's muted colours for
 * series 8 and up. Yellow is left out: it vanishes on white.
 */
const CATEGORICAL = [
  "#0072b2", // blue
  "#e69f00", // orange
  "#009e73", // bluish green
  "#cc79a7", // reddish purple
  "#56b4e9", // sky blue
  "#d55e00", // vermilion
  "#000000", // black
  "#882255", // wine
  "#44aa99", // teal
  "#999933", // olive
  "#aa4499", // purple
  "#6699cc", // steel blue
] as const;

/** The colour of series `i` (segment index in a run's model); wraps around after 12. */
export function seriesColor(i: number): string {
  const n = CATEGORICAL.length;
  const k = Number.isFinite(i) ? ((Math.trunc(i) % n) + n) % n : 0;
  return CATEGORICAL[k]!;
}

/**
 * The charts' stylesheet, rendered inside every figure (identical text, so repeats are harmless):
 * the component needs no global CSS import and the CLI report gets it for free. No `>` in it,
 * so it survives any escaping.
 */
export const CHART_CSS = [
  ".segmint-chart{container-type:inline-size;margin:0;font-family:var(--p-font-family-sans,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);color:var(--p-color-text,#303030)}",
  ".segmint-chart-caption{display:block;margin:0 0 8px}",
  ".segmint-chart-title{display:block;font-weight:600;font-size:14px}",
  ".segmint-chart-summary{display:block;font-size:13px;color:var(--p-color-text-secondary,#616161)}",
  ".segmint-chart svg{display:block;width:100%;height:auto;overflow:visible}",
  `.segmint-chart svg text{font-size:${FONT_UNITS.normal}px;fill:var(--p-color-text-secondary,#616161)}`,
  `@container (min-width:760px){.segmint-chart svg text{font-size:${FONT_UNITS.wide}px}}`,
  ".segmint-chart svg .segmint-chart-axis-label{fill:var(--p-color-text,#303030)}",
  `@container (max-width:560px){.segmint-chart svg text{font-size:${FONT_UNITS.medium}px}}`,
  `@container (max-width:400px){.segmint-chart svg text{font-size:${FONT_UNITS.narrow}px}}`,
  ".segmint-chart .visx-axis-line,.segmint-chart .visx-axis-tick line{stroke:var(--p-color-border-inverse,#616161)}",
  ".segmint-chart .segmint-chart-grid{stroke:var(--p-color-border-secondary,#ebebeb)}",
  `.segmint-chart .segmint-chart-marker{stroke:${MARKER}}`,
  `.segmint-chart svg text.segmint-chart-marker-label{fill:var(--p-color-text-critical,#8e0b21);font-weight:600}`,
  ".segmint-chart-legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:8px 0 0;padding:0;font-size:13px}",
  ".segmint-chart-legend li{display:flex;align-items:center;gap:6px}",
  ".segmint-chart-swatch{display:inline-block;width:12px;height:12px;border-radius:2px;flex:none}",
  ".segmint-chart-data{margin-top:8px;font-size:13px}",
  ".segmint-chart-data summary{cursor:pointer;color:var(--p-color-text-link,#005bd3)}",
  ".segmint-chart-data-scroll{overflow-x:auto;max-height:320px;overflow-y:auto}",
  ".segmint-chart-data table{border-collapse:collapse;margin-top:4px}",
  ".segmint-chart-data caption{text-align:left;font-weight:600;padding:4px 0}",
  ".segmint-chart-data th,.segmint-chart-data td{border-bottom:1px solid var(--p-color-border,#e3e3e3);padding:4px 8px;text-align:left;white-space:nowrap}",
  ".segmint-chart-data td.segmint-chart-num,.segmint-chart-data th.segmint-chart-num{text-align:right;font-variant-numeric:tabular-nums}",
  ".segmint-chart-empty{margin:0;padding:24px 0;text-align:center;color:var(--p-color-text-secondary,#616161)}",
].join("");
