import type { Matrix } from "../util/matrix";
import type { KMeansModel } from "../clustering/kmeans";
import type { RfmFeatureTable } from "../rfm/features";
import type { RfmScores } from "../rfm/scores";
import type { ScalerModel } from "./scaling";
import type { SegmentOptions } from "./options";
import type { Prepared } from "./prepare";
import type { PlotData } from "./result";
import type { DbscanModelPart, HybridTierPart, MonetaryTier, SegmentModel } from "./model";

/** What every algorithm's fit reads: the prepared customers, their scaled features and scores. */
export interface FitContext {
  readonly features: RfmFeatureTable;
  readonly options: SegmentOptions;
  readonly prepared: Prepared;
  readonly scaler: ScalerModel;
  /** `prepared.raw` in the scaler's space: the clustering input. */
  readonly scaled: Matrix;
  readonly rfm: RfmScores;
  /** The previous run's model when it used the same algorithm (a refresh), else undefined. */
  readonly previous: SegmentModel | undefined;
}

/** The elbow/silhouette curve behind a K choice. */
export type KCurve = { k: number; inertia: number; silhouette: number }[];

/** One algorithm's fit: labels per clustered position plus what the model and plots need. */
export interface ClusterFit {
  labels: Int32Array;
  kmeans: KMeansModel | null;
  dbscan: DbscanModelPart | null;
  tiers: HybridTierPart[] | null;
  tierCuts: [number, number] | null;
  /** Hybrid: label → spend tier. */
  labelTier: Map<number, MonetaryTier>;
  /** Centroid algorithms and DBSCAN: label → centre in scaled space (hybrid: 2-D). */
  centres: Map<number, number[]>;
  curve: KCurve;
  k: number | null;
  kRule: string | null;
  kBySilhouette: number | null;
  kByElbow: number | null;
  kDistance: PlotData["kDistance"];
}

/** A fit with nothing in it yet, for `n` clustered customers. */
export function emptyFit(n: number): ClusterFit {
  return {
    labels: new Int32Array(n),
    kmeans: null,
    dbscan: null,
    tiers: null,
    tierCuts: null,
    labelTier: new Map(),
    centres: new Map(),
    curve: [],
    k: null,
    kRule: null,
    kBySilhouette: null,
    kByElbow: null,
    kDistance: null,
  };
}
