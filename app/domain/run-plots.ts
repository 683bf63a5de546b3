// What a stored segment run drew (`SegmentRun.plots`, JSON of the core's PlotData): the one
// reader of that column. Tolerant like parseRunMetrics: a missing, malformed or partial value
// reads as "no curve" instead of failing the page, and points with non-finite numbers are dropped
// (JSON turns NaN into null). Pure.
import type { PlotData } from "../analytics/index";

export type RunPlots = PlotData;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The objects of `list` whose `keys` are all finite numbers, as plain records (a hot loop: 2,000 PCA points). */
function numericRows<K extends string>(list: unknown, keys: readonly K[]): Record<K, number>[] {
  if (!Array.isArray(list)) return [];
  const out: Record<K, number>[] = [];
  outer: for (const item of list as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const source = item as Record<string, unknown>;
    const row = {} as Record<K, number>;
    for (const k of keys) {
      const v = source[k];
      if (typeof v !== "number" || !Number.isFinite(v)) continue outer;
      row[k] = v;
    }
    out.push(row);
  }
  return out;
}

function parseKDistance(v: unknown): PlotData["kDistance"] {
  if (!isObject(v) || !finite(v.eps) || !finite(v.minPoints)) return null;
  const curve = numericRows(v.curve, ["index", "distance"] as const);
  if (curve.length === 0) return null;
  return { minPoints: v.minPoints, eps: v.eps, kneeIndex: finite(v.kneeIndex) ? v.kneeIndex : -1, curve };
}

function parsePca(v: unknown): PlotData["pca"] {
  if (!isObject(v)) return null;
  const points = numericRows(v.points, ["x", "y", "segment"] as const);
  if (points.length === 0) return null;
  const ratio = Array.isArray(v.explainedVarianceRatio) ? v.explainedVarianceRatio.filter(finite) : [];
  return { explainedVarianceRatio: ratio, points, centroids: numericRows(v.centroids, ["x", "y", "segment"] as const) };
}

/** Reads `SegmentRun.plots`; null/"{}"/garbage give empty curves and null panels. */
export function parseRunPlots(json: string | null | undefined): RunPlots {
  let raw: unknown = {};
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    raw = {};
  }
  const p = isObject(raw) ? raw : {};
  return {
    elbow: numericRows(p.elbow, ["k", "inertia"] as const),
    silhouette: numericRows(p.silhouette, ["k", "silhouette"] as const),
    kDistance: parseKDistance(p.kDistance),
    pca: parsePca(p.pca),
  };
}

/** The segment names of a stored `SegmentRun.model`, in model order (PCA points index into it). */
export function segmentNamesOfModel(json: string | null | undefined): string[] {
  let raw: unknown = null;
  try {
    raw = json ? JSON.parse(json) : null;
  } catch {
    raw = null;
  }
  if (!isObject(raw) || !Array.isArray(raw.segments)) return [];
  return raw.segments.map((s, i) => (isObject(s) && typeof s.name === "string" ? s.name : `Segment ${i + 1}`));
}

/**
 * At most `max` points of a long curve (e.g. a k-distance curve over 20,000 customers), evenly
 * spaced, always keeping the first, the last and the point at index `keep` (the knee).
 */
export function thinCurve<T>(curve: readonly T[], max: number, keep = -1): T[] {
  if (curve.length <= max) return [...curve];
  const step = (curve.length - 1) / (max - 1);
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(Math.round(i * step));
  if (keep >= 0 && keep < curve.length) picked.add(keep);
  return [...picked].sort((a, b) => a - b).map((i) => curve[i]!);
}

/** Plots for a page: the k-distance curve thinned to `maxPoints`, its knee kept. */
export function plotsForDisplay(plots: RunPlots, maxPoints = 300): RunPlots {
  const kd = plots.kDistance;
  if (!kd) return plots;
  const knee = kd.curve.findIndex((p) => p.index === kd.kneeIndex);
  return { ...plots, kDistance: { ...kd, curve: thinCurve(kd.curve, maxPoints, knee) } };
}
