/**
 * The distributions the experiment statistics need, to about 1e-13 relative accuracy: the
 * standard normal (CDF, upper tail, quantile), Student's t (two-sided p, critical value) and the
 * χ² with one degree of freedom. Written from the textbook series and continued fractions
 * (Abramowitz & Stegun 7.1.6 and 7.1.14; Numerical Recipes §6.4 for the incomplete beta) so the
 * core needs no statistics package; checked against scipy in test/analytics/experiments.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const TINY = 1e-300;
const EPS = 1e-16;

/** erfc(x) for x ≥ 0: the all-positive series of erf below 2 (no cancellation inside it), Lentz's continued fraction above. */
function erfcNonNegative(x: number): number {
  if (x < 2) {
    // erf(x) = 2/√π · e^{−x²} · Σ (2x²)ⁿ x / (1·3·…·(2n+1))
    const twoX2 = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > EPS * sum; n++) {
      term *= twoX2 / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = TINY;
    c = x + a / c;
    if (c === 0) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

export function erfc(x: number): number {
  return x >= 0 ? erfcNonNegative(x) : 2 - erfcNonNegative(-x);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** P(Z > z), accurate far into the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

// Acklam's rational approximation (relative error 1.15e-9), refined below by Halley steps.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010340507, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function acklamLowerHalf(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** The z with P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklamLowerHalf(p);
  for (let i = 0; i < 2; i++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

// Lanczos approximation (g = 7, 9 terms), relative error about 1e-15.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b); `y` = 1 − x, passed separately so neither side loses digits. */
function regularizedBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
}

/** P(T > t) for Student's t with `df` degrees of freedom (df may be fractional: Welch). */
export function studentTSf(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalSf(t);
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2)
  const twoSided = regularizedBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** P(|T| ≥ |t|): the two-sided p-value of a t statistic. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(df)) return erfc(Math.abs(t) / Math.SQRT2);
  const t2 = t * t;
  return regularizedBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

function studentTPdf(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The t with P(T > t) = upper, for 0 < upper < 0.5 (the critical value of a two-sided interval
 * is studentTUpperQuantile(α/2, df)). Newton from the normal quantile: t's tails are heavier, so
 * the start lies left of the root and the convex upper tail makes the steps increase monotonically.
 */
export function studentTUpperQuantile(upper: number, df: number): number {
  const z = -normalQuantile(upper);
  if (!Number.isFinite(df)) return z;
  let t = z;
  for (let i = 0; i < 200; i++) {
    const step = (studentTSf(t, df) - upper) / studentTPdf(t, df);
    t += step;
    if (Math.abs(step) <= 1e-15 * Math.abs(t)) break;
  }
  return t;
}

/** P(χ²₁ > x): the upper tail of the chi-square with one degree of freedom. */
export function chiSquare1Sf(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}
