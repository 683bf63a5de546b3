#!/usr/bin/python3
"""Independent pandas computation of RFM on a transactions CSV (golden values for the TS core).

Usage (Debian's pandas, not the pyenv python):
  /usr/bin/python3 scripts/reference/rfm_online_retail.py \
      ../shared/data/online_retail.csv.gz 2011-12-10 test/fixtures/reference/rfm_online_retail

Writes <prefix>.csv.gz (one row per customer) and <prefix>_edges.json (quintile score ranges).
Definitions (same as docs/analytics.md, written independently of the TypeScript code):
- money in integer minor units of 1/1000 (Online Retail has prices like 0.001);
- day = calendar date as written (first 10 characters of InvoiceDate); rows after as_of dropped;
- rows without CustomerID dropped;
- return = Quantity < 0 or InvoiceNo starting with "C"; everything else is a purchase;
- recency = as_of - last purchase day; frequency = distinct invoices with >= 1 purchase line;
  monetary = sum(Quantity * UnitPrice) over all lines (net of returns);
- customers with only returns are kept: frequency 0, recency/tenure empty, no scores;
- scores: among customers with frequency >= 1, r = rank(method="average"),
  score = 1 + floor(5 * (r - 0.5) / n); recency ranked on -recency (recent = 5);
- tenure = as_of - first purchase day; mean_gap = (last - first) / (frequency - 1);
- value_decay = sum(amount * 2 ** (-(as_of - day) / 90)).
"""
import json
import sys

import numpy as np
import pandas as pd

src, as_of_text, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
half_life = 90.0

cols = {"InvoiceNo": "order", "Quantity": "qty", "InvoiceDate": "date", "UnitPrice": "price", "CustomerID": "customer"}
df = pd.read_csv(src, dtype=str, keep_default_na=False, usecols=list(cols))
df = df.rename(columns=cols)
df = df[df["customer"] != ""].copy()
df["qty"] = df["qty"].astype(np.int64)
# exact: every price has at most 3 decimals, so round(price * 1000) is the exact integer
df["price_minor"] = np.round(df["price"].astype(float) * 1000).astype(np.int64)
df["amount"] = df["qty"] * df["price_minor"]
df["day"] = pd.to_datetime(df["date"].str.slice(0, 10), format="%Y-%m-%d")
as_of = pd.Timestamp(as_of_text)
df = df[df["day"] <= as_of]
df["is_return"] = (df["qty"] < 0) | df["order"].str.startswith("C")
df["age"] = (as_of - df["day"]).dt.days

g = df.groupby("customer")
out = pd.DataFrame({"monetary_minor": g["amount"].sum()})
out["value_decay_minor"] = (df["amount"] * np.power(2.0, -df["age"] / half_life)).groupby(df["customer"]).sum()
p = df[~df["is_return"]].groupby("customer")
out["frequency"] = p["order"].nunique()
out["recency_days"] = (as_of - p["day"].max()).dt.days
out["tenure_days"] = (as_of - p["day"].min()).dt.days
span = (p["day"].max() - p["day"].min()).dt.days
out["frequency"] = out["frequency"].fillna(0).astype(np.int64)
out["mean_gap_days"] = np.where(out["frequency"] >= 2, span.reindex(out.index) / (out["frequency"] - 1), np.nan)

scored = out[out["frequency"] > 0]
n = len(scored)


def score(series):
    r = series.rank(method="average")
    return (1 + np.floor(5 * (r - 0.5) / n)).clip(upper=5).astype(np.int64)


scores = pd.DataFrame({"r": score(-scored["recency_days"]), "f": score(scored["frequency"]), "m": score(scored["monetary_minor"])})
out = out.join(scores)
for c in ["r", "f", "m"]:
    out[c] = out[c].fillna(0).astype(np.int64)

edges = {}
for name, col, score_col in [("recency", "recency_days", "r"), ("frequency", "frequency", "f"), ("monetary", "monetary_minor", "m")]:
    s = out[out["frequency"] > 0]
    ranges = []
    for k in range(1, 6):
        v = s.loc[s[score_col] == k, col]
        ranges.append(None if v.empty else [int(v.min()), int(v.max())])
    edges[name] = ranges

out = out.reset_index().rename(columns={"customer": "customer_id"})
out = out[["customer_id", "recency_days", "frequency", "monetary_minor", "r", "f", "m", "tenure_days", "mean_gap_days", "value_decay_minor"]]
out["recency_days"] = out["recency_days"].astype("Int64")
out["tenure_days"] = out["tenure_days"].astype("Int64")
out.to_csv(prefix + ".csv.gz", index=False, float_format="%.6f", compression={"method": "gzip", "mtime": 0})
with open(prefix + "_edges.json", "w") as fh:
    json.dump({"source": "scripts/reference/rfm_online_retail.py", "pandas": pd.__version__, "as_of": as_of_text,
               "customers": int(len(out)), "scored": int(n), "ranges": edges,
               "total_monetary_minor": int(out["monetary_minor"].sum())}, fh, indent=1)
    fh.write("\n")
print(f"{len(out)} customers ({n} scored) -> {prefix}.csv.gz")
