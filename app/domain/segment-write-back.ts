// What the admin shows of one segment's write-back (a preview, then its apply): plain data the
// service fills from stored passes and the card renders. docs/write-back.md, "One segment from the admin".

export type SegmentPassStatus = "pending" | "reading" | "writing" | "waiting-bulk" | "segments" | "completed" | "failed";

/** One customer of a preview's sample: the tags the pass would add and remove. */
export interface SegmentWriteBackSampleRow {
  readonly shopifyId: string;
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

/** One stored pass of the segment (a preview or an apply). Dates are ISO strings. */
export interface SegmentPassSummary {
  readonly id: number;
  readonly status: SegmentPassStatus;
  readonly runId: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** Customers whose Segmint tags change (capped ones excluded). */
  readonly customersChanged: number;
  /** Preview: tags planned. Apply: tags planned to write in this pass. */
  readonly tagsToAdd: number;
  readonly tagsToRemove: number;
  /** Customers skipped: the change would take them past Shopify's 250 tags. */
  readonly capped: number;
  /** Apply: tags written so far, and customers whose write failed. */
  readonly tagsAdded: number;
  readonly tagsRemoved: number;
  readonly failed: number;
  /** Apply while writing: tag changes settled so far of all planned; null when not writing. */
  readonly progress: { readonly done: number; readonly total: number } | null;
}

export interface SegmentWriteBackView {
  readonly segmentKey: string;
  /** The segment's tag under the shop's prefix (e.g. "segmint:champions"), null when not in the latest run. */
  readonly tag: string | null;
  readonly shopDomain: string;
  readonly timeZone: string;
  /** The shop's write-back mode (Settings). */
  readonly shopMode: "off" | "dry-run" | "live";
  readonly latestRunId: number | null;
  /** The segment's latest preview (a dry-run pass), or null. */
  readonly preview: SegmentPassSummary | null;
  /** Up to 10 customers of that preview whose tags would change. */
  readonly sample: readonly SegmentWriteBackSampleRow[];
  /** The apply that followed that preview, or null. */
  readonly apply: SegmentPassSummary | null;
  readonly canPreview: boolean;
  /** Why "preview" is not possible now (null when it is). */
  readonly previewBlocked: string | null;
  readonly canApply: boolean;
  /** Why "apply" is not possible now (null when it is). */
  readonly applyBlocked: string | null;
  /** Something is still running: the page polls while true. */
  readonly running: boolean;
}

const FINISHED = new Set(["completed", "failed"]);
export const isPassFinished = (status: string) => FINISHED.has(status);

/**
 * Why a preview may not be applied, or null when it may: the one rule the view (button state)
 * and the apply action share.
 */
export function applyBlockedReason(input: {
  readonly preview: { readonly status: string; readonly runId: number; readonly customersChanged: number } | null;
  readonly latestRunId: number | null;
  readonly shopMode: string;
  readonly segmentPassRunning: boolean;
  /** The apply that already followed this preview, if any. */
  readonly apply: { readonly status: string } | null;
}): string | null {
  const { preview } = input;
  if (!preview) return "Preview the changes first.";
  if (input.shopMode === "off") return "Write-back is off: turn it on in Settings to apply tags.";
  if (preview.status === "failed") return "The preview failed: preview again.";
  if (!isPassFinished(preview.status)) return "The preview is still running.";
  if (input.latestRunId !== preview.runId) return "The segments were refreshed since this preview: preview again.";
  if (input.segmentPassRunning) return "A write-back of this segment is already running.";
  if (input.apply && input.apply.status !== "failed") return "This preview was already applied: preview again to see what is left to change.";
  if (preview.customersChanged === 0) return "Nothing to change: every customer of this segment already carries its tag.";
  return null;
}
