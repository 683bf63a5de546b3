// Anomaly detection of one shop (docs/anomalies.md, "When it runs"): its purchases → the core's
// order model (fitted and scored), customer anomalies (with the latest run's segment outliers) and
// store days (up to the shop's yesterday) → the products the reasons name, titled → stored rows
// (a refit keeps the merchant's reviews) and the order model that scores webhook orders until the
// next refit. Then, per the shop's settings, Shopify risk assessments for new flagged orders and a
// write-back pass when the whales (VIP tags) changed.
import { businessNow } from "../clock.server";
import {
  detectCustomerAnomalies,
  detectOrderAnomalies,
  detectStoreDayAnomalies,
  formatDay,
  nameReasonProducts,
  type AnomalyOrder,
  type AnomalyReason,
  type DayAnomaly,
  type ScoredCustomer,
  type ScoredOrder,
} from "../analytics";
import type { Db } from "../db.server";
import { moneyFormatter } from "../domain/segment-definition";
import { logger } from "../logger.server";
import {
  customerRefs,
  orderRefs,
  productTitles,
  replaceAnomalies,
  saveAnomalyModel,
  unassessedOrderAnomalyIds,
  vipCustomerIds,
  type AnomalyRowInput,
} from "../models/anomalies.server";
import { segmentOutlierIds, shopAnomalyOrders } from "../models/anomaly-orders.server";
import { shopDayNumber } from "../models/order-facts.server";
import { shopById, shopCurrency } from "../models/shops.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { PRODUCT_TITLES } from "../shopify/graphql";
import { startWriteBack } from "./write-back.server";

const log = () => logger("anomalies");

/** Shopify's limit on ids per `nodes` call. */
const TITLES_PER_CALL = 250;

/** Money in the reasons' words, in the shop's currency with its cents ("£77,183.60"). */
export function reasonMoney(currency: string): (milli: number) => string {
  return moneyFormatter(currency, "cents");
}

export interface ProductNaming {
  /** The Admin API, for titles the Product table lacks; absent or failing: "product <id>" stays. */
  readonly admin?: () => Promise<AdminClient>;
}

/**
 * Titles of the products these reasons name: the Product table first, then Shopify's `nodes`
 * (best effort: a failure is logged and leaves the reasons as they are).
 */
export async function reasonProductTitles(db: Db, shopId: number, reasons: Iterable<readonly AnomalyReason[]>, naming: ProductNaming): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  for (const list of reasons) for (const r of list) if (r.productId !== undefined) wanted.add(r.productId);
  if (wanted.size === 0) return new Map();
  const titles = await productTitles(db, shopId, [...wanted]);
  const missing = [...wanted].filter((id) => !titles.has(id) && /^\d+$/.test(id));
  if (missing.length === 0 || naming.admin === undefined) return titles;
  try {
    const admin = await naming.admin();
    for (let i = 0; i < missing.length; i += TITLES_PER_CALL) {
      const ids = missing.slice(i, i + TITLES_PER_CALL).map((id) => `gid://shopify/Product/${id}`);
      const data = await admin.request<{ nodes: ({ id?: string; title?: string } | null)[] }>(PRODUCT_TITLES, { ids });
      for (const node of data.nodes) {
        if (node?.id !== undefined && typeof node.title === "string") titles.set(node.id.slice(node.id.lastIndexOf("/") + 1), node.title);
      }
    }
  } catch (err) {
    log().warn({ err, shopId, products: missing.length }, "product titles for the anomalies' reasons could not be read; the reasons name product ids");
  }
  return titles;
}

