import { describe, expect, it } from "vitest";
import type { ExperimentAnalysis } from "../../app/analytics";
import { experimentVerdict, type VerdictContext } from "../../app/domain/experiment-verdict";
import { moneyFormatter } from "../../app/domain/segment-definition";

// The verdict reads only the analysis's figures: hand-made analyses cover each branch.
function analysis(over: Partial<ExperimentAnalysis>): ExperimentAnalysis {
  const lift = { liftPerCustomer: 4.2, ciLow: 1.1, ciHigh: 7.3, pValue: 0.008, standardError: 1.58 };
  return {
    ...lift,
    nTreatment: 740,
    nControl: 760,
    meanTreatment: 54.2,
    meanControl: 50,
    method: "cuped",
    validity: "fixed-horizon",
    alpha: 0.05,
    theta: 0.8,
    varianceReduction: 0.6,
    unadjusted: { ...lift, ciLow: -1, ciHigh: 9.4, pValue: 0.1 },
    incrementalTotal: 3108,
    incrementalCiLow: 814,
    incrementalCiHigh: 5402,
    srmPValue: 0.6,
    srmMismatch: false,
    ...over,
  };
}

const pounds = moneyFormatter("GBP");
// moneyFormatter takes milli; the verdict gives main units (4.2 = £4.20), and `whole` for totals.
const gbp = (amount: number, whole?: boolean): string => (whole ? moneyFormatter("GBP", "whole") : pounds)(amount * 1000);
const twoDecimals = (amount: number, whole?: boolean): string => amount.toLocaleString("en-US", whole ? { maximumFractionDigits: 0 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const revenue: VerdictContext = { metric: "revenue", horizonReached: true, format: gbp };

describe("experimentVerdict", () => {
  it("an interval above zero is a success with the lift, its interval and the rounded total", () => {
    const v = experimentVerdict(analysis({}), revenue);
    expect(v.tone).toBe("success");
    expect(v.headline).toBe("The campaign earned more: +£4.2 per customer (95 % interval £1.1 to £7.3), about £3,100 more in total");
    expect(v.detail).toContain("£54.2");
    expect(v.detail).toContain("£50");
    expect(v.detail).toContain("p = 0.008");
    // with a two-decimal formatter (the CLI's) the figures keep their cents
    expect(experimentVerdict(analysis({}), { ...revenue, format: twoDecimals }).headline).toBe(
      "The campaign earned more: +4.20 per customer (95 % interval 1.10 to 7.30), about 3,100 more in total",
    );
  });

  it("an interval below zero is critical, with minus signs and the loss in total", () => {
    const v = experimentVerdict(analysis({ liftPerCustomer: -2.1, ciLow: -3.5, ciHigh: -0.7, incrementalTotal: -1554, pValue: 0.003 }), { ...revenue, format: twoDecimals });
    expect(v.tone).toBe("critical");
    expect(v.headline).toBe("The campaign earned less: \u22122.10 per customer (95 % interval \u22123.50 to \u22120.70), about 1,600 less in total");
    expect(v.detail).toMatch(/consider stopping it/);
  });

  it("the level follows alpha", () => {
    expect(experimentVerdict(analysis({ alpha: 0.1 }), revenue).headline).toContain("(90 % interval");
  });

  it("straddling zero before the horizon: not clear yet, keep it running until the end date", () => {
    const v = experimentVerdict(analysis({ liftPerCustomer: 0.8, ciLow: -1.2, ciHigh: 2.8, validity: "always-valid", pValue: 0.4 }), {
      ...revenue,
      horizonReached: false,
      endsOn: "2026-03-01",
      format: twoDecimals,
    });
    expect(v.tone).toBe("info");
    expect(v.headline).toBe("Not clear yet: keep it running until 2026-03-01");
    expect(v.detail).toContain("+0.80 per customer (95 % interval \u22121.20 to 2.80)");
    expect(v.detail).not.toMatch(/only valid at the horizon/);
    expect(experimentVerdict(analysis({ ciLow: -1, validity: "always-valid" }), { ...revenue, horizonReached: false }).headline).toBe("Not clear yet: keep it running until its horizon");
  });

  it("straddling zero at the horizon: no detectable difference, with the range of the effect", () => {
    const v = experimentVerdict(analysis({ liftPerCustomer: 0.8, ciLow: -1.2, ciHigh: 2.8, pValue: 0.4 }), { ...revenue, format: twoDecimals });
    expect(v).toMatchObject({ tone: "info", headline: "No detectable difference" });
    expect(v.detail).toMatch(/^The effect is between \u22121\.20 and 2\.80 per customer \(95 % interval; estimate \+0\.80 per customer, p = 0\.400\)/);
  });

  it("a fixed-horizon interval read before the horizon says it is valid only then", () => {
    const v = experimentVerdict(analysis({}), { ...revenue, horizonReached: false, endsOn: "2026-03-01" });
    expect(v.tone).toBe("success");
    expect(v.detail).toMatch(/only valid at the horizon \(2026-03-01\)/);
  });

  it("a sample-ratio mismatch comes first, whatever the interval, and points at the holdout tag", () => {
    const v = experimentVerdict(analysis({ srmMismatch: true, srmPValue: 1e-6, nTreatment: 900, nControl: 600 }), { ...revenue, controlShare: 0.5 });
    expect(v.tone).toBe("warning");
    expect(v.headline).toMatch(/split is not what was planned: do not trust/);
    expect(v.detail).toContain("600 customers are in the control group and 900 in the treatment group: 40 % in control where 50 % was planned");
    expect(v.detail).toContain("p < 0.001");
    expect(v.detail).toMatch(/holdout tag/);
    expect(v.headline + v.detail).not.toContain("£");
  });

  it("conversion speaks in percentage points and customers", () => {
    const v = experimentVerdict(
      analysis({ liftPerCustomer: 0.012, ciLow: 0.003, ciHigh: 0.021, meanTreatment: 0.132, meanControl: 0.12, incrementalTotal: 8.88 }),
      { metric: "conversion", horizonReached: true, format: gbp },
    );
    expect(v.headline).toBe("More customers ordered: +1.2 percentage points (95 % interval 0.3 to 2.1 points), about 9 more customers ordered in total");
    expect(v.detail).toContain("13.2 %, the control group's 12 %");
  });

  it("orders speak in orders per customer, and small lifts keep their digits", () => {
    const v = experimentVerdict(
      analysis({ liftPerCustomer: -0.004, ciLow: -0.0071, ciHigh: -0.0012, meanTreatment: 1.2, meanControl: 1.204, incrementalTotal: -2.96 }),
      { metric: "orders", horizonReached: true, format: gbp },
    );
    expect(v.tone).toBe("critical");
    expect(v.headline).toBe("Customers ordered less: \u22120.004 orders per customer (95 % interval \u22120.0071 to \u22120.0012), about 3 fewer orders in total");
    expect(v.detail).toContain("1.2 orders");
  });

  it("no interval (a degenerate analysis) says there is not enough data", () => {
    expect(experimentVerdict(analysis({ ciLow: Number.NaN, ciHigh: Number.NaN }), revenue)).toMatchObject({ tone: "info", headline: "Not enough data to tell" });
  });
});
