// Drains a shop's webhook inbox in arrival order. Each event is applied by the service for its
// topic and marked processed / ignored; an event that must wait (a refund before its order) stays
// "received" and is retried on the next pass. The customers whose orders or refunds changed are
// then re-assigned under the latest stored run, and the orders applied are scored with the stored
// anomaly model, once per batch of events (live assignment, webhook scoring).
import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { orderCustomerIds } from "../models/order-facts.server";
import { applyOrderState, applyRefund } from "../models/orders.server";
import { markWebhookEvent, pendingWebhookEvents } from "../models/webhook-events.server";
import { isRetryable, TerminalJobError } from "../queue/errors.server";
import type { JobId } from "../queue/job-queue";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { defineJob } from "../queue/registry";
import { bulkOperationFinished } from "../services/bulk-finish.server";
import { applyCustomer, markCustomerDeleted } from "../services/customer-sync.server";
import { applyProductWebhook, removeProduct, shopifyAvailability } from "../services/product-sync.server";
import { uninstallShop, updateScopes } from "../services/lifecycle.server";
import { recordDataRequest, redactCustomer, redactShop } from "../services/privacy.server";
import { reassignCustomers } from "../services/live-assignment.server";
import { scoreOrders } from "../services/score-orders.server";
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

/** What the events applied so far touched, for the passes after each batch. */
interface Touched {
  /** Shopify ids of customers whose orders or refunds changed (live assignment). */
  readonly customers: Set<string>;
  /** Shopify ids of orders created, changed or refunded (webhook scoring). */
  readonly orders: Set<string>;
}

/** Events between two live-assignment passes: a drain of thousands re-assigns as it goes. */
const LIVE_ASSIGNMENT_EVERY = 500;

async function applyEvent(db: Db, shop: ShopRef, topicName: string, raw: string, jobId: JobId, touched: Touched): Promise<Outcome> {
  const topic = webhookTopic(topicName);
  if (!topic) throw new TerminalJobError(`unknown topic ${topicName}`);
  const json: unknown = JSON.parse(raw);
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled": {
      const state = orderStateFromWebhook(webhookPayloads[topic].parse(json));
      const result = await applyOrderState(db, shop.id, state);
      // Stale too: re-assignment is idempotent, and an order applied just before a crash comes back stale.
      if (state.customerShopifyId) touched.customers.add(state.customerShopifyId);
      touched.orders.add(state.shopifyId);
      return result === "stale" ? "ignored" : "processed";
    }
    case "refunds/create": {
      const refund = refundEventFromWebhook(webhookPayloads[topic].parse(json));
      const result = await applyRefund(db, shop.id, refund);
      if (result === "missing-order") return "wait";
      for (const customer of await orderCustomerIds(db, shop.id, [refund.orderShopifyId])) touched.customers.add(customer);
      touched.orders.add(refund.orderShopifyId);
      return result === "known" ? "ignored" : "processed";
    }
    case "customers/create":
    case "customers/update": {
      const result = await applyCustomer(db, shop.id, webhookPayloads[topic].parse(json), shop.tagPrefix);
      return result === "stale" || result === "own-tag-echo" ? "ignored" : "processed";
    }
    case "customers/delete":
      await markCustomerDeleted(db, shop.id, webhookPayloads[topic].parse(json).id);
      return "processed";
    case "products/create":
    case "products/update": {
      const result = await applyProductWebhook(db, shop.id, webhookPayloads[topic].parse(json), shopifyAvailability(adminFor(shop)));
      return result === "stale" || result === "deleted" ? "ignored" : "processed";
    }
    case "products/delete":
      await removeProduct(db, shop.id, webhookPayloads[topic].parse(json).id);
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
  const touched: Touched = { customers: new Set(), orders: new Set() };
  // Whatever ends the drain (done, cancelled, a failure the queue retries), the customers and
  // orders of the events already applied are handled: the retry would find those events marked.
  try {
    // Passes until one makes no progress: an event waiting for another (refund → order) gets its turn.
    for (;;) {
      const pending = await pendingWebhookEvents(db, shop.id);
      let progressed = false;
      for (const [i, event] of pending.entries()) {
        // Keep the lease fresh on long drains; stop if the job was cancelled (uninstall).
        if (i > 0 && i % 500 === 0 && !(await heartbeat())) return;
        if (i > 0 && i % LIVE_ASSIGNMENT_EVERY === 0) await afterBatch(db, shop, touched);
        let outcome: Outcome;
        try {
          outcome = await applyEvent(db, shop, event.topic, event.payload, job.id, touched);
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
      await afterBatch(db, shop, touched);
      if (!progressed) return;
    }
  } finally {
    await afterBatch(db, shop, touched);
  }
});

/**
 * The shop's Admin client, loaded when a product's availability or a title is needed: the Shopify
 * app object reads the environment as it loads, which the drain itself never needs.
 */
function adminFor(shop: ShopRef) {
  return async () => (await import("../shopify/admin-client-for-shop.server")).adminClientFor(shop.domain);
}

async function afterBatch(db: Db, shop: ShopRef, touched: Touched): Promise<void> {
  await reassignTouched(db, shop.id, touched.customers);
  await scoreTouched(db, shop, touched.orders);
}

/**
 * Live assignment of the customers the events just applied touched (docs/live-assignment.md).
 * It never fails the drain: the events are applied and marked, so a retry of this job would find
 * nothing to do. A failure is logged and handed to an `assign-customers` job, which the queue
 * retries with backoff; if even that cannot be queued, it is logged, and the next refresh
 * re-assigns everyone.
 */
async function reassignTouched(db: Db, shopId: number, touched: Set<string>): Promise<void> {
  if (touched.size === 0) return;
  const customerIds = [...touched];
  touched.clear();
  try {
    await reassignCustomers(db, shopId, customerIds);
  } catch (err) {
    const log = logger("live-assignment");
    log.warn({ err, shopId, customers: customerIds.length }, "live assignment failed; queued an assign-customers job");
    await enqueue(db, { type: JOB.assignCustomers, shopId, payload: { customerIds } }).catch((error: unknown) =>
      log.error({ err: error, shopId, customers: customerIds.length }, "live assignment failed and could not be queued; the next refresh re-assigns them"),
    );
  }
}

/**
 * Webhook scoring of the orders the events just applied (docs/anomalies.md, "When it runs"), with
 * the same rule as live assignment: it never fails the drain; a failure is logged and handed to a
 * `score-orders` job, which the queue retries; the next refit scores every order anyway.
 */
async function scoreTouched(db: Db, shop: ShopRef, touched: Set<string>): Promise<void> {
  if (touched.size === 0) return;
  const orderIds = [...touched];
  touched.clear();
  try {
    await scoreOrders(db, shop.id, orderIds, { admin: adminFor(shop) });
  } catch (err) {
    const log = logger("anomalies");
    log.warn({ err, shopId: shop.id, orders: orderIds.length }, "webhook scoring failed; queued a score-orders job");
    await enqueue(db, { type: JOB.scoreOrders, shopId: shop.id, payload: { orderIds } }).catch((error: unknown) =>
      log.error({ err: error, shopId: shop.id, orders: orderIds.length }, "webhook scoring failed and could not be queued; the next refresh scores these orders"),
    );
  }
}
