"""EASE and the baselines on the queries `npm run eval:recs` drew (scripts/eval-recs.ts).

Independent of app/analytics/recommend/: written from the definitions (Steck 2019, "Embarrassingly
Shallow Autoencoders for Sparse Data"; docs/recommendations.md), dense numpy on every training
product. Node writes the training baskets and the completion queries to a JSON file; this script
answers hit@5, hit@10 and MRR@10 for

  ease-<λ>          EASE, B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, for each λ given
  ease-tuned        the λ with the best hit@10 (tuned on the test queries: a bar that favours EASE)
  ease-tuned+history  the same plus w·log1p(times the customer bought j in training), the history
                    term Segmint's personalised row uses, so that row has a like-for-like rival
  popularity        products by training baskets holding them
  cooccurrence      score(j) = Σ_{i∈basket} |baskets holding i and j|
  item-knn          score(j) = Σ_{i∈basket} cos(i, j) = count(i, j) / √(count(i)·count(j))

Ranking, for every method alike (Segmint's rule, docs/recommendations.md §scoring): the basket's
products are never listed; products with a positive score come first, best first (ties by product
id); the rest of the list is filled from popularity (most baskets first, ties by product id), so an
unknown or empty basket gets the popular products.
A hidden product the training never saw is a miss.

    /usr/bin/python3 scripts/reference/eval_recs.py <input.json>

Input JSON: {"train": [[product id, ...], ...], "trainCustomers": [customer id | null, ...],
"queries": [{"basket": [...], "hidden": "...", "customer": ... | null}, ...], "lambdas": [10, 20, 40, 100],
"historyWeight": 0.1}. Prints one JSON line: {"numpy": version, "products": n, "methods": {name:
{"hit5", "hit10", "mrr10", "lambda"?, "seconds"}}, "tunedLambda": λ}.
"""
import json
import sys
import time

import numpy as np

K = 10


def main() -> None:
    with open(sys.argv[1], encoding="utf8") as f:
        spec = json.load(f)
    train = spec["train"]
    customers = spec["trainCustomers"]
    queries = spec["queries"]
    lambdas = spec["lambdas"]
    history_weight = float(spec["historyWeight"])

    items = sorted({p for basket in train for p in basket})
    index = {p: i for i, p in enumerate(items)}
    n = len(items)
    rows = np.fromiter((b for b, basket in enumerate(train) for _ in basket), dtype=np.int64)
    cols = np.fromiter((index[p] for basket in train for p in basket), dtype=np.int64)
    X = np.zeros((len(train), n), dtype=np.float64)
    X[rows, cols] = 1.0
    G = X.T @ X  # item × item co-occurrence counts; the diagonal = baskets holding each product
    del X
    counts = np.diag(G).copy()
    # Popularity: most baskets first, ties by product id (items are sorted by id).
    popular = np.lexsort((np.arange(n), -counts))

    history: dict[str, dict[int, int]] = {}
    for basket, customer in zip(train, customers):
        if customer is None:
            continue
        h = history.setdefault(customer, {})
        for p in basket:
            h[index[p]] = h.get(index[p], 0) + 1

    q_items = [[index[p] for p in q["basket"] if p in index] for q in queries]
    hidden = np.array([index.get(q["hidden"], -1) for q in queries])

    def evaluate(score_rows) -> dict:
        """score_rows(start, stop) → dense scores of queries[start:stop]; returns the metrics."""
        hit5 = hit10 = 0
        rr = 0.0
        for start in range(0, len(queries), 512):
            stop = min(len(queries), start + 512)
            S = score_rows(start, stop)
            for r in range(stop - start):
                qi = start + r
                listed = ranked(S[r], q_items[qi])
                h = hidden[qi]
                if h < 0:
                    continue
                where = np.nonzero(listed == h)[0]
                if where.size:
                    rank = int(where[0])
                    hit10 += 1
                    hit5 += rank < 5
                    rr += 1.0 / (rank + 1)
        m = len(queries)
        return {"hit5": hit5 / m, "hit10": hit10 / m, "mrr10": rr / m}

    def ranked(s: np.ndarray, basket: list) -> np.ndarray:
        s = s.copy()
        s[basket] = 0.0
        scored = np.nonzero(s > 0)[0]
        if scored.size > K:
            scored = scored[np.argpartition(-s[scored], K)[:K]]
        scored = scored[np.lexsort((scored, -s[scored]))]
        if scored.size >= K:
            return scored[:K]
        taken = set(scored.tolist()) | set(basket)
        fill = [j for j in popular[: K + len(taken)] if j not in taken][: K - scored.size]
        return np.concatenate([scored, np.array(fill, dtype=np.int64)])

    def basket_matrix(start: int, stop: int) -> np.ndarray:
        Q = np.zeros((stop - start, n))
        for r in range(stop - start):
            Q[r, q_items[start + r]] = 1.0
        return Q

    def with_history(start: int, stop: int, S: np.ndarray) -> np.ndarray:
        for r in range(stop - start):
            h = history.get(queries[start + r].get("customer"))
            if h:
                idx = np.fromiter(h.keys(), dtype=np.int64)
                S[r, idx] += history_weight * np.log1p(np.fromiter(h.values(), dtype=np.float64))
        return S

    methods: dict[str, dict] = {}

    def timed(name: str, fn, **extra) -> dict:
        t = time.perf_counter()
        result = {**fn(), **extra, "seconds": 0.0}
        result["seconds"] = round(time.perf_counter() - t, 3)
        methods[name] = result
        return result

    timed("popularity", lambda: evaluate(lambda a, b: np.zeros((b - a, n))))
    timed("cooccurrence", lambda: evaluate(lambda a, b: basket_matrix(a, b) @ G))
    norms = np.sqrt(np.maximum(counts, 1.0))
    C = G / norms[:, None] / norms[None, :]
    np.fill_diagonal(C, 0.0)
    timed("item-knn", lambda: evaluate(lambda a, b: basket_matrix(a, b) @ C))
    del C

    best = None
    for lam in lambdas:
        t = time.perf_counter()
        P = np.linalg.inv(G + lam * np.eye(n))
        B = -P / np.diag(P)
        np.fill_diagonal(B, 0.0)
        del P
        solve = time.perf_counter() - t
        r = timed(f"ease-{lam:g}", lambda: evaluate(lambda a, b: basket_matrix(a, b) @ B), **{"lambda": lam})
        r["solveSeconds"] = round(solve, 3)
        if best is None or r["hit10"] > best[1]["hit10"]:
            best = (B, r)
        else:
            del B
    B, r = best
    methods["ease-tuned"] = dict(r)
    timed("ease-tuned+history", lambda: evaluate(lambda a, b: with_history(a, b, basket_matrix(a, b) @ B)), **{"lambda": r["lambda"]})

    print(json.dumps({"numpy": np.__version__, "products": n, "trainBaskets": len(train), "queries": len(queries), "tunedLambda": r["lambda"], "methods": methods}))


if __name__ == "__main__":
    main()
