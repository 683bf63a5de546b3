/**
 * The results of a holdout experiment (docs/experiments.md): Welch's difference in means, CUPED
 * (Deng et al. 2013) with θ pooled across arms, fixed-horizon t intervals or the always-valid
 * normal-mixture confidence sequence, incremental total, and the sample-ratio-mismatch χ².
 */
import { chiSquare1Sf, studentTUpperQuantile } from "./distributions";
import { ExperimentInputError } from "./errors";
import { moments, requireFinite, twoSidedP, welch, type WelchResult } from "./moments";
import type { AnalyzeOptions, ExperimentAnalysis, LiftEstimate, Observation } from "./types";

/** A sample-ratio mismatch is declared below this χ² p-value (the GrowthBook convention). */
export const SRM_P_THRESHOLD = 0.001;

/** The mixture's tuning at the planned horizon: λ* = −2 ln α + ln(−2 ln α + 1) (Waudby-Smith et al., two-sided). */
export function sequentialTuning(alpha: number): number {
  const l = -2 * Math.log(alpha);
  return l + Math.log(l + 1);
}

/**
 * The normal-mixture confidence sequence at one look: λ = λ*·(plannedSE/se)² (the information
 * so far, relative to the horizon), half-width = se·√((1 + 1/λ)(2 ln(1/α) + ln(1 + λ))),
 * always-valid p = min(1, √(1 + λ)·exp(−z²λ / (2(1 + λ)))).
 */
export function confidenceSequence(estimate: number, standardError: number, lambda: number, alpha: number): { halfWidth: number; pValue: number } {
  if (standardError === 0) return { halfWidth: 0, pValue: estimate === 0 ? 1 : 0 };
  const halfWidth = standardError * Math.sqrt((1 + 1 / lambda) * (2 * Math.log(1 / alpha) + Math.log1p(lambda)));
  const z = estimate / standardError;
  const logE = (z * z * lambda) / (2 * (1 + lambda)) - 0.5 * Math.log1p(lambda);
  return { halfWidth, pValue: logE <= 0 ? 1 : Math.exp(-logE) };
}

function fixedHorizon(w: WelchResult, alpha: number): LiftEstimate {
  const q = w.standardError === 0 ? 0 : studentTUpperQuantile(alpha / 2, w.df);
  return {
    liftPerCustomer: w.difference,
    ciLow: w.difference - q * w.standardError,
    ciHigh: w.difference + q * w.standardError,
    pValue: twoSidedP(w.difference, w.standardError, w.df),
    standardError: w.standardError,
  };
}

function alwaysValid(w: WelchResult, lambda: number, alpha: number): LiftEstimate {
  const { halfWidth, pValue } = confidenceSequence(w.difference, w.standardError, lambda, alpha);
  return { liftPerCustomer: w.difference, ciLow: w.difference - halfWidth, ciHigh: w.difference + halfWidth, pValue, standardError: w.standardError };
}

function checkLevel(value: number, what: string): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) throw new ExperimentInputError(`${what} must be a number between 0 and 1, got ${String(value)}`);
  return value;
}

/** The χ² p-value of the arm sizes against the planned control share (1 degree of freedom). */
export function sampleRatioPValue(nTreatment: number, nControl: number, controlShare: number): number {
  const n = nTreatment + nControl;
  const expectedControl = controlShare * n;
  const expectedTreatment = n - expectedControl;
  const chi2 = (nControl - expectedControl) ** 2 / expectedControl + (nTreatment - expectedTreatment) ** 2 / expectedTreatment;
  return chiSquare1Sf(chi2);
}

function armLabel(n: number): string {
  return n === 1 ? "1 customer" : `${n} customers`;
}

/**
 * Analyse one look at an experiment. Throws ExperimentInputError when the input cannot be
 * analysed (an arm with fewer than 2 customers, a non-finite value, an unknown arm, …).
 */
