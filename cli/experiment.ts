/**
 * `segmint experiment analyze <customers.csv>`: one look at a holdout experiment from a CSV with
 * one row per customer (docs/analytics.md §9). The statistics are the core's `analyzeExperiment`
 * (docs/experiments.md); the words are the admin's (`experimentVerdict`). Any bad row stops the
 * run before the analysis: analysing the customers that happen to parse would compare a subset
 * of each arm, and whichever customers drop out can bias the difference.
 */
import { analyzeExperiment, ExperimentInputError, type AnalyzeOptions, type ExperimentAnalysis } from "../app/analytics/index";
import { METRIC_LABEL, type ExperimentMetric } from "../app/domain/experiment";
import { experimentVerdict, type ExperimentVerdict, type VerdictMoneyFormat } from "../app/domain/experiment-verdict";
import type { ExperimentAnalyzeCommand } from "./args";
import { readExperimentRows, type ExperimentRows } from "./csv/experiment";
import { ColumnError } from "./csv/columns";
import { EmptyInputError, openCsvText, type ReadProgress } from "./csv/transactions";
import { EXIT, InputError, assertReadableFile, corruptGzipError, type Io } from "./exit";
import { createProgress } from "./progress";

const count = new Intl.NumberFormat("en-US");
const money2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const money0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** The CSV carries no currency: amounts plain, with 2 decimals (none for a rounded total). */
export const plainMoney: VerdictMoneyFormat = (amount, whole) => (whole ? money0 : money2).format(amount);

async function readRows(cmd: ExperimentAnalyzeCommand, io: Io): Promise<ExperimentRows> {
  assertReadableFile(cmd.file);
  const progressState: ReadProgress = { bytesRead: 0, totalBytes: 0 };
  const progress = createProgress(io.stderr, progressState, cmd.quiet);
  try {
    return await readExperimentRows(openCsvText(cmd.file, progressState), cmd.metric, (rows) => progress.update(rows));
  } catch (e) {
    if (e instanceof ColumnError || e instanceof EmptyInputError) throw new InputError(`${cmd.file}: ${e.message}`);
    throw corruptGzipError(cmd.file, e) ?? e;
  } finally {
    progress.done();
  }
}

/** Lists the first `maxErrors` bad rows and fails with their counts by kind. */
function rejectBadRows(cmd: ExperimentAnalyzeCommand, read: ExperimentRows, io: Io): never {
  const kinds = new Map<string, number>();
  for (const [i, p] of read.problems.entries()) {
    kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
    if (i < cmd.maxErrors) io.stderr.write(`segmint: ${cmd.file}:${p.line}: bad row: ${p.reason}\n`);
  }
  const n = read.problems.length;
  const byKind = [...kinds.entries()].sort((a, b) => b[1] - a[1]).map(([k, c]) => `${count.format(c)} ${k}`).join(", ");
  throw new InputError(
    `${count.format(n)} bad ${n === 1 ? "row" : "rows"} of ${count.format(read.rows)} (${byKind}); nothing was analysed: ` +
      "an analysis of the rows that parse would compare part of the cohort and could be biased. Fix or remove the rows listed and run again.",
  );
}

