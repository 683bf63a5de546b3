// The pg-boss queues of scale mode (docs/decisions/0024-pg-boss-scale-mode.md).

/**
 * Every job type shares one pg-boss queue: pg-boss counts a group's running jobs per queue, and
 * the per-shop limit spans all of a shop's jobs, whatever their type.
 */
export const JOBS_QUEUE = "segmint-jobs";
/** Jobs that failed for good: terminal errors, attempts spent, or retries spent on dying workers. */
export const DEAD_LETTER_QUEUE = "segmint-jobs-dead";
/** The hourly tick that books the app-wide `schedule-refreshes` pass (pg-boss cron). */
export const CRON_QUEUE = "segmint-cron";
