// The cumulative metric per customer of each arm, day by day since the start: the campaign group
// (blue, solid) against the held-out group (grey, dashed, so the two differ without colour). Built
// from the shared chart parts (ADR 0018: the accessible frame, axes, margins and ticks), as a
// second series is what LineChart does not draw.
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";
import type { ArmSeriesPoint, ExperimentMetric } from "../../domain/experiment";
import { ChartAxes } from "../charts/axes";
import { ChartFrame, type ChartDataTable, type LegendEntry } from "../charts/frame";
import { MARGIN_BOTTOM, MARGIN_TOP, extent, leftMargin, niceTicks, plotWidthFor, rightMargin, round1, xTickCount, xTickValues, yTickLimit } from "../charts/layout";
import { COMPARISON, PRIMARY } from "../charts/theme";
import { formatCount, formatShare } from "../format";
import { formatDay } from "../format";
import { formatMetricChange, formatMetricValue, formatMoneyTick } from "./figures";

export interface ArmChartProps {
  readonly metric: ExperimentMetric;
  readonly currency: string;
  readonly series: readonly ArmSeriesPoint[];
  readonly title?: string;
  readonly summary: string;
  readonly height?: number;
  readonly testId?: string;
}

export const TREATMENT_LABEL = "Campaign group";
export const CONTROL_LABEL = "Held out";

type Arm = "treatment" | "control";
const STYLE: Record<Arm, { color: string; dash?: string }> = { treatment: { color: PRIMARY }, control: { color: COMPARISON, dash: "7 5" } };

function tickFormat(metric: ExperimentMetric, currency: string): (v: number) => string {
  if (metric === "revenue") return (v) => formatMoneyTick(v, currency);
  if (metric === "conversion") return (v) => formatShare(v, 0);
  return (v) => (Number.isInteger(v) ? formatCount(v) : v.toFixed(2));
}

export function ArmChart({ metric, currency, series, title = "Cumulative result per customer, by group", summary, height = 300, testId }: ArmChartProps) {
  const points = series.filter((p) => Number.isFinite(p.treatment) && Number.isFinite(p.control));
  if (points.length === 0) return <ChartFrame kind="line" title={title} summary={summary} testId={testId} height={height} plot={null} />;
  const fy = tickFormat(metric, currency);
  const fx = (v: number) => formatCount(v);
  const xs = points.map((_, i) => i + 1);

  const plotHeight = height - MARGIN_TOP - MARGIN_BOTTOM;
  const yScale = scaleLinear<number>({ domain: extent([0, ...points.flatMap((p) => [p.treatment, p.control])], 0.05), range: [plotHeight, 0] });
  const yTicks = niceTicks(yScale, yTickLimit(plotHeight));
  const left = leftMargin(yTicks.map(fy));
  const xDomain: [number, number] = xs.length === 1 ? [0, 2] : [1, xs[xs.length - 1]!];
  const probe = scaleLinear<number>({ domain: xDomain });
  const xTicks = xTickValues(xs, (n) => probe.ticks(n), xTickCount(plotWidthFor(left, 24), [fx(xDomain[0]), fx(xDomain[1])]));
  const plotWidth = plotWidthFor(left, rightMargin(xTicks.map(fx)));
  const xScale = scaleLinear<number>({ domain: xDomain, range: [0, plotWidth] });

  const plot = (
    <Group left={left} top={MARGIN_TOP}>
      <ChartAxes plotWidth={plotWidth} plotHeight={plotHeight} left={left} yScale={yScale} yTicks={yTicks} formatY={fy}
        xScale={xScale} xTicks={xTicks} formatX={fx} xLabel="Days since the start" yLabel="Per customer, so far" />
      {(["control", "treatment"] as const).map((arm) => (
        <LinePath
          key={arm}
          className="segmint-chart-line"
          data-series={arm}
          data={points.map((p, i) => ({ x: i + 1, y: p[arm] }))}
          x={(p) => round1(xScale(p.x))}
          y={(p) => round1(yScale(p.y))}
          fill="none"
          strokeWidth={2.5}
          strokeLinejoin="round"
          strokeDasharray={STYLE[arm].dash}
          style={{ stroke: STYLE[arm].color }}
        />
      ))}
    </Group>
  );
  const legend: LegendEntry[] = [
    { label: TREATMENT_LABEL, color: STYLE.treatment.color },
    { label: `${CONTROL_LABEL} (dashed)`, color: STYLE.control.color },
  ];
  return <ChartFrame kind="line" title={title} summary={summary} testId={testId} height={height} plot={plot} legend={legend} table={armTable(points, metric, currency)} />;
}

function armTable(points: readonly ArmSeriesPoint[], metric: ExperimentMetric, currency: string): ChartDataTable {
  return {
    columns: [
      { label: "Day" },
      { label: "Days since the start", numeric: true },
      { label: `${TREATMENT_LABEL} (per customer)`, numeric: true },
      { label: `${CONTROL_LABEL} (per customer)`, numeric: true },
      { label: "Difference", numeric: true },
    ],
    rows: points.map((p, i) => [
      formatDay(p.day),
      formatCount(i + 1),
      formatMetricValue(metric, p.treatment, currency),
      formatMetricValue(metric, p.control, currency),
      formatMetricChange(metric, p.treatment - p.control, currency),
    ]),
  };
}
