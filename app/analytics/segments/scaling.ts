import type { Matrix } from "../util/matrix";
import { quantileSorted } from "../util/stats";

/**
 * Feature scaling for clustering, fitted once and stored in the model so that new customers
 * are scaled exactly like the ones the model was fitted on.
 *
 * 1. transform: `signedLog1p` (default) maps v → sign(v)·log1p(|v|) per column: it compresses
 *    the heavy tails of frequency and spend, and keeps net refunds (negative monetary) on the
 *    negative side instead of failing like log1p(v) for v ≤ −1. `none` keeps raw values.
 * 2. method: `zscore` (default) subtracts the mean and divides by the population standard
 *    deviation (÷ n, like scikit-learn's StandardScaler); `robust` subtracts the median and
 *    divides by the interquartile range (linear-interpolated quantiles, like numpy's default).
 *    A zero spread (constant column) divides by 1 instead, so the column becomes all zeros.
 */
export type ScalingTransform = "signedLog1p" | "none";
export type ScalingMethod = "zscore" | "robust";

export interface ScalerModel {
  readonly kind: "scaler";
  readonly transform: ScalingTransform;
  readonly method: ScalingMethod;
  readonly center: readonly number[];
  readonly scale: readonly number[];
}

export interface ScalerOptions {
  readonly transform?: ScalingTransform;
  readonly method?: ScalingMethod;
}

export function signedLog1pValue(v: number): number {
  return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

export function inverseSignedLog1pValue(y: number): number {
  return y < 0 ? -Math.expm1(-y) : Math.expm1(y);
}

function transformed(x: Matrix, t: ScalingTransform): Float64Array {
  if (t === "none") return Float64Array.from(x.data);
  const out = new Float64Array(x.data.length);
  for (let k = 0; k < out.length; k++) out[k] = signedLog1pValue(x.data[k]!);
  return out;
}

export function fitScaler(x: Matrix, options: ScalerOptions = {}): ScalerModel {
  const transform = options.transform ?? "signedLog1p";
  const method = options.method ?? "zscore";
  if (transform !== "signedLog1p" && transform !== "none") throw new RangeError(`scaling transform must be signedLog1p or none, got ${String(transform)}`);
  if (method !== "zscore" && method !== "robust") throw new RangeError(`scaling method must be zscore or robust, got ${String(method)}`);
  if (x.rows < 1) throw new RangeError("fitScaler: need at least one row");
  const { rows: n, cols: d } = x;
  const t = transformed(x, transform);
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < d; j++) {
    if (method === "zscore") {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += t[i * d + j]!;
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const dv = t[i * d + j]! - mean;
        ss += dv * dv;
      }
      const std = Math.sqrt(ss / n);
      center.push(mean);
      scale.push(std > 0 ? std : 1);
    } else {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = t[i * d + j]!;
      col.sort();
      const iqr = quantileSorted(col, 0.75) - quantileSorted(col, 0.25);
      center.push(quantileSorted(col, 0.5));
      scale.push(iqr > 0 ? iqr : 1);
    }
  }
  return { kind: "scaler", transform, method, center, scale };
}

/** Scales `x` with a fitted scaler into a new Matrix. */
export function applyScaler(model: ScalerModel, x: Matrix): Matrix {
  const d = model.center.length;
  if (x.cols !== d) throw new RangeError(`applyScaler: scaler has ${d} columns, matrix has ${x.cols}`);
  const t = transformed(x, model.transform);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < d; j++) t[i * d + j] = (t[i * d + j]! - model.center[j]!) / model.scale[j]!;
  }
  return { data: t, rows: x.rows, cols: d };
}

/** One scaled point back to original units (exact inverse up to floating point). */
export function invertScaledRow(model: ScalerModel, row: readonly number[]): number[] {
  return row.map((v, j) => {
    const y = v * model.scale[j]! + model.center[j]!;
    return model.transform === "signedLog1p" ? inverseSignedLog1pValue(y) : y;
  });
}

/** One original-units point to scaled space. */
export function scaleRow(model: ScalerModel, row: readonly number[]): number[] {
  return row.map((v, j) => {
    const y = model.transform === "signedLog1p" ? signedLog1pValue(v) : v;
    return (y - model.center[j]!) / model.scale[j]!;
  });
}

/** The scaler of the first `dims` columns (hybrid clusters on recency and frequency only). */
export function scalerPart(model: ScalerModel, dims: number): ScalerModel {
  return { ...model, center: model.center.slice(0, dims), scale: model.scale.slice(0, dims) };
}

/** A point scaled by `from` (e.g. a previous run's centroid), in the space of `to`. */
export function rescaleRow(from: ScalerModel, to: ScalerModel, row: readonly number[]): number[] {
  return scaleRow(to, invertScaledRow(from, row));
}

/** Validates a parsed JSON scaler (e.g. from storage). */
export function parseScaler(value: unknown): ScalerModel {
  const v = value as Partial<ScalerModel> | null;
  if (v === null || typeof v !== "object" || v.kind !== "scaler") throw new TypeError("not a scaler model (kind !== 'scaler')");
  if (v.transform !== "signedLog1p" && v.transform !== "none") throw new TypeError("scaler: bad transform");
  if (v.method !== "zscore" && v.method !== "robust") throw new TypeError("scaler: bad method");
  const nums = (a: unknown): a is number[] => Array.isArray(a) && a.every((n) => typeof n === "number" && Number.isFinite(n));
  if (!nums(v.center) || !nums(v.scale) || v.center.length !== v.scale.length) throw new TypeError("scaler: center/scale must be equal-length number arrays");
  if (v.scale.some((s) => s <= 0)) throw new TypeError("scaler: scale must be positive");
  return { kind: "scaler", transform: v.transform, method: v.method, center: [...v.center], scale: [...v.scale] };
}
