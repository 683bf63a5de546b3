import type { Matrix } from "./matrix";

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
