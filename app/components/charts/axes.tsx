/** @jsxRuntime automatic */
/** @jsxImportSource react */
// (Pragmas: the CLI runs these files through tsx from any directory, where tsconfig's jsx setting is not found.)
// The frame every chart draws inside its plot group: horizontal grid lines at the y ticks, the
// left and bottom axes, and the two axis labels (the y label turned 90°).
import type { ReactNode } from "react";
import { AxisBottom, AxisLeft, type TickLabelProps } from "@visx/axis";
import type { PickD3Scale } from "@visx/scale";
import { Line } from "@visx/shape";
import { MARGIN_BOTTOM, PlainTick, TICK_LENGTH, round1 } from "./layout";
import { MAX_FONT_UNITS } from "./theme";

/** Fixed tick label props (visx also takes a function of the tick; no chart needs one). */
type TickLabelStyle = Exclude<TickLabelProps<number>, (...args: never[]) => unknown>;

const BOTTOM_TICK_LABELS: TickLabelStyle = { textAnchor: "middle", dy: "0.6em" };

export interface ChartAxesProps {
  readonly plotWidth: number;
  readonly plotHeight: number;
  /** The left margin: the y label sits at its outer edge. */
  readonly left: number;
  /** The room below the plot: the x label sits on its last line. Default MARGIN_BOTTOM. */
  readonly bottom?: number;
  readonly yScale: PickD3Scale<"linear", number>;
  readonly yTicks: readonly number[];
  readonly formatY: (v: number) => string;
  /** A linear x (curves, scatter) or a band per category (its tick values are the indices). */
  readonly xScale: PickD3Scale<"linear", number> | PickD3Scale<"band", number, number>;
  readonly xTicks: readonly number[];
  readonly formatX: (v: number) => string;
  /** Default: centred under the tick. */
  readonly xTickLabelProps?: TickLabelStyle;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Marks drawn over the grid but under the bottom axis (columns standing on it). */
  readonly underXAxis?: ReactNode;
}

export function ChartAxes(props: ChartAxesProps) {
  const { plotWidth, plotHeight, left, bottom = MARGIN_BOTTOM, yScale, yTicks, formatY, xScale, xTicks, formatX, xLabel, yLabel } = props;
  return (
    <>
      {yTicks.map((t) => (
        <Line key={t} className="segmint-chart-grid" from={{ x: 0, y: round1(yScale(t)) }} to={{ x: plotWidth, y: round1(yScale(t)) }} />
      ))}
      <AxisLeft scale={yScale} tickValues={[...yTicks]} tickFormat={(v) => formatY(Number(v))} tickLength={TICK_LENGTH} tickComponent={PlainTick}
        tickLabelProps={{ textAnchor: "end", dy: "0.32em", dx: -4 }} />
      {props.underXAxis}
      <AxisBottom top={plotHeight} scale={xScale} tickValues={[...xTicks]} tickFormat={(v) => formatX(Number(v))} tickLength={TICK_LENGTH}
        tickComponent={PlainTick} tickLabelProps={props.xTickLabelProps ?? BOTTOM_TICK_LABELS} />
      <text className="segmint-chart-axis-label" x={plotWidth / 2} y={plotHeight + bottom - 6} textAnchor="middle">
        {xLabel}
      </text>
      <text className="segmint-chart-axis-label" transform={`rotate(-90) translate(${-plotHeight / 2} ${-left + MAX_FONT_UNITS})`} textAnchor="middle">
        {yLabel}
      </text>
    </>
  );
}
