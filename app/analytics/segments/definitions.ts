import type { Matrix } from "../util/matrix";
import { medianOf } from "../util/stats";
import { MILLI_PER_UNIT } from "../money";
import { RFM_GROUPS } from "../rfm/groups";
import type { RfmScoreModel } from "../rfm/scores";
import { invertScaledRow, scalerPart, type ScalerModel } from "./scaling";
import { outlierDistanceOf } from "./assign";
import { FEATURE_COUNT, FREQUENCY, MONETARY, RECENCY, type Prepared } from "./prepare";
import { groupNaming, medianScores, RFM_GRID_ORDER, type Standing } from "./naming";
import type { ClusterFit } from "./fit";
import type { SegmentMedians, SegmentProfile } from "./result";
import {
  centreDims,
  NOISE_LABEL,
  NOT_CLUSTERED_LABEL,
  type MonetaryTier,
  type SegmentAlgorithm,
  type SegmentDefinition,
  type SegmentKind,
} from "./model";

/**
 * Segment definitions from a fit: a draft per cluster label (centre, medians, name, action,
 * outlier fence), then the special segments, then the stored `SegmentDefinition`s. Ids and names
 * of drafts may still change (matching to the previous model, de-duplicated names).
 */
export interface SegmentDraft {
  id: string;
  name: string;
  readonly kind: SegmentKind;
  readonly label: number;
  readonly tier: MonetaryTier | null;
  /** Centre in scaled space; empty for a segment without members or centre. */
  readonly centre: number[];
  action: string;
  readonly medians: SegmentMedians;
  /** Where the medians stand among purchasers (hybrid names); null for an empty or special segment. */
  readonly standing: Standing | null;
  /** The name is final: an RFM group, a special segment, or inherited from the previous model. */
  fixedName: boolean;
  readonly outlierDistance: number | null;
}

const NO_MEDIANS: SegmentMedians = { recencyDays: NaN, frequency: NaN, monetaryMilli: 0 };

/** Inputs of the drafts: the prepared customers, their scaled features and the RFM score scales. */
export interface DraftInputs {
  readonly algorithm: SegmentAlgorithm;
  readonly prepared: Prepared;
  readonly scaled: Matrix;
  readonly scores: RfmScoreModel;
}

/** One draft per cluster label in increasing order, empty K-means clusters included (labels stay valid). */
export function clusterDrafts(fit: ClusterFit, inputs: DraftInputs): SegmentDraft[] {
  const { algorithm, prepared, scaled, scores } = inputs;
  const raw = prepared.raw.data;
  const membersOf = new Map<number, number[]>();
  fit.labels.forEach((label, p) => {
    const members = membersOf.get(label);
    if (members) members.push(p);
    else membersOf.set(label, [p]);
  });
  const labels = [...membersOf.keys()].filter((l) => l >= 0);
  if (fit.kmeans) fit.kmeans.centroids.forEach((_, l) => { if (!labels.includes(l)) labels.push(l); });
  if (fit.tiers) for (const l of fit.centres.keys()) if (!labels.includes(l)) labels.push(l);
  labels.sort((a, b) => a - b);
  const standingOf = standings(prepared);

  const mediansOf = (members: number[]): SegmentMedians => {
    const column = (j: number): Float64Array => Float64Array.from(members, (p) => raw[p * FEATURE_COUNT + j]!);
    return {
      recencyDays: medianOf(column(RECENCY)),
      frequency: medianOf(column(FREQUENCY)),
      monetaryMilli: Math.round(medianOf(Float64Array.from(members, (p) => raw[p * FEATURE_COUNT + MONETARY]! * MILLI_PER_UNIT))),
    };
  };
  const scaledMean = (members: number[]): number[] => {
    const sum = [0, 0, 0];
    for (const p of members) for (let j = 0; j < FEATURE_COUNT; j++) sum[j] = sum[j]! + scaled.data[p * FEATURE_COUNT + j]!;
    return members.length === 0 ? [] : sum.map((v) => v / members.length);
  };

  return labels.map((label): SegmentDraft => {
    const members = membersOf.get(label) ?? [];
    const medians = members.length > 0 ? mediansOf(members) : NO_MEDIANS;
    if (algorithm === "rfm") {
      const group = RFM_GRID_ORDER[label]!;
      const info = RFM_GROUPS[group];
      return { id: group, name: info.name, kind: "rfm-group", label, tier: null, centre: scaledMean(members), action: info.action, medians, standing: null, fixedName: true, outlierDistance: null };
    }
    const tier = fit.labelTier.get(label) ?? null;
    const centre = fit.centres.get(label) ?? scaledMean(members);
    const standing = members.length > 0 ? standingOf(medians) : null;
    // hybrid names are chosen per tier, all at once, after matching (naming.ts hybridNaming)
    const { name, action } = tier !== null ? { name: "", action: "" } : groupNaming(members.length > 0 ? medianScores(scores, medians) : { r: 1, f: 1, m: 1 });
    const centroidAlgorithm = algorithm === "kmeans" || algorithm === "hybrid";
    const outlierDistance = centroidAlgorithm ? outlierDistanceOf(scaled, members, centre, centreDims(algorithm)) : null;
    return { id: `seg-${label + 1}`, name, kind: "cluster", label, tier, centre, action, medians, standing, fixedName: false, outlierDistance };
  });
}

