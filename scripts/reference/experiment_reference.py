"""Golden values for app/analytics/experiments (holdout experiments' statistics).

Written from the formulas in docs/experiments.md, not from the TypeScript code:
- Welch: difference of arm means, se = sqrt(s_T^2/n_T + s_C^2/n_C), Welch-Satterthwaite df,
  95 % interval with Student's t (scipy), p from scipy.stats.ttest_ind(equal_var=False);
- CUPED (Deng et al. 2013): theta = Cov(Y, X) / Var(X) over all customers (arms pooled),
  Y_adj = Y - theta (X - mean X), then Welch on Y_adj; variance reduction = 1 - se_adj^2 / se_raw^2;
- incremental total = lift x n_treatment (and its interval's ends x n_treatment);
- SRM: scipy.stats.chisquare of the arm sizes against the planned control share (1 df);
- always-valid interval (normal mixture, Waudby-Smith et al. / GrowthBook): lambda* = -2 ln a +
  ln(-2 ln a + 1), lambda = lambda* (planned_se / se)^2, half-width = se sqrt((1 + 1/lambda)
  (2 ln(1/a) + ln(1 + lambda))), p = min(1, sqrt(1 + lambda) exp(-z^2 lambda / (2 (1 + lambda))));
- design: MDE = (z_{1-a/2} + z_power) sigma sqrt(1/n_T + 1/n_C), n_C = round(share n), CUPED MDE
  x sqrt(1 - rho^2), planned SE = sigma sqrt(1/n_T + 1/n_C) (x sqrt(1 - rho^2) with CUPED);
- balance: Welch t-test on pre, standardized difference = (m_T - m_C) / sqrt((s_T^2 + s_C^2) / 2);
- armHash: MurmurHash3 x86_32 of UTF-8(salt + ":" + id) with seeds 0 and 0x9747b28c;
  (h1 * 2^21 + (h2 >> 11)) / 2^53.

Fixture: Online Retail customers with any line before 2011-06-01 (2,767), 400 drawn with
numpy's default_rng(20110601); pre = net revenue (Quantity x UnitPrice, cancellations included)
before 2011-06-01, outcome = net revenue over the next 90 days [2011-06-01, 2011-08-30); arms
drawn independently with P(control) = 0.3 (so the sizes wobble like a real split); treated
outcomes get a planted lift of x1.15 + 5.00 where the customer bought in the window (money rounded to 2 decimals).
All statistics are computed from the CSV's rounded values, exactly as a reader of the CSV sees them.

Writes test/fixtures/reference/experiment_customers.csv (header: customer_id,arm,outcome,pre)
and test/fixtures/reference/experiment_expected.json with these keys:
  alpha, planned_control_share, n_treatment, n_control, mean_treatment, mean_control,
  difference_in_means: {lift_per_customer, ci_low, ci_high, p_value, standard_error, df},
  cuped: {theta, lift_per_customer, ci_low, ci_high, p_value, standard_error, df, variance_reduction},
  incremental_total, incremental_ci_low, incremental_ci_high   (CUPED, fixed horizon),
  srm_p_value            (at the planned share 0.3),
  srm_p_value_at_half    (at 0.5, the default when no share is given),
  sequential: {planned_standard_error, lambda, lift_per_customer, ci_low, ci_high, p_value,
               unadjusted_ci_low, unadjusted_ci_high, unadjusted_p_value},
  sequential_cases: [{estimate, standard_error, planned_standard_error, lambda, half_width, p_value}],
  design: {control_share, n, n_treatment, n_control, baseline_mean, standard_deviation, mde,
           cuped_mde, expected_variance_reduction, planned_standard_error,
           planned_standard_error_cuped}   (outcome = outcome column, covariate = pre),
  balance: {mean_treatment, mean_control, standardized_difference, p_value},
  arm_hash: [{customer_id, salt, value}].

Usage (Debian's python3 with numpy, scipy, pandas):
    /usr/bin/python3 scripts/reference/experiment_reference.py ../shared/data/online_retail.csv.gz test/fixtures/reference
"""
import csv
import json
import math
import sys

