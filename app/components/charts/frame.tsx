/** @jsxRuntime automatic */
/** @jsxImportSource react */
// (Pragmas: the CLI runs these files through tsx from any directory, where tsconfig's jsx setting is not found.)
// The accessible shell every chart shares: a <figure> whose caption is the title and the summary,
// an <svg role="img"> named by its <title> and described by its <desc>, an optional legend, and
// a "Show data" disclosure with the numbers as a table (keyboard and screen-reader users, and
// anyone who wants the exact values). Works without JavaScript: <details> is native.
import { useId, type ReactNode } from "react";
import { CHART_CSS, CHART_WIDTH } from "./theme";

export interface DataTableColumn {
  readonly label: string;
  readonly numeric?: boolean;
}

export interface ChartDataTable {
  readonly columns: readonly DataTableColumn[];
  readonly rows: readonly (readonly string[])[];
  /** A sentence shown above the table (e.g. the marked value, or that long curves are thinned). */
  readonly note?: string;
}

export interface LegendEntry {
  readonly label: string;
  readonly color: string;
}

interface ChartFrameProps {
  readonly kind: "line" | "scatter" | "distribution";
  readonly title: string;
  readonly summary: string;
  readonly testId?: string;
  /** Height of the drawing in chart units (its width is CHART_WIDTH). */
  readonly height: number;
  /** null: nothing to draw, the figure says so instead of showing empty axes. */
  readonly plot: ReactNode | null;
  readonly legend?: readonly LegendEntry[];
  readonly table?: ChartDataTable;
}

export const EMPTY_MESSAGE = "No data for this chart";

export function ChartFrame({ kind, title, summary, testId, height, plot, legend, table }: ChartFrameProps) {
  const id = useId();
  const titleId = `${id}title`;
  const descId = `${id}desc`;
  return (
    <figure className={`segmint-chart segmint-chart-${kind}`} data-testid={testId} data-chart={kind}>
      <style dangerouslySetInnerHTML={{ __html: CHART_CSS }} />
      <figcaption className="segmint-chart-caption">
        <span className="segmint-chart-title">{title}</span>
        <span className="segmint-chart-summary">{summary}</span>
      </figcaption>
      {plot === null ? (
        <p className="segmint-chart-empty">{EMPTY_MESSAGE}</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${CHART_WIDTH} ${height}`} width="100%" role="img" aria-labelledby={titleId} aria-describedby={descId} preserveAspectRatio="xMidYMid meet">
            <title id={titleId}>{title}</title>
            <desc id={descId}>{summary}</desc>
            {plot}
          </svg>
          {legend && legend.length > 0 ? (
            <ul className="segmint-chart-legend" aria-label={`Legend: ${title}`}>
              {legend.map((entry, i) => (
                <li key={i}>
                  <span className="segmint-chart-swatch" style={{ background: entry.color }} aria-hidden="true" />
                  {entry.label}
                </li>
              ))}
            </ul>
          ) : null}
          {table && table.rows.length > 0 ? <DataTable title={title} table={table} /> : null}
        </>
      )}
    </figure>
  );
}

function DataTable({ title, table }: { title: string; table: ChartDataTable }) {
  return (
    <details className="segmint-chart-data">
      <summary>Show data</summary>
      {table.note ? <p>{table.note}</p> : null}
      {/* tabIndex: a scrolling box must be reachable by keyboard (axe: scrollable-region-focusable); a group, not a landmark, so pages with many charts do not fill up with regions. */}
      <div className="segmint-chart-data-scroll" tabIndex={0} role="group" aria-label={`Data: ${title}`}>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} scope="col" className={c.numeric ? "segmint-chart-num" : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row" className={table.columns[i]?.numeric ? "segmint-chart-num" : undefined}>
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className={table.columns[i]?.numeric ? "segmint-chart-num" : undefined}>
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
