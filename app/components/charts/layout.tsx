/** @jsxRuntime automatic */
/** @jsxImportSource react */
// (Pragmas: the CLI runs these files through tsx from any directory, where tsconfig's jsx setting is not found.)
// Geometry shared by the charts: margins sized for the largest tick text, tick choice, number
// formats, and the tick label drawn as a plain <text> (visx's <Text> measures words through the
// DOM, which neither the server nor renderToStaticMarkup has).
import type { TickRendererProps } from "@visx/axis";
import { formatCount } from "../format";
import { CHART_WIDTH, MAX_FONT_UNITS } from "./theme";

/** Rough width of a label in chart units: 0.6 em a character is generous for digits and Inter. */
export function textWidth(text: string, fontUnits: number = MAX_FONT_UNITS): number {
  return text.length * 0.6 * fontUnits;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const threeDigits = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const fourDigits = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

/** Tick labels: "12K", "1,234", "0.42". */
export function formatTickNumber(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (Math.abs(v) >= 10_000) return compact.format(v);
  if (Number.isInteger(v)) return formatCount(v);
  return threeDigits.format(v);
}

/** Data-table values, a little more precise than ticks: "123,456", "0.4213". */
export function formatTableNumber(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (Number.isInteger(v)) return formatCount(v);
  if (Math.abs(v) >= 1000) return formatCount(Math.round(v));
  return fourDigits.format(v);
}

/** [min, max] of the values, widened when flat so a scale never divides by zero. */
export function extent(values: readonly number[], padFraction = 0): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo >= 0 && lo - d < 0 ? 0 : lo - d, hi + d];
  }
  const pad = (hi - lo) * padFraction;
  // Padding never pushes non-negative data (distances, counts) below zero.
  return [lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad];
}

/** Fixed room (chart units) above and below the plot: a marker label on top, ticks and an axis label below. */
export const MARGIN_TOP = MAX_FONT_UNITS + 10;
export const TICK_LENGTH = 6;
export const MARGIN_BOTTOM = TICK_LENGTH + 10 + MAX_FONT_UNITS + 10 + MAX_FONT_UNITS + 6;

/** Left margin: the rotated y-axis label, the widest y tick label and the tick. */
export function leftMargin(yTickLabels: readonly string[]): number {
  const widest = Math.max(0, ...yTickLabels.map((t) => textWidth(t)));
  return Math.ceil(MAX_FONT_UNITS + 8 + widest + TICK_LENGTH + 6);
}

/** Right margin: half of the last x tick label may stick out past the plot. */
export function rightMargin(xTickLabels: readonly string[]): number {
  const last = xTickLabels[xTickLabels.length - 1] ?? "";
  return Math.ceil(Math.max(12, textWidth(last) / 2 + 4));
}

/** How many x ticks fit on a plot this wide without their labels touching. */
export function xTickCount(plotWidth: number, sampleLabels: readonly string[]): number {
  const widest = Math.max(1, ...sampleLabels.map((t) => textWidth(t)));
  return Math.max(2, Math.min(12, Math.floor(plotWidth / (widest + 18))));
}

/** Round-number ticks, no more than `max` of them (d3's count is only a hint and may overshoot by half). */
export function ticksAtMost(ticks: (count: number) => number[], max: number): number[] {
  for (let n = max; n > 1; n--) {
    const t = ticks(n);
    if (t.length <= max) return t;
  }
  return ticks(1).slice(0, max);
}

/** A scale's `nice` and `ticks` for the same count, not more than `max` ticks; leaves the scale niced. */
export function niceTicks(scale: { domain(): number[]; domain(d: number[]): unknown; nice(count?: number): unknown; ticks(count?: number): number[] }, max: number): number[] {
  const original = scale.domain();
  for (let n = max; n > 1; n--) {
    scale.domain(original);
    scale.nice(n);
    const t = scale.ticks(n);
    if (t.length <= max) return t;
  }
  return scale.ticks(2).slice(0, max);
}

/** How many y ticks a plot this tall can label at the largest text size without crowding. */
export function yTickLimit(plotHeight: number): number {
  return Math.max(2, Math.min(7, Math.floor(plotHeight / (MAX_FONT_UNITS * 2)) + 1));
}

/** The plot width left once margins are known. */
export function plotWidthFor(left: number, right: number): number {
  return CHART_WIDTH - left - right;
}

/**
 * Tick values for an x axis: every value when the data are a few integers (K = 2…10), otherwise
 * the scale's round numbers (integers only when the data are integers: point indices).
 */
export function xTickValues(xs: readonly number[], roundTicks: (count: number) => number[], count: number): number[] {
  const integers = xs.every((x) => Number.isInteger(x));
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  if (integers && distinct.length <= count) return distinct;
  const ticks = ticksAtMost(roundTicks, count);
  return integers ? ticks.filter((t) => Number.isInteger(t)) : ticks;
}

/**
 * A tick label as plain SVG text (no DOM measuring). A "\n" in the label starts a second line;
 * bottom labels may be rotated.
 */
export function PlainTick(props: TickRendererProps) {
  const { x, y, formattedValue = "", textAnchor, dx, dy, angle } = props;
  const rotate = typeof angle === "number" && angle !== 0 ? `rotate(${angle} ${x} ${y})` : undefined;
  const lines = formattedValue.split("\n");
  return (
    <text x={x} y={y} dx={dx} dy={dy} textAnchor={textAnchor} transform={rotate}>
      {lines.length === 1
        ? formattedValue
        : lines.map((line, i) => (
            <tspan key={i} x={x} dy={i === 0 ? undefined : "1.15em"}>
              {line}
            </tspan>
          ))}
    </text>
  );
}

/**
 * A category label broken into at most two lines at the space that balances them best
 * ("181–365 days" → "181–365" / "days"); a label without spaces stays whole.
 */
export function twoLines(label: string): [string] | [string, string] {
  const words = label.split(" ");
  if (words.length < 2) return [label];
  let best: [string, string] = [label, ""];
  let bestWidth = Infinity;
  for (let i = 1; i < words.length; i++) {
    const a = words.slice(0, i).join(" ");
    const b = words.slice(i).join(" ");
    const w = Math.max(a.length, b.length);
    if (w < bestWidth) {
      bestWidth = w;
      best = [a, b];
    }
  }
  return best;
}

/** One decimal is finer than a screen pixel at any size the charts are shown. */
export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Keeps a long category label from eating the chart; the data table has it in full. */
export function shorten(label: string, max = 18): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}
