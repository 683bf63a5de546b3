"""Golden values for app/analytics/recommend/ (EASE with numpy; docs/recommendations.md §method).

    /usr/bin/python3 scripts/reference/ease_reference.py test/fixtures/reference/recommend-ease.json

Written from the definitions, not from the TypeScript code. Writes one JSON file:
- "baskets": 60 small seeded baskets over 14 products (three groups bought together, some noise),
  as lists of product ids.
- "exact": λ, the product ids (any order: the test maps by id) and the full EASE matrix
  B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹ (diagonal 0), one row per product; "top" = each
  row's 4 largest |weight| entries, signed, ties by id; "queries": a few baskets with the
  scoring rule's list over the full B (score = Σ of the basket's rows, basket products out,
  positive scores only, best first, ties by id).
- "headTail": headMax 6 and neighbours 5: EASE on the 6 products in most baskets (ties by id),
  cosine n_ij / √(n_i·n_j) for every pair with a product beyond them, scaled by the least-squares
  s in B_ij ≈ s·cos_ij over the head's pairs (i ≠ j); each row's 5 largest |weight| entries.
"""
import json
import sys

import numpy as np

SEED = 20261201
LAMBDA = 2.0


def make_baskets():
    rng = np.random.default_rng(SEED)
    groups = [["p01", "p02", "p03", "p04"], ["p05", "p06", "p07"], ["p08", "p09", "p10", "p11"]]
    noise = ["p12", "p13", "p14"]
    baskets = []
    for _ in range(60):
        items = set()
        group = groups[rng.integers(len(groups))]
        items.update(g for g in group if rng.random() < 0.6)
        if rng.random() < 0.3:
            other = groups[rng.integers(len(groups))]
            items.add(other[rng.integers(len(other))])
        if rng.random() < 0.35:
            items.add(noise[rng.integers(len(noise))])
        if items:
            baskets.append(sorted(items))
    return baskets


def gram(baskets, ids):
    index = {p: i for i, p in enumerate(ids)}
    x = np.zeros((len(baskets), len(ids)))
    for b, items in enumerate(baskets):
        for p in items:
            x[b, index[p]] = 1.0
    return x.T @ x


def ease(g, lam):
    p = np.linalg.inv(g + lam * np.eye(len(g)))
    b = -p / np.diag(p)[None, :]
    np.fill_diagonal(b, 0.0)
    return b


def top(ids, row, k):
    order = sorted((j for j in range(len(ids)) if row[j] != 0), key=lambda j: (-abs(row[j]), ids[j]))
    return [{"id": ids[j], "score": float(row[j])} for j in order[:k]]


def scored(ids, b, basket, k):
    index = {p: i for i, p in enumerate(ids)}
    s = sum(b[index[p]] for p in basket)
    cands = [j for j in range(len(ids)) if ids[j] not in basket and s[j] > 0]
    cands.sort(key=lambda j: (-s[j], ids[j]))
    return [{"productId": ids[j], "score": float(s[j])} for j in cands[:k]]


def main(out):
    baskets = make_baskets()
    ids = sorted({p for b in baskets for p in b})
    g = gram(baskets, ids)
    b = ease(g, LAMBDA)
    queries = [["p01"], ["p01", "p02"], ["p05", "p12"], ["p08", "p09", "p10"], ["p14"]]
    exact = {
        "lambda": LAMBDA,
        "ids": ids,
        "B": b.tolist(),
        "top": {ids[i]: top(ids, b[i], 4) for i in range(len(ids))},
        "queries": [{"basket": q, "limit": 5, "list": scored(ids, b, q, 5)} for q in queries],
    }

    head_max, keep = 6, 5
    counts = np.diag(g)
    ranked = sorted(range(len(ids)), key=lambda i: (-counts[i], ids[i]))
    head = ranked[:head_max]
    is_head = np.zeros(len(ids), bool)
    is_head[head] = True
    bh = ease(g[np.ix_(head, head)], LAMBDA)
    cos = g / np.sqrt(np.outer(counts, counts))
    np.fill_diagonal(cos, 0.0)
    ch = cos[np.ix_(head, head)]
    scale = float((bh * ch).sum() / (ch * ch).sum())
    w = scale * cos
    w[np.ix_(head, head)] = bh
    head_tail = {
        "lambda": LAMBDA,
        "headMax": head_max,
        "neighbours": keep,
        "head": [ids[i] for i in head],
        "scale": scale,
        "rows": {ids[i]: top(ids, w[i], keep) for i in range(len(ids))},
    }
    with open(out, "w") as f:
        json.dump({"seed": SEED, "baskets": baskets, "exact": exact, "headTail": head_tail}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
