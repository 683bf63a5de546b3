// Every job this app runs, each with its payload schema (app/queue/job-types.ts). One file per job
// under app/jobs/; the entry points (server.ts, worker.ts) hand this registry to the queue.
import { jobRegistry } from "../queue/registry";
import { assignCustomersJob } from "./assign-customers.server";
import { assessOrderRiskJob } from "./assess-order-risk.server";
import { backfillJob } from "./backfill.server";
import { detectAnomaliesJob } from "./detect-anomalies.server";
import { processWebhooksJob } from "./process-webhooks.server";
import { reconcileJob } from "./reconcile.server";
import { refreshSegmentsJob } from "./refresh-segments.server";
import { scheduleRefreshesJob } from "./schedule-refreshes.server";
import { scoreOrdersJob } from "./score-orders.server";
import { trainRecommendationsJob } from "./train-recommendations.server";
import { writeBackJob } from "./write-back.server";

export const jobHandlers = jobRegistry([processWebhooksJob, backfillJob, reconcileJob, refreshSegmentsJob, writeBackJob, scheduleRefreshesJob, assignCustomersJob, detectAnomaliesJob, scoreOrdersJob, assessOrderRiskJob, trainRecommendationsJob]);
