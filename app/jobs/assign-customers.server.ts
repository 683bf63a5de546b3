// The `assign-customers` job: live assignment of some customers, queued when the webhook drain's
// own attempt failed (the events are already applied, so the drain cannot redo it). The queue
// retries it with backoff; a refresh re-assigns everyone anyway (docs/live-assignment.md).
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";
import { reassignCustomers } from "../services/live-assignment.server";

export const assignCustomersJob = defineJob(JOB.assignCustomers, async ({ customerIds }, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("assign-customers needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await reassignCustomers(db, shop.id, customerIds);
});
