import { assertMatrix, type Matrix } from "../util/matrix";
import { fitKMeans } from "./kmeans";
import { findKnee } from "./knee";
import { SILHOUETTE_DEFAULT_SAMPLE, sampledSilhouette } from "./silhouette";

/**
 * Choosing K for K-means. For every K in kMin..kMax: fit K-means (nInit restarts), record the
 * inertia, and the sampled silhouette of the labels (the same sample for every K, so the values
 * are paired). Two candidates:
 *   bySilhouette — the K with the highest silhouette (ties: smaller K);
 *   byElbow      — the knee of the inertia curve (Kneedle, convex decreasing); −1 if none.
 * Rule: take bySilhouette, unless the elbow K's silhouette is within ELBOW_SILHOUETTE_SLACK (0.05)
 * of the best — then take byElbow. Why: on RFM data the silhouette usually peaks at K = 2 (one-time
 * vs repeat buyers), which is too coarse to act on; the elbow K has more segments and is accepted
 * when it separates almost as well. The decision, with numbers, is spelled out in `rule`.
 */
export interface ChooseKOptions {
  /** Smallest K tried. Default 2 (silhouette needs ≥ 2 clusters). */
  kMin?: number;
  /** Largest K tried. Default 10; clamped to rows − 1. */
  kMax?: number;
  seed: number;
  /** Rows in the silhouette sample. Default 10,000. */
  sampleSize?: number;
  /** K-means restarts per K. Default 2: the curve only has to rank K values. */
  nInit?: number;
}

export interface ChooseKResult {
  k: number;
  bySilhouette: number;
  byElbow: number;
  rule: string;
  curve: { k: number; inertia: number; silhouette: number }[];
}

export const CHOOSE_K_DEFAULTS = { kMin: 2, kMax: 10, sampleSize: SILHOUETTE_DEFAULT_SAMPLE, nInit: 2 } as const;
export const ELBOW_SILHOUETTE_SLACK = 0.05;

export function chooseK(x: Matrix, o: ChooseKOptions): ChooseKResult {
  assertMatrix(x, "chooseK");
  if (o === null || typeof o !== "object") throw new TypeError("chooseK: options { seed, … } required");
  const kMin = o.kMin ?? CHOOSE_K_DEFAULTS.kMin;
  const kMaxAsked = o.kMax ?? CHOOSE_K_DEFAULTS.kMax;
  const sampleSize = o.sampleSize ?? CHOOSE_K_DEFAULTS.sampleSize;
  const nInit = o.nInit ?? CHOOSE_K_DEFAULTS.nInit;
  if (typeof o.seed !== "number" || !Number.isFinite(o.seed)) throw new TypeError("chooseK: seed must be a finite number");
  if (!Number.isInteger(kMin) || kMin < 2) throw new RangeError(`chooseK: kMin must be an integer ≥ 2, got ${kMin}`);
  if (!Number.isInteger(kMaxAsked) || kMaxAsked < kMin) throw new RangeError(`chooseK: kMax must be an integer ≥ kMin, got ${kMaxAsked}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new RangeError(`chooseK: sampleSize must be an integer ≥ 2`);
  const kMax = Math.min(kMaxAsked, x.rows - 1);
  if (kMax < kMin) throw new RangeError(`chooseK: need more than kMin = ${kMin} rows, got ${x.rows}`);

  const curve: { k: number; inertia: number; silhouette: number }[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const { model, labels } = fitKMeans(x, { k, seed: o.seed + k, nInit });
    const silhouette = sampledSilhouette(x, labels, { sampleSize, seed: o.seed });
    curve.push({ k, inertia: model.inertia, silhouette });
  }
  let best = curve[0] as { k: number; silhouette: number };
  for (const c of curve) if (c.silhouette > best.silhouette) best = c;
  const knee = findKnee(curve.map((c) => c.k), curve.map((c) => c.inertia), { curve: "convex", direction: "decreasing" });
  const elbow = knee >= 0 ? curve[knee] : undefined;
  const fmt = (v: number): string => v.toFixed(3);
  let k = best.k;
  let rule: string;
  if (elbow === undefined) {
    rule = `inertia curve has no knee; K = ${best.k}, the best silhouette (${fmt(best.silhouette)})`;
  } else if (elbow.k === best.k) {
    rule = `silhouette and inertia elbow agree: K = ${best.k} (silhouette ${fmt(best.silhouette)})`;
  } else if (elbow.silhouette >= best.silhouette - ELBOW_SILHOUETTE_SLACK) {
    k = elbow.k;
    rule =
      `elbow K = ${elbow.k} (silhouette ${fmt(elbow.silhouette)}) is within ${ELBOW_SILHOUETTE_SLACK} of the best ` +
      `silhouette (K = ${best.k}, ${fmt(best.silhouette)}); K = ${elbow.k}`;
  } else {
    rule =
      `best silhouette K = ${best.k} (${fmt(best.silhouette)}); the elbow K = ${elbow.k} separates worse ` +
      `(${fmt(elbow.silhouette)}, more than ${ELBOW_SILHOUETTE_SLACK} below); K = ${best.k}`;
  }
  return { k, bySilhouette: best.k, byElbow: elbow?.k ?? -1, rule, curve };
}
