import type { Matrix } from "../util/matrix";
import { MILLI_PER_UNIT } from "../money";
import type { RfmFeatureTable } from "../rfm/features";

/** Column of each feature in the clustering matrix (`SEGMENT_FEATURES` order). */
export const RECENCY = 0;
export const FREQUENCY = 1;
export const MONETARY = 2;
/** Columns of the clustering matrix. */
export const FEATURE_COUNT = 3;

/** `position` of a customer who is not clustered (no purchase before as-of). */
export const NO_POSITION = -1;

/** The clustered customers (frequency ≥ 1) and their features, the input of every fit. */
export interface Prepared {
  /** Customer indices with frequency ≥ 1, in customer-id order (see `prepare`). */
  readonly clustered: Int32Array;
  /** Raw features of `clustered`: recency days, orders, monetary in units of currency. */
  readonly raw: Matrix;
  /** Position in `clustered` of each customer, `NO_POSITION` for customers without a purchase. */
  readonly position: Int32Array;
}

/**
 * Clustered customers in customer-id order (code units), not table order: seeded samples and
 * K-means++ pick by position, so the same customers get the same segments whatever order their
 * rows arrived in (a CSV's row order, the app's order stream).
 */
export function prepare(features: RfmFeatureTable): Prepared {
  const n = features.count;
  const ids = features.customerIds;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (features.frequency[i]! > 0) order.push(i);
  order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
  const count = order.length;
  const position = new Int32Array(n).fill(NO_POSITION);
  order.forEach((i, p) => (position[i] = p));
  const clustered = new Int32Array(count);
  const data = new Float64Array(count * FEATURE_COUNT);
  for (let i = 0; i < n; i++) {
    const p = position[i]!;
    if (p === NO_POSITION) continue;
    clustered[p] = i;
    data[p * FEATURE_COUNT + RECENCY] = features.recencyDays[i]!;
    data[p * FEATURE_COUNT + FREQUENCY] = features.frequency[i]!;
    data[p * FEATURE_COUNT + MONETARY] = features.monetaryMilli[i]! / MILLI_PER_UNIT;
  }
  return { clustered, raw: { data, rows: count, cols: FEATURE_COUNT }, position };
}
