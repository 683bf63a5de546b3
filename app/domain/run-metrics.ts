// What a stored segment run says about itself (`SegmentRun.metrics`, JSON): the one place that
// names its keys, so the refresh that writes it and the admin that reads it agree. Pure.
// Runs stored before a key existed read as null/empty for it: readers show "not recorded for
// this run" instead of failing.
import type { RunDistributions, RunMigration, SegmentDiagnostics, SegmentProfile } from "../analytics/index";

// The distributions and the migration are computed by the core (analytics/segments/insights.ts)
// at refresh time; their types live there and are re-exported here, so readers import one place.
export type { FeatureDistribution, RunDistributions, RunMigration } from "../analytics/index";

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
