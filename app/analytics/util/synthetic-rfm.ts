import type { Matrix } from "./matrix";
import { createRng, randomNormal } from "./random";
import { signedLog1p, zScoreColumns } from "./scaling";

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
