import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeExperiment, armHash, assignArms, balanceCheck, chiSquare1Sf, designExperiment, ExperimentInputError, normalCdf, type ArmMember, type Observation } from "../../../app/analytics/index";

const ids = (n: number, prefix = "c"): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const members = (list: string[], stratum = "s"): ArmMember[] => list.map((customerId) => ({ customerId, stratum }));

describe("armHash", () => {
  it("is uniform: 20,000 ids fall into 20 buckets with a χ² a uniform law accepts", () => {
    const counts = new Array<number>(20).fill(0);
    for (const id of ids(20000)) counts[Math.floor(armHash(id, "exp-1") * 20)]!++;
    const chi2 = counts.reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(43.8); // 99.9th percentile of χ² with 19 df
  });

  it("depends on the salt and stays in [0, 1)", () => {
    const a = ids(1000).map((id) => armHash(id, "a"));
    const b = ids(1000).map((id) => armHash(id, "b"));
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
    const agree = a.filter((v, i) => v < 0.5 === b[i]! < 0.5).length;
    expect(agree).toBeGreaterThan(430);
    expect(agree).toBeLessThan(570);
  });

  it("uses no random source in the core", () => {
    for (const file of ["assign.ts", "analyze.ts", "power.ts", "distributions.ts", "moments.ts"]) {
      const text = readFileSync(fileURLToPath(new URL(`../../../app/analytics/experiments/${file}`, import.meta.url)), "utf8");
      expect(text).not.toMatch(/Math\.random|Date\.now|new Date/);
    }
  });
});

describe("assignArms", () => {
  it("is deterministic: the same cohort and salt give the same arms, whatever the input order", () => {
    const list = members(ids(500));
    const first = assignArms(list, "salt", 0.2);
    const second = assignArms([...list].reverse(), "salt", 0.2);
    expect(new Map([...second].sort())).toEqual(new Map([...first].sort()));
    expect(assignArms(list, "other", 0.2)).not.toEqual(first);
  });

  it("splits each stratum exactly: round(share × n) control members per stratum", () => {
    const list = [...members(ids(7, "a"), "A"), ...members(ids(101, "b"), "B"), ...members(ids(40, "c"), "C"), ...members(["solo"], "D")];
    const arms = assignArms(list, "exp", 0.3);
    for (const [stratum, n] of [["A", 7], ["B", 101], ["C", 40], ["D", 1]] as const) {
      const controls = list.filter((m) => m.stratum === stratum && arms.get(m.customerId) === "control").length;
      expect(controls).toBe(Math.round(0.3 * n));
    }
  });

  it("the control members are the ones with the lowest hashes of their stratum", () => {
    const list = members(ids(50));
    const arms = assignArms(list, "k", 0.1);
    const sorted = [...list].sort((a, b) => armHash(a.customerId, "k") - armHash(b.customerId, "k"));
    expect(sorted.slice(0, 5).every((m) => arms.get(m.customerId) === "control")).toBe(true);
    expect(sorted.slice(5).every((m) => arms.get(m.customerId) === "treatment")).toBe(true);
  });

  it("is stable under added customers: existing members keep their arm, newcomers get the threshold rule whoever else joins", () => {
    const cohort = members(ids(300));
    const first = assignArms(cohort, "exp", 0.25);
    const newcomers = members(ids(200, "new"));
    const grown = assignArms([...cohort, ...newcomers], "exp", 0.25, first);
    for (const [id, arm] of first) expect(grown.get(id)).toBe(arm);
    for (const m of newcomers) expect(grown.get(m.customerId)).toBe(armHash(m.customerId, "exp") < 0.25 ? "control" : "treatment");
    // a newcomer's arm does not depend on which other newcomers arrive
    const alone = assignArms([...cohort, newcomers[7]!], "exp", 0.25, first);
    expect(alone.get(newcomers[7]!.customerId)).toBe(grown.get(newcomers[7]!.customerId));
  });

  it("refuses a share outside (0, 1), an empty salt and duplicate customers", () => {
    expect(() => assignArms(members(ids(3)), "s", 0)).toThrow(/between 0 and 1/);
    expect(() => assignArms(members(ids(3)), "s", 1.5)).toThrow(/between 0 and 1/);
    expect(() => assignArms(members(ids(3)), "", 0.5)).toThrow(/salt/);
    expect(() => assignArms(members(["x", "x"]), "s", 0.5)).toThrow(/twice/);
  });
});

