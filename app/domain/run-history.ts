// One row of the Model page's run history, as the service builds it and the page shows it
// (dates as ISO strings). Pure.

export interface RunHistoryEntry {
  readonly id: number;
  readonly startedAt: string;
  readonly reason: string | null;
  readonly algorithm: string;
  /** K in words: "5", "10 across spend tiers" (hybrid), null when the algorithm has none (RFM). */
  readonly k: string | null;
  readonly silhouette: number | null;
  readonly customers: number;
  readonly durationMs: number | null;
  readonly status: string;
  readonly error: string | null;
  /** The shop's newest completed run (the one whose tags Segmint writes now). */
  readonly isLatest: boolean;
  /** Null when the run can be restored; otherwise why not. */
  readonly rollbackBlocked: string | null;
}
