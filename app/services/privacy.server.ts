// GDPR obligations (docs/sync.md, "Lifecycle and privacy"). Redaction deletes derived data too: features and scores
// (CustomerSegment), tag history (TagWrite), experiment arms (ExperimentAssignment), the customer's and
// their orders' anomalies (Anomaly), the customer's id in write-back passes and queued jobs, and
// earlier data-request reports. Uninstall deletes the shop's per-customer derived data at once,
// and the recommender mined from its customers' baskets. The recommender stores no customer id
// (product lists, rules, popular products per segment), so a customer's redaction has nothing
// of theirs to delete there; the next training no longer sees their orders (docs/storefront.md).
import type { Db } from "../db.server";
import { storedReasonTexts } from "../domain/anomaly";
import { deleteShopAnomalies } from "../models/anomalies.server";
import { deleteShopExperiments } from "../models/experiments.server";
import { deleteShopRecommendations } from "../models/recommendations.server";

export interface CustomerDataReport {
  customerId: string;
  orders: { id: string; processedAt: string; netTotal: string; currency: string; lines: number; refunds: number }[];
  segments: { runId: number; segment: string; rfmGroup: string; recencyDays: number | null; frequency: number; monetary: string; explanation: string }[];
  tagHistory: { tag: string; action: string; mode: string; at: string }[];
  /** Holdout experiments the customer is in, and their arm. */
  experiments: { experiment: string; arm: string }[];
  /** Anomalies about the customer or their orders, with their reasons and the merchant's review. */
  anomalies: { kind: string; subject: string; category: string; score: number; reasons: string[]; status: string }[];
}

/** customers/data_request: records what Segmint holds for one customer, for the merchant. */
export async function recordDataRequest(db: Db, shopId: number, customerShopifyId: string): Promise<CustomerDataReport> {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    include: {
      orders: { include: { _count: { select: { lines: true, refunds: true } } }, orderBy: { processedAt: "asc" } },
      segments: { orderBy: { runId: "asc" } },
      tagWrites: { orderBy: { id: "asc" } },
      experimentAssignments: { include: { experiment: { select: { name: true } } }, orderBy: { id: "asc" } },
    },
  });
  const anomalies = customer
    ? await db.anomaly.findMany({ where: { shopId, OR: [{ customerId: customer.id }, { order: { customerId: customer.id } }] }, orderBy: { id: "asc" } })
    : [];
  const report: CustomerDataReport = {
    customerId: customerShopifyId,
    orders: (customer?.orders ?? []).map((o) => ({
      id: o.shopifyId,
      processedAt: o.processedAt.toISOString(),
      netTotal: (Number(o.netMilli) / 1000).toFixed(2),
      currency: o.currency,
      lines: o._count.lines,
      refunds: o._count.refunds,
    })),
    segments: (customer?.segments ?? []).map((s) => ({
      runId: s.runId,
      segment: s.segmentKey,
      rfmGroup: s.rfmGroup,
      recencyDays: s.recencyDays,
      frequency: s.frequency,
      monetary: (Number(s.monetaryMilli) / 1000).toFixed(2),
      explanation: s.explanation,
    })),
    tagHistory: (customer?.tagWrites ?? []).map((t) => ({ tag: t.tag, action: t.action, mode: t.mode, at: t.createdAt.toISOString() })),
    experiments: (customer?.experimentAssignments ?? []).map((a) => ({ experiment: a.experiment.name, arm: a.arm })),
    anomalies: anomalies.map((a) => ({ kind: a.kind, subject: a.subjectKey, category: a.category, score: a.score, reasons: storedReasonTexts(a.reasons), status: a.status })),
  };
  await db.dataRequest.create({ data: { shopId, customerShopifyId, report: JSON.stringify(report) } });
  return report;
}

/** customers/redact: the customer's orders (and the listed ones), lines, refunds, segments, tag history. */
export async function redactCustomer(db: Db, shopId: number, customerShopifyId: string, orderShopifyIds: string[]): Promise<void> {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { id: true },
  });
  await db.$transaction(async (tx) => {
    const orderWhere = customer
      ? { shopId, OR: [{ customerId: customer.id }, { shopifyId: { in: orderShopifyIds } }] }
      : { shopId, shopifyId: { in: orderShopifyIds } };
    // Lines, refunds and order anomalies go with their orders (onDelete: Cascade).
    await tx.order.deleteMany({ where: orderWhere });
    await tx.dataRequest.deleteMany({ where: { shopId, customerShopifyId } });
    if (customer) {
      // CustomerSegment, TagWrite, ExperimentAssignment and Anomaly rows cascade from the customer row.
      await tx.customer.delete({ where: { id: customer.id } });
    }
    await forgetCustomerId(tx as Db, shopId, customerShopifyId);
  });
}

/** Removes a Shopify customer id from the lists that name customers: live write-back scopes and queued jobs. */
async function forgetCustomerId(db: Db, shopId: number, customerShopifyId: string): Promise<void> {
  const quoted = JSON.stringify(customerShopifyId);
  for (const pass of await db.writeBack.findMany({ where: { shopId, scope: { contains: quoted } }, select: { id: true, scope: true } })) {
    const ids = (JSON.parse(pass.scope!) as string[]).filter((id) => id !== customerShopifyId);
    await db.writeBack.update({ where: { id: pass.id }, data: { scope: JSON.stringify(ids) } });
  }
  for (const job of await db.job.findMany({ where: { shopId, payload: { contains: quoted } }, select: { id: true, payload: true } })) {
    const payload = JSON.parse(job.payload) as { customerIds?: string[] };
    const customerIds = (payload.customerIds ?? []).filter((id) => id !== customerShopifyId);
    await db.job.update({
      where: { id: job.id },
      data: customerIds.length > 0 ? { payload: JSON.stringify({ ...payload, customerIds }) } : { payload: "{}", status: "cancelled", finishedAt: new Date() },
    });
  }
}

/**
 * Uninstall: the shop's per-customer derived data goes at once (every run's customer rows, the
 * write history, the write-back passes, the experiments' arms, the anomalies and their model, the
 * recommender with its lists and rules);
 * orders and the runs' aggregates stay until shop/redact, 48 hours later, so a reinstall in
 * between resumes. The experiments go
 * with their arms: an experiment without its cohort can be neither analysed nor held out, and
 * keeping it "running" would hold nobody out. (A reinstall's first full write-back removes the
 * holdout tags left in Shopify, and its segment sync the experiments' Shopify segments.)
 */
export async function deleteCustomerDerivedData(db: Db, shopId: number): Promise<void> {
  await db.customerSegment.deleteMany({ where: { shopId } });
  await db.tagWrite.deleteMany({ where: { shopId } });
  await db.writeBack.deleteMany({ where: { shopId } });
  await deleteShopExperiments(db, shopId);
  await deleteShopAnomalies(db, shopId);
  await deleteShopRecommendations(db, shopId);
}

/** shop/redact: every row of the shop, sessions included. */
export async function redactShop(db: Db, domain: string): Promise<void> {
  await db.$transaction([db.session.deleteMany({ where: { shop: domain } }), db.shop.deleteMany({ where: { domain } })]);
}
