// The vocabulary of holdout experiments in the pure core (docs/experiments.md).

export type Arm = "treatment" | "control";

/** One customer of the cohort: its arm, its outcome over the window, and its pre-period value (CUPED's covariate). */
export interface Observation {
  readonly arm: Arm;
  readonly outcome: number;
  readonly pre?: number | null;
}

/** Where the interval comes from: one pre-registered look at the horizon, or any day (always valid). */
export type IntervalValidity = "fixed-horizon" | "always-valid";

export interface AnalyzeOptions {
  /** Two-sided level; default 0.05 (95 % intervals). */
  readonly alpha?: number;
  /** CUPED with the pre-period value as covariate; default: when every observation has a finite `pre`. */
  readonly cuped?: boolean;
  /** The planned control share, for the sample-ratio-mismatch test; default 0.5. */
  readonly controlShare?: number;
  /**
   * Always-valid (sequential) interval: the normal-mixture confidence sequence tuned at the
   * standard error planned for the horizon. Absent: the fixed-horizon interval.
   */
  readonly sequential?: { readonly plannedStandardError: number } | null;
  /**
   * A pre-registered cap on each customer's outcome (fixed from pre-period data before the start):
   * outcomes above it count as the cap, and the estimate becomes the lift in the capped metric.
   * Absent: the raw metric (the default; docs/experiments.md "Heavy tails" says why).
   */
  readonly outcomeCap?: number | null;
}

/** A difference in the metric per customer, treatment − control, with its interval. */
export interface LiftEstimate {
  readonly liftPerCustomer: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly pValue: number;
  readonly standardError: number;
}

export interface ExperimentAnalysis extends LiftEstimate {
  readonly nTreatment: number;
  readonly nControl: number;
  /** Raw means of the outcome per arm. */
  readonly meanTreatment: number;
  readonly meanControl: number;
  /** e.g. "cuped", "difference-in-means", "cuped+always-valid" (the CLI prints it as is). */
  readonly method: string;
  readonly validity: IntervalValidity;
  readonly alpha: number;
  /** CUPED's θ = Cov(Y, X) / Var(X), pooled across arms; null without CUPED. */
  readonly theta: number | null;
  /** 1 − Var(adjusted) / Var(raw): the share of variance CUPED removed; 0 without CUPED. */
  readonly varianceReduction: number;
  /** The plain difference in means at the same level and validity, for comparison. */
  readonly unadjusted: LiftEstimate;
  /** Lift per customer × treated customers, with its interval. */
  readonly incrementalTotal: number;
  readonly incrementalCiLow: number;
  readonly incrementalCiHigh: number;
  /** χ² test of the arm sizes against the planned share; a mismatch is p < 0.001. */
  readonly srmPValue: number;
  readonly srmMismatch: boolean;
}
