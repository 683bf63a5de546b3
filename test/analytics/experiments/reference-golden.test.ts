// The experiment statistics against numpy/scipy: scripts/reference/experiment_reference.py drew
// 400 Online Retail customers (pre-period and 90-day revenue, a seeded 30 % control draw, a
// planted lift), wrote test/fixtures/reference/experiment_customers.csv and computed every figure
// from the formulas in docs/experiments.md; the core must give the same numbers to 1e-9.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeExperiment, armHash, balanceCheck, confidenceSequence, designExperiment, sequentialTuning, type Observation } from "../../../app/analytics/index";

const dir = path.join(__dirname, "../../fixtures/reference");
const expected = JSON.parse(fs.readFileSync(path.join(dir, "experiment_expected.json"), "utf8"));
const [header, ...lines] = fs.readFileSync(path.join(dir, "experiment_customers.csv"), "utf8").trim().split("\n");
const observations: Observation[] = lines.map((line) => {
  const [, arm, outcome, pre] = line.split(",");
  return { arm: arm as Observation["arm"], outcome: Number(outcome), pre: Number(pre) };
});

function close(actual: number, wanted: number, rel = 1e-9): void {
  expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(wanted)));
}

describe("experiment statistics equal the numpy/scipy reference", () => {
  it("reads the fixture the CLI reads", () => {
    expect(header).toBe("customer_id,arm,outcome,pre");
    expect(observations).toHaveLength(400);
  });

  const fixed = analyzeExperiment(observations, { controlShare: expected.planned_control_share });

  it("arm sizes, means, Welch difference in means", () => {
    expect([fixed.nTreatment, fixed.nControl]).toEqual([expected.n_treatment, expected.n_control]);
    close(fixed.meanTreatment, expected.mean_treatment);
    close(fixed.meanControl, expected.mean_control);
    const raw = expected.difference_in_means;
    close(fixed.unadjusted.liftPerCustomer, raw.lift_per_customer);
    close(fixed.unadjusted.standardError, raw.standard_error);
    close(fixed.unadjusted.ciLow, raw.ci_low);
    close(fixed.unadjusted.ciHigh, raw.ci_high);
    close(fixed.unadjusted.pValue, raw.p_value);
  });

  it("CUPED: θ pooled across arms, the adjusted lift, its t interval and p, the variance reduction", () => {
    const c = expected.cuped;
    expect(fixed.method).toBe("cuped");
    expect(fixed.validity).toBe("fixed-horizon");
    close(fixed.theta!, c.theta);
    close(fixed.liftPerCustomer, c.lift_per_customer);
    close(fixed.standardError, c.standard_error);
    close(fixed.ciLow, c.ci_low);
    close(fixed.ciHigh, c.ci_high);
    close(fixed.pValue, c.p_value);
    close(fixed.varianceReduction, c.variance_reduction);
  });

  it("incremental total and its interval; SRM at the planned share and at the default 0.5", () => {
    close(fixed.incrementalTotal, expected.incremental_total);
    close(fixed.incrementalCiLow, expected.incremental_ci_low);
    close(fixed.incrementalCiHigh, expected.incremental_ci_high);
    close(fixed.srmPValue, expected.srm_p_value);
    expect(fixed.srmMismatch).toBe(false);
    const atHalf = analyzeExperiment(observations);
    close(atHalf.srmPValue, expected.srm_p_value_at_half);
    expect(atHalf.srmMismatch).toBe(true);
  });

  it("the always-valid look: the normal-mixture confidence sequence tuned at the planned SE", () => {
    const s = expected.sequential;
    const a = analyzeExperiment(observations, { controlShare: 0.3, sequential: { plannedStandardError: s.planned_standard_error } });
    expect(a.method).toBe("cuped+always-valid");
    expect(a.validity).toBe("always-valid");
    close(a.liftPerCustomer, s.lift_per_customer);
    close(a.ciLow, s.ci_low);
    close(a.ciHigh, s.ci_high);
    close(a.pValue, s.p_value);
    close(a.unadjusted.ciLow, s.unadjusted_ci_low);
    close(a.unadjusted.ciHigh, s.unadjusted_ci_high);
    close(a.unadjusted.pValue, s.unadjusted_p_value);
    expect(a.ciHigh - a.ciLow).toBeGreaterThan(fixed.ciHigh - fixed.ciLow);
  });

  interface SequentialCase {
    estimate: number;
    standard_error: number;
    planned_standard_error: number;
    lambda: number;
    half_width: number;
    p_value: number;
  }
  const cases: [number, number, number, SequentialCase][] = (expected.sequential_cases as SequentialCase[]).map((c) => [c.estimate, c.standard_error, c.planned_standard_error, c]);
  it.each(cases)(
    "confidence sequence at estimate %s, se %s, planned se %s",
    (estimate, se, planned, c) => {
      const lambda = sequentialTuning(0.05) * (planned / se) ** 2;
      close(lambda, c.lambda);
      const cs = confidenceSequence(estimate, se, lambda, 0.05);
      close(cs.halfWidth, c.half_width);
      close(cs.pValue, c.p_value);
    },
  );

  it("design: MDE raw and with CUPED, planned standard errors", () => {
    const d = expected.design;
    const got = designExperiment({ outcome: observations.map((o) => o.outcome), covariate: observations.map((o) => o.pre!), controlShare: d.control_share });
    expect([got.n, got.nTreatment, got.nControl]).toEqual([d.n, d.n_treatment, d.n_control]);
    close(got.baselineMean, d.baseline_mean);
    close(got.standardDeviation, d.standard_deviation);
    close(got.mde, d.mde);
    close(got.cupedMde, d.cuped_mde);
    close(got.expectedVarianceReduction, d.expected_variance_reduction);
    close(got.plannedStandardError, d.planned_standard_error);
    close(got.plannedStandardErrorCuped, d.planned_standard_error_cuped);
  });

  it("balance on pre-period revenue: means, standardized difference, Welch p", () => {
    const b = expected.balance;
    const got = balanceCheck(observations);
    close(got.meanTreatment, b.mean_treatment);
    close(got.meanControl, b.mean_control);
    close(got.standardizedDifference, b.standardized_difference);
    close(got.pValue, b.p_value);
  });

  it("armHash equals an independent Python MurmurHash3 to the last bit", () => {
    for (const h of expected.arm_hash) expect(armHash(h.customer_id, h.salt)).toBe(h.value);
  });
});
