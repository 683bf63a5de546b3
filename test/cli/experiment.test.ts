// `segmint experiment analyze` run as a real process, the way a user runs it (bin/segmint.js).
import { describe, expect, it, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/segmint.js");
const FIX = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const REFERENCE = (name: string): string => fileURLToPath(new URL(`../fixtures/reference/${name}`, import.meta.url));
const REF_CSV = REFERENCE("experiment_customers.csv");

/** The keys, in its order: the JSON output has at least these. */
const CONTRACT_KEYS = [
  "n_treatment",
  "n_control",
  "lift_per_customer",
  "ci_low",
  "ci_high",
  "p_value",
  "method",
  "variance_reduction",
  "incremental_total",
  "incremental_ci_low",
  "incremental_ci_high",
  "srm_p_value",
] as const;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "segmint-experiment-"));
});

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runJson(args: string[]): Record<string, unknown> {
  const r = run(["experiment", "analyze", ...args, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function expectClose(actual: unknown, expected: number, key: string): void {
  expect(typeof actual, key).toBe("number");
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs((actual as number) - expected), `${key}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** A CSV of `rows` (customer_id, arm, outcome[, pre]) written to the temporary directory. */
function csv(name: string, header: string, rows: readonly (readonly (string | number)[])[]): string {
  const path = join(dir, name);
  writeFileSync(path, [header, ...rows.map((r) => r.join(","))].join("\n") + "\n");
  return path;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("segmint experiment analyze: bad input is reported row by row and nothing is analysed", () => {
  it("lists every bad row with its line and reason, counts them, and exits 3", () => {
    const r = run(["experiment", "analyze", FIX("experiment-bad-rows.csv")]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(/experiment-bad-rows\.csv:4: bad row: unknown arm "holdout" \(expected treatment or control\)$/),
      expect.stringMatching(/:5: bad row: outcome is not a number: "abc"$/),
      expect.stringMatching(/:6: bad row: duplicated customer_id "c2" \(first on line 3\)$/),
      expect.stringMatching(/:7: bad row: missing pre \(the file has a pre column/),
      expect.stringMatching(/:8: bad row: expected 4 fields, found 3$/),
      expect.stringMatching(/:9: bad row: missing customer_id$/),
      expect.stringMatching(/:11: bad row: outcome is not a number: "1,200.00"$/),
    ]);
    expect(lines.at(-1)).toMatch(/^segmint: input error: 7 bad rows of 11 \(2 outcome not a number, 1 unknown arm, 1 duplicated customer_id, 1 missing pre, 1 wrong number of fields, 1 missing customer_id\); nothing was analysed: .*biased/);
  });

  it("--max-errors limits the rows listed, not the rows counted", () => {
    const r = run(["experiment", "analyze", FIX("experiment-bad-rows.csv"), "--max-errors", "2"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(3);
    expect(r.stderr).toMatch(/7 bad rows of 11/);
  });

  it("--metric conversion takes 0 or 1 only", () => {
    const r = run(["experiment", "analyze", FIX("experiment-conversion-bad.csv"), "--metric", "conversion"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/:4: bad row: outcome must be 0 or 1 for --metric conversion, got "2"\n/);
    expect(r.stderr).toMatch(/:5: bad row: outcome must be 0 or 1 for --metric conversion, got "0\.5"\n/);
    expect(r.stderr).toMatch(/:6: bad row: outcome is not a number: "yes"\n/);
    expect(r.stderr).toMatch(/3 bad rows of 5/);
  });

  it("--metric orders takes whole numbers of orders, 0 or more (2.0 is 2)", () => {
    const r = run(["experiment", "analyze", FIX("experiment-orders-bad.csv"), "--metric", "orders"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/:4: bad row: outcome must be a whole number of orders, 0 or more, for --metric orders, got "-1"\n/);
    expect(r.stderr).toMatch(/:5: bad row: outcome must be a whole number of orders, 0 or more, for --metric orders, got "1\.5"\n/);
    expect(r.stderr).not.toMatch(/:6:/);
    expect(r.stderr).toMatch(/2 bad rows of 5/);
  });

  it("a missing file, missing columns, a header without rows and corrupt gzip are input errors (3)", () => {
    const missing = run(["experiment", "analyze", join(dir, "nope.csv")]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/input error: cannot read .*nope\.csv/);
    const columns = run(["experiment", "analyze", FIX("experiment-no-columns.csv")]);
    expect(columns.code).toBe(3);
    expect(columns.stderr).toMatch(/cannot find column\(s\): customer_id, arm \(treatment or control\), outcome\. .*found: id, segment, revenue/);
    const empty = run(["experiment", "analyze", FIX("experiment-header-only.csv")]);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toMatch(/no customer rows after the header/);
    const blank = join(dir, "blank.csv");
    writeFileSync(blank, "");
    expect(run(["experiment", "analyze", blank]).stderr).toMatch(/input error: .*the file is empty/);
    const corrupt = join(dir, "corrupt.csv.gz");
    writeFileSync(corrupt, gzipSync(readFileSync(REF_CSV)).subarray(0, 40));
    const c = run(["experiment", "analyze", corrupt]);
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/corrupt gzip data/);
  });

  it("an arm without customers is an input error (3), not a crash", () => {
    const onlyTreatment = csv("one-arm.csv", "customer_id,arm,outcome", [
      ["a", "treatment", 1],
      ["b", "treatment", 2],
      ["c", "treatment", 3],
    ]);
    const r = run(["experiment", "analyze", onlyTreatment]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^segmint: input error: /);
  });
});

describe("usage and help", () => {
  it("usage errors exit 2", () => {
    for (const args of [
      ["experiment"],
      ["experiment", "analyse", REF_CSV],
      ["experiment", "analyze"],
      ["experiment", "analyze", REF_CSV, "--metric", "gmv"],
      ["experiment", "analyze", REF_CSV, "--control-share", "0"],
      ["experiment", "analyze", REF_CSV, "--control-share", "50"],
      ["experiment", "analyze", REF_CSV, "--alpha", "0.7"],
      ["experiment", "analyze", REF_CSV, "--planned-se", "-1"],
      ["experiment", "analyze", REF_CSV, "--json=yes"],
      ["experiment", "analyze", REF_CSV, "--k", "3"],
      ["experiment", "analyze", REF_CSV, REF_CSV],
    ]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/\(see segmint --help\)/);
    }
  });

  it("--help lists the verb, its columns and every option", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("segmint experiment analyze <customers.csv | customers.csv.gz> [--metric revenue] [--json]");
    expect(r.stdout).toContain("segmint segment <file.csv | file.csv.gz> [options]");
    for (const flag of ["--metric", "--json", "--control-share", "--alpha", "--no-cuped", "--planned-se"]) expect(r.stdout).toContain(flag);
    for (const key of CONTRACT_KEYS) expect(r.stdout).toContain(key);
    expect(r.stdout).toMatch(/nothing is analysed \(exit 3\)/);
    expect(run(["experiment", "analyze", "--help"]).stdout).toBe(r.stdout);
  });
});

describe("segmint experiment analyze on the reference fixture (numpy/scipy golden, scripts/reference/experiment_reference.py)", () => {
  interface Estimate {
    lift_per_customer: number;
    ci_low: number;
    ci_high: number;
    p_value: number;
    standard_error: number;
  }
  const expected = JSON.parse(readFileSync(REFERENCE("experiment_expected.json"), "utf8")) as {
    alpha: number;
    planned_control_share: number;
    n_treatment: number;
    n_control: number;
    mean_treatment: number;
    mean_control: number;
    difference_in_means: Estimate;
    cuped: Estimate & { theta: number; variance_reduction: number };
    incremental_total: number;
    incremental_ci_low: number;
    incremental_ci_high: number;
    srm_p_value: number;
    srm_p_value_at_half: number;
    sequential: Omit<Estimate, "standard_error"> & { planned_standard_error: number; unadjusted_ci_low: number; unadjusted_ci_high: number; unadjusted_p_value: number };
  };
  const share = String(expected.planned_control_share);

  it("--json prints one object with the issue's keys first, equal to the reference within 1e-9", () => {
    const r = run(["experiment", "analyze", REF_CSV, "--control-share", share, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, unknown>; // one object: JSON.parse rejects anything after it
    expect(Object.keys(out).slice(0, CONTRACT_KEYS.length)).toEqual([...CONTRACT_KEYS]);
    expect(out.n_treatment).toBe(expected.n_treatment);
    expect(out.n_control).toBe(expected.n_control);
    expect(out.method).toBe("cuped");
    const golden: Record<string, number> = {
      lift_per_customer: expected.cuped.lift_per_customer,
      ci_low: expected.cuped.ci_low,
      ci_high: expected.cuped.ci_high,
      p_value: expected.cuped.p_value,
      variance_reduction: expected.cuped.variance_reduction,
      incremental_total: expected.incremental_total,
      incremental_ci_low: expected.incremental_ci_low,
      incremental_ci_high: expected.incremental_ci_high,
      srm_p_value: expected.srm_p_value,
      mean_treatment: expected.mean_treatment,
      mean_control: expected.mean_control,
      standard_error: expected.cuped.standard_error,
      theta: expected.cuped.theta,
      unadjusted_lift_per_customer: expected.difference_in_means.lift_per_customer,
      unadjusted_ci_low: expected.difference_in_means.ci_low,
      unadjusted_ci_high: expected.difference_in_means.ci_high,
      unadjusted_p_value: expected.difference_in_means.p_value,
    };
    for (const [key, value] of Object.entries(golden)) expectClose(out[key], value, key);
    expect(out).toMatchObject({ metric: "revenue", alpha: expected.alpha, validity: "fixed-horizon", control_share: expected.planned_control_share, srm_mismatch: false });
    expect((out.verdict as { tone: string }).tone).toBe(expected.cuped.ci_low > 0 ? "success" : expected.cuped.ci_high < 0 ? "critical" : "info");
  });

  it("--no-cuped gives the plain difference in means", () => {
    const out = runJson([REF_CSV, "--control-share", share, "--no-cuped"]);
    expect(out.method).toBe("difference-in-means");
    expect(out.variance_reduction).toBe(0);
    expect(out.theta).toBeNull();
    for (const key of ["lift_per_customer", "ci_low", "ci_high", "p_value", "standard_error"] as const) expectClose(out[key], expected.difference_in_means[key], key);
    expectClose(out.incremental_total, expected.difference_in_means.lift_per_customer * expected.n_treatment, "incremental_total");
  });

  it("--planned-se gives the always-valid interval (the confidence sequence) at this look", () => {
    const out = runJson([REF_CSV, "--control-share", share, "--planned-se", String(expected.sequential.planned_standard_error)]);
    expect(out).toMatchObject({ method: "cuped+always-valid", validity: "always-valid" });
    for (const key of ["lift_per_customer", "ci_low", "ci_high", "p_value"] as const) expectClose(out[key], expected.sequential[key], key);
    expectClose(out.unadjusted_ci_low, expected.sequential.unadjusted_ci_low, "unadjusted_ci_low");
    expectClose(out.unadjusted_ci_high, expected.sequential.unadjusted_ci_high, "unadjusted_ci_high");
  });

  it("without --control-share the planned split is 50/50: the fixture's 30 % control is a sample-ratio mismatch", () => {
    const r = run(["experiment", "analyze", REF_CSV, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expectClose(out.srm_p_value, expected.srm_p_value_at_half, "srm_p_value");
    expect(out.srm_mismatch).toBe(true);
    expect(out.verdict).toMatchObject({ tone: "warning", headline: expect.stringMatching(/split is not what was planned/) });
    expect(r.stderr).toMatch(/warning: sample ratio mismatch/);
    const text = run(["experiment", "analyze", REF_CSV]);
    expect(text.stdout).toMatch(/WARNING: sample ratio mismatch \(p < 0\.001\)/);
    expect(text.stdout).toMatch(/^Verdict: The split is not what was planned: do not trust this result$/m);
  });

  it("the text summary shows the figures, CUPED beside the unadjusted interval, and the verdict", () => {
    const r = run(["experiment", "analyze", REF_CSV, "--control-share", share]);
    expect(r.code, r.stderr).toBe(0);
    const money = (n: number): string => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const c = expected.cuped;
    const d = expected.difference_in_means;
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^  customers\\s+${expected.n_treatment}\\s+${expected.n_control}$`, "m"));
    expect(out).toMatch(new RegExp(`^  mean outcome\\s+${money(expected.mean_treatment)}\\s+${money(expected.mean_control)}$`, "m"));
    expect(out).toContain(`lift per customer   ${money(c.lift_per_customer)}   95 % interval ${money(c.ci_low)} to ${money(c.ci_high)}   p = ${c.p_value.toFixed(4)}`);
    expect(out).toMatch(/^ {2}method\s+cuped \(fixed-horizon interval/m);
    expect(out).toContain(`variance reduced by ${(c.variance_reduction * 100).toFixed(1)} %`);
    expect(out).toContain(`interval ${((c.ci_high - c.ci_low) / (d.ci_high - d.ci_low)).toFixed(2)}× as wide`);
    expect(out).toContain(`without it: ${money(d.lift_per_customer)}, 95 % interval ${money(d.ci_low)} to ${money(d.ci_high)}`);
    expect(out).toContain(`incremental total   ${money(expected.incremental_total)}   95 % interval ${money(expected.incremental_ci_low)} to ${money(expected.incremental_ci_high)}`);
    expect(out).toContain(`sample ratio        p = ${expected.srm_p_value.toFixed(4)}`);
    expect(out).not.toContain("WARNING");
    // the fixture's interval straddles zero: at the horizon that is "no detectable difference", with the interval's ends
    expect(c.ci_low < 0 && c.ci_high > 0).toBe(true);
    const minus = (n: number): string => (n < 0 ? `\u2212${money(-n)}` : money(n));
    expect(out).toMatch(/^Verdict: No detectable difference$/m);
    expect(out).toContain(`The effect is between ${minus(c.ci_low)} and ${minus(c.ci_high)} per customer`);
  });

  it("reads gzip input, detected by content whatever the name", () => {
    const disguised = join(dir, "customers-gz.dat");
    writeFileSync(disguised, gzipSync(readFileSync(REF_CSV)));
    const plain = runJson([REF_CSV, "--control-share", share]);
    expect(runJson([disguised, "--control-share", share])).toEqual(plain);
  });
});

