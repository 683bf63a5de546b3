import type { Matrix } from "../util/matrix";
import { fitKMeans, type KMeansModel } from "../clustering/kmeans";
import { rescaleRow, scalerPart } from "./scaling";
import { SEGMENT_DEFAULTS } from "./options";
import { centreDims, type SegmentModel } from "./model";
import { emptyFit, type ClusterFit, type FitContext } from "./fit-context";
import { diagnosticKDistance, populationKChoice } from "./fit-curves";

/**
 * K-means for a refresh: a fresh fit, and Lloyd started from the previous run's centres (mapped
 * into today's scaled space). The warm start wins unless the fresh fit's inertia is more than
 * `warmStartSlack` lower, so a small change in the data gives a small change in the clusters.
 * Without previous centres (or with another K) it is the fresh fit; `warm` is then null.
 */
export function fitKMeansRefresh(x: Matrix, k: number, seed: number, previousCentroids: readonly (readonly number[])[] | null): { model: KMeansModel; labels: Int32Array; warm: boolean | null } {
  const fresh = fitKMeans(x, { k, seed });
  if (previousCentroids === null || previousCentroids.length !== k) return { ...fresh, warm: null };
  const warm = fitKMeans(x, { k, seed, initialCentroids: previousCentroids });
  if (warm.model.inertia <= fresh.model.inertia * (1 + SEGMENT_DEFAULTS.warmStartSlack)) return { ...warm, warm: true };
  return { ...fresh, warm: false };
}

/** Centroids of a previous model's K-means in today's scaled space (first `dims` features). */
export function previousCentroids(previous: SegmentModel, centroids: readonly (readonly number[])[], ctx: FitContext): number[][] {
  const dims = centreDims(previous.algorithm);
  const from = scalerPart(previous.scaler, dims);
  const to = scalerPart(ctx.scaler, dims);
  return centroids.map((c) => rescaleRow(from, to, c));
}

/** K-means on the three scaled features; K given, kept from the previous model, or chosen. */
export function fitKMeansSegments(ctx: FitContext): ClusterFit {
  const options = ctx.options;
  const x = ctx.scaled;
  const fit = emptyFit(x.rows);
  const previousKMeans = ctx.previous?.kmeans ?? null;
  const auto = (options.k ?? "auto") === "auto";
  let k: number;
  if (!auto) k = Math.min(options.k as number, x.rows);
  else if (previousKMeans !== null) {
    k = Math.min(previousKMeans.k, x.rows);
    fit.kRule = `kept K = ${k} from the previous model (refresh); pass a number or omit previousModel to re-choose`;
  } else k = 0; // chosen below
  if (k === 0 || (options.diagnostics ?? true)) {
    const choice = populationKChoice(ctx);
    fit.curve = choice.curve;
    fit.kBySilhouette = choice.bySilhouette;
    fit.kByElbow = choice.byElbow;
    if (k === 0) {
      k = choice.k;
      fit.kRule = choice.rule;
    } else if (!auto) fit.kRule = `K = ${k} given (the K rule would choose ${choice.k})`;
  }
  if (!auto) fit.kRule ??= `K = ${k} given`;
  const start = ctx.previous !== undefined && previousKMeans !== null && previousKMeans.k === k ? previousCentroids(ctx.previous, previousKMeans.centroids, ctx) : null;
  const { model, labels, warm } = fitKMeansRefresh(x, k, options.seed, start);
  const slack = SEGMENT_DEFAULTS.warmStartSlack * 100;
  if (warm === true) fit.kRule += `; warm-started from the previous centres (inertia within ${slack} % of a fresh fit)`;
  else if (warm === false) fit.kRule += `; a fresh fit was more than ${slack} % better than the warm start: refitted`;
  fit.kmeans = model;
  fit.labels = labels;
  fit.k = k;
  model.centroids.forEach((c, label) => fit.centres.set(label, [...c]));
  fit.kDistance = diagnosticKDistance(ctx);
  return fit;
}
