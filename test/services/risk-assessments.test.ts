// Order risk assessments against the simulator (Shopify's schema and its orderRiskAssessmentCreate
// rules), on both databases: nothing is sent while the setting is off or the write_orders scope is
// missing; with both, each flagged order gets one assessment (HIGH for the store's top 0.1 %,
// MEDIUM otherwise; the reasons as NEGATIVE facts and the score as a NEUTRAL one), dismissed and
// other shops' anomalies are left alone, refusals are settled without a retry, a throttled request
// is retried and written once, and a second run sends nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { assessOrderRisk, hasScope, riskAssessmentInput } from "../../app/services/risk-assessments.server";
import { ORDER_RISK_ASSESSMENT_CREATE } from "../../app/shopify/graphql";
import { simulatorAdmin } from "../../simulator/admin-client";
import { DEFAULT_SCOPES } from "../../simulator/simulator";
import type { SimulatorServer } from "../../simulator/server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { startWriteBackSimulator, stubAppEnv } from "../support/write-back-harness";

const DOMAIN = "risk-assessments.myshopify.com";
const reasons = (...texts: string[]) => JSON.stringify(texts.map((text, i) => ({ feature: "line-quantity", text, strength: 10 - i })));

describe("riskAssessmentInput", () => {
  it("sends the reasons as NEGATIVE facts, then the score as a NEUTRAL fact, and the level from the rank", () => {
    const input = riskAssessmentInput({ subjectKey: "5000000581483", score: 0.784, reasons: reasons("80,995 × PAPER CRAFT , LITTLE BIRDIE is 6,000× this product's median quantity of 12", "94 % of the order was refunded") }, true);
    expect(input).toEqual({
      orderId: "gid://shopify/Order/5000000581483",
      riskLevel: "HIGH",
      facts: [
        { description: "80,995 × PAPER CRAFT , LITTLE BIRDIE is 6,000× this product's median quantity of 12", sentiment: "NEGATIVE" },
        { description: "94 % of the order was refunded", sentiment: "NEGATIVE" },
        { description: "Segmint anomaly score 0.78 (top 0.1 % of this store's orders)", sentiment: "NEUTRAL" },
      ],
    });
    const medium = riskAssessmentInput({ subjectKey: "1", score: 0.61, reasons: "not json" }, false);
    expect(medium.riskLevel).toBe("MEDIUM");
    expect(medium.facts).toEqual([{ description: "Segmint anomaly score 0.61 (top 1 % of this store's orders)", sentiment: "NEUTRAL" }]);
  });

  it("keeps within Shopify's 20 facts", () => {
    const many = reasons(...Array.from({ length: 30 }, (_, i) => `reason ${i}`));
    expect(riskAssessmentInput({ subjectKey: "1", score: 0.9, reasons: many }, false).facts).toHaveLength(20);
  });

  it("reads the granted scopes", () => {
    expect(hasScope("read_orders,write_orders", "write_orders")).toBe(true);
    expect(hasScope("read_orders, write_customers", "write_orders")).toBe(false);
    expect(hasScope(null, "write_orders")).toBe(false);
  });
});

