"""scikit-learn's IsolationForest on a feature matrix, timed: the reference side of bench/anomalies.bench.ts.

    /usr/bin/python3 scripts/reference/bench_isolation_forest.py <matrix.f64> <columns> [repeats] [seed]

<matrix.f64> is a little-endian float64 row-major matrix with <columns> columns (the bench writes
Segmint's order feature matrix there, so both sides see the same numbers). Each repeat fits
IsolationForest(n_estimators=100, max_samples=256, random_state=seed + repeat) and scores every
row with score_samples, timing fit and score separately (wall clock and process CPU time).
Prints one JSON line: times (fit + score, seconds), fit, score, cpu, peakMB (peak RSS of this
process, which includes the loaded matrix), sklearn (version).
"""
import json
import resource
import sys
import time

import numpy as np


def main():
    path, columns = sys.argv[1], int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    try:
        import sklearn
        from sklearn.ensemble import IsolationForest
    except ImportError as error:  # the bench reports the comparison as skipped
        print(json.dumps({"skipped": f"scikit-learn is not installed ({error})"}))
        return
    x = np.fromfile(path, dtype="<f8").reshape(-1, columns)
    times, fits, scores, cpu = [], [], [], []
    for repeat in range(repeats):
        wall, proc = time.perf_counter(), time.process_time()
        forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed + repeat).fit(x)
        fitted = time.perf_counter()
        forest.score_samples(x)
        done = time.perf_counter()
        fits.append(fitted - wall)
        scores.append(done - fitted)
        times.append(done - wall)
        cpu.append(time.process_time() - proc)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"times": times, "fit": fits, "score": scores, "cpu": cpu, "peakMB": peak, "rows": int(x.shape[0]), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
