import { sampleRows } from "../util/random";
import { quantileSorted } from "../util/stats";
import { dbscan } from "../clustering/dbscan";
import { SEGMENT_DEFAULTS } from "./options";
import { dbscanLabels } from "./assign";
import { FEATURE_COUNT, MONETARY } from "./prepare";
import type { DbscanModelPart } from "./model";
import { emptyFit, type ClusterFit, type FitContext } from "./fit-context";
import { kDistanceCurve, minPointsOf } from "./fit-curves";

/**
 * DBSCAN, fitted on a seeded sample; then every customer takes the label of its nearest core
 * point within eps (the same rule `assignSegments` applies later). eps: given, kept from the
 * previous model, or the knee of the sample's k-distance curve.
 */
export function fitDbscanSegments(ctx: FitContext): ClusterFit {
  const options = ctx.options;
  const x = ctx.scaled;
  const n = x.rows;
  const fit = emptyFit(n);
  const minPoints = minPointsOf(ctx);
  const { sample } = sampleRows(x, options.dbscanFitSampleSize ?? SEGMENT_DEFAULTS.dbscanFitSampleSize, options.seed);
  const kDistance = kDistanceCurve(sample, minPoints);
  fit.kDistance = kDistance;
  let eps: number;
  if (options.eps !== undefined && options.eps !== "auto") eps = options.eps;
  else if (ctx.previous?.dbscan) eps = ctx.previous.dbscan.eps;
  else if (kDistance !== null && kDistance.eps > 0) eps = kDistance.eps;
  else throw new RangeError(`DBSCAN: too few customers (${sample.rows}) for minPoints ${minPoints}; give eps`);
  const found = dbscan(sample, { eps, minPoints });
  const corePoints: number[] = [];
  const coreLabels: number[] = [];
  for (let t = 0; t < sample.rows; t++) {
    if (!found.isCore[t]) continue;
    for (let j = 0; j < sample.cols; j++) corePoints.push(sample.data[t * sample.cols + j]!);
    coreLabels.push(found.labels[t]!);
  }
  const monetarySorted = new Float64Array(n);
  for (let p = 0; p < n; p++) monetarySorted[p] = ctx.prepared.raw.data[p * FEATURE_COUNT + MONETARY]!;
  monetarySorted.sort();
  const part: DbscanModelPart = {
    eps,
    minPoints,
    corePoints,
    coreLabels,
    fitSize: sample.rows,
    whaleMonetary: quantileSorted(monetarySorted, SEGMENT_DEFAULTS.whaleQuantile),
  };
  fit.dbscan = part;
  fit.labels = dbscanLabels(part, x);
  fit.k = found.clusterCount;
  fit.kRule = `DBSCAN found ${found.clusterCount} clusters (eps ${eps.toPrecision(3)}, minPoints ${minPoints}, fitted on ${sample.rows} customers)`;
  // centres = member means (for matching, naming and plots)
  const sums = new Map<number, { sum: number[]; count: number }>();
  for (let p = 0; p < n; p++) {
    const label = fit.labels[p]!;
    if (label < 0) continue;
    let entry = sums.get(label);
    if (!entry) sums.set(label, (entry = { sum: [0, 0, 0], count: 0 }));
    for (let j = 0; j < FEATURE_COUNT; j++) entry.sum[j] = entry.sum[j]! + x.data[p * FEATURE_COUNT + j]!;
    entry.count++;
  }
  for (const [label, entry] of sums) fit.centres.set(label, entry.sum.map((v) => v / entry.count));
  return fit;
}