import numpy as np
import pandas as pd
from scipy import stats

START, END = "2011-06-01", "2011-08-30"
ALPHA = 0.05
SHARE = 0.3


def murmur3_32(data: bytes, seed: int) -> int:
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    n = len(data)
    rotl = lambda x, r: ((x << r) | (x >> (32 - r))) & mask  # noqa: E731
    for i in range(0, n - n % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = rotl((k * c1) & mask, 15)
        h ^= (k * c2) & mask
        h = (rotl(h, 13) * 5 + 0xE6546B64) & mask
    tail = data[n - n % 4:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = rotl((k * c1) & mask, 15)
        h ^= (k * c2) & mask
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h


def arm_hash(customer_id: str, salt: str) -> float:
    data = f"{salt}:{customer_id}".encode("utf-8")
    return (murmur3_32(data, 0) * 2**21 + (murmur3_32(data, 0x9747B28C) >> 11)) / 2**53


def welch(t, c):
    vt, vc = t.var(ddof=1) / len(t), c.var(ddof=1) / len(c)
    se = math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt**2 / (len(t) - 1) + vc**2 / (len(c) - 1))
    diff = t.mean() - c.mean()
    q = stats.t.ppf(1 - ALPHA / 2, df)
    p = stats.ttest_ind(t, c, equal_var=False).pvalue
    return {"lift_per_customer": diff, "ci_low": diff - q * se, "ci_high": diff + q * se, "p_value": float(p), "standard_error": se, "df": df}


def build_fixture(data_path, out_dir):
    df = pd.read_csv(data_path, dtype={"CustomerID": str, "InvoiceNo": str})
    df = df[df.CustomerID.notna()]
    df["day"] = df.InvoiceDate.str[:10]
    df["amount"] = df.Quantity * df.UnitPrice
    before = df[df.day < START]
    cohort = sorted(before.CustomerID.unique())
    assert len(cohort) == 2767, len(cohort)
    pre = before.groupby("CustomerID").amount.sum().reindex(cohort, fill_value=0.0)
    window = df[(df.day >= START) & (df.day < END)]
    outcome = window.groupby("CustomerID").amount.sum().reindex(cohort, fill_value=0.0)
    rng = np.random.default_rng(20110601)
    chosen = sorted(rng.choice(len(cohort), size=400, replace=False))
    control = rng.random(400) < SHARE
    rows = []
    for j, i in enumerate(chosen):
        y = float(outcome.iloc[i])
        if not control[j] and y != 0:
            y = y * 1.15 + 5.0
        rows.append({"customer_id": cohort[i], "arm": "control" if control[j] else "treatment", "outcome": f"{y:.2f}", "pre": f"{float(pre.iloc[i]):.2f}"})
    with open(f"{out_dir}/experiment_customers.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["customer_id", "arm", "outcome", "pre"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def expected(out_dir):
    with open(f"{out_dir}/experiment_customers.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    arm = np.array([r["arm"] for r in rows])
    y = np.array([float(r["outcome"]) for r in rows])
    x = np.array([float(r["pre"]) for r in rows])
    t, c = arm == "treatment", arm == "control"
    n_t, n_c = int(t.sum()), int(c.sum())
    raw = welch(y[t], y[c])
    theta = np.cov(y, x, ddof=1)[0, 1] / x.var(ddof=1)
    adj = y - theta * (x - x.mean())
    cuped = welch(adj[t], adj[c])
    cuped = {"theta": theta, **cuped, "variance_reduction": 1 - cuped["standard_error"] ** 2 / raw["standard_error"] ** 2}
    n = len(rows)
    srm = lambda share: float(stats.chisquare([n_c, n_t], [share * n, (1 - share) * n]).pvalue)  # noqa: E731

    # design on the same columns: outcome as the baseline stand-in, pre as covariate
    n_c_plan = int(math.floor(SHARE * n + 0.5))
    n_t_plan = n - n_c_plan
    sigma = y.std(ddof=1)
    rho2 = np.corrcoef(y, x)[0, 1] ** 2
    planned = sigma * math.sqrt(1 / n_t_plan + 1 / n_c_plan)
    mult = stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(0.8)
    design = {"control_share": SHARE, "n": n, "n_treatment": n_t_plan, "n_control": n_c_plan, "baseline_mean": y.mean(), "standard_deviation": sigma,
              "mde": mult * planned, "cuped_mde": mult * planned * math.sqrt(1 - rho2), "expected_variance_reduction": rho2,
              "planned_standard_error": planned, "planned_standard_error_cuped": planned * math.sqrt(1 - rho2)}

    # always-valid look, tuned at a planned horizon SE of 80 % of today's (an earlier look)
    planned_se = round(0.8 * cuped["standard_error"], 6)
    lam = (-2 * math.log(ALPHA) + math.log(-2 * math.log(ALPHA) + 1)) * (planned_se / cuped["standard_error"]) ** 2

    def cs(est, se):
        half = se * math.sqrt((1 + 1 / lam) * (2 * math.log(1 / ALPHA) + math.log(1 + lam)))
        z = est / se
        return est - half, est + half, min(1.0, math.sqrt(1 + lam) * math.exp(-z * z * lam / (2 * (1 + lam))))

    lo, hi, p = cs(cuped["lift_per_customer"], cuped["standard_error"])
    ulo, uhi, up = cs(raw["lift_per_customer"], raw["standard_error"])
    sequential = {"planned_standard_error": planned_se, "lambda": lam, "lift_per_customer": cuped["lift_per_customer"], "ci_low": lo, "ci_high": hi, "p_value": p,
                  "unadjusted_ci_low": ulo, "unadjusted_ci_high": uhi, "unadjusted_p_value": up}

    # the confidence sequence's formulas at looks with real evidence (the fixture's own look has p = 1)
    lam_star = -2 * math.log(ALPHA) + math.log(-2 * math.log(ALPHA) + 1)
    cases = []
    for est, se, planned in [(12.0, 4.0, 4.0), (-30.0, 8.0, 5.0), (3.0, 1.0, 2.0), (0.5, 0.1, 0.05), (100.0, 60.0, 20.0)]:
        lam_c = lam_star * (planned / se) ** 2
        half = se * math.sqrt((1 + 1 / lam_c) * (2 * math.log(1 / ALPHA) + math.log(1 + lam_c)))
        z = est / se
        cases.append({"estimate": est, "standard_error": se, "planned_standard_error": planned, "lambda": lam_c, "half_width": half,
                      "p_value": min(1.0, math.sqrt(1 + lam_c) * math.exp(-z * z * lam_c / (2 * (1 + lam_c))))})

    bt, bc = x[t], x[c]
    balance = {"mean_treatment": bt.mean(), "mean_control": bc.mean(),
               "standardized_difference": (bt.mean() - bc.mean()) / math.sqrt((bt.var(ddof=1) + bc.var(ddof=1)) / 2),
               "p_value": float(stats.ttest_ind(bt, bc, equal_var=False).pvalue)}
    hashes = [{"customer_id": cid, "salt": salt, "value": arm_hash(cid, salt)}
              for cid, salt in [("12345", "salt-1"), ("17850", "exp-7f3a"), ("gid://shopify/Customer/9", "exp-7f3a"), ("ÿ€😀", "s"), ("", "x"), ("abc", "abcd")]]
    out = {"alpha": ALPHA, "planned_control_share": SHARE, "n_treatment": n_t, "n_control": n_c, "mean_treatment": y[t].mean(), "mean_control": y[c].mean(),
           "difference_in_means": raw, "cuped": cuped,
           "incremental_total": cuped["lift_per_customer"] * n_t, "incremental_ci_low": cuped["ci_low"] * n_t, "incremental_ci_high": cuped["ci_high"] * n_t,
           "srm_p_value": srm(SHARE), "srm_p_value_at_half": srm(0.5), "sequential": sequential, "sequential_cases": cases, "design": design, "balance": balance, "arm_hash": hashes}
    out = json.loads(json.dumps(out, default=float))
    with open(f"{out_dir}/experiment_expected.json", "w") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    build_fixture(sys.argv[1], sys.argv[2])
    expected(sys.argv[2])
