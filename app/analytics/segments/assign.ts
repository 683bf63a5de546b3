import { squaredDistance, subMatrix, type Matrix } from "../util/matrix";
import { quantileSorted } from "../util/stats";
import { MILLI_PER_UNIT, type Milli } from "../money";
import { assignKMeans } from "../clustering/kmeans";
import { KdTree } from "../clustering/kdtree";
import type { RfmFeatureTable } from "../rfm/features";
import { applyRfmScores } from "../rfm/scores";
import { rfmGroup, type RfmGroupId } from "../rfm/groups";
import { applyScaler } from "./scaling";
import { validateFeatures, SEGMENT_DEFAULTS } from "./options";
import { prepare, FEATURE_COUNT, MONETARY, NO_POSITION, type Prepared } from "./prepare";
import { rfmLabel } from "./naming";
import type { SegmentAssignment } from "./result";
import {
  centreDims,
  NOISE_LABEL,
  NOT_CLUSTERED_LABEL,
  type DbscanModelPart,
  type MonetaryTier,
  type SegmentModel,
} from "./model";

/**
 * Assignment of customers under a fitted model: cluster labels, the outlier rule and the
 * label → segment lookup. `segmentCustomers` uses it right after fitting, `assignSegments` to
 * score customers later without refitting, so both give the same answer by construction.
 */

/** Labels and outlier flags per clustered position (not per customer). */
export interface ClusterAssignment {
  readonly labels: Int32Array;
  readonly outlier: Uint8Array;
}

/** Hybrid spend tier of an amount, from the model's two cuts (milli). */
export function tierOf(cuts: readonly [number, number], monetaryMilli: Milli): MonetaryTier {
  return monetaryMilli >= cuts[1] ? "high" : monetaryMilli >= cuts[0] ? "mid" : "low";
}

/** RFM algorithm: every clustered customer's label is its RFM group's place in the grid. */
export function rfmLabels(clustered: Int32Array, scores: { readonly r: Uint8Array; readonly f: Uint8Array; readonly m: Uint8Array }): Int32Array {
  const labels = new Int32Array(clustered.length);
  for (let p = 0; p < clustered.length; p++) {
    const i = clustered[p]!;
    labels[p] = rfmLabel(scores.r[i]!, scores.f[i]!, scores.m[i]!);
  }
  return labels;
}

/**
 * The k-d tree of a model's core points, built once per model object: live assignment scores one
 * customer at a time with the same (cached) model, and rebuilding the tree would dominate its cost.
 */
const coreTrees = new WeakMap<DbscanModelPart, KdTree>();

function coreTreeOf(part: DbscanModelPart, dims: number): KdTree {
  let tree = coreTrees.get(part);
  if (tree === undefined) {
    tree = new KdTree({ data: Float64Array.from(part.corePoints), rows: part.coreLabels.length, cols: dims });
    coreTrees.set(part, tree);
  }
  return tree;
}

/** DBSCAN: the label of the nearest core point within eps (k-d tree), else noise. */
export function dbscanLabels(part: DbscanModelPart, scaled: Matrix): Int32Array {
  const dims = scaled.cols;
  const coreCount = part.coreLabels.length;
  const labels = new Int32Array(scaled.rows).fill(NOISE_LABEL);
  if (coreCount === 0) return labels;
  const cores = coreTreeOf(part, dims);
  const eps2 = part.eps * part.eps;
  for (let p = 0; p < scaled.rows; p++) {
    const core = cores.nearestWithin(scaled.data, p * dims, eps2);
    if (core >= 0) labels[p] = part.coreLabels[core]!;
  }
  return labels;
}

/** Hybrid: the tier by spend, then the nearest centre of that tier's K-means on recency × frequency. */
function hybridLabels(model: SegmentModel, scaled: Matrix, raw: Matrix): Int32Array {
  const labels = new Int32Array(scaled.rows);
  const cuts = model.tierCutsMinor!;
  for (const part of model.tiers!) {
    const members: number[] = [];
    for (let p = 0; p < scaled.rows; p++) {
      if (tierOf(cuts, raw.data[p * FEATURE_COUNT + MONETARY]! * MILLI_PER_UNIT) === part.tier) members.push(p);
    }
    if (part.kmeans === null) {
      for (const p of members) labels[p] = part.labelOffset;
      continue;
    }
    const nearest = assignKMeans(part.kmeans, subMatrix(scaled, [0, 1], members));
    members.forEach((p, t) => (labels[p] = part.labelOffset + nearest[t]!));
  }
  return labels;
}

/**
 * Tukey's far-out fence of a cluster: Q3 + `outlierIqrFactor`·IQR of its members' distances to
 * the centre (first `dims` columns of `scaled`). `null` below 4 members (no meaningful quartiles).
 */
export function outlierDistanceOf(scaled: Matrix, members: readonly number[], centre: readonly number[], dims: number): number | null {
  if (members.length < 4) return null;
  const distances = Float64Array.from(members, (p) => Math.sqrt(squaredDistance(scaled.data, p * scaled.cols, centre, 0, dims))).sort();
  const q1 = quantileSorted(distances, 0.25);
  const q3 = quantileSorted(distances, 0.75);
  return q3 + SEGMENT_DEFAULTS.outlierIqrFactor * (q3 - q1);
}

