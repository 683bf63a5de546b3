// The tag write-back passes the Overview reports: the one running now and the last full pass
// that finished. The model reads them, the overview service returns them and the status card
// shows them; the card gets its dates as ISO strings (after JSON), hence the date type
// parameter. Pure.

/** What a pass is and what it changed so far (or, in dry run, would change). */
export interface WriteBackPassCounts {
  readonly kind: string;
  readonly mode: string;
  readonly status: string;
  readonly customersChanged: number;
  readonly tagsAdded: number;
  readonly tagsRemoved: number;
}

/** A pass that has not finished. */
export interface WriteBackProgress<When = Date> extends WriteBackPassCounts {
  readonly id: number;
  readonly segmentKey: string | null;
  readonly failed: number;
  /** Tag changes planned for this pass, and how many of them are settled (written, failed or skipped). */
  readonly tagChanges: number;
  readonly tagChangesSettled: number;
  readonly startedAt: When;
}

/** A full pass (after a refresh, or a rollback) that finished: what it changed or would change, or why it failed. */
export interface FinishedWriteBack<When = Date | null> extends WriteBackPassCounts {
  readonly capped: number;
  readonly failed: number;
  readonly error: string | null;
  readonly finishedAt: When;
}
