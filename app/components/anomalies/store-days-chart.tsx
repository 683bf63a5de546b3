// A store metric day by day (orders or revenue) with the days detection flagged: each flagged day
// carries its expected range (a grey bar from the low to the high end of what the same weekday
// usually does) and a red dot at what happened. Built from the shared chart parts (ADR 0018: the
// accessible frame with its "Show data" table, axes, margins), as ArmChart is.
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Circle, Line, LinePath } from "@visx/shape";
import { ChartAxes } from "../charts/axes";
import { ChartFrame, type ChartDataTable, type LegendEntry } from "../charts/frame";
import { MARGIN_BOTTOM, MARGIN_TOP, extent, leftMargin, niceTicks, plotWidthFor, rightMargin, round1, xTickCount, xTickValues, yTickLimit } from "../charts/layout";
import { COMPARISON, MARKER, PRIMARY } from "../charts/theme";
import { formatCount, formatDay, formatMoney, formatMoneyCompact } from "../format";
import type { StoreDaySeries } from "../../domain/anomaly";

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayOfNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** Ticks without the year ("1 Sep"): the caption and the table carry it. */
const shortDay = (n: number) => formatDay(dayOfNumber(n)).replace(/ \d{4}$/, "");

export const METRIC_TITLE: Record<StoreDaySeries["metric"], string> = { orders: "Orders per day", revenue: "Revenue per day" };

/** How a metric's value reads: a count of orders, or money from milli. */
export function formatDayValue(metric: StoreDaySeries["metric"], value: number, currency: string): string {
  return metric === "orders" ? formatCount(value) : formatMoney(value, currency);
}

/** The chart's one-sentence summary: the window and what was flagged in it. */
export function storeDaysSummary(series: StoreDaySeries): string {
  const { points, flagged } = series;
  if (points.length === 0) return "No days to show yet.";
  const span = `${formatDay(points[0]!.day)} to ${formatDay(points[points.length - 1]!.day)}`;
  if (flagged.length === 0) return `${METRIC_TITLE[series.metric]} from ${span}; no day fell outside its expected range.`;
  const spikes = flagged.filter((f) => f.direction === "spike").length;
  const drops = flagged.length - spikes;
  const parts = [spikes > 0 ? `${spikes} ${spikes === 1 ? "spike" : "spikes"}` : "", drops > 0 ? `${drops} ${drops === 1 ? "drop" : "drops"}` : ""].filter(Boolean);
  return `${METRIC_TITLE[series.metric]} from ${span}: ${parts.join(" and ")} outside the range the same weekday usually has (red dots; the grey bar is the expected range).`;
}

export function StoreDaysChart({ series, currency, height = 300, testId }: { series: StoreDaySeries; currency: string; height?: number; testId?: string }) {
  const title = METRIC_TITLE[series.metric];
  const summary = storeDaysSummary(series);
  const points = series.points.map((p) => ({ x: dayNumber(p.day), y: p.value })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (points.length === 0) return <ChartFrame kind="line" title={title} summary={summary} testId={testId} height={height} plot={null} />;
  const flagged = series.flagged.map((f) => ({ ...f, x: dayNumber(f.day) }));
  const fy = series.metric === "orders" ? (v: number) => formatCount(v) : (v: number) => formatMoneyCompact(v, currency);

  const plotHeight = height - MARGIN_TOP - MARGIN_BOTTOM;
  const yScale = scaleLinear<number>({ domain: extent([0, ...points.map((p) => p.y), ...flagged.flatMap((f) => [f.low, f.high])], 0.05), range: [plotHeight, 0] });
  const yTicks = niceTicks(yScale, yTickLimit(plotHeight));
  const left = leftMargin(yTicks.map(fy));
  const xs = points.map((p) => p.x);
  const xDomain: [number, number] = xs.length === 1 ? [xs[0]! - 1, xs[0]! + 1] : [xs[0]!, xs[xs.length - 1]!];
  const probe = scaleLinear<number>({ domain: xDomain });
  const xTicks = xTickValues(xs, (n) => probe.ticks(n), xTickCount(plotWidthFor(left, 24), [shortDay(xDomain[0]), shortDay(xDomain[1])]));
  const plotWidth = plotWidthFor(left, rightMargin(xTicks.map(shortDay)));
  const xScale = scaleLinear<number>({ domain: xDomain, range: [0, plotWidth] });

  const plot = (
    <Group left={left} top={MARGIN_TOP}>
      <ChartAxes plotWidth={plotWidth} plotHeight={plotHeight} left={left} yScale={yScale} yTicks={yTicks} formatY={fy}
        xScale={xScale} xTicks={xTicks} formatX={shortDay} xLabel="Day" yLabel={title} />
      <LinePath className="segmint-chart-line" data={points} x={(p) => round1(xScale(p.x))} y={(p) => round1(yScale(p.y))}
        fill="none" strokeWidth={2} strokeLinejoin="round" style={{ stroke: PRIMARY }} />
      {flagged.map((f) => (
        <g key={f.day} className="segmint-chart-flagged" data-day={f.day} data-direction={f.direction}>
          <Line className="segmint-chart-range" from={{ x: round1(xScale(f.x)), y: round1(yScale(f.low)) }} to={{ x: round1(xScale(f.x)), y: round1(yScale(f.high)) }}
            strokeWidth={6} strokeLinecap="round" style={{ stroke: COMPARISON, opacity: 0.6 }} />
          <Circle className="segmint-chart-point" cx={round1(xScale(f.x))} cy={round1(yScale(f.value))} r={5}
            style={{ fill: MARKER, stroke: "var(--p-color-bg-surface, #ffffff)", strokeWidth: 1.5 }} />
        </g>
      ))}
    </Group>
  );
  const legend: LegendEntry[] = [
    { label: title, color: PRIMARY },
    { label: "Flagged day", color: MARKER },
    { label: "Expected range of a flagged day", color: COMPARISON },
  ];
  return <ChartFrame kind="line" title={title} summary={summary} testId={testId} height={height} plot={plot} legend={legend} table={storeDaysTable(series, currency)} />;
}

function storeDaysTable(series: StoreDaySeries, currency: string): ChartDataTable {
  const flagged = new Map(series.flagged.map((f) => [f.day, f]));
  const value = (v: number) => formatDayValue(series.metric, v, currency);
  return {
    columns: [{ label: "Day" }, { label: METRIC_TITLE[series.metric], numeric: true }, { label: "Flagged" }, { label: "Expected range" }],
    rows: series.points.map((p) => {
      const f = flagged.get(p.day);
      return [formatDay(p.day), value(p.value), f ? (f.direction === "spike" ? "Spike" : "Drop") : "", f ? `${value(f.low)} to ${value(f.high)}` : ""];
    }),
    ...(series.flagged.length > 0 ? { note: `${series.flagged.length} flagged ${series.flagged.length === 1 ? "day" : "days"}; the expected range is given for those.` } : {}),
  };
}