/** Standing of medians among the clustered customers (sorted columns, binary search). */
function standings(prepared: Prepared): (medians: SegmentMedians) => Standing {
  const n = prepared.raw.rows;
  const column = (j: number): Float64Array => {
    const out = new Float64Array(n);
    for (let p = 0; p < n; p++) out[p] = prepared.raw.data[p * FEATURE_COUNT + j]!;
    return out.sort();
  };
  const recency = column(RECENCY);
  const frequency = column(FREQUENCY);
  return (medians) => ({
    recency: (n - firstAbove(recency, medians.recencyDays)) / n,
    frequency: firstAtOrAbove(frequency, medians.frequency) / n,
  });
}

/** Index of the first value > v in ascending `sorted` (n when none). */
function firstAbove(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first value ≥ v in ascending `sorted` (n when none). */
function firstAtOrAbove(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Segments that are not clusters: DBSCAN's whales and outliers (noise split by spend), and prospects. */
export function specialDrafts(algorithm: SegmentAlgorithm): SegmentDraft[] {
  const special = (id: string, name: string, kind: SegmentKind, label: number, action: string): SegmentDraft => ({
    id, name, kind, label, tier: null, centre: [], action, medians: NO_MEDIANS, standing: null, fixedName: true, outlierDistance: null,
  });
  const drafts: SegmentDraft[] = [];
  if (algorithm === "dbscan") {
    drafts.push(special("whales", "Whales", "whales", NOISE_LABEL, "Treat individually: account management, VIP service; check for resellers."));
    drafts.push(special("outliers", "Outliers", "outliers", NOISE_LABEL, "Review individually: unusual behaviour (bulk buyers, heavy returners, data errors)."));
  }
  drafts.push(special("prospects", RFM_GROUPS.PROSPECTS.name, "prospects", NOT_CLUSTERED_LABEL, RFM_GROUPS.PROSPECTS.action));
  return drafts;
}

/** Drafts → stored definitions; `definition` is filled from the profiles later (`withProfiles`). */
export function toDefinitions(drafts: readonly SegmentDraft[], scaler: ScalerModel, algorithm: SegmentAlgorithm): SegmentDefinition[] {
  const dims = centreDims(algorithm);
  const centreScaler = scalerPart(scaler, dims);
  return drafts.map((d) => ({
    id: d.id,
    name: d.name,
    kind: d.kind,
    label: d.label,
    tier: d.tier,
    centroidScaled: d.centre,
    // hybrid centres are 2-D: monetary is filled from the members' median in withProfiles
    centroidOriginal: d.centre.length === 0 ? [] : dims === 2 ? [...invertScaledRow(centreScaler, d.centre), NaN] : invertScaledRow(scaler, d.centre),
    definition: "",
    action: d.action,
    outlierDistance: d.outlierDistance,
  }));
}

/**
 * Definitions completed from the final profiles: the sentence, the hybrid centres' monetary (the
 * members' median) and an original-units centre for non-cluster segments (their medians).
 */
export function withProfiles(segments: readonly SegmentDefinition[], profiles: readonly SegmentProfile[], algorithm: SegmentAlgorithm): SegmentDefinition[] {
  return segments.map((s, k) => {
    const profile = profiles[k]!;
    let centroidOriginal = s.centroidOriginal;
    if (algorithm === "hybrid" && centroidOriginal.length === 3) centroidOriginal = [centroidOriginal[0]!, centroidOriginal[1]!, profile.median.monetaryMilli / MILLI_PER_UNIT];
    if (s.kind !== "cluster" && profile.size > 0 && centroidOriginal.length === 0) {
      centroidOriginal = [profile.median.recencyDays, profile.median.frequency, profile.median.monetaryMilli / MILLI_PER_UNIT];
    }
    return { ...s, centroidOriginal, definition: profile.definition };
  });
}
