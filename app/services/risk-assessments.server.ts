// Order risk assessments: Segmint's flagged orders written to Shopify with
// `orderRiskAssessmentCreate`, their reasons as the facts (docs/anomalies.md, "In Shopify").
// Off by default (Shop.riskAssessments); needs the optional `write_orders` scope.
//
// Risk level: HIGH for an order in the top 0.1 % of the store's orders by anomaly score (the top
// tenth of the flagged ones at the 1 % budget), MEDIUM for the rest of the flagged orders. Facts:
// each reason (NEGATIVE: it is why the order looks wrong), then one NEUTRAL fact with the score.
import type { Db } from "../db.server";
import { storedReasonTexts } from "../domain/anomaly";
import { logger } from "../logger.server";
import { fittedOrderCount, markRiskAssessed, orderAnomaliesToAssess, orderScoreAtRank, type OrderAnomalyToAssess } from "../models/anomalies.server";
import { shopById } from "../models/shops.server";
import type { AdminClient, UserError } from "../shopify/admin-client.server";
import { ORDER_RISK_ASSESSMENT_CREATE } from "../shopify/graphql";

const log = () => logger("risk-assessments");

/** The scope orderRiskAssessmentCreate needs: optional, requested when the merchant turns the setting on. */
export const RISK_ASSESSMENT_SCOPE = "write_orders";
/** Share of the store's orders whose assessment is HIGH. */
export const HIGH_RISK_SHARE = 0.001;
/** Shopify keeps at most 20 facts per assessment. */
export const MAX_FACTS = 20;

export type RiskLevel = "HIGH" | "MEDIUM";
export interface RiskFact {
  readonly description: string;
  readonly sentiment: "NEGATIVE" | "NEUTRAL" | "POSITIVE";
}
export interface RiskAssessmentInput {
  readonly orderId: string;
  readonly riskLevel: RiskLevel;
  readonly facts: RiskFact[];
}

/** Whether the scopes granted to the app (Shop.scopes, comma-separated) include `scope`. */
export function hasScope(granted: string | null | undefined, scope: string): boolean {
  return (granted ?? "").split(",").some((s) => s.trim() === scope);
}

/** The mutation's input for one flagged order. Pure. */
export function riskAssessmentInput(anomaly: Pick<OrderAnomalyToAssess, "subjectKey" | "score" | "reasons">, high: boolean): RiskAssessmentInput {
  const reasons = storedReasonTexts(anomaly.reasons).slice(0, MAX_FACTS - 1);
  const share = high ? "top 0.1 %" : "top 1 %";
  return {
    orderId: `gid://shopify/Order/${anomaly.subjectKey}`,
    riskLevel: high ? "HIGH" : "MEDIUM",
    facts: [
      ...reasons.map((description): RiskFact => ({ description, sentiment: "NEGATIVE" })),
      { description: `Segmint anomaly score ${anomaly.score.toFixed(2)} (${share} of this store's orders)`, sentiment: "NEUTRAL" },
    ],
  };
}

export interface RiskAssessmentOutcome {
  /** Assessments Shopify accepted. */
  readonly written: number;
  /** Orders Shopify refused for good (e.g. ORDER_ALREADY_FULFILLED, NOT_FOUND): settled, not retried. */
  readonly refused: { anomalyId: number; code: string | null; message: string }[];
  /** Why nothing was sent, when nothing was. */
  readonly skipped?: "setting off" | "scope missing" | "shop gone";
}

/**
 * Writes a risk assessment for each of these anomaly ids that is this shop's order anomaly, not
 * dismissed and not assessed yet. Each one is settled (riskAssessedAt) as soon as Shopify answers,
 * so a retry after throttling (the Admin client waits for the bucket and retries THROTTLED; what
 * still fails is thrown for the queue to retry) never writes the same order twice.
 */
export async function assessOrderRisk(db: Db, admin: AdminClient, shopId: number, anomalyIds: readonly number[], now: () => Date = () => new Date()): Promise<RiskAssessmentOutcome> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.installState !== "installed") return { written: 0, refused: [], skipped: "shop gone" };
  if (!shop.riskAssessments) return { written: 0, refused: [], skipped: "setting off" };
  if (!hasScope(shop.scopes, RISK_ASSESSMENT_SCOPE)) {
    log().warn({ shopId }, "risk assessments are on but the write_orders scope is not granted: nothing sent");
    return { written: 0, refused: [], skipped: "scope missing" };
  }
  const anomalies = await orderAnomaliesToAssess(db, shopId, anomalyIds);
  if (anomalies.length === 0) return { written: 0, refused: [] };
  const highCount = Math.max(1, Math.ceil((await fittedOrderCount(db, shopId)) * HIGH_RISK_SHARE));
  const highScore = await orderScoreAtRank(db, shopId, highCount);
  let written = 0;
  const refused: RiskAssessmentOutcome["refused"] = [];
  for (const anomaly of anomalies) {
    const input = riskAssessmentInput(anomaly, highScore !== null && anomaly.score >= highScore);
    const data = await admin.request<{ orderRiskAssessmentCreate: { userErrors: UserError[] } | null }>(ORDER_RISK_ASSESSMENT_CREATE, { input });
    const errors = data.orderRiskAssessmentCreate?.userErrors ?? [];
    // Every userError (already fulfilled, order gone, input refused) fails the same way again.
    if (errors.length > 0) {
      const code = errors[0]!.code ?? null;
      refused.push({ anomalyId: anomaly.id, code, message: errors.map((e) => e.message).join("; ") });
      await markRiskAssessed(db, shopId, anomaly.id, now(), `refused:${code ?? "INVALID"}`);
    } else {
      written++;
      await markRiskAssessed(db, shopId, anomaly.id, now(), input.riskLevel);
    }
  }
  if (refused.length > 0) log().warn({ shopId, refused }, "Shopify refused some order risk assessments");
  log().info({ shopId, written, refused: refused.length }, "order risk assessments written");
  return { written, refused };
}
