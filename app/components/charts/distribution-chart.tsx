/** @jsxRuntime automatic */
/** @jsxImportSource react */
// (Pragmas: the CLI runs these files through tsx from any directory, where tsconfig's jsx setting is not found.)
// Grouped columns per bin: the share of this segment's customers against the share of all
// customers (both 0..1, so segments of any size compare with the store on one % axis).
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { formatShare } from "../format";
import { ChartAxes } from "./axes";
import { ChartFrame, type ChartDataTable, type LegendEntry } from "./frame";
import { MARGIN_BOTTOM, MARGIN_TOP, TICK_LENGTH, leftMargin, niceTicks, yTickLimit, plotWidthFor, round1, shorten, textWidth, twoLines } from "./layout";
import { COMPARISON, MAX_FONT_UNITS, PRIMARY } from "./theme";

export interface DistributionBin {
  readonly label: string;
  /** Share of this segment's customers in the bin, 0..1. */
  readonly segment: number;
  /** Share of all customers in the bin, 0..1. */
  readonly store: number;
}

export interface DistributionChartProps {
  readonly title: string;
  readonly summary: string;
  readonly xLabel: string;
  readonly bins: readonly DistributionBin[];
  readonly segmentLabel: string;
  /** Default "All customers". */
  readonly storeLabel?: string;
  /** Drawing height in chart units (the width is 560 units); default 300. */
  readonly height?: number;
  readonly testId?: string;
}

export const DEFAULT_STORE_LABEL = "All customers";
const Y_LABEL = "Share of customers";
const ROTATE_DEGREES = -35;
const share = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);

export function DistributionChart(props: DistributionChartProps) {
  const { title, summary, xLabel, segmentLabel, storeLabel = DEFAULT_STORE_LABEL, height = 300, testId } = props;
  const bins = props.bins.map((b) => ({ label: b.label, segment: share(b.segment), store: share(b.store) }));
  const top = Math.max(0, ...bins.map((b) => Math.max(b.segment, b.store)));
  if (bins.length === 0 || top === 0) {
    return <ChartFrame kind="distribution" title={title} summary={summary} testId={testId} height={height} plot={null} />;
  }
  // Small shares need a decimal on the axis ("0.5%"), large ones do not ("20%").
  const tickShare = (v: number) => formatShare(v, top < 0.05 ? 1 : 0);

  const plotHeight = Math.max(80, height - MARGIN_TOP - MARGIN_BOTTOM);
  const yLimit = yTickLimit(plotHeight);
  const yProbe = scaleLinear<number>({ domain: [0, top] });
  const yTicks = niceTicks(yProbe, yLimit);
  const left = leftMargin(yTicks.map(tickShare));
  const right = 12;
  const plotWidth = plotWidthFor(left, right);

  const x0 = scaleBand<number>({ domain: bins.map((_, i) => i), range: [0, plotWidth], paddingInner: 0.2, paddingOuter: 0.1 });
  const x1 = scaleBand<string>({ domain: ["segment", "store"], range: [0, x0.bandwidth()], padding: 0.06 });
  // Category labels, at the largest text size: one line if they fit the column group, else two
  // lines, else turned 35°. The axis grows below the plot rather than squeezing it.
  const short = bins.map((b) => shorten(b.label));
  const fits = (lines: readonly string[]) => Math.max(...lines.map((l) => textWidth(l))) + 6 <= x0.step();
  const layout = short.every((l) => fits([l])) ? "one" : short.every((l) => fits(twoLines(l))) ? "two" : "rotated";
  const labels = layout === "two" ? short.map((l) => twoLines(l).join("\n")) : short;
  const widest = Math.max(...short.map((l) => textWidth(l)));
  const angle = (ROTATE_DEGREES * Math.PI) / 180;
  const labelDepth =
    layout === "rotated" ? Math.sin(-angle) * widest + Math.cos(angle) * MAX_FONT_UNITS : layout === "two" ? 2.15 * MAX_FONT_UNITS : MAX_FONT_UNITS;
  const bottom = Math.ceil(TICK_LENGTH + 10 + labelDepth + 10 + MAX_FONT_UNITS + 6);
  const svgHeight = MARGIN_TOP + plotHeight + bottom;
  const yScale = scaleLinear<number>({ domain: yProbe.domain(), range: [plotHeight, 0] });

  // Drawn over the grid, under the bottom axis line they stand on.
  const columns = bins.map((b, i) => {
    const bandX = x0(i) ?? 0;
    return (
      <g key={i} className="segmint-chart-bin">
        {(["segment", "store"] as const).map((key) => {
          const y = round1(yScale(b[key]));
          return (
            <Bar key={key} className="segmint-chart-bar" data-series={key} x={round1(bandX + (x1(key) ?? 0))} y={y} width={round1(x1.bandwidth())}
              height={round1(plotHeight - y)} style={{ fill: key === "segment" ? PRIMARY : COMPARISON }} />
          );
        })}
      </g>
    );
  });

  const plot = (
    <Group left={left} top={MARGIN_TOP}>
      <ChartAxes plotWidth={plotWidth} plotHeight={plotHeight} left={left} bottom={bottom} yScale={yScale} yTicks={yTicks} formatY={tickShare}
        xScale={x0} xTicks={bins.map((_, i) => i)} formatX={(i) => labels[i]} xLabel={xLabel} yLabel={Y_LABEL}
        xTickLabelProps={layout === "rotated" ? { textAnchor: "end", dy: "0.32em", angle: ROTATE_DEGREES } : undefined}
        underXAxis={columns} />
    </Group>
  );
  const legend: LegendEntry[] = [
    { label: segmentLabel, color: PRIMARY },
    { label: storeLabel, color: COMPARISON },
  ];
  const table: ChartDataTable = {
    columns: [{ label: xLabel }, { label: `${segmentLabel} (% of customers)`, numeric: true }, { label: `${storeLabel} (% of customers)`, numeric: true }],
    rows: bins.map((b) => [b.label, formatShare(b.segment), formatShare(b.store)]),
  };
  return <ChartFrame kind="distribution" title={title} summary={summary} testId={testId} height={svgHeight} plot={plot} legend={legend} table={table} />;
}
