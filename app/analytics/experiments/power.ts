/**
 * Before the start (docs/experiments.md, "Up front"): the minimum detectable effect for the
 * cohort and horizon, raw and with CUPED, and the balance of the arms on pre-period values.
 */
import { normalQuantile } from "./distributions";
import { ExperimentInputError } from "./errors";
import { moments, requireFinite, twoSidedP, welch } from "./moments";
import type { Observation } from "./types";

export interface DesignInput {
  /** The metric per cohort member over the horizon-long window just before the start (a stand-in for the outcome). */
  readonly outcome: readonly number[];
  /** The metric over the pre-period before that window, per member in the same order (CUPED's covariate). */
  readonly covariate?: readonly number[] | null;
  readonly controlShare: number;
  /** Two-sided level, default 0.05. */
  readonly alpha?: number;
  /** Power, default 0.8. */
  readonly power?: number;
}

export interface ExperimentDesign {
  readonly n: number;
  readonly nTreatment: number;
  readonly nControl: number;
  readonly baselineMean: number;
  /** Sample standard deviation of the outcome stand-in. */
  readonly standardDeviation: number;
  /** (z_{1−α/2} + z_power) · σ · √(1/nT + 1/nC) */
  readonly mde: number;
  /** mde · √(1 − ρ²) */
  readonly cupedMde: number;
  /** ρ², the squared correlation of outcome and covariate (0 without a covariate). */
  readonly expectedVarianceReduction: number;
  /** σ · √(1/nT + 1/nC): the standard error expected at the horizon. */
  readonly plannedStandardError: number;
  /** The same with CUPED: plannedStandardError · √(1 − ρ²). */
  readonly plannedStandardErrorCuped: number;
}

function level(value: number, what: string): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) throw new ExperimentInputError(`${what} must be a number between 0 and 1, got ${String(value)}`);
  return value;
}

export function designExperiment(input: DesignInput): ExperimentDesign {
  const alpha = level(input.alpha ?? 0.05, "The significance level alpha");
  const power = level(input.power ?? 0.8, "The power");
  const controlShare = level(input.controlShare, "The control share");
  const n = input.outcome.length;
  const nControl = Math.round(controlShare * n);
  const nTreatment = n - nControl;
  if (nTreatment < 2 || nControl < 2) {
    throw new ExperimentInputError(
      `A ${Math.round(controlShare * 1000) / 10} % holdout of ${n} customers leaves ${nControl} in control and ${nTreatment} treated; each arm needs at least 2`,
    );
  }
  const y = Float64Array.from(input.outcome, (v, i) => requireFinite(v, `The baseline value of customer #${i + 1}`));
  const m = moments(y);
  const sd = Math.sqrt(m.variance);
  let rho2 = 0;
  const covariate = input.covariate ?? null;
  if (covariate !== null) {
    if (covariate.length !== n) throw new ExperimentInputError(`The covariate has ${covariate.length} values for ${n} customers`);
    const x = Float64Array.from(covariate, (v, i) => requireFinite(v, `The pre-period value of customer #${i + 1}`));
    const mx = moments(x);
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += (x[i]! - mx.mean) * (y[i]! - m.mean);
    const cov = sxy / (n - 1);
    rho2 = mx.variance > 0 && m.variance > 0 ? Math.min(1, (cov * cov) / (mx.variance * m.variance)) : 0;
  }
  const plannedStandardError = sd * Math.sqrt(1 / nTreatment + 1 / nControl);
  const multiplier = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  const shrink = Math.sqrt(1 - rho2);
  return {
    n,
    nTreatment,
    nControl,
    baselineMean: m.mean,
    standardDeviation: sd,
    mde: multiplier * plannedStandardError,
    cupedMde: multiplier * plannedStandardError * shrink,
    expectedVarianceReduction: rho2,
    plannedStandardError,
    plannedStandardErrorCuped: plannedStandardError * shrink,
  };
}

export interface BalanceCheck {
  readonly meanTreatment: number;
  readonly meanControl: number;
  /** (mean_T − mean_C) / √((s²_T + s²_C) / 2); |d| < 0.1 is the usual "balanced". */
  readonly standardizedDifference: number;
  /** Welch's t-test of the two means. */
  readonly pValue: number;
}

/** Treatment vs control on the pre-period value (`pre` of each observation). */
export function balanceCheck(observations: readonly Observation[]): BalanceCheck {
  const t: number[] = [];
  const c: number[] = [];
  observations.forEach((o, i) => {
    const v = requireFinite(o.pre, `The pre-period value of customer #${i + 1}`);
    if (o.arm === "treatment") t.push(v);
    else if (o.arm === "control") c.push(v);
    else throw new ExperimentInputError(`Customer #${i + 1} has arm ${JSON.stringify(o.arm)}; expected "treatment" or "control"`);
  });
  if (t.length < 2 || c.length < 2) throw new ExperimentInputError(`The balance check needs at least 2 customers per arm; treatment has ${t.length}, control ${c.length}`);
  const mt = moments(t);
  const mc = moments(c);
  const w = welch(mt, mc);
  const pooled = Math.sqrt((mt.variance + mc.variance) / 2);
  return {
    meanTreatment: mt.mean,
    meanControl: mc.mean,
    standardizedDifference: pooled > 0 ? w.difference / pooled : 0,
    pValue: twoSidedP(w.difference, w.standardError, w.df),
  };
}
