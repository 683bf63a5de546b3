/**
 * The reader of `segmint experiment analyze`: one row per customer of an experiment's cohort with
 * its arm, its outcome over the experiment's window and, optionally, its pre-period value (CUPED's
 * covariate). Every row is checked; a bad row is reported with its physical line and reason, never
 * dropped silently — the caller decides what a bad row means (the CLI analyses nothing then).
 */
import type { Arm, Observation } from "../../app/analytics/index";
import type { ExperimentMetric } from "../../app/domain/experiment";
import { ColumnError, COLUMN_CANDIDATES, normaliseHeader } from "./columns";
import { headedRecordReader } from "./records";

export type ExperimentColumnRole = "customer" | "arm" | "outcome" | "pre";

/** Accepted header names, compared after `normaliseHeader` (lower case, letters and digits only). */
export const EXPERIMENT_COLUMN_CANDIDATES: Readonly<Record<ExperimentColumnRole, readonly string[]>> = {
  customer: COLUMN_CANDIDATES.customer,
  arm: ["arm", "group", "variant"],
  outcome: ["outcome", "value", "metric"],
  pre: ["pre", "preperiod", "covariate"],
};

export interface ExperimentColumns {
  readonly customer: number;
  readonly arm: number;
  readonly outcome: number;
  /** -1 when the file has no pre column (then no CUPED). */
  readonly pre: number;
}

export function detectExperimentColumns(header: readonly string[]): ExperimentColumns {
  const normalised = header.map((h) => normaliseHeader(h));
  const find = (role: ExperimentColumnRole): number => {
    for (const candidate of EXPERIMENT_COLUMN_CANDIDATES[role]) {
      const idx = normalised.indexOf(candidate);
      if (idx >= 0) return idx;
    }
    return -1;
  };
  const columns = { customer: find("customer"), arm: find("arm"), outcome: find("outcome"), pre: find("pre") };
  const missing: string[] = [];
  if (columns.customer < 0) missing.push("customer_id");
  if (columns.arm < 0) missing.push("arm (treatment or control)");
  if (columns.outcome < 0) missing.push("outcome");
  if (missing.length > 0) {
    throw new ColumnError(`cannot find column(s): ${missing.join(", ")}. The header must have customer_id, arm, outcome and optionally pre; found: ${header.join(", ")}`);
  }
  return columns;
}

/** A plain decimal number (`12`, `-3.5`, `.25`, `1e3`); no thousands separators, no currency sign. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Why an outcome cannot be this metric's value, or null when it can. */
function metricProblem(metric: ExperimentMetric, value: number, text: string): Check {
  if (metric === "conversion" && value !== 0 && value !== 1) return bad("outcome not 0 or 1", `outcome must be 0 or 1 for --metric conversion, got ${JSON.stringify(text)}`);
  if (metric === "orders" && (value < 0 || !Number.isInteger(value))) {
    return bad("outcome not a whole number of orders", `outcome must be a whole number of orders, 0 or more, for --metric orders, got ${JSON.stringify(text)}`);
  }
  return null;
}

/** A bad row: its physical line (header = 1), the reason in words, and a short kind for counts. */
export interface ExperimentRowProblem {
  readonly line: number;
  readonly reason: string;
  readonly kind: string;
}

type Check = { kind: string; reason: string } | null;

const bad = (kind: string, reason: string = kind): Check => ({ kind, reason });

export interface ExperimentRows {
  readonly observations: Observation[];
  /** Every bad row, in file order. */
  readonly problems: ExperimentRowProblem[];
  /** The file has a pre column. */
  readonly hasPre: boolean;
  /** Data rows read (good and bad; blank lines are not rows). */
  readonly rows: number;
}

/**
 * Reads the whole file (experiment files are one row per customer: small enough to hold). Throws
 * `ColumnError` when a required column is missing and `EmptyInputError` (csv/records) when there is no header.
 */
export async function readExperimentRows(
  text: AsyncIterable<string | Buffer>,
  metric: ExperimentMetric,
  onChunk?: (rows: number) => void,
): Promise<ExperimentRows> {
  const observations: Observation[] = [];
  const problems: ExperimentRowProblem[] = [];
  const firstLine = new Map<string, number>();
  let columns: ExperimentColumns | null = null;
  let rows = 0;

  const onRecord = (fields: string[], line: number, cols: ExperimentColumns, width: number): Check => {
    if (fields.length !== width) return bad("wrong number of fields", `expected ${width} fields, found ${fields.length}`);
    const customerId = fields[cols.customer]!.trim();
    if (customerId === "") return bad("missing customer_id");
    // Checked first, so a repeat is caught even when the first occurrence is itself a bad row.
    const seen = firstLine.get(customerId);
    if (seen !== undefined) return bad("duplicated customer_id", `duplicated customer_id ${JSON.stringify(customerId)} (first on line ${seen})`);
    firstLine.set(customerId, line);
    const armText = fields[cols.arm]!.trim();
    const arm = armText.toLowerCase();
    if (arm !== "treatment" && arm !== "control") return bad("unknown arm", `unknown arm ${JSON.stringify(armText)} (expected treatment or control)`);
    const outcomeText = fields[cols.outcome]!.trim();
    if (outcomeText === "") return bad("missing outcome");
    const outcome = parseNumber(outcomeText);
    if (outcome === null) return bad("outcome not a number", `outcome is not a number: ${JSON.stringify(outcomeText)}`);
    const wrong = metricProblem(metric, outcome, outcomeText);
    if (wrong !== null) return wrong;
    let pre: number | null = null;
    if (cols.pre >= 0) {
      const preText = fields[cols.pre]!.trim();
      if (preText === "") return bad("missing pre", "missing pre (the file has a pre column: every customer needs a pre-period value)");
      pre = parseNumber(preText);
      if (pre === null) return bad("pre not a number", `pre is not a number: ${JSON.stringify(preText)}`);
    }
    observations.push(cols.pre >= 0 ? { arm: arm as Arm, outcome, pre } : { arm: arm as Arm, outcome });
    return null;
  };

  const records = headedRecordReader(
    (header) => (columns = detectExperimentColumns(header)),
    (line, error) => {
      rows++;
      problems.push({ line, kind: "malformed CSV", reason: `malformed CSV: ${error}` });
    },
    (fields, line, cols, width) => {
      rows++;
      const problem = onRecord(fields, line, cols, width);
      if (problem !== null) problems.push({ line, ...problem });
    },
  );
  for await (const chunk of text) {
    records.push(chunk);
    onChunk?.(rows);
  }
  records.end();
  return { observations, problems, hasPre: columns !== null && (columns as ExperimentColumns).pre >= 0, rows };
}
