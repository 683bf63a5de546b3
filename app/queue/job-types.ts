// The app's jobs: each type's name and the schema of its payload, in one place, so producers
// (typed by the schema's input) and handlers (given the schema's parsed output) cannot disagree.
import { z } from "zod";

export const JOB = {
  processWebhooks: "process-webhooks",
  backfill: "backfill",
  reconcile: "reconcile",
  refreshSegments: "refresh-segments",
  writeBack: "write-back",
  scheduleRefreshes: "schedule-refreshes",
  assignCustomers: "assign-customers",
  detectAnomalies: "detect-anomalies",
  scoreOrders: "score-orders",
  assessOrderRisk: "assess-order-risk",
  trainRecommendations: "train-recommendations",
} as const;
export type JobType = (typeof JOB)[keyof typeof JOB];

export const jobPayloads = {
  /** Drains the shop's webhook inbox; everything it needs is in the inbox. */
  [JOB.processWebhooks]: z.object({}),
  /** Advances the shop's backfill; `bulkOperationId` says which export finished (bulk_operations/finish). */
  [JOB.backfill]: z.object({ bulkOperationId: z.string().optional() }),
  /** Heals missed webhooks; an on-demand pass does not book the next nightly run. */
  [JOB.reconcile]: z.object({ onDemand: z.boolean().optional() }),
  /** Recomputes and stores the shop's segments; `reason` says what asked for it (kept on the run). */
  [JOB.refreshSegments]: z.object({ reason: z.enum(["backfill", "on-demand", "schedule"]) }),
  /** Advances one write-back (the WriteBack row holds its state); `bulkOperationId`: which bulk operation finished. */
  [JOB.writeBack]: z.object({ writeBackId: z.number().int().positive(), bulkOperationId: z.string().optional() }),
  /** App-wide, hourly: enqueues the refresh of every shop whose weekly refresh is due, books the next pass. */
  [JOB.scheduleRefreshes]: z.object({}),
  /** Live assignment retried: re-assigns these Shopify customers under the latest run (docs/live-assignment.md). */
  [JOB.assignCustomers]: z.object({ customerIds: z.array(z.string().min(1)).min(1) }),
  /** Fits the shop's anomaly models and stores its order, customer and store-day anomalies (after a refresh; docs/anomalies.md). */
  [JOB.detectAnomalies]: z.object({ reason: z.enum(["refresh", "on-demand"]) }),
  /** Webhook scoring retried: scores these Shopify orders with the stored anomaly model. */
  [JOB.scoreOrders]: z.object({ orderIds: z.array(z.string().min(1)).min(1) }),
  /** Writes Shopify order risk assessments for these flagged order anomalies (the shop's setting is on). */
  [JOB.assessOrderRisk]: z.object({ anomalyIds: z.array(z.number().int().positive()).min(1) }),
  /** Trains and stores the shop's recommender, lists and rules (after a refresh whose inline training failed, or on demand; docs/storefront.md). */
  [JOB.trainRecommendations]: z.object({ reason: z.enum(["refresh", "on-demand"]) }),
} satisfies Record<JobType, z.ZodType>;

/** What a producer passes when it enqueues a job of type `T`. */
export type JobPayloadInput<T extends JobType> = z.input<(typeof jobPayloads)[T]>;
/** What the handler of type `T` receives (parsed and validated by the queue). */
export type JobPayload<T extends JobType> = z.output<(typeof jobPayloads)[T]>;
