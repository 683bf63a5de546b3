import type { RfmFeatureTable } from "../rfm/features";
import { scoreRfm } from "../rfm/scores";
import { fitScaler, applyScaler } from "./scaling";
import { SEGMENT_DEFAULTS, validateFeatures, validateOptions, type SegmentOptions } from "./options";
import { prepare } from "./prepare";
import { fitClusters } from "./fit";
import { clusterDrafts, specialDrafts, toDefinitions, withProfiles } from "./definitions";
import { dedupeNames, hybridNaming } from "./naming";
import { matchToPrevious, applyHysteresis, hysteresisApplies } from "./stability";
import { outliersOf, toSegments } from "./assign";
import { buildProfiles } from "./profiles";
import { buildPlots, fitSilhouette } from "./plots";
import { SEGMENT_FEATURES, type SegmentModel } from "./model";
import type { SegmentationResult } from "./result";

/**
 * Segments customers from their RFM features. See docs/analytics.md for every rule and default.
 * Inputs are not mutated; the same features, options and seed give the same result.
 *
 * The steps, each in its own module:
 *  1. prepare   customers with a purchase → raw feature matrix; RFM scores; scaler fit and applied
 *  2. fit       the algorithm's clusters (fit.ts switches to fit-<algorithm>.ts)
 *  3. drafts    one segment per cluster: centre, medians, name, action, outlier fence (definitions)
 *  4. stability previous model's ids and names for matching clusters (stability: Hungarian)
 *  5. names     namesakes told apart by the median that differs most (naming)
 *  6. model     stored definitions + special segments (whales, outliers, prospects)
 *  7. assign    labels → segments, the outlier rule (assign: the rule assignSegments applies too)
 *  8. hysteresis customers stay in their previous cluster unless the new one is clearly closer
 *  9. profiles  sizes, revenue, medians and the defining sentence per segment
 * 10. plots     curves, PCA scatter and the silhouette of the fit
 */
export function segmentCustomers(features: RfmFeatureTable, options: SegmentOptions): SegmentationResult {
  validateFeatures(features);
  validateOptions(options);
  const algorithm = options.algorithm ?? SEGMENT_DEFAULTS.algorithm;
  const currency = options.currencySymbol ?? "";
  const margin = options.hysteresisMargin ?? SEGMENT_DEFAULTS.hysteresisMargin;
  // A previous model fitted with another algorithm shares nothing with this run.
  const previous = options.previousModel?.algorithm === algorithm ? options.previousModel : undefined;

  // 1. prepare
  const prepared = prepare(features);
  const clusteredCount = prepared.raw.rows;
  if (clusteredCount === 0) throw new RangeError("segmentCustomers: no customer has a purchase before asOf");
  const rfm = scoreRfm(features);
  const scaler = fitScaler(prepared.raw, options.scaling);
  const scaled = applyScaler(scaler, prepared.raw);

  // 2. fit
  const fit = fitClusters({ features, options, prepared, scaler, scaled, rfm, previous }, algorithm);

  // 3–5. drafts, matched to the previous model, with unique names
  const drafts = clusterDrafts(fit, { algorithm, prepared, scaled, scores: rfm.model });
  const matchedSegments = previous !== undefined && algorithm !== "rfm" ? matchToPrevious(drafts, previous, scaler, algorithm) : 0;
  if (algorithm === "hybrid") {
    const named = hybridNaming(drafts.map((d) => ({ tier: d.tier!, standing: d.standing, name: d.name, fixedName: d.fixedName })));
    drafts.forEach((d, k) => Object.assign(d, named[k]!));
  }
  const names = dedupeNames(
    drafts.map((d) => d.name),
    drafts.map((d) => d.medians),
    drafts.map((d) => d.fixedName),
    currency,
  );
  drafts.forEach((d, k) => (d.name = names[k]!));
  drafts.push(...specialDrafts(algorithm));

  // 6. the fitted model (segment sentences and some centres follow from the profiles, step 9)
  const segments = toDefinitions(drafts, scaler, algorithm);
  const fitted: SegmentModel = {
    kind: "segmint.segments",
    version: 1,
    algorithm,
    asOf: features.asOf,
    features: [...SEGMENT_FEATURES],
    seed: options.seed,
    scaler,
    rfmScores: rfm.model,
    segments,
    hysteresisMargin: margin,
    kmeans: fit.kmeans,
    dbscan: fit.dbscan,
    tierCutsMinor: fit.tierCuts,
    tiers: fit.tiers,
  };

  // 7. assign: the fit's labels, the outlier rule, segments per customer
  const assignment = toSegments(fitted, features, prepared, { labels: fit.labels, outlier: outliersOf(fitted, scaled, fit.labels) }, rfm);
  const segmentIndex = assignment.segmentIndex; // hysteresis updates it in place

  // 8. hysteresis (centroid algorithms only: DBSCAN and RFM have no centre to be closer to)
  const { kept, keptCount } =
    previous !== undefined && hysteresisApplies(algorithm)
      ? applyHysteresis({ segments, segmentIndex, features, prepared, scaled, algorithm, previous, previousSegments: options.previousSegments, margin })
      : { kept: new Uint8Array(features.count), keptCount: 0 };

  // 9. profiles, and the definitions completed from them
  const profiles = buildProfiles(features, segments, segmentIndex, rfm.model, currency);
  const finalSegments = withProfiles(segments, profiles, algorithm);
  const model: SegmentModel = { ...fitted, segments: finalSegments };

  // 10. plots and the silhouette of the fit
  const plots = buildPlots(fit, scaled, prepared, segmentIndex, model, options);
  const silhouette = (options.diagnostics ?? true) && algorithm !== "rfm" ? fitSilhouette(fit, scaled, options.seed) : null;

  return {
    ...assignment,
    segmentIndex,
    kept,
    model,
    profiles: profiles.map((p, k) => ({ ...p, centroidOriginal: finalSegments[k]!.centroidOriginal })),
    plots,
    diagnostics: {
      clusteredCustomers: clusteredCount,
      k: fit.k,
      kRule: fit.kRule,
      kBySilhouette: fit.kBySilhouette,
      kByElbow: fit.kByElbow,
      eps: fit.dbscan?.eps ?? null,
      minPoints: fit.dbscan?.minPoints ?? null,
      silhouette,
      keptByHysteresis: keptCount,
      matchedSegments,
    },
  };
}
