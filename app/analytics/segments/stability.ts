import { squaredDistance, type Matrix } from "../util/matrix";
import type { RfmFeatureTable } from "../rfm/features";
import { hungarian } from "./hungarian";
import { scaleRow, type ScalerModel } from "./scaling";
import { assignSegments, scoreWithModel } from "./assign";
import { FEATURE_COUNT, type Prepared } from "./prepare";
import type { SegmentDraft } from "./definitions";
import type { SegmentAssignment } from "./result";
import { centreDims, type SegmentAlgorithm, type SegmentDefinition, type SegmentModel } from "./model";

/**
 * Stability across refreshes: new clusters inherit the ids and names of the previous model's
 * clusters they match, and a customer changes segment only when the new centre is clearly closer.
 */

/** A matching cost at or above this is no match: real scaled distances are O(1–10). */
const NO_MATCH = 1e6;

function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < Math.min(a.length, b.length); j++) s += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(s);
}

/**
 * Matches the new clusters to the previous model's (Hungarian algorithm on the distance between
 * centres in today's scaled space; hybrid: only within the same tier). A matched draft takes the
 * previous id and name (`fixedName`); unmatched ones get fresh ids beyond every previous one.
 * Returns how many matched. Mutates `drafts`.
 */
export function matchToPrevious(drafts: readonly SegmentDraft[], previous: SegmentModel, scaler: ScalerModel, algorithm: SegmentAlgorithm): number {
  const old = previous.segments.filter((s) => s.kind === "cluster" && s.centroidOriginal.length === 3);
  const fresh = drafts.filter((d) => d.kind === "cluster");
  if (old.length === 0 || fresh.length === 0) return 0;
  const dims = centreDims(algorithm);
  // an empty new cluster has no centre: placed NO_MATCH away on every axis, it matches nothing
  const freshCentres = fresh.map((d) => (d.centre.length > 0 ? d.centre.slice(0, dims) : new Array<number>(dims).fill(NO_MATCH)));
  const oldCentres = old.map((s) => scaleRow(scaler, s.centroidOriginal).slice(0, dims));
  const cost = freshCentres.map((freshCentre, a) =>
    oldCentres.map((oldCentre, b) => distance(freshCentre, oldCentre) + (algorithm === "hybrid" && fresh[a]!.tier !== old[b]!.tier ? NO_MATCH : 0)),
  );
  const match = hungarian(cost);
  let matched = 0;
  fresh.forEach((draft, a) => {
    const b = match[a]!;
    if (b < 0 || cost[a]![b]! >= NO_MATCH) return;
    draft.id = old[b]!.id;
    draft.name = old[b]!.name;
    draft.fixedName = true;
    matched++;
  });
  let nextId = 1 + Math.max(0, ...previous.segments.map((s) => Number(/^seg-(\d+)$/.exec(s.id)?.[1] ?? 0)));
  for (const draft of fresh) if (!draft.fixedName) draft.id = `seg-${nextId++}`;
  return matched;
}

/** Each customer's segment id under the previous model, scored on today's features. */
function previousSegmentMap(previous: SegmentModel, features: RfmFeatureTable): Map<string, string> {
  const assignment = assignSegments(previous, features);
  const out = new Map<string, string>();
  for (let i = 0; i < features.count; i++) out.set(features.customerIds[i]!, previous.segments[assignment.segmentIndex[i]!]!.id);
  return out;
}

/** Whether the hysteresis rule applies: only centroid algorithms have a centre to be closer to. */
export function hysteresisApplies(algorithm: SegmentAlgorithm): boolean {
  return algorithm === "kmeans" || algorithm === "hybrid";
}

/** What the hysteresis rule looks at: the new assignment and the customers' features. */
interface HysteresisInput {
  readonly segments: readonly SegmentDefinition[];
  readonly segmentIndex: Int32Array;
  readonly features: RfmFeatureTable;
  readonly prepared: Prepared;
  readonly scaled: Matrix;
  readonly algorithm: SegmentAlgorithm;
  readonly margin: number;
}

/**
 * Hysteresis (centroid algorithms): a customer whose previous segment is another cluster of the
 * same tier keeps it unless the new centre is closer by more than `margin` (relative). Updates
 * `segmentIndex` in place; returns the kept flags and their count. Without `previousSegments`,
 * the previous segments are the previous model's view of today's features.
 */
export function applyHysteresis(
  input: HysteresisInput & { readonly previous: SegmentModel; readonly previousSegments: ReadonlyMap<string, string> | undefined },
): { kept: Uint8Array; keptCount: number } {
  return keepPreviousSegments({ ...input, previousOf: input.previousSegments ?? previousSegmentMap(input.previous, input.features) });
}

/** The hysteresis rule itself, shared by the refit (`applyHysteresis`) and live assignment. */
function keepPreviousSegments(input: HysteresisInput & { readonly previousOf: ReadonlyMap<string, string> }): { kept: Uint8Array; keptCount: number } {
  const { segments, segmentIndex, features, prepared, scaled, algorithm, previousOf, margin } = input;
  const kept = new Uint8Array(features.count);
  let keptCount = 0;
  if (!hysteresisApplies(algorithm)) return { kept, keptCount };
  const indexOfId = new Map(segments.map((s, k) => [s.id, k]));
  const dims = centreDims(algorithm);
  for (let p = 0; p < prepared.clustered.length; p++) {
    const i = prepared.clustered[p]!;
    const previousId = previousOf.get(features.customerIds[i]!);
    if (previousId === undefined) continue;
    const previousIndex = indexOfId.get(previousId);
    const currentIndex = segmentIndex[i]!;
    if (previousIndex === undefined || previousIndex === currentIndex) continue;
    const before = segments[previousIndex]!;
    const now = segments[currentIndex]!;
    if (before.kind !== "cluster" || now.kind !== "cluster" || before.tier !== now.tier || before.centroidScaled.length === 0) continue;
    const toBefore = Math.sqrt(squaredDistance(scaled.data, p * FEATURE_COUNT, before.centroidScaled, 0, dims));
    const toNow = Math.sqrt(squaredDistance(scaled.data, p * FEATURE_COUNT, now.centroidScaled, 0, dims));
    if (toNow > (1 - margin) * toBefore) {
      segmentIndex[i] = previousIndex;
      kept[i] = 1;
      keptCount++;
    }
  }
  return { kept, keptCount };
}

/**
 * Live assignment between refits: scores customers with a stored model (no refit, as
 * `assignSegments`) and keeps each customer's previous segment (`previousSegments`: Shopify
 * customer id → segment id, e.g. their stored row in the model's run) by the refit's hysteresis
 * rule and the margin stored in the model. Customers without a previous segment are assigned
 * plainly. Given a refit's own features and assignments, it returns that refit's assignment.
 */
export function assignSegmentsWithHysteresis(model: SegmentModel, features: RfmFeatureTable, previousSegments: ReadonlyMap<string, string>): SegmentAssignment {
  const { assignment, prepared, scaled } = scoreWithModel(model, features);
  const { kept } = keepPreviousSegments({
    segments: model.segments,
    segmentIndex: assignment.segmentIndex, // updated in place
    features,
    prepared,
    scaled,
    algorithm: model.algorithm,
    previousOf: previousSegments,
    margin: model.hysteresisMargin,
  });
  return { ...assignment, kept };
}
