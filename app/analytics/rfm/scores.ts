import type { RfmFeatureTable } from "./features";

/**
 * Quintile scores 1–5, rank based, ties shared.
 *
 * Over the n scored values, each value gets its *average rank* r (1-based, pandas
 * `rank(method="average")`), and score = 1 + floor(5·(r − ½)/n): the quintile in which the
 * centre of its rank block falls ((r − ½)/n is its mid-rank percentile, so the scale is
 * symmetric: with n = 3 the scores are 1, 3, 5). Equal values therefore always
 * share a score; a big tie block (e.g. the ~35 % of customers with exactly one order) lands in the
 * quintile where the middle of the block falls, so some scores may be absent. "Higher is better"
 * on every dimension: recency is scored on −recency, so the most recent buyers get 5.
 */
export interface QuintileScale {
  /** `desc`: smaller raw values are better (recency). */
  readonly direction: "asc" | "desc";
  /** For score s (index s−1): [min, max] raw value that received it in the fit, or null if absent. */
  readonly ranges: readonly (readonly [number, number] | null)[];
}

export interface RfmScoreModel {
  readonly recency: QuintileScale;
  readonly frequency: QuintileScale;
  readonly monetary: QuintileScale;
  /** Customers scored (frequency ≥ 1). */
  readonly n: number;
}

export interface RfmScores {
  /** 1–5 per customer, 0 for customers without a purchase (not scored). */
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  readonly model: RfmScoreModel;
}

/**
 * Fits quintile scores on `values` (NaN entries skipped) and returns the per-entry score
 * (0 for skipped) and the scale. Does not mutate `values`.
 */
export function fitQuintiles(values: ArrayLike<number>, direction: "asc" | "desc"): { scores: Uint8Array; scale: QuintileScale } {
  const sign = direction === "asc" ? 1 : -1;
  const len = values.length;
  let n = 0;
  for (let i = 0; i < len; i++) if (!Number.isNaN(values[i]!)) n++;
  const sorted = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < len; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) sorted[j++] = sign * v;
  }
  sorted.sort();
  // distinct transformed values and their score
  const distinct: number[] = [];
  const distinctScore: number[] = [];
  for (let lo = 0; lo < n; ) {
    let hi = lo + 1;
    while (hi < n && sorted[hi] === sorted[lo]) hi++;
    const averageRank = (lo + 1 + hi) / 2;
    distinct.push(sorted[lo]!);
    distinctScore.push(Math.min(5, 1 + Math.floor((5 * (averageRank - 0.5)) / n)));
    lo = hi;
  }
  const ranges: ([number, number] | null)[] = [null, null, null, null, null];
  for (let d = 0; d < distinct.length; d++) {
    const s = distinctScore[d]! - 1;
    const raw = sign * distinct[d]!;
    const cur = ranges[s] ?? null;
    ranges[s] = cur === null ? [raw, raw] : [Math.min(cur[0], raw), Math.max(cur[1], raw)];
  }
  const scores = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const t = sign * v;
    // binary search for the exact distinct value (present: it came from the same data)
    let a = 0;
    let b = distinct.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (distinct[mid]! <= t) a = mid;
      else b = mid - 1;
    }
    scores[i] = distinctScore[a]!;
  }
  return { scores, scale: { direction, ranges } };
}

/**
 * Score of a new raw value on a fitted scale, without refitting: the highest score whose
 * fitted range starts at or below the value (in the "better" direction); values worse than
 * every fitted value get the lowest present score. NaN → 0.
 */
export function scoreWithScale(scale: QuintileScale, value: number): number {
  if (Number.isNaN(value)) return 0;
  const sign = scale.direction === "asc" ? 1 : -1;
  const t = sign * value;
  let best = 0;
  let lowest = 0;
  for (let s = 1; s <= 5; s++) {
    const r = scale.ranges[s - 1];
    if (r === null || r === undefined) continue;
    if (lowest === 0) lowest = s;
    // lower bound of this score in transformed space
    const lower = sign === 1 ? r[0] : -r[1];
    if (lower <= t) best = s;
  }
  return best === 0 ? lowest : best;
}

/** R, F, M scores for every customer with a purchase (frequency ≥ 1); others get 0. */
export function scoreRfm(features: RfmFeatureTable): RfmScores {
  const n = features.count;
  const freq = new Float64Array(n);
  const mon = new Float64Array(n);
  let scored = 0;
  for (let i = 0; i < n; i++) {
    const has = features.frequency[i]! > 0;
    if (has) scored++;
    freq[i] = has ? features.frequency[i]! : NaN;
    mon[i] = has ? features.monetaryMilli[i]! : NaN;
  }
  // recencyDays is already NaN exactly when frequency is 0
  const r = fitQuintiles(features.recencyDays, "desc");
  const f = fitQuintiles(freq, "asc");
  const m = fitQuintiles(mon, "asc");
  return { r: r.scores, f: f.scores, m: m.scores, model: { recency: r.scale, frequency: f.scale, monetary: m.scale, n: scored } };
}

/** Scores new customers with a fitted score model (no refit). */
export function applyRfmScores(model: RfmScoreModel, features: RfmFeatureTable): Omit<RfmScores, "model"> {
  const n = features.count;
  const r = new Uint8Array(n);
  const f = new Uint8Array(n);
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (features.frequency[i]! <= 0) continue;
    r[i] = scoreWithScale(model.recency, features.recencyDays[i]!);
    f[i] = scoreWithScale(model.frequency, features.frequency[i]!);
    m[i] = scoreWithScale(model.monetary, features.monetaryMilli[i]!);
  }
  return { r, f, m };
}
