// Starts this process's job runner against the app database with every registered handler.
import { config } from "../config.server";
import { db } from "../db.server";
import { jobHandlers } from "./handlers.server";
import { startJobRunner, type JobRunner } from "./runner.server";

let runner: JobRunner | undefined;

export function startAppJobRunner(): JobRunner {
  runner ??= startJobRunner({
    db: db(),
    handlers: jobHandlers,
    perShopLimit: config().JOB_CONCURRENCY_PER_SHOP,
    leaseMs: config().JOB_LEASE_MS,
    soleRunner: config().JOB_RUNNER === "in-process",
  });
  return runner;
}
