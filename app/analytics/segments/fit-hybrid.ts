import { subMatrix } from "../util/matrix";
import { quantileSorted } from "../util/stats";
import type { KMeansModel } from "../clustering/kmeans";
import { SEGMENT_DEFAULTS } from "./options";
import { tierOf } from "./assign";
import type { MonetaryTier } from "./model";
import { emptyFit, type ClusterFit, type FitContext } from "./fit-context";
import { chooseKFor, diagnosticKDistance, populationKChoice } from "./fit-curves";
import { fitKMeansRefresh, previousCentroids } from "./fit-kmeans";

/** Tiers in label order: the high tier's clusters get the lowest labels. */
const TIER_ORDER: readonly MonetaryTier[] = ["high", "mid", "low"];
/** Scaled columns the hybrid clusters on within a tier: recency and frequency. */
const RECENCY_FREQUENCY = [0, 1];

/**
 * Hybrid: spend tiers at quantiles of purchasers' monetary, then K-means on scaled recency and
 * frequency within each tier. Labels are numbered tier by tier (`labelOffset`).
 */
export function fitHybrid(ctx: FitContext): ClusterFit {
  const options = ctx.options;
  const x = ctx.scaled;
  const n = x.rows;
  const fit = emptyFit(n);
  const monetary = new Float64Array(n);
  for (let p = 0; p < n; p++) monetary[p] = ctx.features.monetaryMilli[ctx.prepared.clustered[p]!]!;
  const sorted = Float64Array.from(monetary).sort();
  const [q1, q2] = SEGMENT_DEFAULTS.tierQuantiles;
  const cuts: [number, number] = [quantileSorted(sorted, q1), quantileSorted(sorted, q2)];
  fit.tierCuts = cuts;
  fit.tiers = [];
  let offset = 0;
  const rules: string[] = [];
  for (const tier of TIER_ORDER) {
    const members: number[] = [];
    for (let p = 0; p < n; p++) if (tierOf(cuts, monetary[p]!) === tier) members.push(p);
    const tierX = subMatrix(x, RECENCY_FREQUENCY, members);
    const previousTier = ctx.previous?.tiers?.find((t) => t.tier === tier);
    let k: number;
    if (tierX.rows === 0) k = 0;
    else if ((options.k ?? "auto") !== "auto") k = Math.min(options.k as number, tierX.rows);
    else if (previousTier) k = Math.min(previousTier.kmeans?.k ?? 1, tierX.rows);
    else {
      // at least 3 per tier (recent / cooling / lapsed): K = 2 would merge the lapsed into "cooling"
      const kMax = Math.max(SEGMENT_DEFAULTS.hybridKMin, Math.min(SEGMENT_DEFAULTS.hybridKMax, options.kMax ?? SEGMENT_DEFAULTS.kMax));
      k = chooseKFor(tierX, options.seed, SEGMENT_DEFAULTS.hybridKMin, kMax, Math.min(5_000, options.chooseKSampleSize ?? SEGMENT_DEFAULTS.chooseKSampleSize)).k;
    }
    rules.push(`${tier}: K = ${k}`);
    let model: KMeansModel | null = null;
    if (k >= 1) {
      const previousKMeans = previousTier?.kmeans ?? null;
      const start = ctx.previous !== undefined && previousKMeans !== null && previousKMeans.k === k ? previousCentroids(ctx.previous, previousKMeans.centroids, ctx) : null;
      const tierFit = fitKMeansRefresh(tierX, k, options.seed, start);
      model = tierFit.model;
      members.forEach((p, t) => (fit.labels[p] = offset + tierFit.labels[t]!));
      tierFit.model.centroids.forEach((c, label) => {
        fit.centres.set(offset + label, [...c]);
        fit.labelTier.set(offset + label, tier);
      });
    }
    fit.tiers.push({ tier, kmeans: model, labelOffset: offset });
    offset += Math.max(k, 1);
  }
  fit.kRule = `monetary tiers at the ${q1 * 100}th and ${q2 * 100}th percentiles; K-means on recency/frequency per tier (${rules.join(", ")})`;
  if (options.diagnostics ?? true) {
    fit.curve = populationKChoice(ctx).curve;
    fit.kDistance = diagnosticKDistance(ctx);
  }
  return fit;
}
