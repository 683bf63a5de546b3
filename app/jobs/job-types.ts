// Job type names, in one place so enqueuers and the handler registry cannot disagree.
export const JOB = {
  processWebhooks: "process-webhooks",
  backfill: "backfill",
  reconcile: "reconcile",
} as const;
export type JobType = (typeof JOB)[keyof typeof JOB];