const obs = (arm: Observation["arm"], outcomes: number[], pre?: number[]): Observation[] => outcomes.map((outcome, i) => ({ arm, outcome, pre: pre?.[i] }));

describe("analyzeExperiment", () => {
  it("without pre values: the plain difference in means, no CUPED", () => {
    const a = analyzeExperiment([...obs("treatment", [3, 5, 7, 9]), ...obs("control", [1, 2, 3])]);
    expect(a.method).toBe("difference-in-means");
    expect(a.theta).toBeNull();
    expect(a.varianceReduction).toBe(0);
    expect(a.liftPerCustomer).toBeCloseTo(6 - 2, 12);
    expect(a.unadjusted).toEqual({ liftPerCustomer: a.liftPerCustomer, ciLow: a.ciLow, ciHigh: a.ciHigh, pValue: a.pValue, standardError: a.standardError });
    expect(a.incrementalTotal).toBeCloseTo(4 * 4, 12);
    expect(a.incrementalCiLow).toBeCloseTo(a.ciLow * 4, 12);
  });

  it("CUPED removes what the covariate explains: a perfectly predicted outcome leaves only the lift", () => {
    const pre = [10, 20, 30, 40, 50, 60];
    const t = obs("treatment", pre.map((x) => 2 * x + 5 + (x % 20 === 0 ? 0.1 : -0.1)), pre);
    const c = obs("control", pre.map((x) => 2 * x + (x % 20 === 0 ? 0.1 : -0.1)), pre);
    const a = analyzeExperiment([...t, ...c]);
    expect(a.method).toBe("cuped");
    expect(a.theta!).toBeCloseTo(2, 2);
    expect(a.liftPerCustomer).toBeCloseTo(5, 6);
    expect(a.varianceReduction).toBeGreaterThan(0.99);
    expect(a.ciHigh - a.ciLow).toBeLessThan(a.unadjusted.ciHigh - a.unadjusted.ciLow);
  });

  it("identical outcomes: zero lift with p = 1 and a zero-width interval", () => {
    const a = analyzeExperiment([...obs("treatment", [4, 4, 4]), ...obs("control", [4, 4])]);
    expect([a.liftPerCustomer, a.ciLow, a.ciHigh, a.pValue]).toEqual([0, 0, 0, 1]);
  });

  it("flags a sample-ratio mismatch at p < 0.001 against the planned share", () => {
    const t = obs("treatment", new Array(700).fill(1).map((v, i) => v + (i % 3)));
    const c = obs("control", new Array(300).fill(1).map((v, i) => v + (i % 3)));
    const atHalf = analyzeExperiment([...t, ...c]);
    expect(atHalf.srmMismatch).toBe(true);
    expect(atHalf.srmPValue).toBeCloseTo(chiSquare1Sf(160), 15); // (300−500)²/500 × 2
    expect(analyzeExperiment([...t, ...c], { controlShare: 0.3 }).srmMismatch).toBe(false);
  });

  it("the always-valid interval is wider than the fixed-horizon one and narrows as information grows", () => {
    const data = [...obs("treatment", [5, 7, 9, 11, 6, 8]), ...obs("control", [4, 6, 8, 10, 5, 7])];
    const fixed = analyzeExperiment(data);
    const early = analyzeExperiment(data, { sequential: { plannedStandardError: fixed.standardError / 3 } });
    const late = analyzeExperiment(data, { sequential: { plannedStandardError: fixed.standardError } });
    expect(early.validity).toBe("always-valid");
    expect(early.method).toBe("difference-in-means+always-valid");
    expect(late.ciHigh - late.ciLow).toBeGreaterThan((fixed.ciHigh - fixed.ciLow) * 0.5);
    expect(early.ciHigh - early.ciLow).toBeGreaterThan(late.ciHigh - late.ciLow);
  });

  it("a pre-registered outcome cap winsorises outcomes and says so in the method", () => {
    const a = analyzeExperiment([...obs("treatment", [1, 2, 1000]), ...obs("control", [1, 2, 3])], { outcomeCap: 10 });
    expect(a.method).toBe("difference-in-means+winsorised");
    expect(a.meanTreatment).toBeCloseTo(13 / 3, 12);
  });

  it("explains what is wrong with the input in plain words", () => {
    const ok = obs("control", [1, 2]);
    expect(() => analyzeExperiment([])).toThrow(ExperimentInputError);
    expect(() => analyzeExperiment([...obs("treatment", [1]), ...ok])).toThrow("Each arm needs at least 2 customers to estimate its variance; the treatment arm has 1 customer and the control arm 2 customers");
    expect(() => analyzeExperiment([...obs("treatment", [1, NaN]), ...ok])).toThrow("The outcome of customer #2 must be a finite number, got NaN");
    expect(() => analyzeExperiment([{ arm: "holdout" as never, outcome: 1 }, ...ok])).toThrow(/expected "treatment" or "control"/);
    expect(() => analyzeExperiment([...obs("treatment", [1, 2], [1, 2]), ...ok], { cuped: true })).toThrow(/CUPED needs a pre-period value for every customer/);
    expect(() => analyzeExperiment([...obs("treatment", [1, 2]), ...ok], { alpha: 0 })).toThrow(/alpha must be a number between 0 and 1/);
    expect(() => analyzeExperiment([...obs("treatment", [1, 2]), ...ok], { sequential: { plannedStandardError: -1 } })).toThrow(/planned standard error/);
  });
});