export function analyzeExperiment(observations: readonly Observation[], options: AnalyzeOptions = {}): ExperimentAnalysis {
  if (!Array.isArray(observations) || observations.length === 0) throw new ExperimentInputError("There are no customers to analyse");
  const alpha = checkLevel(options.alpha ?? 0.05, "The significance level alpha");
  const controlShare = checkLevel(options.controlShare ?? 0.5, "The planned control share");
  const cap = options.outcomeCap ?? null;
  if (cap !== null) requireFinite(cap, "The pre-registered outcome cap");
  const plannedSE = options.sequential?.plannedStandardError ?? null;
  if (options.sequential != null && !(typeof plannedSE === "number" && Number.isFinite(plannedSE) && plannedSE > 0)) {
    throw new ExperimentInputError(`The planned standard error of the always-valid interval must be a positive number, got ${String(plannedSE)}`);
  }

  const n = observations.length;
  const outcome = new Float64Array(n);
  const pre = new Float64Array(n);
  const isTreatment = new Uint8Array(n);
  let everyPre = true;
  let nTreatment = 0;
  for (let i = 0; i < n; i++) {
    const o = observations[i]!;
    if (o === null || typeof o !== "object") throw new ExperimentInputError(`Customer #${i + 1} is not an observation`);
    if (o.arm !== "treatment" && o.arm !== "control") throw new ExperimentInputError(`Customer #${i + 1} has arm ${JSON.stringify(o.arm)}; expected "treatment" or "control"`);
    const y = requireFinite(o.outcome, `The outcome of customer #${i + 1}`);
    outcome[i] = cap !== null && y > cap ? cap : y;
    isTreatment[i] = o.arm === "treatment" ? 1 : 0;
    nTreatment += isTreatment[i]!;
    if (typeof o.pre === "number" && Number.isFinite(o.pre)) pre[i] = o.pre;
    else {
      everyPre = false;
      if (options.cuped === true && o.pre != null) requireFinite(o.pre, `The pre-period value of customer #${i + 1}`);
    }
  }
  const nControl = n - nTreatment;
  if (nTreatment < 2 || nControl < 2) {
    throw new ExperimentInputError(
      `Each arm needs at least 2 customers to estimate its variance; the treatment arm has ${armLabel(nTreatment)} and the control arm ${armLabel(nControl)}`,
    );
  }
  const cuped = options.cuped ?? everyPre;
  if (cuped && !everyPre) throw new ExperimentInputError("CUPED needs a pre-period value for every customer; some have none (leave CUPED off or supply the pre column for all)");

  const split = (values: Float64Array): [Float64Array, Float64Array] => {
    const t = new Float64Array(nTreatment);
    const c = new Float64Array(nControl);
    for (let i = 0, ti = 0, ci = 0; i < n; i++) {
      if (isTreatment[i]) t[ti++] = values[i]!;
      else c[ci++] = values[i]!;
    }
    return [t, c];
  };
  const [yT, yC] = split(outcome);
  const rawT = moments(yT);
  const rawC = moments(yC);
  const raw = welch(rawT, rawC);

  let theta: number | null = null;
  let primary = raw;
  if (cuped) {
    // θ = Cov(Y, X) / Var(X) over every customer, both arms pooled (Deng et al. 2013).
    const all = moments(pre);
    const yMean = moments(outcome).mean;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const dx = pre[i]! - all.mean;
      sxy += dx * (outcome[i]! - yMean);
      sxx += dx * dx;
    }
    theta = sxx > 0 ? sxy / sxx : 0;
    const adjusted = new Float64Array(n);
    for (let i = 0; i < n; i++) adjusted[i] = outcome[i]! - theta * (pre[i]! - all.mean);
    const [aT, aC] = split(adjusted);
    primary = welch(moments(aT), moments(aC));
  }
  const varianceReduction = cuped && raw.standardError > 0 ? 1 - (primary.standardError / raw.standardError) ** 2 : 0;

  let estimate: LiftEstimate;
  let unadjusted: LiftEstimate;
  if (plannedSE !== null) {
    // One information time for both estimates: the primary's standard error against the plan.
    const lambda = primary.standardError > 0 ? sequentialTuning(alpha) * (plannedSE / primary.standardError) ** 2 : Infinity;
    estimate = alwaysValid(primary, lambda, alpha);
    unadjusted = alwaysValid(raw, lambda, alpha);
  } else {
    estimate = fixedHorizon(primary, alpha);
    unadjusted = fixedHorizon(raw, alpha);
  }

  const methodParts = [cuped ? "cuped" : "difference-in-means"];
  if (cap !== null) methodParts.push("winsorised");
  if (plannedSE !== null) methodParts.push("always-valid");
  const srmPValue = sampleRatioPValue(nTreatment, nControl, controlShare);
  return {
    ...estimate,
    nTreatment,
    nControl,
    meanTreatment: rawT.mean,
    meanControl: rawC.mean,
    method: methodParts.join("+"),
    validity: plannedSE !== null ? "always-valid" : "fixed-horizon",
    alpha,
    theta,
    varianceReduction,
    unadjusted,
    incrementalTotal: estimate.liftPerCustomer * nTreatment,
    incrementalCiLow: estimate.ciLow * nTreatment,
    incrementalCiHigh: estimate.ciHigh * nTreatment,
    srmPValue,
    srmMismatch: srmPValue < SRM_P_THRESHOLD,
  };
}
