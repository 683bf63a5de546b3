#!/usr/bin/env python3
"""scikit-learn's IsolationForest on Segmint's order feature matrix, for `npm run eval:anomalies`.

    /usr/bin/python3 scripts/reference/eval_isolation_forest.py <matrix.f64> <rows> <columns> <seed> <scores.f64>

Reads a row-major float64 matrix (little-endian, as Node's Float64Array writes it), fits
IsolationForest(n_estimators=100, max_samples=256, random_state=seed) on it, and writes each
row's anomaly score 0.5 … 1 (−score_samples: higher = more anomalous, the paper's s(x, ψ)) as
float64 in row order. Prints the fit + score time in seconds.
"""
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest


def main() -> None:
    path, rows, columns, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    x = np.fromfile(path, dtype="<f8").reshape(rows, columns)
    start = time.perf_counter()
    forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed).fit(x)
    scores = -forest.score_samples(x)
    elapsed = time.perf_counter() - start
    scores.astype("<f8").tofile(out)
    print(f"{elapsed:.3f}")


if __name__ == "__main__":
    main()
