// A labelled table of customer counts (rows × columns), for the migration and the Shopify-RFM
// cross table. A plain <table> in a keyboard-focusable scroll region (it can be wider than a
// phone), numbers right-aligned, an optional totals row, and cells marked to stand out in bold.
import type { CSSProperties } from "react";
import { formatCount } from "../format";

export interface CountTableProps {
  /** Read by screen readers as the table's name; also labels the scroll region. */
  readonly caption: string;
  /** The header of the row-label column ("Last run → this run"). */
  readonly corner: string;
  readonly columns: readonly string[];
  readonly rows: readonly { readonly label: string; readonly counts: readonly number[]; readonly total?: number; readonly bold?: number | null }[];
  /** Column totals (and their sum), shown as the last row. */
  readonly totals?: { readonly label: string; readonly counts: readonly number[]; readonly total: number } | null;
  readonly showRowTotals?: boolean;
  readonly testId: string;
}

const cell: CSSProperties = {
  padding: "var(--p-space-200, 8px) var(--p-space-300, 12px)",
  borderBottom: "var(--p-border-width-025, 1px) solid var(--p-color-border-secondary, #ebebeb)",
  whiteSpace: "nowrap",
};
const num: CSSProperties = { ...cell, textAlign: "right", fontVariantNumeric: "tabular-nums" };
const head: CSSProperties = { fontWeight: 600, color: "var(--p-color-text-secondary, #616161)", verticalAlign: "bottom", whiteSpace: "normal", minWidth: "6rem" };
const foot: CSSProperties = { fontWeight: 600, borderBottom: "none" };

export function CountTable({ caption, corner, columns, rows, totals, showRowTotals, testId }: CountTableProps) {
  const n = (v: number) => (v === 0 ? "–" : formatCount(v));
  return (
    <div role="region" aria-label={caption} tabIndex={0} style={{ overflowX: "auto", maxWidth: "100%" }} data-testid={testId}>
      <table style={{ borderCollapse: "collapse", width: "100%", fontSize: "var(--p-font-size-325, 13px)" }}>
        <caption style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" style={{ ...cell, ...head, textAlign: "left" }}>
              {corner}
            </th>
            {columns.map((c, j) => (
              <th key={j} scope="col" style={{ ...num, ...head }}>
                {c}
              </th>
            ))}
            {showRowTotals && (
              <th scope="col" style={{ ...num, ...head }}>
                Total
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row" style={{ ...cell, textAlign: "left", fontWeight: 450 }}>
                {r.label}
              </th>
              {r.counts.map((v, j) => (
                <td key={j} style={j === r.bold ? { ...num, fontWeight: 700 } : num}>
                  {n(v)}
                </td>
              ))}
              {showRowTotals && <td style={{ ...num, fontWeight: 600 }}>{formatCount(r.total ?? r.counts.reduce((a, b) => a + b, 0))}</td>}
            </tr>
          ))}
        </tbody>
        {totals && (
          <tfoot>
            <tr>
              <th scope="row" style={{ ...cell, ...foot, textAlign: "left" }}>
                {totals.label}
              </th>
              {totals.counts.map((v, j) => (
                <td key={j} style={{ ...num, ...foot }}>
                  {formatCount(v)}
                </td>
              ))}
              {showRowTotals && <td style={{ ...num, ...foot }}>{formatCount(totals.total)}</td>}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
