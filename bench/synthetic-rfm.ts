import type { Matrix } from "../app/analytics/util/matrix";
import { createRng, randomNormal } from "../app/analytics/util/random";

// Seeded synthetic RFM matrices for the clustering benchmarks (and the tests that check them).
// Fixtures, not product code: they live beside the benches, outside the analytics core. The
// scaling here is the benches' own (sign-preserving log1p + population z-score, as published
// with the bench results); the product scales with app/analytics/segments/scaling.ts.

/**
 * Seeded synthetic RFM data resembling real shops, for benchmarks, demos and property tests:
 * 58 % one-time buyers, 0.2 % whales, log-normal order values (heavy-tailed spend) and about
 * 1 % of customers with net refunds (negative monetary). Columns: recency (days, integer),
 * frequency (orders, integer ≥ 1), monetary (currency, may be negative).
 */
export function syntheticRfm(n: number, seed: number): Matrix {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`syntheticRfm: n must be a non-negative integer`);
  const rng = createRng(seed);
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const u = rng();
    let recency: number;
    let frequency: number;
    let orderValue = Math.exp(3.6 + 0.9 * randomNormal(rng)); // median ≈ 37
    if (u < 0.002) {
      // whales: frequent, recent, big baskets
      frequency = 40 + Math.floor(-Math.log(1 - rng()) * 120);
      recency = Math.floor(rng() * 30);
      orderValue *= 8 + rng() * 20;
    } else if (u < 0.582) {
      frequency = 1;
      recency = Math.floor(rng() * 730);
    } else {
      // repeat buyers: geometric-ish frequency, more recent on average
      frequency = 2 + Math.floor(-Math.log(1 - rng()) * 3.5);
      recency = Math.floor(Math.pow(rng(), 1.8) * 600);
    }
    let monetary = Math.round(orderValue * frequency * (0.8 + 0.4 * rng()) * 100) / 100;
    if (rng() < 0.01) monetary = -Math.round(rng() * orderValue * 100) / 100; // net refunds
    out[i * 3] = recency;
    out[i * 3 + 1] = frequency;
    out[i * 3 + 2] = monetary;
  }
  return { data: out, rows: n, cols: 3 };
}

/** syntheticRfm → sign-preserving log1p → population z-score: the clustering input. */
export function syntheticRfmFeatures(n: number, seed: number): Matrix {
  return zScoreColumns(signedLog1p(syntheticRfm(n, seed))).scaled;
}

/** sign(v)·log1p(|v|) element-wise into a new Matrix: compresses heavy tails, keeps refunds negative. */
export function signedLog1p(x: Matrix): Matrix {
  const out = new Float64Array(x.data.length);
  for (let t = 0; t < out.length; t++) {
    const v = x.data[t] as number;
    out[t] = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
  }
  return { data: out, rows: x.rows, cols: x.cols };
}

/**
 * Column z-scores with the population standard deviation (divide by n, like scikit-learn's
 * StandardScaler). A constant column has std 0 and is mapped to 0 rather than NaN.
 */
export function zScoreColumns(x: Matrix): { scaled: Matrix; mean: number[]; std: number[] } {
  const { rows: n, cols: d, data } = x;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  // Two passes: the mean first, then squared deviations (stable enough for z-scoring).
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (data[i * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = n > 0 ? (mean[j] as number) / n : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const dv = (data[i * d + j] as number) - (mean[j] as number);
      m2[j] = (m2[j] as number) + dv * dv;
    }
  }
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) std[j] = n > 0 ? Math.sqrt((m2[j] as number) / n) : 0;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const s = std[j] as number;
      out[i * d + j] = s > 0 ? ((data[i * d + j] as number) - (mean[j] as number)) / s : 0;
    }
  }
  return { scaled: { data: out, rows: n, cols: d }, mean: Array.from(mean), std: Array.from(std) };
}
