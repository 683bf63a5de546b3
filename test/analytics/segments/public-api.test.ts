import { describe, expect, it } from "vitest";
import * as analytics from "../../../app/analytics/index";

describe("public API (app/analytics/index.ts)", () => {
  it("runs orders → RFM → segments → explanation → model round trip through the index only", () => {
    const orders: analytics.OrderFact[] = [];
    for (let c = 0; c < 40; c++) {
      for (let o = 0; o <= c % 5; o++) {
        orders.push({
          orderId: `${c}-${o}`,
          customerId: `cust-${c}`,
          processedAt: `2024-0${1 + ((c + o) % 6)}-1${o} 10:00:00`,
          lines: [{ productId: "p", quantity: 1 + (c % 3), unitPriceMilli: 1_000 * (1 + c) }],
        });
      }
    }
    const features = analytics.computeRfmFeaturesFromOrders(orders, { asOf: "2024-07-01" });
    expect(features.count).toBe(40);
    const result = analytics.segmentCustomers(features, { seed: 3, algorithm: "kmeans", k: 3 });
    expect(result.model.kind).toBe("segmint.segments");
    const model = analytics.parseSegmentModel(JSON.stringify(result.model));
    expect(Array.from(analytics.assignSegments(model, features).segmentIndex)).toEqual(Array.from(result.segmentIndex));
    expect(analytics.explainCustomer(result, features, 0)).toMatch(/closest centre/);
    expect(analytics.rfmGroup(5, 5, 5)).toBe("CHAMPIONS");
    expect(analytics.MILLI_PER_UNIT).toBe(1000);
    expect(typeof analytics.fitKMeans).toBe("function");
  });
});
