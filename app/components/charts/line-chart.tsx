/** @jsxRuntime automatic */
/** @jsxImportSource react */
// (Pragmas: the CLI runs these files through tsx from any directory, where tsconfig's jsx setting is not found.)
// A single-series curve (elbow, silhouette, k-distance) with an optional vertical marker (the
// chosen K, eps at the knee).
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { Circle, Line, LinePath } from "@visx/shape";
import { ChartAxes } from "./axes";
import { ChartFrame, type ChartDataTable } from "./frame";
import {
  MARGIN_BOTTOM, MARGIN_TOP, extent, niceTicks, yTickLimit, formatTableNumber, formatTickNumber, leftMargin,
  plotWidthFor, rightMargin, round1, textWidth, xTickCount, xTickValues,
} from "./layout";
import { MARKER, PRIMARY } from "./theme";

export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface LineChartMarker {
  readonly x: number;
  readonly label: string;
}

export interface LineChartProps {
  readonly title: string;
  /** One sentence saying what the chart shows: the figure caption and the SVG's description. */
  readonly summary: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly XY[];
  readonly marker?: LineChartMarker | null;
  /** Formats x values on ticks and in the data table (default: "1,234", "12K", "0.42"). */
  readonly formatX?: (v: number) => string;
  readonly formatY?: (v: number) => string;
  /** Drawing height in chart units (the width is 560 units); default 300. */
  readonly height?: number;
  readonly testId?: string;
}

/** Circles on every point up to this many; a longer curve (k-distance) is a line only. */
export const MAX_DOTS = 60;
/** Rows of the data table; a longer curve is thinned evenly (first and last kept). */
export const MAX_TABLE_ROWS = 300;

export function LineChart(props: LineChartProps) {
  const { title, summary, xLabel, yLabel, marker = null, formatX, formatY, height = 300, testId } = props;
  const points = props.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
  if (points.length === 0) {
    return <ChartFrame kind="line" title={title} summary={summary} testId={testId} height={height} plot={null} />;
  }
  const fx = formatX ?? formatTickNumber;
  const fy = formatY ?? formatTickNumber;
  const mark = marker && Number.isFinite(marker.x) ? marker : null;

  const plotHeight = height - MARGIN_TOP - MARGIN_BOTTOM;
  const yScale = scaleLinear<number>({ domain: extent(points.map((p) => p.y), 0.05), range: [plotHeight, 0] });
  const yLimit = yTickLimit(plotHeight);
  const yTicks = niceTicks(yScale, yLimit);
  const left = leftMargin(yTicks.map(fy));

  const xs = points.map((p) => p.x);
  const xDomain = extent(mark ? [...xs, mark.x] : xs);
  const probe = scaleLinear<number>({ domain: xDomain });
  const roughWidth = plotWidthFor(left, rightMargin([fx(xDomain[1])]));
  const xTicks = xTickValues(xs, (n) => probe.ticks(n), xTickCount(roughWidth, [fx(xDomain[0]), fx(xDomain[1])]));
  const right = rightMargin(xTicks.map(fx));
  const plotWidth = plotWidthFor(left, right);
  const xScale = scaleLinear<number>({ domain: xDomain, range: [0, plotWidth] });

  const markerX = mark ? round1(xScale(mark.x)) : 0;
  const markerLabelFits = mark ? markerX + 6 + textWidth(mark.label) <= plotWidth + right : true;

  const plot = (
    <Group left={left} top={MARGIN_TOP}>
      <ChartAxes plotWidth={plotWidth} plotHeight={plotHeight} left={left} yScale={yScale} yTicks={yTicks} formatY={fy}
        xScale={xScale} xTicks={xTicks} formatX={fx} xLabel={xLabel} yLabel={yLabel} />
      {mark ? (
        <g className="segmint-chart-marker-group">
          <Line className="segmint-chart-marker" from={{ x: markerX, y: -6 }} to={{ x: markerX, y: plotHeight }} strokeWidth={2} strokeDasharray="6 4" style={{ stroke: MARKER }} />
          <text className="segmint-chart-marker-label" x={markerLabelFits ? markerX + 6 : markerX - 6} y={-10} textAnchor={markerLabelFits ? "start" : "end"}>
            {mark.label}
          </text>
        </g>
      ) : null}
      <LinePath
        className="segmint-chart-line"
        data={points as XY[]}
        x={(p) => round1(xScale(p.x))}
        y={(p) => round1(yScale(p.y))}
        fill="none"
        strokeWidth={2.5}
        strokeLinejoin="round"
        style={{ stroke: PRIMARY }}
      />
      {points.length <= MAX_DOTS
        ? points.map((p, i) => (
            <Circle key={i} className="segmint-chart-point" cx={round1(xScale(p.x))} cy={round1(yScale(p.y))} r={4}
              style={{ fill: PRIMARY, stroke: "var(--p-color-bg-surface, #ffffff)", strokeWidth: 1.5 }} />
          ))
        : null}
    </Group>
  );
  return <ChartFrame kind="line" title={title} summary={summary} testId={testId} height={height} plot={plot} table={lineTable(points, xLabel, yLabel, formatX, formatY, mark)} />;
}

function lineTable(
  points: readonly XY[], xLabel: string, yLabel: string,
  formatX: ((v: number) => string) | undefined, formatY: ((v: number) => string) | undefined, mark: LineChartMarker | null,
): ChartDataTable {
  // The table is for exact values: the caller's formats if given, otherwise more digits than the ticks.
  const tx = formatX ?? formatTableNumber;
  const ty = formatY ?? formatTableNumber;
  const step = Math.ceil(points.length / MAX_TABLE_ROWS);
  const shown = step <= 1 ? points : points.filter((_, i) => i % step === 0 || i === points.length - 1);
  const notes: string[] = [];
  if (mark) notes.push(`Marked: ${mark.label} (${xLabel} ${tx(mark.x)}).`);
  if (step > 1) notes.push(`${shown.length} of ${points.length} points shown, evenly spaced.`);
  return {
    columns: [{ label: xLabel, numeric: true }, { label: yLabel, numeric: true }],
    rows: shown.map((p) => [tx(p.x), ty(p.y)]),
    ...(notes.length > 0 ? { note: notes.join(" ") } : {}),
  };
}
