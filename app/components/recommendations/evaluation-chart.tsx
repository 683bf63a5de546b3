// The offline evaluation as columns: for each method, the share of held-out baskets whose hidden
// product it found in its top 10 (hit@10), Segmint's column in the emphasis colour, the baselines
// grey. Built from the shared chart parts (ADR 0018: the accessible frame with its "Show data"
// table, axes, margins), as the anomalies' store-days chart is.
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { ChartAxes } from "../charts/axes";
import { ChartFrame, type ChartDataTable } from "../charts/frame";
import { MARGIN_TOP, TICK_LENGTH, leftMargin, niceTicks, plotWidthFor, round1, textWidth, twoLines, yTickLimit } from "../charts/layout";
import { COMPARISON, MAX_FONT_UNITS, PRIMARY } from "../charts/theme";
import { formatCount, formatDay } from "../format";
import { METHOD_LABEL, type EvaluationFigures } from "../../domain/recommendation";
import { formatRate } from "./view";

const ROTATE_DEGREES = -35;
export const EVALUATION_TITLE = "Hidden product found in the top 10 (hit@10)";

/** The chart's sentence: what was measured and how Segmint compares with the best baseline. */
export function evaluationSummary(e: EvaluationFigures): string {
  const segmint = e.methods.find((m) => m.method === "segmint");
  const others = e.methods.filter((m) => m.method !== "segmint");
  const best = [...others].sort((a, b) => b.hit10 - a.hit10)[0];
  const setting = `On ${formatCount(e.queries)} baskets from ${formatDay(e.cutoffDay)} on, each with one product hidden, after training on the ${formatCount(e.trainBaskets)} baskets before`;
  if (!segmint) return `${setting}.`;
  if (!best) return `${setting}, Segmint found the hidden product in its top 10 for ${formatRate(segmint.hit10)} of them.`;
  const compare = segmint.hit10 >= best.hit10 ? `ahead of the best simple method (${METHOD_LABEL[best.method]}, ${formatRate(best.hit10)})` : `behind ${METHOD_LABEL[best.method]} (${formatRate(best.hit10)})`;
  return `${setting}, Segmint found the hidden product in its top 10 for ${formatRate(segmint.hit10)} of them, ${compare}.`;
}

export function EvaluationChart({ evaluation, height = 260, testId }: { evaluation: EvaluationFigures; height?: number; testId?: string }) {
  const methods = evaluation.methods;
  const summary = evaluationSummary(evaluation);
  const table: ChartDataTable = {
    columns: [{ label: "Method" }, { label: "hit@5", numeric: true }, { label: "hit@10", numeric: true }, { label: "MRR@10", numeric: true }],
    rows: methods.map((m) => [METHOD_LABEL[m.method], formatRate(m.hit5), formatRate(m.hit10), m.mrr10.toFixed(3)]),
  };
  const top = Math.max(0, ...methods.map((m) => m.hit10));
  if (methods.length === 0 || top === 0) return <ChartFrame kind="distribution" title={EVALUATION_TITLE} summary={summary} testId={testId} height={height} plot={null} />;

  const tick = (v: number) => `${Math.round(v * 100)}%`;
  const probe = scaleLinear<number>({ domain: [0, top] });
  const left = leftMargin(niceTicks(probe, yTickLimit(height - MARGIN_TOP - 80)).map(tick));
  const plotWidth = plotWidthFor(left, 12);
  const x = scaleBand<number>({ domain: methods.map((_, i) => i), range: [0, plotWidth], paddingInner: 0.35, paddingOuter: 0.2 });
  // Method names at the largest text size: one line if they fit a column's step, else two, else turned 35° (as DistributionChart does).
  const names = methods.map((m) => METHOD_LABEL[m.method]);
  const fits = (lines: readonly string[]) => Math.max(...lines.map((l) => textWidth(l))) + 6 <= x.step();
  const layout = names.every((l) => fits([l])) ? "one" : names.every((l) => fits(twoLines(l))) ? "two" : "rotated";
  const labels = layout === "two" ? names.map((l) => twoLines(l).join("\n")) : names;
  const angle = (ROTATE_DEGREES * Math.PI) / 180;
  const labelDepth = layout === "rotated" ? Math.sin(-angle) * Math.max(...names.map((l) => textWidth(l))) + Math.cos(angle) * MAX_FONT_UNITS : layout === "two" ? 2.15 * MAX_FONT_UNITS : MAX_FONT_UNITS;
  const bottom = Math.ceil(TICK_LENGTH + 10 + labelDepth + 10 + MAX_FONT_UNITS + 6);
  const plotHeight = Math.max(80, height - MARGIN_TOP - bottom);
  const yScale = scaleLinear<number>({ domain: [0, top], range: [plotHeight, 0] });
  const yTicks = niceTicks(yScale, yTickLimit(plotHeight));
  const columns = methods.map((m, i) => {
    const y = round1(yScale(m.hit10));
    const bx = x(i) ?? 0;
    return (
      <g key={m.method}>
        <Bar className="segmint-chart-bar" data-method={m.method} x={round1(bx)} y={y} width={round1(x.bandwidth())} height={round1(plotHeight - y)} style={{ fill: m.method === "segmint" ? PRIMARY : COMPARISON }} />
        {/* The value on the column: people read the figure without the axis. */}
        {textWidth(formatRate(m.hit10)) <= x.step() && (
          <text x={round1(bx + x.bandwidth() / 2)} y={y - 6} textAnchor="middle">
            {formatRate(m.hit10)}
          </text>
        )}
      </g>
    );
  });
  const plot = (
    <Group left={left} top={MARGIN_TOP}>
      <ChartAxes plotWidth={plotWidth} plotHeight={plotHeight} left={left} bottom={bottom} yScale={yScale} yTicks={yTicks} formatY={tick}
        xScale={x} xTicks={methods.map((_, i) => i)} formatX={(i) => labels[i] ?? ""} xLabel="Method" yLabel="hit@10" underXAxis={columns}
        xTickLabelProps={layout === "rotated" ? { textAnchor: "end", dy: "0.32em", angle: ROTATE_DEGREES } : undefined} />
    </Group>
  );
  return <ChartFrame kind="distribution" title={EVALUATION_TITLE} summary={summary} testId={testId} height={MARGIN_TOP + plotHeight + bottom} plot={plot} table={table} />;
}