describe("segmint experiment analyze: the other metrics and options", () => {
  // Small files whose difference in means is checked by hand-computed means (no pre column: no CUPED).
  const conversion = {
    treatment: [1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1],
    control: [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1],
  };

  it("conversion: the lift is the difference in the share who ordered, the verdict in percentage points", () => {
    const path = csv("conversion.csv", "Customer ID,ARM,Outcome", [
      ...conversion.treatment.map((y, i) => [`t${i}`, "treatment", y]),
      ...conversion.control.map((y, i) => [`c${i}`, "CONTROL", y]),
    ]);
    const out = runJson([path, "--metric", "conversion"]);
    expect(out).toMatchObject({ n_treatment: 12, n_control: 12, method: "difference-in-means", variance_reduction: 0, metric: "conversion" });
    expectClose(out.lift_per_customer, mean(conversion.treatment) - mean(conversion.control), "lift_per_customer");
    expectClose(out.srm_p_value, 1, "srm_p_value"); // 12 vs 12 against 50 %: χ² = 0
    expect((out.verdict as { headline: string; detail: string }).detail + (out.verdict as { headline: string }).headline).toMatch(/percentage points/);
    const text = run(["experiment", "analyze", path, "--metric", "conversion"]);
    expect(text.stdout).toContain(`${(mean(conversion.treatment) * 100).toFixed(2)} %`);
    expect(text.stdout).toContain("CUPED               not used: the file has no pre column");
  });

  it("--outcome-cap counts outcomes above the cap as the cap", () => {
    const t = [10, 20, 500, 15, 30];
    const c = [5, 25, 12, 300, 8];
    const path = csv("capped.csv", "customer_id,arm,outcome", [...t.map((y, i) => [`t${i}`, "treatment", y]), ...c.map((y, i) => [`c${i}`, "control", y])]);
    const capped = (xs: number[]): number[] => xs.map((x) => Math.min(x, 100));
    const out = runJson([path, "--outcome-cap", "100"]);
    expect(out.method).toBe("difference-in-means+winsorised");
    expectClose(out.lift_per_customer, mean(capped(t)) - mean(capped(c)), "lift_per_customer");
    // the arms' means are of the capped metric too (the core's choice), so they match the lift
    expectClose(out.mean_treatment, mean(capped(t)), "mean_treatment");
    expect(run(["experiment", "analyze", path, "--outcome-cap", "100"]).stdout).toMatch(/^ {2}mean outcome \(capped\)\s+35\.00\s+30\.00$/m);
  });

  it("--alpha sets the level of every interval", () => {
    const r = run(["experiment", "analyze", REF_CSV, "--control-share", "0.3", "--alpha", "0.1"]);
    expect(r.stdout).toContain("90 % interval");
    expect(r.stdout).not.toContain("95 % interval");
  });
});
