// Drains a shop's webhook inbox in arrival order. Each event is applied by the service for its
// topic and marked processed / ignored; an event that must wait (a refund before its order) stays
// "received" and is retried on the next pass.
import type { Db } from "../db.server";
import { applyOrderState, applyRefund } from "../models/orders.server";
import { markWebhookEvent, pendingWebhookEvents } from "../models/webhook-events.server";
import { isRetryable, TerminalJobError } from "../queue/errors.server";
import type { JobId } from "../queue/job-queue";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { bulkOperationFinished } from "../services/bulk-finish.server";
import { applyCustomer, markCustomerDeleted } from "../services/customer-sync.server";
import { uninstallShop, updateScopes } from "../services/lifecycle.server";
import { recordDataRequest, redactCustomer, redactShop } from "../services/privacy.server";
import { shopifyIdOf } from "../shopify/ids";
import { orderStateFromWebhook, refundEventFromWebhook } from "../shopify/mappers/order-webhook";
import { webhookPayloads, webhookTopic } from "../shopify/webhook-payloads";
import { shopById } from "../models/shops.server";

type Outcome = "processed" | "ignored" | "wait" | "shop-deleted";

interface ShopRef {
  id: number;
  domain: string;
  tagPrefix: string;
}

async function applyEvent(db: Db, shop: ShopRef, topicName: string, raw: string, jobId: JobId): Promise<Outcome> {
  const topic = webhookTopic(topicName);
  if (!topic) throw new TerminalJobError(`unknown topic ${topicName}`);
  const json: unknown = JSON.parse(raw);
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled": {
      const result = await applyOrderState(db, shop.id, orderStateFromWebhook(webhookPayloads[topic].parse(json)));
      return result === "stale" ? "ignored" : "processed";
    }
    case "refunds/create": {
      const result = await applyRefund(db, shop.id, refundEventFromWebhook(webhookPayloads[topic].parse(json)));
      return result === "missing-order" ? "wait" : result === "known" ? "ignored" : "processed";
    }
    case "customers/create":
    case "customers/update": {
      const result = await applyCustomer(db, shop.id, webhookPayloads[topic].parse(json), shop.tagPrefix);
      return result === "stale" || result === "own-tag-echo" ? "ignored" : "processed";
    }
    case "customers/delete":
      await markCustomerDeleted(db, shop.id, webhookPayloads[topic].parse(json).id);
      return "processed";
    case "app/uninstalled":
      await uninstallShop(db, shop.id, shop.domain, jobId);
      return "processed";
    case "app/scopes_update":
      await updateScopes(db, shop.id, shop.domain, webhookPayloads[topic].parse(json).current);
      return "processed";
    case "bulk_operations/finish":
      await bulkOperationFinished(db, shop.id, webhookPayloads[topic].parse(json).admin_graphql_api_id);
      return "processed";
    case "customers/data_request":
      await recordDataRequest(db, shop.id, webhookPayloads[topic].parse(json).customer.id);
      return "processed";
    case "customers/redact": {
      const p = webhookPayloads[topic].parse(json);
      await redactCustomer(db, shop.id, p.customer.id, p.orders_to_redact.map(shopifyIdOf));
      return "processed";
    }
    case "shop/redact":
      await redactShop(db, shop.domain);
      return "shop-deleted";
  }
}

export const processWebhooksJob = defineJob(JOB.processWebhooks, async (_payload, { db, job, heartbeat }) => {
  if (job.shopId === null) throw new TerminalJobError("process-webhooks needs a shop");
  const shop = await shopById(db, job.shopId);
  if (!shop) return; // shop/redact already removed everything
  // Passes until one makes no progress: an event waiting for another (refund → order) gets its turn.
  for (;;) {
    const pending = await pendingWebhookEvents(db, shop.id);
    let progressed = false;
    for (const [i, event] of pending.entries()) {
      // Keep the lease fresh on long drains; stop if the job was cancelled (uninstall).
      if (i > 0 && i % 500 === 0 && !(await heartbeat())) return;
      let outcome: Outcome;
      try {
        outcome = await applyEvent(db, shop, event.topic, event.payload, job.id);
      } catch (error) {
        // A poison event is parked as failed (visible to operators) instead of blocking the inbox;
        // anything that may be transient (database, network) fails the job, which retries.
        if (isRetryable(error)) throw error;
        await markWebhookEvent(db, event.id, "failed", error instanceof Error ? error.message : String(error));
        progressed = true;
        continue;
      }
      if (outcome === "shop-deleted") return;
      if (outcome === "wait") continue;
      progressed = true;
      await markWebhookEvent(db, event.id, outcome);
    }
    if (!progressed) return;
  }
});
