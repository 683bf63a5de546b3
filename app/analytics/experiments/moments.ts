import { ExperimentInputError } from "./errors";
import { studentTTwoSidedP } from "./distributions";

export interface Moments {
  readonly n: number;
  readonly mean: number;
  /** Sample variance (n − 1 in the denominator). */
  readonly variance: number;
}

/** Mean and sample variance in two passes (the second on deviations, so large means lose no digits). */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return { n, mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

export interface WelchResult {
  readonly difference: number;
  readonly standardError: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when both arms have zero variance). */
  readonly df: number;
}

/** Welch's unequal-variance comparison of two samples: difference of means, its standard error, df. */
export function welch(treatment: Moments, control: Moments): WelchResult {
  const vt = treatment.variance / treatment.n;
  const vc = control.variance / control.n;
  const se2 = vt + vc;
  const denominator = (vt * vt) / (treatment.n - 1) + (vc * vc) / (control.n - 1);
  return { difference: treatment.mean - control.mean, standardError: Math.sqrt(se2), df: denominator > 0 ? (se2 * se2) / denominator : Infinity };
}

/** Two-sided p of a difference against 0 with its standard error (t with `df`; exact 0 or 1 when se = 0). */
export function twoSidedP(difference: number, standardError: number, df: number): number {
  if (standardError === 0) return difference === 0 ? 1 : 0;
  return studentTTwoSidedP(difference / standardError, df);
}

export function requireFinite(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ExperimentInputError(`${what} must be a finite number, got ${typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}
