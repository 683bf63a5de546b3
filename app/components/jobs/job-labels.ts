// Plain names for the queue's job types and statuses (app/queue/job-types.ts's JOB values): the
// one mapping every admin page uses. Keyed by the stored string, so an unknown type still reads.
const JOB_TYPE_LABELS: Readonly<Record<string, string>> = {
  backfill: "Order sync (backfill)",
  reconcile: "Order sync check (reconciliation)",
  "process-webhooks": "Store updates from Shopify (webhooks)",
  "refresh-segments": "Segment refresh",
  "write-back": "Tag write-back",
  "assign-customers": "Customer re-assignment",
  "schedule-refreshes": "Refresh scheduler",
  "detect-anomalies": "Anomaly detection",
  "score-orders": "New-order anomaly check",
  "train-recommendations": "Recommendations training",
  "assess-order-risk": "Order risk assessments (Shopify)",
};

export function jobTypeLabel(type: string): string {
  return JOB_TYPE_LABELS[type] ?? type;
}

/** The job types that have a plain name (tests check every queue type has one). */
export const LABELLED_JOB_TYPES: readonly string[] = Object.keys(JOB_TYPE_LABELS);

export type BadgeTone = "success" | "critical" | "attention" | "info" | undefined;

const STATUS: Readonly<Record<string, { label: string; tone: BadgeTone }>> = {
  queued: { label: "Queued", tone: "info" },
  running: { label: "Running", tone: "attention" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
  cancelled: { label: "Cancelled", tone: undefined },
};

export function jobStatusLabel(status: string): { label: string; tone: BadgeTone } {
  return STATUS[status] ?? { label: status, tone: undefined };
}

/** The Status filter's choices, in the order a merchant looks for them. */
export const JOB_STATUS_FILTERS: readonly { label: string; value: string }[] = [
  { label: "All jobs", value: "all" },
  ...["failed", "running", "queued", "succeeded", "cancelled"].map((value) => ({ label: STATUS[value]!.label, value })),
];
