"""Golden values for app/analytics/anomaly/isolation-forest.ts (scikit-learn's IsolationForest).

    /usr/bin/python3 scripts/reference/isolation_forest.py test/fixtures/reference/isolation-forest.json

Writes one JSON file:
- "fixture": 2,000 rows × 4 columns (two correlated Gaussian clusters, a heavy-tailed column, an
  integer-valued column) with 8 planted outliers at known rows (each far out in two or more columns), and scikit-learn's scores for every
  row: IsolationForest(n_estimators=100, max_samples=256, random_state=0), score = -score_samples
  (= 2^(-E[h]/c(psi)), higher = more anomalous), plus the same with random_state=1 so the test can
  show how far two seeds of the same algorithm agree.
- "hand": a 1-D case whose trees do not depend on the draws (rows 0, 0, 0, 10 with psi = 4: every
  tree splits 10 from the zeros at the root), with scikit-learn's scores for 0, 10 and 20.
"""
import json
import sys

import numpy as np
from sklearn.ensemble import IsolationForest

SEED = 20261201


def fixture():
    rng = np.random.default_rng(SEED)
    n = 2000
    a = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], size=n // 2)
    b = rng.multivariate_normal([4, 1], [[0.5, -0.2], [-0.2, 0.5]], size=n - n // 2)
    xy = np.vstack([a, b])
    heavy = rng.lognormal(mean=0.0, sigma=0.6, size=n)
    count = rng.poisson(3, size=n).astype(float)
    x = np.column_stack([xy, heavy, count])
    rng.shuffle(x)
    outliers = sorted(rng.choice(n, size=8, replace=False).tolist())
    # Far out in two or more columns: a point extreme in one column only sits among the
    # column's tail and is not reliably isolated early by either implementation.
    planted = [
        [12, -9, 12.0, 3],
        [-10, 10, 1.0, 20],
        [2, 8, 40.0, 3],
        [10, 0.5, 1.0, 30],
        [9, 9, 15.0, 0],
        [-8, -8, 0.01, 25],
        [15, -6, 10.0, 3],
        [0, -12, 20.0, 12],
    ]
    for row, values in zip(outliers, planted):
        x[row] = values
    x = np.round(x, 6)
    scores = {}
    for seed in (0, 1):
        forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed).fit(x)
        scores[str(seed)] = [float(v) for v in -forest.score_samples(x)]
    return {"data": x.tolist(), "outliers": outliers, "scores": scores}


def hand():
    x = np.array([[0.0], [0.0], [0.0], [10.0]])
    forest = IsolationForest(n_estimators=10, max_samples=4, random_state=0).fit(x)
    probe = np.array([[0.0], [10.0], [20.0]])
    return {"data": x[:, 0].tolist(), "probe": probe[:, 0].tolist(), "scores": [float(v) for v in -forest.score_samples(probe)]}


def main():
    import sklearn

    out = {"sklearn": sklearn.__version__, "seed": SEED, "fixture": fixture(), "hand": hand()}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    s0, s1 = (np.array(out["fixture"]["scores"][k]) for k in ("0", "1"))
    from scipy.stats import spearmanr

    print("spearman seed 0 vs 1:", spearmanr(s0, s1).correlation)
    top = np.argsort(-s0)[:8]
    print("top 8 rows (seed 0):", sorted(top.tolist()), "planted:", out["fixture"]["outliers"])
    print("hand:", out["hand"]["scores"])


if __name__ == "__main__":
    main()
