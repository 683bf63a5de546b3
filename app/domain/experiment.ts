// Holdout experiments' vocabulary (docs/experiments.md): the metrics, the holdout tag, an
// experiment's status on a given day, and what the admin's pages are given. Pure.
import type { ExperimentAnalysis } from "../analytics";
import { slugOf } from "./tags";

export const EXPERIMENT_METRICS = ["revenue", "conversion", "orders"] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

/** What each metric measures per customer over the experiment's window. */
export const METRIC_LABEL: Record<ExperimentMetric, string> = {
  revenue: "Revenue per customer",
  conversion: "Conversion (share of customers who ordered)",
  orders: "Orders per customer",
};

/** The stored status; "completed" is derived (running past its horizon). */
export type ExperimentStoredStatus = "running" | "stopped" | "archived";
export type ExperimentStatus = ExperimentStoredStatus | "completed";

/** The tag control members carry while the experiment runs: `<prefix>:holdout-<slug>`. */
export function holdoutTag(prefix: string, slug: string): string {
  return `${prefix}:holdout-${slug}`;
}

/** An experiment's slug from its name, made unique against the shop's other slugs. */
export function experimentSlug(name: string, taken: ReadonlySet<string>): string {
  const base = slugOf(name);
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

/** What the experiments list shows of one experiment (dates as YYYY-MM-DD, the shop's days). */
export interface ExperimentSummary {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly holdoutTag: string;
  /** null = all customers */
  readonly segmentKey: string | null;
  /** "All customers" or the segment's name when the experiment started. */
  readonly targetName: string;
  readonly metric: ExperimentMetric;
  readonly controlShare: number;
  readonly horizonDays: number;
  readonly startsOn: string;
  /** The horizon's last day. */
  readonly endsOn: string;
  readonly status: ExperimentStatus;
  /** Whole days of data so far (0 on the first day), capped at the horizon. */
  readonly daysElapsed: number;
  readonly nTreatment: number;
  readonly nControl: number;
}

/** The figures shown before saving (and kept on the experiment): what the experiment can detect. */
export interface ExperimentDesignView {
  readonly metric: ExperimentMetric;
  readonly horizonDays: number;
  readonly controlShare: number;
  readonly cohort: number;
  readonly nTreatment: number;
  readonly nControl: number;
  /** The metric per customer over one horizon-long window just before the start (the baseline). */
  readonly baselineMean: number;
  /** Minimum detectable effect per customer (absolute; 80 % power, 5 % two-sided), unadjusted. */
  readonly mde: number;
  /** The same with CUPED, from the pre-period correlation. */
  readonly cupedMde: number;
  /** mde / baselineMean, or null when the baseline is 0. */
  readonly mdeRelative: number | null;
  readonly cupedMdeRelative: number | null;
  /** The variance share CUPED is expected to remove (ρ² of the pre-period). */
  readonly expectedVarianceReduction: number;
  /** The standard error planned at the horizon (with CUPED): the always-valid interval is tuned there. */
  readonly plannedStandardError: number;
  /** Control vs treatment on pre-period revenue per customer. */
  readonly balance: { readonly meanTreatment: number; readonly meanControl: number; readonly standardizedDifference: number; readonly pValue: number };
}

/** The cumulative metric per customer of each arm, one point per day since the start. */
export interface ArmSeriesPoint {
  readonly day: string;
  readonly treatment: number;
  readonly control: number;
}

/** The results page. */
export interface ExperimentResultsView {
  readonly summary: ExperimentSummary;
  readonly currency: string;
  readonly design: ExperimentDesignView;
  /** The last day with data included. */
  readonly asOf: string;
  readonly horizonReached: boolean;
  /** null before the first full day of data, or when the data cannot be analysed yet (`analysisNote` says why). */
  readonly analysis: ExperimentAnalysis | null;
  /** Why there is no analysis (a plain sentence), or null. */
  readonly analysisNote: string | null;
  readonly series: readonly ArmSeriesPoint[];
  /** The shop's write-back mode: the holdout tag is written only in live mode. */
  readonly writeBackMode: string;
}
