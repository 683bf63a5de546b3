import { selectRows, type Matrix } from "../util/matrix";
import { sampleRows } from "../util/random";
import { pca2d } from "../clustering/pca";
import { sampledSilhouette } from "../clustering/silhouette";
import { SEGMENT_DEFAULTS, type SegmentOptions } from "./options";
import { FEATURE_COUNT, type Prepared } from "./prepare";
import type { ClusterFit } from "./fit";
import type { SegmentModel } from "./model";
import type { PlotData } from "./result";

/** Plot data: the fit's elbow/silhouette and k-distance curves, and a PCA scatter of a seeded sample. */
export function buildPlots(fit: ClusterFit, scaled: Matrix, prepared: Prepared, segmentIndex: Int32Array, model: SegmentModel, options: SegmentOptions): PlotData {
  const elbow = fit.curve.map((c) => ({ k: c.k, inertia: c.inertia }));
  const silhouette = fit.curve.map((c) => ({ k: c.k, silhouette: c.silhouette }));
  let pca: PlotData["pca"] = null;
  if (scaled.rows >= 3) {
    const projection = pca2d(scaled);
    const { sample, rows } = sampleRows(scaled, options.plotSampleSize ?? SEGMENT_DEFAULTS.plotSampleSize, options.seed + 1);
    const projected = projection.project(sample);
    const points: { x: number; y: number; segment: number }[] = [];
    for (let t = 0; t < sample.rows; t++) {
      const p = rows === null ? t : rows[t]!;
      points.push({ x: projected[t * 2]!, y: projected[t * 2 + 1]!, segment: segmentIndex[prepared.clustered[p]!]! });
    }
    const centroids: { x: number; y: number; segment: number }[] = [];
    model.segments.forEach((s, k) => {
      if (s.centroidScaled.length !== FEATURE_COUNT) return;
      const q = projection.project({ data: Float64Array.from(s.centroidScaled), rows: 1, cols: FEATURE_COUNT });
      centroids.push({ x: q[0]!, y: q[1]!, segment: k });
    });
    pca = { explainedVarianceRatio: projection.explainedVarianceRatio, points, centroids };
  }
  return { elbow, silhouette, kDistance: fit.kDistance, pca };
}

/** Sampled silhouette of the fit's clusters (DBSCAN noise left out); null with fewer than 2 clusters or 3 points. */
export function fitSilhouette(fit: ClusterFit, scaled: Matrix, seed: number): number | null {
  const clusteredPositions: number[] = [];
  for (let p = 0; p < scaled.rows; p++) if (fit.labels[p]! >= 0) clusteredPositions.push(p);
  const labels = Int32Array.from(clusteredPositions, (p) => fit.labels[p]!);
  if (new Set(labels).size < 2 || clusteredPositions.length <= 2) return null;
  const x = clusteredPositions.length === scaled.rows ? scaled : selectRows(scaled, clusteredPositions);
  return sampledSilhouette(x, labels, { sampleSize: Math.min(5000, clusteredPositions.length), seed });
}
