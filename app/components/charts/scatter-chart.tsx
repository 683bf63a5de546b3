/** @jsxRuntime automatic */
/** @jsxImportSource react */
// (Pragmas: the CLI runs these files through tsx from any directory, where tsconfig's jsx setting is not found.)
// Points coloured by series (PCA of the scaled R/F/M, coloured by segment), with larger marks for
// the series' centres and a legend. A few thousand points stay cheap: one <g> per series carries
// the colour, each point is a bare circle.
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { ChartAxes } from "./axes";
import { ChartFrame, type ChartDataTable, type LegendEntry } from "./frame";
import {
  MARGIN_BOTTOM, MARGIN_TOP, extent, niceTicks, ticksAtMost, yTickLimit, formatTableNumber, formatTickNumber, leftMargin,
  plotWidthFor, rightMargin, round1, xTickCount,
} from "./layout";
import { seriesColor } from "./theme";

export interface SeriesPoint {
  readonly x: number;
  readonly y: number;
  /** Index into seriesNames (a segment's index in the run's model). */
  readonly series: number;
}

export interface ScatterChartProps {
  readonly title: string;
  readonly summary: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly SeriesPoint[];
  readonly centres?: readonly SeriesPoint[];
  readonly seriesNames: readonly string[];
  /** Drawing height in chart units (the width is 560 units); default 360. */
  readonly height?: number;
  readonly testId?: string;
}

const finite = (p: SeriesPoint) => Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isInteger(p.series) && p.series >= 0;

/** The name of series `i`, or "Series 3" when the caller gave fewer names. */
function nameOf(seriesNames: readonly string[], i: number): string {
  return seriesNames[i] ?? `Series ${i + 1}`;
}

export function ScatterChart(props: ScatterChartProps) {
  const { title, summary, xLabel, yLabel, seriesNames, height = 360, testId } = props;
  const points = props.points.filter(finite);
  const centres = (props.centres ?? []).filter(finite);
  if (points.length === 0) {
    return <ChartFrame kind="scatter" title={title} summary={summary} testId={testId} height={height} plot={null} />;
  }
  const all = [...points, ...centres];
  const series = [...new Set(all.map((p) => p.series))].sort((a, b) => a - b);

  const plotHeight = height - MARGIN_TOP - MARGIN_BOTTOM;
  const yScale = scaleLinear<number>({ domain: extent(all.map((p) => p.y), 0.04), range: [plotHeight, 0] });
  const yLimit = yTickLimit(plotHeight);
  const yTicks = niceTicks(yScale, yLimit);
  const left = leftMargin(yTicks.map(formatTickNumber));
  const xDomain = extent(all.map((p) => p.x), 0.04);
  const probe = scaleLinear<number>({ domain: xDomain, nice: true });
  const count = xTickCount(plotWidthFor(left, 24), probe.domain().map(formatTickNumber));
  const xTicks = ticksAtMost((n) => probe.ticks(n), count);
  const right = rightMargin(xTicks.map(formatTickNumber));
  const plotWidth = plotWidthFor(left, right);
  const xScale = scaleLinear<number>({ domain: probe.domain(), range: [0, plotWidth] });

  const plot = (
    <Group left={left} top={MARGIN_TOP}>
      <ChartAxes plotWidth={plotWidth} plotHeight={plotHeight} left={left} yScale={yScale} yTicks={yTicks} formatY={formatTickNumber}
        xScale={xScale} xTicks={xTicks} formatX={formatTickNumber} xLabel={xLabel} yLabel={yLabel} />
      {series.map((s) => (
        <g key={s} className="segmint-chart-series" data-series={s} style={{ fill: seriesColor(s), fillOpacity: 0.6 }}>
          {points
            .filter((p) => p.series === s)
            .map((p, i) => (
              <circle key={i} className="segmint-chart-point" cx={round1(xScale(p.x))} cy={round1(yScale(p.y))} r={2.5} />
            ))}
        </g>
      ))}
      {centres.map((c, i) => (
        <circle key={i} className="segmint-chart-centre" data-series={c.series} cx={round1(xScale(c.x))} cy={round1(yScale(c.y))} r={8}
          style={{ fill: seriesColor(c.series), stroke: "var(--p-color-text, #303030)", strokeWidth: 2.5 }} />
      ))}
    </Group>
  );
  const legend: LegendEntry[] = series.map((s) => ({ label: nameOf(seriesNames, s), color: seriesColor(s) }));
  return (
    <ChartFrame kind="scatter" title={title} summary={summary} testId={testId} height={height} plot={plot} legend={legend}
      table={scatterTable(points, centres, series, seriesNames, xLabel, yLabel)} />
  );
}

/** Per series: how many points are plotted and where its centre is (a list of 2,000 dots helps no one). */
function scatterTable(
  points: readonly SeriesPoint[], centres: readonly SeriesPoint[], series: readonly number[], seriesNames: readonly string[],
  xLabel: string, yLabel: string,
): ChartDataTable {
  const counts = new Map<number, number>();
  for (const p of points) counts.set(p.series, (counts.get(p.series) ?? 0) + 1);
  const centreOf = new Map(centres.map((c) => [c.series, c]));
  const hasCentres = centres.length > 0;
  return {
    columns: [
      { label: "Group" },
      { label: "Points plotted", numeric: true },
      ...(hasCentres ? [{ label: `Centre ${xLabel}`, numeric: true }, { label: `Centre ${yLabel}`, numeric: true }] : []),
    ],
    rows: series.map((s) => {
      const c = centreOf.get(s);
      const row = [nameOf(seriesNames, s), formatTableNumber(counts.get(s) ?? 0)];
      if (hasCentres) row.push(c ? formatTableNumber(c.x) : "–", c ? formatTableNumber(c.y) : "–");
      return row;
    }),
    note: `${formatTableNumber(points.length)} points in ${series.length} groups.`,
  };
}