/** The order rows to store for these scored orders (orders not found in the database are left out). */
export async function orderAnomalyRows(db: Db, shopId: number, scored: readonly ScoredOrder[], titles: ReadonlyMap<string, string>, formatMoney: (milli: number) => string, timeZone: string): Promise<AnomalyRowInput[]> {
  const refs = await orderRefs(db, shopId, scored.map((s) => s.id));
  const dayOf = shopDayNumber(timeZone);
  return scored.flatMap((s): AnomalyRowInput[] => {
    const ref = refs.get(s.id);
    if (ref === undefined) return [];
    return [
      {
        subjectKey: s.id,
        orderId: ref.id,
        customerId: ref.customerId,
        day: formatDay(dayOf(ref.processedAt)),
        score: s.score,
        category: "review",
        reasons: titles.size > 0 ? nameReasonProducts(s.reasons, titles, formatMoney) : [...s.reasons],
        facts: { valueMilli: Number(ref.grossMilli), currency: ref.currency, processedAt: ref.processedAt.toISOString() },
      },
    ];
  });
}

/** Per customer: orders, gross and refunded money (the figures a customer anomaly row shows). */
function customerTotals(orders: readonly AnomalyOrder[], wanted: ReadonlySet<string>): Map<string, { orders: number; grossMilli: number; refundedMilli: number }> {
  const totals = new Map<string, { orders: number; grossMilli: number; refundedMilli: number }>();
  for (const o of orders) {
    if (o.customerId === null || !wanted.has(o.customerId)) continue;
    let t = totals.get(o.customerId);
    if (t === undefined) totals.set(o.customerId, (t = { orders: 0, grossMilli: 0, refundedMilli: 0 }));
    t.orders++;
    t.grossMilli += o.grossMilli;
    t.refundedMilli += o.refundedMilli;
  }
  return totals;
}

async function customerAnomalyRows(db: Db, shopId: number, customers: readonly ScoredCustomer[], orders: readonly AnomalyOrder[], titles: ReadonlyMap<string, string>, formatMoney: (milli: number) => string, currency: string): Promise<AnomalyRowInput[]> {
  const refs = await customerRefs(db, shopId, customers.map((c) => c.customerId));
  const totals = customerTotals(orders, new Set(customers.map((c) => c.customerId)));
  return customers.flatMap((c): AnomalyRowInput[] => {
    const customerId = refs.get(c.customerId);
    if (customerId === undefined) return []; // deleted in Shopify meanwhile: nothing to review
    const t = totals.get(c.customerId) ?? { orders: 0, grossMilli: 0, refundedMilli: 0 };
    return [
      {
        subjectKey: c.customerId,
        customerId,
        score: c.score,
        category: c.kind,
        reasons: titles.size > 0 ? nameReasonProducts(c.reasons, titles, formatMoney) : [...c.reasons],
        facts: { orders: t.orders, spentMilli: t.grossMilli - t.refundedMilli, refundedMilli: t.refundedMilli, currency },
      },
    ];
  });
}

function dayAnomalyRows(days: readonly DayAnomaly[], currency: string): AnomalyRowInput[] {
  return days.map((d) => ({
    subjectKey: `${formatDay(d.day)}:${d.metric}`,
    day: formatDay(d.day),
    score: Math.abs(d.score),
    category: d.direction,
    reasons: [...d.reasons],
    facts: { metric: d.metric, value: d.value, expected: d.expected, low: d.expectedLow, high: d.expectedHigh, ...(d.metric === "revenue" ? { currency } : {}) },
  }));
}

/**
 * Queues Shopify risk assessments for the unassessed, not dismissed anomalies of these flagged
 * orders, or of every flagged order (no list: the setting was just turned on). The shop's setting is on.
 */
export async function enqueueRiskAssessments(db: Db, shopId: number, orderShopifyIds?: readonly string[]): Promise<number> {
  const anomalyIds = await unassessedOrderAnomalyIds(db, shopId, orderShopifyIds);
  if (anomalyIds.length > 0) await enqueue(db, { type: JOB.assessOrderRisk, shopId, payload: { anomalyIds } });
  return anomalyIds.length;
}