describe("design and balance", () => {
  it("the MDE shrinks with CUPED by √(1 − ρ²) and with more customers by √n", () => {
    const y = Array.from({ length: 400 }, (_, i) => ((i * 37) % 101) + (i % 7));
    const x = y.map((v, i) => v + ((i * 13) % 11));
    const d = designExperiment({ outcome: y, covariate: x, controlShare: 0.25 });
    expect([d.nControl, d.nTreatment]).toEqual([100, 300]);
    expect(d.cupedMde / d.mde).toBeCloseTo(Math.sqrt(1 - d.expectedVarianceReduction), 12);
    expect(d.mde / d.plannedStandardError).toBeCloseTo(2.8015852, 6); // z_0.975 + z_0.8
    const bigger = designExperiment({ outcome: [...y, ...y, ...y, ...y], controlShare: 0.25 });
    expect(bigger.mde / d.mde).toBeCloseTo(0.5, 2);
    expect(() => designExperiment({ outcome: [1, 2, 3], controlShare: 0.1 })).toThrow(/each arm needs at least 2/);
  });

  it("balance: a standardized difference and a Welch p on pre-period values", () => {
    const b = balanceCheck([...obs("treatment", [0, 0, 0], [1, 2, 3]), ...obs("control", [0, 0, 0], [1, 2, 3])]);
    expect(b).toEqual({ meanTreatment: 2, meanControl: 2, standardizedDifference: 0, pValue: 1 });
    const shifted = balanceCheck([...obs("treatment", [0, 0, 0, 0], [11, 12, 13, 14]), ...obs("control", [0, 0, 0, 0], [1, 2, 3, 4])]);
    expect(shifted.standardizedDifference).toBeCloseTo(10 / Math.sqrt(5 / 3), 12);
    expect(shifted.pValue).toBeLessThan(1e-4);
    expect(() => balanceCheck(obs("treatment", [1, 2]))).toThrow(/pre-period value/);
  });

  it("the normal CDF is accurate in the far tail", () => {
    expect(normalCdf(-10) / 7.61985302416047e-24 - 1).toBeLessThan(1e-12);
  });
});