describeEachDatabase("order risk assessments in Shopify (simulator)", (provider) => {
  let sim: SimulatorServer;
  let t: TestDatabase;
  let db: Db;
  let shopId: number;
  let otherShopId: number;
  let orderIds: string[];

  const shopState = () => sim.simulator.shop(DOMAIN);
  const admin = () => simulatorAdmin(sim, DOMAIN);
  const assessmentsOf = (orderId: string) => shopState().riskAssessments.filter((a) => String(a.orderId) === orderId);
  const grantScope = async () => {
    sim.simulator.updateScopes(DOMAIN, [...DEFAULT_SCOPES, "write_orders"]);
    await db.shop.update({ where: { id: shopId }, data: { scopes: [...DEFAULT_SCOPES, "write_orders"].join(",") } });
  };
  const anomaly = (shop: number, subjectKey: string, score: number, extra: Record<string, unknown> = {}) =>
    db.anomaly.create({ data: { shopId: shop, kind: "order", subjectKey, score, category: "review", reasons: reasons(`reason of ${subjectKey}`), ...extra } });

  beforeAll(async () => {
    stubAppEnv();
    sim = await startWriteBackSimulator([{ domain: DOMAIN }]);
    const shop = shopState();
    const product = shop.createProduct({ title: "JAR", priceCents: 250 });
    const customer = shop.createCustomer({ id: 700_001, silent: true });
    orderIds = Array.from({ length: 6 }, (_, i) =>
      String(shop.createOrder({ customerId: customer.id, processedAt: Date.now() - (i + 1) * 86_400_000, lines: [{ variantId: product.variants[0]!.id, quantity: 1 + i }] }, { silent: true }).id),
    );
    t = await createTestDatabase(provider);
    db = t.db;
    shopId = (await db.shop.create({ data: { domain: DOMAIN, scopes: DEFAULT_SCOPES.join(",") } })).id;
    otherShopId = (await db.shop.create({ data: { domain: `other-${DOMAIN}`, riskAssessments: true, scopes: "write_orders" } })).id;
    // fitted on 1,000 orders: the top 0.1 % is the single highest score
    await db.anomalyModel.create({ data: { shopId, asOf: "2026-01-14", orderCount: 1000, threshold: 0.6, model: "{}" } });
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
    await sim?.close();
  });

  it("sends nothing while the setting is off (the default) or the write_orders scope is missing", async () => {
    const a = await anomaly(shopId, orderIds[0]!, 0.95);
    expect(await assessOrderRisk(db, admin(), shopId, [a.id])).toEqual({ written: 0, refused: [], skipped: "setting off" });
    await db.shop.update({ where: { id: shopId }, data: { riskAssessments: true } });
    expect(await assessOrderRisk(db, admin(), shopId, [a.id])).toEqual({ written: 0, refused: [], skipped: "scope missing" });
    expect(shopState().riskAssessments).toHaveLength(0);
    expect((await db.anomaly.findUniqueOrThrow({ where: { id: a.id } })).riskAssessedAt).toBeNull();
  });

  it("the simulator refuses the mutation without the scope, as Shopify does (ACCESS_DENIED)", async () => {
    const result = await sim.simulator.graphql(DOMAIN, ORDER_RISK_ASSESSMENT_CREATE, { input: { orderId: `gid://shopify/Order/${orderIds[0]}`, riskLevel: "HIGH", facts: [] } });
    expect(result.errors?.[0]?.extensions.code).toBe("ACCESS_DENIED");
    expect(shopState().riskAssessments).toHaveLength(0);
  });

  it("writes one assessment per flagged order: HIGH for the top 0.1 %, MEDIUM for the others; dismissed and other shops' rows are left alone", async () => {
    await grantScope();
    const top = await db.anomaly.findFirstOrThrow({ where: { shopId, subjectKey: orderIds[0] } });
    const second = await anomaly(shopId, orderIds[1]!, 0.7);
    const dismissed = await anomaly(shopId, orderIds[2]!, 0.8, { status: "dismissed" });
    const foreign = await anomaly(otherShopId, orderIds[3]!, 0.99);
    const outcome = await assessOrderRisk(db, admin(), shopId, [top.id, second.id, dismissed.id, foreign.id]);
    expect(outcome).toEqual({ written: 2, refused: [] });

    expect(assessmentsOf(orderIds[0]!)).toMatchObject([
      { riskLevel: "HIGH", facts: [{ description: `reason of ${orderIds[0]}`, sentiment: "NEGATIVE" }, { description: "Segmint anomaly score 0.95 (top 0.1 % of this store's orders)", sentiment: "NEUTRAL" }] },
    ]);
    expect(assessmentsOf(orderIds[1]!)).toMatchObject([{ riskLevel: "MEDIUM" }]);
    expect(assessmentsOf(orderIds[2]!)).toHaveLength(0);
    expect(assessmentsOf(orderIds[3]!)).toHaveLength(0);
    const rows = await db.anomaly.findMany({ where: { id: { in: [top.id, second.id, dismissed.id, foreign.id] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.riskAssessedAt !== null)).toEqual([true, true, false, false]);
    expect(rows.map((r) => r.riskAssessment)).toEqual(["HIGH", "MEDIUM", null, null]);

    // a second run (a retried job, a refit) sends nothing again
    expect(await assessOrderRisk(db, admin(), shopId, [top.id, second.id])).toEqual({ written: 0, refused: [] });
    expect(shopState().riskAssessments).toHaveLength(2);
  });

  it("settles Shopify's refusals (order not found, already fulfilled) without retrying them", async () => {
    const before = shopState().riskAssessments.length;
    const gone = await anomaly(shopId, "999999999", 0.65);
    const missing = await assessOrderRisk(db, admin(), shopId, [gone.id]);
    expect(missing).toEqual({ written: 0, refused: [{ anomalyId: gone.id, code: "NOT_FOUND", message: "Order does not exist" }] });

    // the simulator has no fulfilments: Shopify's answer for a fulfilled order is planned
    const fulfilled = await anomaly(shopId, orderIds[4]!, 0.66);
    sim.simulator.faults(DOMAIN).userErrorOnNextMutation({ field: ["orderRiskAssessmentInput", "orderId"], message: "The order is marked as fulfilled", code: "ORDER_ALREADY_FULFILLED" });
    const refused = await assessOrderRisk(db, admin(), shopId, [gone.id, fulfilled.id]);
    expect(refused).toEqual({ written: 0, refused: [{ anomalyId: fulfilled.id, code: "ORDER_ALREADY_FULFILLED", message: "The order is marked as fulfilled" }] });

    expect(await assessOrderRisk(db, admin(), shopId, [gone.id, fulfilled.id])).toEqual({ written: 0, refused: [] });
    expect(shopState().riskAssessments.length).toBe(before);
    const settled = await db.anomaly.findMany({ where: { id: { in: [gone.id, fulfilled.id] } }, orderBy: { id: "asc" } });
    expect(settled.every((r) => r.riskAssessedAt !== null)).toBe(true);
    expect(settled.map((r) => r.riskAssessment)).toEqual(["refused:NOT_FOUND", "refused:ORDER_ALREADY_FULFILLED"]);
  });

  it("retries a throttled request and writes the assessment once", async () => {
    const a = await anomaly(shopId, orderIds[5]!, 0.62);
    sim.simulator.faults(DOMAIN).throttleNext(1);
    expect(await assessOrderRisk(db, admin(), shopId, [a.id])).toEqual({ written: 1, refused: [] });
    expect(assessmentsOf(orderIds[5]!)).toHaveLength(1);
  }, 30_000);

  it("the simulator refuses more than 20 facts (TOO_MANY_FACTS)", async () => {
    const facts = Array.from({ length: 21 }, (_, i) => ({ description: `fact ${i}`, sentiment: "NEGATIVE" }));
    const result = await sim.simulator.graphql(DOMAIN, ORDER_RISK_ASSESSMENT_CREATE, { input: { orderId: `gid://shopify/Order/${orderIds[0]}`, riskLevel: "LOW", facts } });
    expect((result.data as { orderRiskAssessmentCreate: { userErrors: { code: string }[] } }).orderRiskAssessmentCreate.userErrors.map((e) => e.code)).toEqual(["TOO_MANY_FACTS"]);
  });
});