/** A figure of the metric: money with 2 decimals, conversion as a percentage, orders with 3 decimals. */
function figureFormat(metric: ExperimentMetric): { value: (n: number) => string; lift: (n: number) => string } {
  if (metric === "conversion") {
    const pct = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return { value: (n) => `${pct.format(n * 100)} %`, lift: (n) => `${pct.format(n * 100)} pp` };
  }
  const f = metric === "orders" ? new Intl.NumberFormat("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 }) : money2;
  return { value: (n) => f.format(n), lift: (n) => f.format(n) };
}

const signedWith = (format: (n: number) => string) => (n: number): string => (n > 0 ? `+${format(n)}` : format(n));

function pValue(p: number): string {
  return p < 0.0001 ? "< 0.0001" : `= ${p.toFixed(4)}`;
}

/** The CUPED interval's width over the unadjusted one's: ", interval 0.57× as wide" ("" when undefined). */
function widthRatio(a: ExperimentAnalysis): string {
  const raw = a.unadjusted.ciHigh - a.unadjusted.ciLow;
  return raw > 0 ? `, interval ${((a.ciHigh - a.ciLow) / raw).toFixed(2)}× as wide` : "";
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function textReport(cmd: ExperimentAnalyzeCommand, read: ExperimentRows, a: ExperimentAnalysis, verdict: ExperimentVerdict): string {
  const f = figureFormat(cmd.metric);
  const lift = signedWith(f.lift);
  const level = `${Number(((1 - a.alpha) * 100).toFixed(1))} %`;
  const interval = (low: number, high: number, format: (n: number) => string): string => `${level} interval ${format(low)} to ${format(high)}`;
  const row = (label: string, ...cells: string[]): string => `  ${label.padEnd(20)}${cells.join("   ")}`;
  const col = (t: string, c: string): string => `${t.padStart(14)}${c.padStart(14)}`;
  const n = a.nTreatment + a.nControl;
  const cuped =
    a.theta === null
      ? row("CUPED", cmd.cuped ? (read.hasPre ? "not used" : "not used: the file has no pre column") : "not used (--no-cuped)")
      : row(
          "CUPED",
          `variance reduced by ${percent(a.varianceReduction)} (θ = ${a.theta.toPrecision(4)})${widthRatio(a)}; without it: ${lift(a.unadjusted.liftPerCustomer)}, ${interval(a.unadjusted.ciLow, a.unadjusted.ciHigh, f.lift)}, p ${pValue(a.unadjusted.pValue)}`,
        );
  const totalFormat = cmd.metric === "revenue" ? money2 : count;
  const lines = [
    `Experiment: ${cmd.file}, ${count.format(n)} customers, metric ${cmd.metric} (${METRIC_LABEL[cmd.metric].toLowerCase()})`,
    "",
    row("", col("treatment", "control")),
    row("customers", col(count.format(a.nTreatment), count.format(a.nControl))),
    row(cmd.outcomeCap === null ? "mean outcome" : "mean outcome (capped)", col(f.value(a.meanTreatment), f.value(a.meanControl))),
    "",
    row("lift per customer", lift(a.liftPerCustomer), interval(a.ciLow, a.ciHigh, f.lift), `p ${pValue(a.pValue)}`),
    row(
      "method",
      `${a.method} (${a.validity === "always-valid" ? "always-valid interval, any look" : "fixed-horizon interval, one look at the horizon"}` +
        `${cmd.outcomeCap === null ? "" : `; outcomes capped at ${f.value(cmd.outcomeCap)}`})`,
    ),
    cuped,
    row(
      "incremental total",
      signedWith((v) => totalFormat.format(v))(a.incrementalTotal),
      `${interval(a.incrementalCiLow, a.incrementalCiHigh, (v) => totalFormat.format(v))} (lift × ${count.format(a.nTreatment)} treated customers)`,
    ),
    row("sample ratio", `p ${pValue(a.srmPValue)} (control ${percent(n > 0 ? a.nControl / n : 0)} of the cohort; planned ${percent(cmd.controlShare)})`),
    ...(a.srmMismatch ? [row("", "WARNING: sample ratio mismatch (p < 0.001): the split is not the planned one; do not trust the result")] : []),
    "",
    `Verdict: ${verdict.headline}`,
    `  ${verdict.detail}`,
  ];
  return lines.join("\n") + "\n";
}

function jsonReport(cmd: ExperimentAnalyzeCommand, a: ExperimentAnalysis, verdict: ExperimentVerdict): string {
  // The contract's keys first, in the issue's order; the rest after.
  const out = {
    n_treatment: a.nTreatment,
    n_control: a.nControl,
    lift_per_customer: a.liftPerCustomer,
    ci_low: a.ciLow,
    ci_high: a.ciHigh,
    p_value: a.pValue,
    method: a.method,
    variance_reduction: a.varianceReduction,
    incremental_total: a.incrementalTotal,
    incremental_ci_low: a.incrementalCiLow,
    incremental_ci_high: a.incrementalCiHigh,
    srm_p_value: a.srmPValue,
    metric: cmd.metric,
    mean_treatment: a.meanTreatment,
    mean_control: a.meanControl,
    standard_error: a.standardError,
    alpha: a.alpha,
    validity: a.validity,
    theta: a.theta,
    unadjusted_lift_per_customer: a.unadjusted.liftPerCustomer,
    unadjusted_ci_low: a.unadjusted.ciLow,
    unadjusted_ci_high: a.unadjusted.ciHigh,
    unadjusted_p_value: a.unadjusted.pValue,
    control_share: cmd.controlShare,
    outcome_cap: cmd.outcomeCap,
    srm_mismatch: a.srmMismatch,
    verdict,
  };
  return JSON.stringify(out, null, 2) + "\n";
}

export async function runExperimentAnalyze(cmd: ExperimentAnalyzeCommand, io: Io): Promise<number> {
  const read = await readRows(cmd, io);
  if (read.problems.length > 0) rejectBadRows(cmd, read, io);
  if (read.observations.length === 0) throw new InputError(`${cmd.file}: no customer rows after the header`);
  const options: AnalyzeOptions = {
    alpha: cmd.alpha,
    controlShare: cmd.controlShare,
    ...(cmd.cuped ? {} : { cuped: false }),
    ...(cmd.plannedStandardError === null ? {} : { sequential: { plannedStandardError: cmd.plannedStandardError } }),
    ...(cmd.outcomeCap === null ? {} : { outcomeCap: cmd.outcomeCap }),
  };
  let analysis: ExperimentAnalysis;
  try {
    analysis = analyzeExperiment(read.observations, options);
  } catch (e) {
    if (e instanceof ExperimentInputError) throw new InputError(`${cmd.file}: ${e.message}`);
    throw e;
  }
  // The file is taken as the experiment's final look unless --planned-se says it is an early one.
  const verdict = experimentVerdict(analysis, {
    metric: cmd.metric,
    horizonReached: cmd.plannedStandardError === null,
    format: plainMoney,
    controlShare: cmd.controlShare,
  });
  if (cmd.json) {
    io.stdout.write(jsonReport(cmd, analysis, verdict));
    if (analysis.srmMismatch) io.stderr.write(`segmint: warning: sample ratio mismatch (p = ${analysis.srmPValue.toPrecision(2)} < 0.001): do not trust the result\n`);
  } else {
    io.stdout.write(textReport(cmd, read, analysis, verdict));
  }
  return EXIT.ok;
}
