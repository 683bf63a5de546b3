"""Golden values for app/analytics/segments/insights.ts (run distributions and migration).

Written from the rules in docs/segments.md ("Run insights"), not from the TypeScript code:
- only customers with frequency >= 1 are binned (prospects are left out of every histogram);
- recency bins start at 0, 31, 91, 181, 366 days; frequency bins at 1, 2, 3, 5, 10 orders;
- monetary (currency units = milli / 1000) bins start at min(0, lowest spend), then the store's
  20/40/60/80 % quantiles (numpy's default linear interpolation) rounded to 2 significant
  digits, each kept only if above the previous start;
- the closing edge is floor(max(last start, largest value)) + 1; counts are np.histogram's;
- migration: (previous segment or None, this segment) pairs counted, largest first, ties by ids;
  gone = previous customers not in this run.

Usage (numpy >= 1.22; any python3 with numpy):
    python3 scripts/reference/run_insights.py test/fixtures/insights
reads run.csv and previous.csv there and writes expected.json next to them.
"""
import csv
import json
import math
import sys
from collections import Counter

import numpy as np


def round_significant(v, digits=2):
    if v == 0 or not math.isfinite(v):
        return v
    return float(f"{v:.{digits - 1}e}")


def close_edges(starts, largest):
    return [*starts, math.floor(max(starts[-1], largest)) + 1]


def histogram(values, segments, segment_ids, edges):
    store, _ = np.histogram(values, bins=edges)
    per_segment = {}
    for sid in segment_ids:
        mask = segments == sid
        counts, _ = np.histogram(values[mask], bins=edges)
        per_segment[sid] = [int(c) for c in counts]
    return {"edges": [float(e) for e in edges], "store": [int(c) for c in store], "segments": per_segment}


def main(folder):
    with open(f"{folder}/run.csv", newline="") as f:
        run = list(csv.DictReader(f))
    with open(f"{folder}/previous.csv", newline="") as f:
        previous = {r["customer_id"]: r["segment"] for r in csv.DictReader(f)}

    segment_ids = sorted({r["segment"] for r in run})
    buyers = [r for r in run if int(r["frequency"]) >= 1]
    recency = np.array([float(r["recency_days"]) for r in buyers])
    frequency = np.array([float(r["frequency"]) for r in buyers])
    spend = np.array([int(r["monetary_milli"]) / 1000 for r in buyers])
    segments = np.array([r["segment"] for r in buyers])

    monetary_starts = [min(0.0, float(spend.min()))]
    for q in (0.2, 0.4, 0.6, 0.8):
        cut = round_significant(float(np.quantile(spend, q)))
        if cut > monetary_starts[-1]:
            monetary_starts.append(cut)

    out = {
        "segmentIds": segment_ids,
        "excluded": len(run) - len(buyers),
        "recency": histogram(recency, segments, segment_ids, close_edges([0, 31, 91, 181, 366], recency.max())),
        "frequency": histogram(frequency, segments, segment_ids, close_edges([1, 2, 3, 5, 10], frequency.max())),
        "monetary": histogram(spend, segments, segment_ids, close_edges(monetary_starts, spend.max())),
    }

    pairs = Counter((previous.get(r["customer_id"]), r["segment"]) for r in run)
    rows = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0][0] or "", kv[0][1]))
    current = {r["customer_id"] for r in run}
    out["migration"] = {
        "rows": [{"from": k[0], "to": k[1], "customers": n} for k, n in rows],
        "gone": sum(1 for c in previous if c not in current),
    }
    with open(f"{folder}/expected.json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