export interface DetectAnomaliesOptions extends ProductNaming {
  /** The clock (tests): "yesterday" for the store days and the rows' detectedAt. Default: the business clock. */
  readonly now?: () => Date;
  /**
   * Start a full write-back pass when the whales changed and the shop tags VIPs. Default true;
   * the refresh job says false: its own pass, right after, carries the VIP tags.
   */
  readonly vipWriteBack?: boolean;
}

export interface DetectAnomaliesOutcome {
  readonly orders: number;
  readonly flaggedOrders: number;
  readonly whales: number;
  readonly reviewCustomers: number;
  readonly days: number;
  readonly threshold: number | null;
  /** Order anomalies handed to a risk-assessment job. */
  readonly riskAssessments: number;
  /** The write-back pass started because the VIP set changed, or null. */
  readonly writeBackId: number | null;
}

/** Fits and stores the shop's anomalies; null when the shop is not installed. */
export async function detectAnomalies(db: Db, shopId: number, options: DetectAnomaliesOptions = {}): Promise<DetectAnomaliesOutcome | null> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.installState !== "installed") return null;
  const started = Date.now();
  const now = options.now ? options.now() : businessNow();
  const { orders, timeZone } = await shopAnomalyOrders(db, shopId, { timeZone: shop.timezone });
  const currency = await shopCurrency(db, shopId);
  const formatMoney = reasonMoney(currency);
  const today = shopDayNumber(timeZone)(now);

  const detection = orders.length === 0 ? null : detectOrderAnomalies(orders, { formatMoney });
  const flagged = detection === null ? [] : detection.orders.filter((o) => o.flagged);
  const customers = detection === null ? [] : detectCustomerAnomalies(orders, detection.orders, { formatMoney, segmentOutliers: await segmentOutlierIds(db, shopId) }).filter((c) => c.kind !== "normal");
  const days = orders.length === 0 ? [] : detectStoreDayAnomalies(orders, { lastDay: today - 1, formatMoney });

  const titles = await reasonProductTitles(db, shopId, [...flagged.map((o) => o.reasons), ...customers.map((c) => c.reasons)], options);
  const whalesBefore = await vipCustomerIds(db, shopId);
  const detectedAt = new Date();
  await replaceAnomalies(db, shopId, "order", await orderAnomalyRows(db, shopId, flagged, titles, formatMoney, timeZone), detectedAt);
  await replaceAnomalies(db, shopId, "customer", await customerAnomalyRows(db, shopId, customers, orders, titles, formatMoney, currency), detectedAt);
  await replaceAnomalies(db, shopId, "day", dayAnomalyRows(days, currency), detectedAt);
  const whales = customers.filter((c) => c.kind === "whale").length;
  if (detection !== null) {
    await saveAnomalyModel(db, shopId, {
      asOf: formatDay(today),
      orderCount: orders.length,
      threshold: detection.threshold,
      model: JSON.stringify(detection.model),
      metrics: { orders: orders.length, flaggedOrders: flagged.length, whales, reviewCustomers: customers.length - whales, days: days.length, durationMs: Date.now() - started },
      fittedAt: detectedAt,
    });
  }

  const riskAssessments = shop.riskAssessments ? await enqueueRiskAssessments(db, shopId, flagged.map((o) => o.id)) : 0;
  let writeBackId: number | null = null;
  if (shop.vipTags && options.vipWriteBack !== false && !sameSet(whalesBefore, await vipCustomerIds(db, shopId))) {
    writeBackId = await startWriteBack(db, shopId, { kind: "refresh", shop });
  }
  log().info({ shopId, orders: orders.length, flagged: flagged.length, whales, days: days.length, ms: Date.now() - started }, "anomalies detected");
  return {
    orders: orders.length,
    flaggedOrders: flagged.length,
    whales,
    reviewCustomers: customers.length - whales,
    days: days.length,
    threshold: detection?.threshold ?? null,
    riskAssessments,
    writeBackId,
  };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
