import type { Matrix } from "../util/matrix";
import { sampleRows } from "../util/random";
import { chooseK } from "../clustering/choose-k";
import { proposeEps } from "../clustering/dbscan";
import { SEGMENT_DEFAULTS } from "./options";
import type { PlotData } from "./result";
import type { FitContext, KCurve } from "./fit-context";

/** The elbow/silhouette choice of K over kMin..kMax (clamped to the rows), with its curve. */
export function chooseKFor(x: Matrix, seed: number, kMin: number, kMax: number, sampleSize: number): { k: number; rule: string; bySilhouette: number; byElbow: number; curve: KCurve } {
  const hi = Math.min(kMax, x.rows - 1);
  if (hi < kMin) {
    const k = Math.max(1, Math.min(x.rows, kMin));
    return { k, rule: `too few customers (${x.rows}) to compare K; K = ${k}`, bySilhouette: k, byElbow: k, curve: [] };
  }
  // The curve only ranks K values: on big inputs it is computed on a seeded sample.
  const { sample } = sampleRows(x, SEGMENT_DEFAULTS.chooseKFitSampleSize, seed);
  const choice = chooseK(sample, { kMin, kMax: Math.min(hi, sample.rows - 1), seed, sampleSize });
  return { k: choice.k, rule: choice.rule, bySilhouette: choice.bySilhouette, byElbow: choice.byElbow, curve: choice.curve };
}

/** The whole population's K curve, with the options' K range and sample size. */
export function populationKChoice(ctx: FitContext): ReturnType<typeof chooseKFor> {
  const options = ctx.options;
  return chooseKFor(ctx.scaled, options.seed, options.kMin ?? SEGMENT_DEFAULTS.kMin, options.kMax ?? SEGMENT_DEFAULTS.kMax, options.chooseKSampleSize ?? SEGMENT_DEFAULTS.chooseKSampleSize);
}

/** DBSCAN's minPoints: the option, else 2 × dimensions. */
export function minPointsOf(ctx: FitContext): number {
  return ctx.options.minPoints ?? 2 * ctx.scaled.cols;
}

/** The sorted k-distance curve and its knee (the proposed eps); null with too few points. */
export function kDistanceCurve(x: Matrix, minPoints: number): PlotData["kDistance"] {
  if (x.rows <= minPoints) return null;
  const proposal = proposeEps(x, minPoints);
  return { minPoints, eps: proposal.eps, kneeIndex: proposal.kneeIndex, curve: proposal.curve };
}

/** The k-distance diagnostic on a sample, for algorithms other than DBSCAN (null without diagnostics). */
export function diagnosticKDistance(ctx: FitContext): PlotData["kDistance"] {
  if (!(ctx.options.diagnostics ?? true)) return null;
  return kDistanceCurve(sampleRows(ctx.scaled, SEGMENT_DEFAULTS.kDistanceSampleSize, ctx.options.seed).sample, minPointsOf(ctx));
}
