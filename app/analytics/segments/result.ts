// The types `segmentCustomers` and `assignSegments` return.
import type { Milli } from "../money";
import type { RfmGroupId } from "../rfm/groups";
import type { MonetaryTier, SegmentDefinition, SegmentModel } from "./model";

/** Medians of a group of customers, as in the profiles and the sentences. */
export interface SegmentMedians {
  readonly recencyDays: number;
  readonly frequency: number;
  readonly monetaryMilli: Milli;
}

export interface SegmentAssignment {
  /** Per customer (feature-table order): algorithm label, `NOISE_LABEL` (DBSCAN) or `NOT_CLUSTERED_LABEL` (no purchase). */
  readonly labels: Int32Array;
  /** Index into `model.segments`. */
  readonly segmentIndex: Int32Array;
  readonly outlier: Uint8Array;
  /** 1 when the hysteresis rule kept the previous segment. */
  readonly kept: Uint8Array;
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  readonly rfmGroups: readonly RfmGroupId[];
}

export interface SegmentProfile {
  readonly segmentId: string;
  readonly name: string;
  readonly kind: SegmentDefinition["kind"];
  readonly tier: MonetaryTier | null;
  readonly size: number;
  readonly share: number;
  readonly revenueMilli: Milli;
  /** Segment net monetary / total net monetary (can be negative for net-refund segments). */
  readonly revenueShare: number;
  readonly mean: { readonly recencyDays: number; readonly frequency: number; readonly monetaryMilli: number };
  readonly median: SegmentMedians;
  /** recency days, orders, monetary in units of currency. */
  readonly centroidOriginal: readonly number[];
  readonly definition: string;
  readonly action: string;
}

export interface PlotData {
  readonly elbow: readonly { k: number; inertia: number }[];
  readonly silhouette: readonly { k: number; silhouette: number }[];
  readonly kDistance: { readonly minPoints: number; readonly eps: number; readonly kneeIndex: number; readonly curve: readonly { index: number; distance: number }[] } | null;
  readonly pca: {
    readonly explainedVarianceRatio: readonly number[];
    /** Sampled customers: x, y, segment index. */
    readonly points: readonly { x: number; y: number; segment: number }[];
    readonly centroids: readonly { x: number; y: number; segment: number }[];
  } | null;
}

export interface SegmentDiagnostics {
  readonly clusteredCustomers: number;
  readonly k: number | null;
  readonly kRule: string | null;
  readonly kBySilhouette: number | null;
  readonly kByElbow: number | null;
  readonly eps: number | null;
  readonly minPoints: number | null;
  readonly silhouette: number | null;
  readonly keptByHysteresis: number;
  /** New clusters matched to a previous model's cluster (they keep its id and name). */
  readonly matchedSegments: number;
}

export interface SegmentationResult extends SegmentAssignment {
  readonly model: SegmentModel;
  readonly profiles: readonly SegmentProfile[];
  readonly plots: PlotData;
  readonly diagnostics: SegmentDiagnostics;
}
