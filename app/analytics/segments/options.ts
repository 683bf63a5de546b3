import type { RfmFeatureTable } from "../rfm/features";
import type { ScalerOptions } from "./scaling";
import { SEGMENT_ALGORITHMS, type SegmentAlgorithm, type SegmentModel } from "./model";

/** Defaults of `segmentCustomers` (documented in docs/analytics.md). */
export const SEGMENT_DEFAULTS = {
  /** Monetary tier, then recency/frequency: 9–12 named segments on a typical store (ADR 0016). */
  algorithm: "hybrid" as SegmentAlgorithm,
  k: "auto" as const,
  kMin: 2,
  kMax: 8,
  eps: "auto" as const,
  /** Relative hysteresis margin: switch only if the new centre is ≥ 10 % closer. */
  hysteresisMargin: 0.1,
  /** Points in the PCA scatter. */
  plotSampleSize: 2000,
  /** Sample for choosing K (elbow + silhouette). */
  chooseKSampleSize: 10_000,
  /** K-means fits behind the elbow/silhouette curve use at most this many customers. */
  chooseKFitSampleSize: 50_000,
  /** DBSCAN is fitted on at most this many customers; the rest are assigned to core points. */
  dbscanFitSampleSize: 20_000,
  /** Points used for the k-distance diagnostic curve when DBSCAN is not the algorithm. */
  kDistanceSampleSize: 3_000,
  /** Hybrid monetary tiers: quantiles of purchasers' monetary cutting low|mid and mid|high. */
  tierQuantiles: [0.5, 0.8] as readonly [number, number],
  /** Hybrid: K range per tier when k is "auto" (chooseK rule within the range). */
  hybridKMin: 3,
  hybridKMax: 4,
  /** DBSCAN noise with monetary at or above this quantile of purchasers is a whale. */
  whaleQuantile: 0.95,
  /** Refresh: keep the warm-started K-means unless a fresh fit has > 10 % lower inertia. */
  warmStartSlack: 0.1,
  /** K-means outlier: distance to own centroid > Q3 + 3·IQR of the cluster's distances. */
  outlierIqrFactor: 3,
};

export interface SegmentOptions {
  readonly algorithm?: SegmentAlgorithm;
  /** Number of clusters, or "auto" (the clustering chooseK rule). Hybrid: per tier. */
  readonly k?: "auto" | number;
  readonly kMin?: number;
  readonly kMax?: number;
  /** DBSCAN radius in scaled space, or "auto" (knee of the k-distance curve). */
  readonly eps?: "auto" | number;
  /** DBSCAN minimum neighbourhood size. Default 2 × dimensions (= 6). */
  readonly minPoints?: number;
  /** Seed of every random choice (K-means++, samples). Required: the core has no default randomness. */
  readonly seed: number;
  readonly scaling?: ScalerOptions;
  /** The model of the previous run: segment ids/names persist, hysteresis applies. */
  readonly previousModel?: SegmentModel;
  /** Previous segment id per customer id; default: the previous model's assignment of today's features. */
  readonly previousSegments?: ReadonlyMap<string, string>;
  readonly hysteresisMargin?: number;
  readonly plotSampleSize?: number;
  readonly chooseKSampleSize?: number;
  readonly dbscanFitSampleSize?: number;
  /** Compute the elbow/silhouette/k-distance curves even when not needed for the fit. Default true. */
  readonly diagnostics?: boolean;
  /** Prefix of amounts in sentences, e.g. "£". Default none. */
  readonly currencySymbol?: string;
}

/** Throws unless `features` is a consistent `RfmFeatureTable`. */
export function validateFeatures(features: RfmFeatureTable): void {
  if (features === null || typeof features !== "object" || !(features.frequency instanceof Int32Array)) {
    throw new TypeError("segmentCustomers: features must be an RfmFeatureTable (computeRfmFeatures)");
  }
  const n = features.count;
  if (features.customerIds.length !== n || features.recencyDays.length !== n || features.monetaryMilli.length !== n) {
    throw new RangeError("segmentCustomers: feature columns have different lengths");
  }
}

/** Throws a `TypeError`/`RangeError` naming the first invalid option. */
export function validateOptions(options: SegmentOptions): void {
  if (options === null || typeof options !== "object") throw new TypeError("segmentCustomers: options object required");
  if (typeof options.seed !== "number" || !Number.isFinite(options.seed)) throw new TypeError("segmentCustomers: seed must be a finite number");
  const algorithm = options.algorithm ?? SEGMENT_DEFAULTS.algorithm;
  if (!SEGMENT_ALGORITHMS.includes(algorithm)) throw new RangeError(`segmentCustomers: algorithm must be rfm, kmeans, dbscan or hybrid, got ${String(algorithm)}`);
  if (options.k !== undefined && options.k !== "auto" && !(Number.isInteger(options.k) && options.k >= 1)) throw new RangeError(`segmentCustomers: k must be "auto" or an integer ≥ 1, got ${String(options.k)}`);
  if (options.eps !== undefined && options.eps !== "auto" && !(typeof options.eps === "number" && options.eps > 0 && Number.isFinite(options.eps))) {
    throw new RangeError(`segmentCustomers: eps must be "auto" or a positive number, got ${String(options.eps)}`);
  }
  if (options.minPoints !== undefined && !(Number.isInteger(options.minPoints) && options.minPoints >= 2)) throw new RangeError("segmentCustomers: minPoints must be an integer ≥ 2");
  const margin = options.hysteresisMargin ?? SEGMENT_DEFAULTS.hysteresisMargin;
  if (!(margin >= 0 && margin < 1)) throw new RangeError("segmentCustomers: hysteresisMargin must be in [0, 1)");
  const kMin = options.kMin ?? SEGMENT_DEFAULTS.kMin;
  const kMax = options.kMax ?? SEGMENT_DEFAULTS.kMax;
  if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 2 && kMax >= kMin)) throw new RangeError("segmentCustomers: need integers 2 ≤ kMin ≤ kMax");
}
