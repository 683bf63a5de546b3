// Webhook delivery to the app: real signatures (base64 HMAC-SHA256 of the raw body with the
// app's API secret), all of Shopify's headers, one delivery per matching subscription.
// Deliveries are queued and sent by flush() (automatically in server mode), optionally with
// chaos — duplicates, out-of-order delivery, bad HMAC, malformed JSON — in exact, seeded counts.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import { iso } from "./clock";
import type { WebhookSubscriptionRecord } from "./context";
import { createRng, randomIntBetween, sampleIndices, type Rng } from "./random";
import type { WebhookTopic } from "./state";

export interface SubscriptionConfig {
  topics?: string[];
  complianceTopics?: Array<"customers/data_request" | "customers/redact" | "shop/redact">;
  /** Relative (prefixed with the app URL) or absolute. */
  uri: string;
  includeFields?: string[];
  name?: string;
}

/** Segmint's shopify.app.toml subscriptions (reference §1.4). */
export const SEGMINT_SUBSCRIPTIONS: SubscriptionConfig[] = [
  { topics: ["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create"], uri: "/webhooks/orders" },
  { topics: ["customers/create", "customers/update", "customers/delete"], uri: "/webhooks/customers" },
  { topics: ["products/create", "products/update", "products/delete"], uri: "/webhooks/products" },
  { topics: ["app/uninstalled"], uri: "/webhooks/app/uninstalled" },
  { topics: ["app/scopes_update"], uri: "/webhooks/app/scopes_update" },
  { topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" },
  { complianceTopics: ["customers/data_request", "customers/redact", "shop/redact"], uri: "/webhooks/compliance" },
];

export type WebhookTransport = (request: Request) => Promise<Response>;

export type Corruption = "bad-hmac" | "malformed-json";

export interface Delivery {
  /** Simulator sequence number of this send (duplicates get their own). */
  seq: number;
  webhookId: string;
  eventId: string;
  topic: WebhookTopic;
  shopDomain: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  kind: "original" | "duplicate" | "retry";
  corruption: Corruption | null;
  /** Sent later than events that happened after it. */
  outOfOrder: boolean;
  attempt: number;
  status: number | null;
  error: string | null;
  sentAt: number | null;
}

export interface ChaosOptions {
  duplicateRate?: number;
  outOfOrderRate?: number;
  /** How many positions an out-of-order delivery may slip (default 20). */
  outOfOrderWindow?: number;
  badHmacRate?: number;
  malformedJsonRate?: number;
}

export interface WebhookOptions {
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  clock: Clock;
  transport?: WebhookTransport;
  subscriptions?: SubscriptionConfig[];
  seed?: number;
  chaos?: ChaosOptions;
  /** Shopify's delivery timeout (5 s). */
  timeoutMs?: number;
}

export class WebhookDispatcher {
  private queue: Delivery[] = [];
  private readonly log: Delivery[] = [];
  private seq = 0;
  private rng: Rng;
  readonly subscriptions: WebhookSubscriptionRecord[];
  private readonly subscriptionNames = new Map<number, string | null>();
  transport: WebhookTransport;
  chaos: ChaosOptions;

  constructor(private readonly options: WebhookOptions) {
    this.rng = createRng(options.seed ?? 7);
    this.transport = options.transport ?? defaultTransport(options.timeoutMs ?? 5000);
    this.chaos = options.chaos ?? {};
    let id = 1_400_000_000_001;
    this.subscriptions = [];
    for (const config of options.subscriptions ?? SEGMINT_SUBSCRIPTIONS) {
      for (const topic of [...(config.topics ?? []), ...(config.complianceTopics ?? [])]) {
        const record: WebhookSubscriptionRecord = { id: id++, topic, uri: config.uri, includeFields: config.includeFields ?? [], filter: null, name: config.name ?? null, createdAt: options.clock.now() };
        this.subscriptions.push(record);
        this.subscriptionNames.set(record.id, config.name ?? null);
      }
    }
  }

  /** Compliance topics are not GraphQL subscriptions: hide them from webhookSubscriptions. */
  get apiSubscriptions(): WebhookSubscriptionRecord[] {
    return this.subscriptions.filter((s) => !["customers/data_request", "customers/redact", "shop/redact"].includes(s.topic));
  }

  /** Queues one delivery per subscription to `topic`. Returns the queued deliveries. */
  enqueue(shopDomain: string, topic: WebhookTopic, payload: Record<string, unknown>, triggeredAt: number = this.options.clock.now()): Delivery[] {
    const eventId = randomUUID();
    const out: Delivery[] = [];
    for (const sub of this.subscriptions) {
      if (sub.topic !== topic) continue;
      const trimmed = sub.includeFields.length ? Object.fromEntries(Object.entries(payload).filter(([k]) => sub.includeFields.includes(k))) : payload;
      const body = JSON.stringify(trimmed);
      const webhookId = randomUUID();
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "Shopify-Captain-Hook",
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": sign(body, this.options.apiSecret),
        "x-shopify-shop-domain": shopDomain,
        "x-shopify-api-version": this.options.apiVersion,
        "x-shopify-webhook-id": webhookId,
        "x-shopify-event-id": eventId,
        "x-shopify-triggered-at": iso(triggeredAt).replace("Z", ".000Z"),
      };
      const name = this.subscriptionNames.get(sub.id);
      if (name) headers["x-shopify-name"] = name;
      const delivery: Delivery = {
        seq: 0,
        webhookId,
        eventId,
        topic,
        shopDomain,
        url: absoluteUrl(this.options.appUrl, sub.uri),
        headers,
        body,
        kind: "original",
        corruption: null,
        outOfOrder: false,
        attempt: 1,
        status: null,
        error: null,
        sentAt: null,
      };
      this.queue.push(delivery);
      out.push(delivery);
    }
    return out;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /**
   * Sends everything queued, after applying chaos (rates are fractions of the queued batch,
   * rounded to exact counts). Returns the deliveries in the order they were sent.
   */
  async flush(chaos: ChaosOptions = this.chaos): Promise<Delivery[]> {
    const batch = this.queue;
    this.queue = [];
    const n = batch.length;
    const plan = applyChaos(batch, {
      duplicates: Math.round(n * (chaos.duplicateRate ?? 0)),
      outOfOrder: Math.round(n * (chaos.outOfOrderRate ?? 0)),
      badHmac: Math.round(n * (chaos.badHmacRate ?? 0)),
      malformed: Math.round(n * (chaos.malformedJsonRate ?? 0)),
      window: chaos.outOfOrderWindow ?? 20,
    }, this.rng, this.options.apiSecret);
    for (const delivery of plan) await this.send(delivery);
    return plan;
  }

  /** Re-sends failed deliveries (non-2xx or network error) with the same webhook id, like Shopify's retries. */
  async retryFailed(): Promise<Delivery[]> {
    const failed = this.log.filter((d) => d.kind !== "duplicate" && (d.status === null || d.status < 200 || d.status >= 300) && d.attempt < 9);
    const latest = new Map<string, Delivery>();
    for (const d of failed) latest.set(d.webhookId, d);
    const retries = [...latest.values()].filter((d) => !this.log.some((x) => x.webhookId === d.webhookId && x.attempt > d.attempt));
    const out: Delivery[] = [];
    for (const d of retries) {
      const retry: Delivery = { ...d, headers: { ...d.headers }, kind: "retry", attempt: d.attempt + 1, status: null, error: null, sentAt: null, outOfOrder: false };
      await this.send(retry);
      out.push(retry);
    }
    return out;
  }

  private async send(delivery: Delivery): Promise<void> {
    delivery.seq = ++this.seq;
    delivery.sentAt = this.options.clock.now();
    try {
      const response = await this.transport(new Request(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body }));
      delivery.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    this.log.push(delivery);
  }

  /** Every delivery sent so far, with the status the app answered. */
  deliveries(filter: { topic?: WebhookTopic; shopDomain?: string } = {}): Delivery[] {
    return this.log.filter((d) => (!filter.topic || d.topic === filter.topic) && (!filter.shopDomain || d.shopDomain === filter.shopDomain));
  }

  clearLog(): void {
    this.log.length = 0;
  }
}

export function sign(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

function absoluteUrl(appUrl: string, uri: string): string {
  return /^https?:\/\//.test(uri) ? uri : `${appUrl.replace(/\/$/, "")}${uri.startsWith("/") ? "" : "/"}${uri}`;
}

function defaultTransport(timeoutMs: number): WebhookTransport {
  return (request) => fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * Builds the send order for a batch: picks exact numbers of deliveries to corrupt (disjoint
 * sets), to duplicate (only uncorrupted ones, re-sent a little later with the same ids) and to
 * delay past later events.
 */
export function applyChaos(
  batch: Delivery[],
  counts: { duplicates: number; outOfOrder: number; badHmac: number; malformed: number; window: number },
  rng: Rng,
  secret: string,
): Delivery[] {
  const n = batch.length;
  const corrupt = [...sampleIndices(n, counts.badHmac + counts.malformed, rng)];
  corrupt.forEach((index, i) => {
    const d = batch[index] as Delivery;
    if (i < counts.badHmac) {
      d.corruption = "bad-hmac";
      d.headers["x-shopify-hmac-sha256"] = sign(d.body, `${secret}-wrong`);
    } else {
      d.corruption = "malformed-json";
      // Correctly signed but unparseable: tests the app's handling after verification.
      d.body = d.body.slice(0, Math.max(1, Math.floor(d.body.length / 2))) + "\u0000{";
      d.headers["x-shopify-hmac-sha256"] = sign(d.body, secret);
    }
  });
  // Position keys: originals at their index; out-of-order ones slip forward by 1..window.
  const keyed: Array<{ key: number; delivery: Delivery }> = batch.map((delivery, index) => ({ key: index, delivery }));
  for (const index of sampleIndices(n, counts.outOfOrder, rng)) {
    const entry = keyed[index] as { key: number; delivery: Delivery };
    entry.key = index + randomIntBetween(rng, 1, Math.max(1, counts.window)) + 0.5;
    entry.delivery.outOfOrder = true;
  }
  const clean = batch.map((d, i) => ({ d, i })).filter(({ d }) => d.corruption === null);
  const dupPicks = sampleIndices(clean.length, counts.duplicates, rng);
  for (const pick of dupPicks) {
    const { d, i } = clean[pick] as { d: Delivery; i: number };
    const duplicate: Delivery = { ...d, headers: { ...d.headers }, kind: "duplicate", outOfOrder: false, status: null, error: null, sentAt: null };
    keyed.push({ key: i + randomIntBetween(rng, 1, Math.max(1, counts.window)) + 0.25, delivery: duplicate });
  }
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.delivery);
}