/**
 * The outlier rule: DBSCAN noise is an outlier; under a centroid algorithm a customer is an
 * outlier when farther from its cluster's centre than the cluster's fence (`outlierDistance`);
 * under RFM nobody is.
 */
export function outliersOf(model: SegmentModel, scaled: Matrix, labels: Int32Array): Uint8Array {
  const outlier = new Uint8Array(labels.length);
  switch (model.algorithm) {
    case "rfm":
      return outlier;
    case "dbscan":
      for (let p = 0; p < labels.length; p++) if (labels[p] === NOISE_LABEL) outlier[p] = 1;
      return outlier;
    case "kmeans":
    case "hybrid": {
      const dims = centreDims(model.algorithm);
      const byLabel = new Map(model.segments.filter((s) => s.kind === "cluster").map((s) => [s.label, s]));
      for (let p = 0; p < labels.length; p++) {
        const segment = byLabel.get(labels[p]!);
        if (segment === undefined || segment.outlierDistance === null) continue;
        if (Math.sqrt(squaredDistance(scaled.data, p * scaled.cols, segment.centroidScaled, 0, dims)) > segment.outlierDistance) outlier[p] = 1;
      }
      return outlier;
    }
  }
}

/** Labels of clustered customers under a fitted model (no refit). `scaled` is in the model's space. */
function assignClusters(model: SegmentModel, scaled: Matrix, raw: Matrix, scores: { r: Uint8Array; f: Uint8Array; m: Uint8Array }, clustered: Int32Array): ClusterAssignment {
  let labels: Int32Array;
  switch (model.algorithm) {
    case "rfm":
      labels = rfmLabels(clustered, scores);
      break;
    case "kmeans":
      labels = assignKMeans(model.kmeans!, scaled);
      break;
    case "hybrid":
      labels = hybridLabels(model, scaled, raw);
      break;
    case "dbscan":
      labels = dbscanLabels(model.dbscan!, scaled);
      break;
  }
  return { labels, outlier: outliersOf(model, scaled, labels) };
}

/** label (and spend, for DBSCAN noise) → index in model.segments; built once per assignment. */
function segmentLookup(model: SegmentModel): (label: number, monetaryUnits: number) => number {
  const byLabel = new Map<number, number>();
  model.segments.forEach((s, k) => {
    if (s.kind === "cluster" || s.kind === "rfm-group") byLabel.set(s.label, k);
  });
  const prospects = model.segments.findIndex((s) => s.kind === "prospects");
  const whales = model.segments.findIndex((s) => s.kind === "whales");
  const outliers = model.segments.findIndex((s) => s.kind === "outliers");
  return (label, monetaryUnits) => {
    if (label === NOT_CLUSTERED_LABEL) return prospects;
    if (label === NOISE_LABEL) return model.dbscan !== null && monetaryUnits >= model.dbscan.whaleMonetary ? whales : outliers;
    return byLabel.get(label) ?? -1;
  };
}

/**
 * Scores customers with a fitted model, without refitting: same scaler, same RFM score edges,
 * same centroids / core points / tier cuts. New customers get the segment they would have
 * received in the fit (up to ties).
 */
export function assignSegments(model: SegmentModel, features: RfmFeatureTable): SegmentAssignment {
  return scoreWithModel(model, features).assignment;
}

/** `assignSegments` with the intermediate values the hysteresis rule needs (stability.ts). */
export function scoreWithModel(model: SegmentModel, features: RfmFeatureTable): { assignment: SegmentAssignment; prepared: Prepared; scaled: Matrix } {
  validateFeatures(features);
  const prepared = prepare(features);
  const scores = applyRfmScores(model.rfmScores, features);
  const scaled = applyScaler(model.scaler, prepared.raw);
  const clusters = assignClusters(model, scaled, prepared.raw, scores, prepared.clustered);
  return { assignment: toSegments(model, features, prepared, clusters, scores), prepared, scaled };
}

/** Per-customer labels, segments and RFM groups from the clustered customers' assignment. */
export function toSegments(
  model: SegmentModel,
  features: RfmFeatureTable,
  prepared: Prepared,
  clusters: ClusterAssignment,
  scores: { r: Uint8Array; f: Uint8Array; m: Uint8Array },
): SegmentAssignment {
  const n = features.count;
  const labels = new Int32Array(n).fill(NOT_CLUSTERED_LABEL);
  const segmentIndex = new Int32Array(n);
  const outlier = new Uint8Array(n);
  const groups: RfmGroupId[] = new Array<RfmGroupId>(n);
  const segmentIndexFor = segmentLookup(model);
  const prospects = segmentIndexFor(NOT_CLUSTERED_LABEL, 0);
  for (let i = 0; i < n; i++) {
    groups[i] = rfmGroup(scores.r[i]!, scores.f[i]!, scores.m[i]!);
    const p = prepared.position[i]!;
    if (p === NO_POSITION) {
      segmentIndex[i] = prospects;
      continue;
    }
    labels[i] = clusters.labels[p]!;
    outlier[i] = clusters.outlier[p]!;
    const s = segmentIndexFor(labels[i]!, features.monetaryMilli[i]! / MILLI_PER_UNIT);
    if (s < 0) throw new Error(`internal: no segment for label ${labels[i]}`);
    segmentIndex[i] = s;
  }
  return { labels, segmentIndex, outlier, kept: new Uint8Array(n), r: scores.r, f: scores.f, m: scores.m, rfmGroups: groups };
}
