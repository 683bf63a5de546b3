#!/usr/bin/python3
"""Datasets for the clustering golden tests (imported by cluster_reference.py).

Every dataset is a float64 matrix; the fixture stores it verbatim, so the TypeScript tests feed
exactly the matrix scikit-learn saw (JSON floats round-trip exactly: Python repr -> JS parse).
"""
import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs, make_moons

AS_OF = "2011-12-10"


def signed_log1p(x):
    return np.sign(x) * np.log1p(np.abs(x))


def zscore(x):
    # population std (ddof=0), like StandardScaler; constant columns -> 0
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd == 0] = 1.0
    return (x - mu) / sd


def online_retail_rfm(path):
    """Scaled RFM of UCI Online Retail, one row per customer (sorted by CustomerID).

    recency   = days from the last non-cancelled invoice's calendar date to 2011-12-10;
    frequency = distinct invoices not starting with "C";
    monetary  = sum(Quantity * UnitPrice) over all the customer's rows (cancellations included);
    customers without any non-cancelled invoice have no recency and are dropped.
    Features: sign(x)*log1p(|x|), then z-score with the population std.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False,
                     usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"])
    df = df[df["CustomerID"] != ""].copy()
    df["amount"] = df["Quantity"].astype(float) * df["UnitPrice"].astype(float)
    df["day"] = pd.to_datetime(df["InvoiceDate"].str.slice(0, 10), format="%Y-%m-%d")
    monetary = df.groupby("CustomerID")["amount"].sum()
    ok = df[~df["InvoiceNo"].str.startswith("C")]
    g = ok.groupby("CustomerID")
    frequency = g["InvoiceNo"].nunique()
    recency = (pd.Timestamp(AS_OF) - g["day"].max()).dt.days
    rfm = pd.DataFrame({"recency": recency, "frequency": frequency}).join(monetary.rename("monetary"), how="inner")
    rfm = rfm.sort_index()
    raw = rfm[["recency", "frequency", "monetary"]].to_numpy(dtype=np.float64)
    return zscore(signed_log1p(raw)), raw


def synthetic_rfm(n, seed):
    """RFM-like: 58 % one-time buyers, 0.2 % whales, log-normal spend, 1 % net refunds."""
    rng = np.random.default_rng(seed)
    u = rng.random(n)
    whale = u < 0.002
    once = (u >= 0.002) & (u < 0.582)
    rep = u >= 0.582
    order_value = np.exp(3.6 + 0.9 * rng.standard_normal(n))
    freq = np.ones(n)
    rec = np.floor(rng.random(n) * 730)
    freq[rep] = 2 + np.floor(rng.exponential(3.5, rep.sum()))
    rec[rep] = np.floor(rng.random(rep.sum()) ** 1.8 * 600)
    freq[whale] = 40 + np.floor(rng.exponential(120, whale.sum()))
    rec[whale] = np.floor(rng.random(whale.sum()) * 30)
    order_value[whale] *= 8 + 20 * rng.random(whale.sum())
    mon = np.round(order_value * freq * (0.8 + 0.4 * rng.random(n)) * 100) / 100
    refund = rng.random(n) < 0.01
    mon[refund] = -np.round(rng.random(refund.sum()) * order_value[refund] * 100) / 100
    assert once.sum() > 0
    return zscore(signed_log1p(np.column_stack([rec, freq, mon])))


def lattice():
    """Integer 10x10 grid plus 5 duplicated points: distances exactly equal to eps (ties at the boundary)."""
    pts = [[float(i), float(j)] for i in range(10) for j in range(10)]
    pts += [[0.0, 0.0], [3.0, 4.0], [3.0, 4.0], [9.0, 9.0], [20.0, 20.0]]
    return np.array(pts)


def datasets(online_retail_path):
    d = {}
    x, _ = make_blobs(n_samples=600, centers=4, n_features=2, cluster_std=[1.0, 2.5, 0.5, 1.5], random_state=3)
    d["blobs2d"] = x
    x, _ = make_blobs(n_samples=1500, centers=6, n_features=3, random_state=11)
    d["blobs3d_aniso"] = x @ np.array([[0.6, -0.6, 0.2], [-0.4, 0.8, 0.1], [0.1, 0.3, 1.5]])
    x, _ = make_moons(n_samples=500, noise=0.08, random_state=5)
    noise = np.random.default_rng(5).uniform(-1.5, 2.5, size=(30, 2))
    d["moons_noise"] = np.vstack([x, noise])
    x, _ = make_blobs(n_samples=800, centers=3, n_features=5, cluster_std=1.2, random_state=8)
    d["blobs5d"] = x
    d["lattice"] = lattice()
    d["synthetic_rfm"] = synthetic_rfm(3000, 2026)
    d["online_retail_rfm"], _ = online_retail_rfm(online_retail_path)
    return d
