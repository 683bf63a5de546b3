// What a stored segment run says about itself (`SegmentRun.metrics`, JSON): the one place that
// names its keys, so the refresh that writes it and the admin that reads it agree. Pure.
// Runs stored before a key existed read as null/empty for it: readers show "not recorded for
// this run" instead of failing.
import type { SegmentDiagnostics, SegmentProfile } from "../analytics/index";

/** Histogram of one feature: the whole store and each segment, over the same bins. */
export interface FeatureDistribution {
  /** Bin edges in the feature's unit (days, orders, currency units); `edges.length = bins + 1`. */
  readonly edges: readonly number[];
  /** One short label per bin, e.g. "0–30 days", "2 orders", "£100–£250". */
  readonly labels: readonly string[];
  /** Customers of the whole run per bin. */
  readonly store: readonly number[];
  /** Customers per bin, by segment id. */
  readonly segments: Readonly<Record<string, readonly number[]>>;
}

export interface RunDistributions {
  readonly recency: FeatureDistribution;
  readonly frequency: FeatureDistribution;
  readonly monetary: FeatureDistribution;
}

/** Customers moving between segments from the previous run to this one. */
export interface RunMigration {
  readonly previousRunId: number;
  /** `from`: the previous run's segment id, or null for customers new to this run; `to`: this run's. */
  readonly rows: readonly { readonly from: string | null; readonly fromName: string | null; readonly to: string; readonly customers: number }[];
  /** Customers in the previous run and not in this one (deleted or redacted since). */
  readonly gone: number;
}

export interface RunMetrics {
  readonly timeZone: string | null;
  /** The business day the run segmented as of (YYYY-MM-DD). */
  readonly asOfDay: string | null;
  readonly customers: number;
  readonly diagnostics: SegmentDiagnostics | null;
  readonly profiles: readonly SegmentProfile[];
  readonly previousRunId: number | null;
  readonly distributions: RunDistributions | null;
  readonly migration: RunMigration | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads `SegmentRun.metrics`; tolerant of older runs (missing keys) and of "{}" (failed runs). */
export function parseRunMetrics(json: string | null | undefined): RunMetrics {
  let raw: unknown = {};
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    raw = {};
  }
  const m = isObject(raw) ? raw : {};
  return {
    timeZone: typeof m.timeZone === "string" ? m.timeZone : null,
    asOfDay: typeof m.asOfDay === "string" ? m.asOfDay : null,
    customers: typeof m.customers === "number" ? m.customers : 0,
    diagnostics: isObject(m.diagnostics) ? (m.diagnostics as unknown as SegmentDiagnostics) : null,
    profiles: Array.isArray(m.profiles) ? (m.profiles as SegmentProfile[]) : [],
    previousRunId: typeof m.previousRunId === "number" ? m.previousRunId : null,
    distributions: isObject(m.distributions) ? (m.distributions as unknown as RunDistributions) : null,
    migration: isObject(m.migration) ? (m.migration as unknown as RunMigration) : null,
  };
}
