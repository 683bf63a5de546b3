// The `score-orders` job: webhook scoring of some orders, queued when the webhook drain's own
// attempt failed (the events are already applied, so the drain cannot redo it). The queue retries
// it with backoff; the next refit scores every order anyway (docs/anomalies.md).
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { shopById } from "../models/shops.server";
import { scoreOrders } from "../services/score-orders.server";
import { adminClientFor } from "../shopify/admin-client-for-shop.server";

export const scoreOrdersJob = defineJob(JOB.scoreOrders, async ({ orderIds }, { db, job }) => {
  if (job.shopId === null) throw new TerminalJobError("score-orders needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop || shop.installState !== "installed") return;
  await scoreOrders(db, shop.id, orderIds, { admin: () => adminClientFor(shop.domain) });
});
