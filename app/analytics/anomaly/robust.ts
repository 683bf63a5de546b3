// Robust yardsticks (docs/anomalies.md "Robust scores"): a median and a scale from the median
// absolute deviation, so one extreme value cannot hide itself by inflating a mean or a standard
// deviation. The floor keeps a group whose values are all the same (MAD 0) from dividing by zero
// and from calling the smallest difference extreme.
import { medianOf } from "../util/stats";

/** MAD × 1.4826 estimates the standard deviation of normal data. */
export const MAD_TO_SIGMA = 1.4826;

export interface RobustYardstick {
  readonly median: number;
  /** max(MAD × 1.4826, floor). */
  readonly scale: number;
}

/** Median and floored MAD scale of `values` (median 0 when empty: nothing to compare with). */
export function robustYardstick(values: ArrayLike<number>, floor: number): RobustYardstick {
  if (values.length === 0) return { median: 0, scale: floor };
  const median = medianOf(values);
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i]! - median);
  return { median, scale: Math.max(medianOf(deviations) * MAD_TO_SIGMA, floor) };
}

/** Robust z above the median (0 at or below it): every feature is oriented so larger = more anomalous. */
export function upperZ(value: number, yardstick: RobustYardstick): number {
  const z = (value - yardstick.median) / yardstick.scale;
  return z > 0 ? z : 0;
}

/** Robust z on either side of the median (a price far below or far above usual). */
export function absoluteZ(value: number, yardstick: RobustYardstick): number {
  return Math.abs(value - yardstick.median) / yardstick.scale;
}

/**
 * A robust z mapped monotonically onto [0, 1): z / (z + half), so z = `half` maps to 0.5 and the
 * order of z is kept however far out it is (the forest's own score saturates).
 */
export function zToUnit(z: number, half: number): number {
  return z > 0 ? z / (z + half) : 0;
}

