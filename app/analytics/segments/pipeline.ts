import type { Matrix } from "../util/matrix";
import { createRng, sampleWithoutReplacement } from "../util/random";
import { fitKMeans, type KMeansModel } from "../clustering/kmeans";
import { chooseK } from "../clustering/choose-k";
import { dbscan, proposeEps } from "../clustering/dbscan";
import { pca2d } from "../clustering/pca";
import { sampledSilhouette } from "../clustering/silhouette";
import type { RfmFeatureTable } from "../rfm/features";
import { scoreRfm, applyRfmScores, scoreWithScale, type RfmScoreModel } from "../rfm/scores";
import { rfmGroup, RFM_GROUPS, type RfmGroupId } from "../rfm/groups";
import { fitScaler, applyScaler, scaleRow, invertScaledRow, quantileSorted, type ScalerOptions, type ScalerModel } from "./scaling";
import { hungarian } from "./hungarian";
import { lloydFrom } from "./warm-start";
import { buildNearestIndex } from "./nearest";
import { describeSegment, formatCount } from "./describe";
import { formatMoneyReadable } from "../money";
import {
  SEGMENT_FEATURES,
  type SegmentAlgorithm,
  type SegmentModel,
  type SegmentDefinition,
  type MonetaryTier,
  type DbscanModelPart,
  type HybridTierPart,
} from "./model";

/** Defaults of `segmentCustomers` (documented in docs/analytics.md). */
export const SEGMENT_DEFAULTS = {
  algorithm: "kmeans" as SegmentAlgorithm,
  k: "auto" as const,
  kMin: 2,
  kMax: 8,
  eps: "auto" as const,
  /** Relative hysteresis margin: switch only if the new centre is ≥ 10 % closer. */
  hysteresisMargin: 0.1,
  /** Points in the PCA scatter. */
  plotSampleSize: 2000,
  /** Sample for choosing K (elbow + silhouette). */
  chooseKSampleSize: 10_000,
  /** K-means fits behind the elbow/silhouette curve use at most this many customers. */
  chooseKFitSampleSize: 50_000,
  /** DBSCAN is fitted on at most this many customers; the rest are assigned to core points. */
  dbscanFitSampleSize: 20_000,
  /** Points used for the k-distance diagnostic curve when DBSCAN is not the algorithm. */
  kDistanceSampleSize: 3_000,
  /** Hybrid monetary tiers: quantiles of purchasers' monetary cutting low|mid and mid|high. */
  tierQuantiles: [0.5, 0.8] as readonly [number, number],
  /** Hybrid: K range per tier when k is "auto" (chooseK rule within the range). */
  hybridKMin: 3,
  hybridKMax: 4,
  /** DBSCAN noise with monetary at or above this quantile of purchasers is a whale. */
  whaleQuantile: 0.95,
  /** Refresh: keep the warm-started K-means unless a fresh fit has > 10 % lower inertia. */
  warmStartSlack: 0.1,
  /** K-means outlier: distance to own centroid > Q3 + 3·IQR of the cluster's distances. */
  outlierIqrFactor: 3,
};

export interface SegmentOptions {
  readonly algorithm?: SegmentAlgorithm;
  /** Number of clusters, or "auto" (the clustering chooseK rule). Hybrid: per tier. */
  readonly k?: "auto" | number;
  readonly kMin?: number;
  readonly kMax?: number;
  /** DBSCAN radius in scaled space, or "auto" (knee of the k-distance curve). */
  readonly eps?: "auto" | number;
  /** DBSCAN minimum neighbourhood size. Default 2 × dimensions (= 6). */
  readonly minPoints?: number;
  /** Seed of every random choice (K-means++, samples). Required: the core has no default randomness. */
  readonly seed: number;
  readonly scaling?: ScalerOptions;
  /** The model of the previous run: segment ids/names persist, hysteresis applies. */
  readonly previousModel?: SegmentModel;
  /** Previous segment id per customer id; default: the previous model's assignment of today's features. */
  readonly previousSegments?: ReadonlyMap<string, string>;
  readonly hysteresisMargin?: number;
  readonly plotSampleSize?: number;
  readonly chooseKSampleSize?: number;
  readonly dbscanFitSampleSize?: number;
  /** Compute the elbow/silhouette/k-distance curves even when not needed for the fit. Default true. */
  readonly diagnostics?: boolean;
  /** Prefix of amounts in sentences, e.g. "£". Default none. */
  readonly currencySymbol?: string;
}

export interface SegmentAssignment {
  /** Per customer (feature-table order): algorithm label; −1 DBSCAN noise; −2 not clustered (no purchase). */
  readonly labels: Int32Array;
  /** Index into `model.segments`. */
  readonly segmentIndex: Int32Array;
  readonly outlier: Uint8Array;
  /** 1 when the hysteresis rule kept the previous segment. */
  readonly kept: Uint8Array;
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  readonly rfmGroups: readonly RfmGroupId[];
}

export interface SegmentProfile {
  readonly segmentId: string;
  readonly name: string;
  readonly kind: SegmentDefinition["kind"];
  readonly tier: MonetaryTier | null;
  readonly size: number;
  readonly share: number;
  readonly revenueMilli: number;
  /** Segment net monetary / total net monetary (can be negative for net-refund segments). */
  readonly revenueShare: number;
  readonly mean: { readonly recencyDays: number; readonly frequency: number; readonly monetaryMilli: number };
  readonly median: { readonly recencyDays: number; readonly frequency: number; readonly monetaryMilli: number };
  /** recency days, orders, monetary in units of currency. */
  readonly centroidOriginal: readonly number[];
  readonly definition: string;
  readonly action: string;
}

export interface PlotData {
  readonly elbow: readonly { k: number; inertia: number }[];
  readonly silhouette: readonly { k: number; silhouette: number }[];
  readonly kDistance: { readonly minPoints: number; readonly eps: number; readonly kneeIndex: number; readonly curve: readonly { index: number; distance: number }[] } | null;
  readonly pca: {
    readonly explainedVarianceRatio: readonly number[];
    /** Sampled customers: x, y, segment index. */
    readonly points: readonly { x: number; y: number; segment: number }[];
    readonly centroids: readonly { x: number; y: number; segment: number }[];
  } | null;
}

export interface SegmentDiagnostics {
  readonly clusteredCustomers: number;
  readonly k: number | null;
  readonly kRule: string | null;
  readonly kBySilhouette: number | null;
  readonly kByElbow: number | null;
  readonly eps: number | null;
  readonly minPoints: number | null;
  readonly silhouette: number | null;
  readonly keptByHysteresis: number;
  /** Previous segment id → new segment id for matched clusters. */
  readonly matchedSegments: number;
}

export interface SegmentationResult extends SegmentAssignment {
  readonly model: SegmentModel;
  readonly profiles: readonly SegmentProfile[];
  readonly plots: PlotData;
  readonly diagnostics: SegmentDiagnostics;
}

// ---------------------------------------------------------------------------------------------

interface Prepared {
  /** Customer indices with frequency ≥ 1, in table order. */
  readonly clustered: Int32Array;
  /** Raw features of `clustered`: recency, frequency, monetary in units of currency. */
  readonly raw: Matrix;
  /** Position in `clustered` of each customer, −1 if not clustered. */
  readonly position: Int32Array;
}

function prepare(features: RfmFeatureTable): Prepared {
  const n = features.count;
  const position = new Int32Array(n).fill(-1);
  let c = 0;
  for (let i = 0; i < n; i++) if (features.frequency[i]! > 0) position[i] = c++;
  const clustered = new Int32Array(c);
  const data = new Float64Array(c * 3);
  for (let i = 0; i < n; i++) {
    const p = position[i]!;
    if (p < 0) continue;
    clustered[p] = i;
    data[p * 3] = features.recencyDays[i]!;
    data[p * 3 + 1] = features.frequency[i]!;
    data[p * 3 + 2] = features.monetaryMilli[i]! / 1000;
  }
  return { clustered, raw: { data, rows: c, cols: 3 }, position };
}

function validateFeatures(features: RfmFeatureTable): void {
  if (features === null || typeof features !== "object" || !(features.frequency instanceof Int32Array)) {
    throw new TypeError("segmentCustomers: features must be an RfmFeatureTable (computeRfmFeatures)");
  }
  const n = features.count;
  if (features.customerIds.length !== n || features.recencyDays.length !== n || features.monetaryMilli.length !== n) {
    throw new RangeError("segmentCustomers: feature columns have different lengths");
  }
}

function validateOptions(o: SegmentOptions): void {
  if (o === null || typeof o !== "object") throw new TypeError("segmentCustomers: options object required");
  if (typeof o.seed !== "number" || !Number.isFinite(o.seed)) throw new TypeError("segmentCustomers: seed must be a finite number");
  const alg = o.algorithm ?? SEGMENT_DEFAULTS.algorithm;
  if (!["rfm", "kmeans", "dbscan", "hybrid"].includes(alg)) throw new RangeError(`segmentCustomers: algorithm must be rfm, kmeans, dbscan or hybrid, got ${String(alg)}`);
  if (o.k !== undefined && o.k !== "auto" && !(Number.isInteger(o.k) && o.k >= 1)) throw new RangeError(`segmentCustomers: k must be "auto" or an integer ≥ 1, got ${String(o.k)}`);
  if (o.eps !== undefined && o.eps !== "auto" && !(typeof o.eps === "number" && o.eps > 0 && Number.isFinite(o.eps))) {
    throw new RangeError(`segmentCustomers: eps must be "auto" or a positive number, got ${String(o.eps)}`);
  }
  if (o.minPoints !== undefined && !(Number.isInteger(o.minPoints) && o.minPoints >= 2)) throw new RangeError("segmentCustomers: minPoints must be an integer ≥ 2");
  const margin = o.hysteresisMargin ?? SEGMENT_DEFAULTS.hysteresisMargin;
  if (!(margin >= 0 && margin < 1)) throw new RangeError("segmentCustomers: hysteresisMargin must be in [0, 1)");
  const kMin = o.kMin ?? SEGMENT_DEFAULTS.kMin;
  const kMax = o.kMax ?? SEGMENT_DEFAULTS.kMax;
  if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 2 && kMax >= kMin)) throw new RangeError("segmentCustomers: need integers 2 ≤ kMin ≤ kMax");
}

function dist2(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[aOff + j]! - b[bOff + j]!;
    s += t * t;
  }
  return s;
}

function columns(x: Matrix, cols: readonly number[], rows?: ArrayLike<number>): Matrix {
  const n = rows === undefined ? x.rows : rows.length;
  const out = new Float64Array(n * cols.length);
  for (let t = 0; t < n; t++) {
    const i = rows === undefined ? t : rows[t]!;
    for (let j = 0; j < cols.length; j++) out[t * cols.length + j] = x.data[i * x.cols + cols[j]!]!;
  }
  return { data: out, rows: n, cols: cols.length };
}

/** Median (mean of the two middle values for even n), by quickselect on a copy: O(n). */
export function medianOf(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(values);
  const hi = n >> 1;
  const upper = select(a, hi);
  if (n % 2 === 1) return upper;
  // the lower middle is the largest value left of position hi after selection
  let lower = -Infinity;
  for (let i = 0; i < hi; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** k-th smallest (0-based) of `a`, partially reordering it (Hoare partition, middle pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Scores of a segment's medians on the population scales (for names and sentences). */
function medianScores(scores: RfmScoreModel, med: { recencyDays: number; frequency: number; monetaryMilli: number }): { r: number; f: number; m: number } {
  return {
    r: Math.max(1, scoreWithScale(scores.recency, med.recencyDays)),
    f: Math.max(1, scoreWithScale(scores.frequency, med.frequency)),
    m: Math.max(1, scoreWithScale(scores.monetary, med.monetaryMilli)),
  };
}

// ----- assignment with a fitted model (also used right after fitting) ------------------------

interface CoreAssignment {
  labels: Int32Array; // per clustered position
  outlier: Uint8Array; // per clustered position
}

/** DBSCAN assignment: label of the nearest core point within eps (k-d tree), else noise. */
function assignDbscan(part: DbscanModelPart, x: Matrix): Int32Array {
  const d = x.cols;
  const nCores = part.coreLabels.length;
  const labels = new Int32Array(x.rows).fill(-1);
  if (nCores === 0) return labels;
  const index = buildNearestIndex(part.corePoints, nCores, d);
  const eps2 = part.eps * part.eps;
  for (let i = 0; i < x.rows; i++) {
    const c = index.nearestWithin(x.data, i * d, eps2);
    if (c >= 0) labels[i] = part.coreLabels[c]!;
  }
  return labels;
}

function nearestCentroid(centroids: readonly (readonly number[])[], x: Matrix, i: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const dd = dist2(x.data, i * x.cols, centroids[c]!, 0, x.cols);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best;
}

function tierOf(cuts: readonly [number, number], monetaryMilli: number): MonetaryTier {
  return monetaryMilli >= cuts[1] ? "high" : monetaryMilli >= cuts[0] ? "mid" : "low";
}

const TIER_ORDER: readonly MonetaryTier[] = ["high", "mid", "low"];

/** Labels of clustered customers under a model (no refit). `scaled` is in the model's space. */
function coreAssign(model: SegmentModel, scaled: Matrix, raw: Matrix, r: Uint8Array, f: Uint8Array, m: Uint8Array, clustered: Int32Array): CoreAssignment {
  const n = scaled.rows;
  const labels = new Int32Array(n);
  const outlier = new Uint8Array(n);
  if (model.algorithm === "rfm") {
    for (let p = 0; p < n; p++) {
      const i = clustered[p]!;
      labels[p] = RFM_GRID_ORDER.indexOf(rfmGroup(r[i]!, f[i]!, m[i]!));
    }
    return { labels, outlier };
  }
  if (model.algorithm === "kmeans") {
    const km = model.kmeans!;
    for (let p = 0; p < n; p++) labels[p] = nearestCentroid(km.centroids, scaled, p);
  } else if (model.algorithm === "hybrid") {
    const cuts = model.tierCutsMinor!;
    for (let p = 0; p < n; p++) {
      const tier = tierOf(cuts, raw.data[p * 3 + 2]! * 1000);
      const part = model.tiers!.find((t) => t.tier === tier)!;
      if (part.kmeans === null) labels[p] = part.labelOffset;
      else {
        const c = nearestCentroid(part.kmeans.centroids, { data: scaled.data.subarray(p * 3, p * 3 + 2), rows: 1, cols: 2 }, 0);
        labels[p] = part.labelOffset + c;
      }
    }
  } else {
    const part = model.dbscan!;
    labels.set(assignDbscan(part, scaled));
    for (let p = 0; p < n; p++) if (labels[p] === -1) outlier[p] = 1;
    return { labels, outlier };
  }
  // distance outliers for centroid models
  const byLabel = new Map(model.segments.filter((s) => s.kind === "cluster").map((s) => [s.label, s]));
  for (let p = 0; p < n; p++) {
    const seg = byLabel.get(labels[p]!);
    if (seg === undefined || seg.outlierDistance === null) continue;
    const c = seg.centroidScaled;
    const d = model.algorithm === "hybrid" ? 2 : 3;
    if (Math.sqrt(dist2(scaled.data, p * 3, c, 0, d)) > seg.outlierDistance) outlier[p] = 1;
  }
  return { labels, outlier };
}

/** Fixed label order of the RFM algorithm's clusters (the grid groups). */
const RFM_GRID_ORDER: readonly RfmGroupId[] = ["CHAMPIONS", "LOYAL", "ACTIVE", "PROMISING", "NEW", "NEEDS_ATTENTION", "AT_RISK", "PREVIOUSLY_LOYAL", "ALMOST_LOST", "DORMANT"];

/** label (and spend, for DBSCAN noise) → index in model.segments; built once per assignment. */
function segmentLookup(model: SegmentModel): (label: number, monetaryUnits: number) => number {
  const byLabel = new Map<number, number>();
  model.segments.forEach((s, k) => {
    if (s.kind === "cluster" || s.kind === "rfm-group") byLabel.set(s.label, k);
  });
  const prospects = model.segments.findIndex((s) => s.kind === "prospects");
  const whales = model.segments.findIndex((s) => s.kind === "whales");
  const outliers = model.segments.findIndex((s) => s.kind === "outliers");
  return (label, monetaryUnits) => {
    if (label === -2) return prospects;
    if (label === -1) return model.dbscan !== null && monetaryUnits >= model.dbscan.whaleMonetary ? whales : outliers;
    return byLabel.get(label) ?? -1;
  };
}

/**
 * Scores customers with a fitted model, without refitting: same scaler, same RFM score edges,
 * same centroids / core points / tier cuts. New customers get the segment they would have
 * received in the fit (up to ties).
 */
export function assignSegments(model: SegmentModel, features: RfmFeatureTable): SegmentAssignment {
  validateFeatures(features);
  const prep = prepare(features);
  const scored = applyRfmScores(model.rfmScores, features);
  const scaled = applyScaler(model.scaler, prep.raw);
  const core = coreAssign(model, scaled, prep.raw, scored.r, scored.f, scored.m, prep.clustered);
  return finishAssignment(model, features, prep, core, scored);
}

function finishAssignment(
  model: SegmentModel,
  features: RfmFeatureTable,
  prep: Prepared,
  core: CoreAssignment,
  scored: { r: Uint8Array; f: Uint8Array; m: Uint8Array },
): SegmentAssignment {
  const n = features.count;
  const labels = new Int32Array(n).fill(-2);
  const segmentIndex = new Int32Array(n);
  const outlier = new Uint8Array(n);
  const groups: RfmGroupId[] = new Array<RfmGroupId>(n);
  const segmentIndexFor = segmentLookup(model);
  const prospects = segmentIndexFor(-2, 0);
  for (let i = 0; i < n; i++) {
    groups[i] = rfmGroup(scored.r[i]!, scored.f[i]!, scored.m[i]!);
    const p = prep.position[i]!;
    if (p < 0) {
      segmentIndex[i] = prospects;
      continue;
    }
    labels[i] = core.labels[p]!;
    outlier[i] = core.outlier[p]!;
    const s = segmentIndexFor(labels[i]!, features.monetaryMilli[i]! / 1000);
    if (s < 0) throw new Error(`internal: no segment for label ${labels[i]}`);
    segmentIndex[i] = s;
  }
  return { labels, segmentIndex, outlier, kept: new Uint8Array(n), r: scored.r, f: scored.f, m: scored.m, rfmGroups: groups };
}

// ----- fitting ------------------------------------------------------------------------------

interface FitContext {
  readonly features: RfmFeatureTable;
  readonly options: SegmentOptions;
  readonly prep: Prepared;
  readonly scaler: ScalerModel;
  readonly scaled: Matrix;
  readonly scores: RfmScoreModel;
}

interface ClusterFit {
  labels: Int32Array; // per clustered position
  kmeans: KMeansModel | null;
  dbscan: DbscanModelPart | null;
  tiers: HybridTierPart[] | null;
  tierCuts: [number, number] | null;
  /** label → tier for hybrid */
  labelTier: Map<number, MonetaryTier>;
  /** label → centre (scaled, full 3-D or 2-D for hybrid) for centroid algorithms */
  centres: Map<number, number[]>;
  curve: { k: number; inertia: number; silhouette: number }[];
  k: number | null;
  kRule: string | null;
  kBySilhouette: number | null;
  kByElbow: number | null;
  kDistance: PlotData["kDistance"];
}

function sampleMatrix(x: Matrix, size: number, seed: number): { m: Matrix; idx: Int32Array | null } {
  if (x.rows <= size) return { m: x, idx: null };
  const idx = sampleWithoutReplacement(x.rows, size, createRng(seed)).sort();
  return { m: columns(x, Array.from({ length: x.cols }, (_, j) => j), idx), idx };
}

function runChooseK(x: Matrix, seed: number, kMin: number, kMax: number, sampleSize: number): { k: number; rule: string; bySilhouette: number; byElbow: number; curve: { k: number; inertia: number; silhouette: number }[] } {
  const hi = Math.min(kMax, x.rows - 1);
  if (hi < kMin) {
    const k = Math.max(1, Math.min(x.rows, kMin));
    return { k, rule: `too few customers (${x.rows}) to compare K; K = ${k}`, bySilhouette: k, byElbow: k, curve: [] };
  }
  // The curve only ranks K values: on big inputs it is computed on a seeded sample.
  const fitSample = sampleMatrix(x, SEGMENT_DEFAULTS.chooseKFitSampleSize, seed).m;
  const r = chooseK(fitSample, { kMin, kMax: Math.min(hi, fitSample.rows - 1), seed, sampleSize });
  return { k: r.k, rule: r.rule, bySilhouette: r.bySilhouette, byElbow: r.byElbow, curve: r.curve };
}

function fitClusters(ctx: FitContext, algorithm: SegmentAlgorithm): ClusterFit {
  const o = ctx.options;
  const x = ctx.scaled;
  const n = x.rows;
  const seed = o.seed;
  const kMin = o.kMin ?? SEGMENT_DEFAULTS.kMin;
  const kMax = o.kMax ?? SEGMENT_DEFAULTS.kMax;
  const diagnostics = o.diagnostics ?? true;
  const prev = o.previousModel?.algorithm === algorithm ? o.previousModel : undefined;
  const fit: ClusterFit = {
    labels: new Int32Array(n),
    kmeans: null,
    dbscan: null,
    tiers: null,
    tierCuts: null,
    labelTier: new Map(),
    centres: new Map(),
    curve: [],
    k: null,
    kRule: null,
    kBySilhouette: null,
    kByElbow: null,
    kDistance: null,
  };
  const minPoints = o.minPoints ?? 2 * x.cols;
  const kDistanceOf = (m: Matrix): PlotData["kDistance"] => {
    if (m.rows <= minPoints) return null;
    const p = proposeEps(m, minPoints);
    return { minPoints, eps: p.eps, kneeIndex: p.kneeIndex, curve: p.curve };
  };

  if (algorithm === "rfm") {
    // labels come from the scores (segmentCustomers fills them); only diagnostics here
    if (diagnostics && n > minPoints) fit.kDistance = kDistanceOf(sampleMatrix(x, SEGMENT_DEFAULTS.kDistanceSampleSize, seed).m);
    return fit;
  }

  if (algorithm === "kmeans") {
    let k: number;
    const auto = (o.k ?? "auto") === "auto";
    if (!auto) k = Math.min(o.k as number, n);
    else if (prev?.kmeans) {
      k = Math.min(prev.kmeans.k, n);
      fit.kRule = `kept K = ${k} from the previous model (refresh); pass a number or omit previousModel to re-choose`;
    } else k = 0;
    if (k === 0 || diagnostics) {
      const ck = runChooseK(x, seed, kMin, kMax, o.chooseKSampleSize ?? SEGMENT_DEFAULTS.chooseKSampleSize);
      fit.curve = ck.curve;
      fit.kBySilhouette = ck.bySilhouette;
      fit.kByElbow = ck.byElbow;
      if (k === 0) {
        k = ck.k;
        fit.kRule = ck.rule;
      } else if (!auto) fit.kRule = `K = ${k} given (the K rule would choose ${ck.k})`;
    }
    if (!auto) fit.kRule ??= `K = ${k} given`;
    let { model, labels } = fitKMeans(x, { k, seed });
    if (prev?.kmeans && prev.kmeans.k === k) {
      // refresh: start from the previous centres (mapped into today's scaled space)
      const init = prev.kmeans.centroids.map((c) => scaleRow(ctx.scaler, invertScaledRow(prev.scaler, c)));
      const warm = lloydFrom(x, init);
      if (warm.model.inertia <= model.inertia * (1 + SEGMENT_DEFAULTS.warmStartSlack)) {
        ({ model, labels } = warm);
        fit.kRule += `; warm-started from the previous centres (inertia within ${SEGMENT_DEFAULTS.warmStartSlack * 100} % of a fresh fit)`;
      } else fit.kRule += `; a fresh fit was more than ${SEGMENT_DEFAULTS.warmStartSlack * 100} % better than the warm start: refitted`;
    }
    fit.kmeans = model;
    fit.labels = labels;
    fit.k = k;
    model.centroids.forEach((c, label) => fit.centres.set(label, [...c]));
    if (diagnostics) fit.kDistance = kDistanceOf(sampleMatrix(x, SEGMENT_DEFAULTS.kDistanceSampleSize, seed).m);
    return fit;
  }

  if (algorithm === "hybrid") {
    const monetary = new Float64Array(n);
    for (let p = 0; p < n; p++) monetary[p] = ctx.features.monetaryMilli[ctx.prep.clustered[p]!]!;
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
      const sub = columns(x, [0, 1], members);
      let k: number;
      const prevTier = prev?.tiers?.find((t) => t.tier === tier);
      if (sub.rows === 0) k = 0;
      else if ((o.k ?? "auto") !== "auto") k = Math.min(o.k as number, sub.rows);
      else if (prevTier) k = Math.min(prevTier.kmeans?.k ?? 1, sub.rows);
      else {
        // at least 3 per tier (recent / cooling / lapsed): K = 2 would merge churn risk into "cooling"
        const ck = runChooseK(sub, seed, SEGMENT_DEFAULTS.hybridKMin, Math.max(SEGMENT_DEFAULTS.hybridKMin, Math.min(SEGMENT_DEFAULTS.hybridKMax, kMax)), Math.min(5_000, o.chooseKSampleSize ?? SEGMENT_DEFAULTS.chooseKSampleSize));
        k = ck.k;
      }
      rules.push(`${tier}: K = ${k}`);
      let km: KMeansModel | null = null;
      if (k >= 1) {
        let r = fitKMeans(sub, { k, seed });
        if (prevTier?.kmeans && prevTier.kmeans.k === k && prev) {
          const part = (sc: ScalerModel): ScalerModel => ({ ...sc, center: sc.center.slice(0, 2), scale: sc.scale.slice(0, 2) });
          const init = prevTier.kmeans.centroids.map((c) => scaleRow(part(ctx.scaler), invertScaledRow(part(prev.scaler), c)));
          const warm = lloydFrom(sub, init);
          if (warm.model.inertia <= r.model.inertia * (1 + SEGMENT_DEFAULTS.warmStartSlack)) r = warm;
        }
        km = r.model;
        members.forEach((p, t) => (fit.labels[p] = offset + r.labels[t]!));
        r.model.centroids.forEach((c, label) => {
          fit.centres.set(offset + label, [...c]);
          fit.labelTier.set(offset + label, tier);
        });
      }
      fit.tiers.push({ tier, kmeans: km, labelOffset: offset });
      offset += Math.max(k, 1);
    }
    fit.kRule = `monetary tiers at the ${q1 * 100}th and ${q2 * 100}th percentiles; K-means on recency/frequency per tier (${rules.join(", ")})`;
    if (diagnostics) {
      const ck = runChooseK(x, seed, kMin, kMax, o.chooseKSampleSize ?? SEGMENT_DEFAULTS.chooseKSampleSize);
      fit.curve = ck.curve;
      fit.kDistance = kDistanceOf(sampleMatrix(x, SEGMENT_DEFAULTS.kDistanceSampleSize, seed).m);
    }
    return fit;
  }

  // DBSCAN: fit on a sample, then every customer takes the label of its nearest core point.
  const fitSize = o.dbscanFitSampleSize ?? SEGMENT_DEFAULTS.dbscanFitSampleSize;
  const { m: sample } = sampleMatrix(x, fitSize, seed);
  let eps: number;
  const kd = kDistanceOf(sample);
  fit.kDistance = kd;
  if (o.eps !== undefined && o.eps !== "auto") eps = o.eps;
  else if (prev?.dbscan && (o.eps ?? "auto") === "auto") eps = prev.dbscan.eps;
  else if (kd !== null && kd.eps > 0) eps = kd.eps;
  else throw new RangeError(`DBSCAN: too few customers (${sample.rows}) for minPoints ${minPoints}; give eps`);
  const res = dbscan(sample, { eps, minPoints });
  const corePoints: number[] = [];
  const coreLabels: number[] = [];
  for (let t = 0; t < sample.rows; t++) {
    if (!res.isCore[t]) continue;
    for (let j = 0; j < sample.cols; j++) corePoints.push(sample.data[t * sample.cols + j]!);
    coreLabels.push(res.labels[t]!);
  }
  const monetarySorted = new Float64Array(n);
  for (let p = 0; p < n; p++) monetarySorted[p] = ctx.prep.raw.data[p * 3 + 2]!;
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
  fit.labels = assignDbscan(part, x);
  fit.k = res.clusterCount;
  fit.kRule = `DBSCAN found ${res.clusterCount} clusters (eps ${eps.toPrecision(3)}, minPoints ${minPoints}, fitted on ${sample.rows} customers)`;
  // centres = member means (for matching, naming and plots)
  const sums = new Map<number, { s: number[]; c: number }>();
  for (let p = 0; p < n; p++) {
    const l = fit.labels[p]!;
    if (l < 0) continue;
    let e = sums.get(l);
    if (!e) sums.set(l, (e = { s: [0, 0, 0], c: 0 }));
    for (let j = 0; j < 3; j++) e.s[j] = e.s[j]! + x.data[p * 3 + j]!;
    e.c++;
  }
  for (const [l, e] of sums) fit.centres.set(l, e.s.map((v) => v / e.c));
  return fit;
}

// ----- naming, matching, hysteresis ------------------------------------------------------------

const TIER_WORD: Record<MonetaryTier, string> = { high: "High-value", mid: "Mid-value", low: "Low-value" };

function hybridName(tier: MonetaryTier, s: { r: number; f: number }): string {
  const rf = s.r <= 2 ? (tier === "low" ? "dormant" : "churn risk") : s.r >= 4 ? (s.f >= 4 ? "loyal" : "recent") : "cooling";
  return `${TIER_WORD[tier]} ${rf}`;
}

function hybridAction(tier: MonetaryTier, s: { r: number; f: number }): string {
  if (s.r <= 2) return tier === "low" ? "Low-cost reactivation only; suppress from frequent campaigns." : "Win-back now: personal outreach and a strong incentive, this value is at risk.";
  if (s.r >= 4) return tier === "high" ? "Reward and retain: VIP perks, early access, no discounts needed." : "Cross-sell and nudge the next order while they are engaged.";
  return "Re-engage with personalised recommendations before they drift.";
}

/**
 * Namesakes (two clusters that map to the same name) get the median that tells them apart:
 * the dimension with the largest relative spread among them, e.g. "Loyal (9 orders)" and
 * "Loyal (21 orders)". Names inherited from a previous model are never changed.
 */
function dedupeNames(names: string[], medians: { recencyDays: number; frequency: number; monetaryMilli: number }[], fixed: boolean[], currency: string): string[] {
  const out = [...names];
  const groups = new Map<string, number[]>();
  out.forEach((nm, i) => groups.set(nm, [...(groups.get(nm) ?? []), i]));
  for (const [nm, idx] of groups) {
    if (idx.length < 2 || idx.every((i) => fixed[i])) continue;
    const dims = [
      (i: number) => medians[i]!.recencyDays,
      (i: number) => medians[i]!.frequency,
      (i: number) => medians[i]!.monetaryMilli,
    ];
    let best = 0;
    let bestSpread = -1;
    dims.forEach((get, j) => {
      const v = idx.map(get).filter((x) => Number.isFinite(x));
      if (v.length < 2) return;
      const spread = (Math.max(...v) - Math.min(...v)) / Math.max(1e-9, Math.max(...v.map(Math.abs)));
      if (spread > bestSpread) {
        bestSpread = spread;
        best = j;
      }
    });
    const label = (i: number): string => {
      const v = dims[best]!(i);
      if (!Number.isFinite(v)) return "empty";
      if (best === 0) return `${Math.round(v)} days`;
      if (best === 1) return `${formatCount(v)} orders`;
      return formatMoneyReadable(v, currency);
    };
    const used = new Set<string>();
    idx.forEach((i, rank) => {
      if (fixed[i]) return;
      let candidate = `${nm} (${label(i)})`;
      if (used.has(candidate)) candidate = `${nm} (${label(i)}, ${rank + 1})`;
      used.add(candidate);
      out[i] = candidate;
    });
  }
  return out;
}

function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < Math.min(a.length, b.length); j++) s += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(s);
}

// ----- main entry ---------------------------------------------------------------------------

/**
 * Segments customers from their RFM features. See docs/analytics.md for every rule and default.
 * Inputs are not mutated; the same features, options and seed give the same result.
 */
export function segmentCustomers(features: RfmFeatureTable, options: SegmentOptions): SegmentationResult {
  validateFeatures(features);
  validateOptions(options);
  const algorithm = options.algorithm ?? SEGMENT_DEFAULTS.algorithm;
  const currency = options.currencySymbol ?? "";
  const margin = options.hysteresisMargin ?? SEGMENT_DEFAULTS.hysteresisMargin;
  const prep = prepare(features);
  const nClustered = prep.raw.rows;
  if (nClustered === 0) throw new RangeError("segmentCustomers: no customer has a purchase before asOf");
  const rfm = scoreRfm(features);
  const scaler = fitScaler(prep.raw, options.scaling);
  const scaled = applyScaler(scaler, prep.raw);
  const ctx: FitContext = { features, options, prep, scaler, scaled, scores: rfm.model };
  const fit = fitClusters(ctx, algorithm);
  if (algorithm === "rfm") {
    for (let p = 0; p < nClustered; p++) {
      const i = prep.clustered[p]!;
      fit.labels[p] = RFM_GRID_ORDER.indexOf(rfmGroup(rfm.r[i]!, rfm.f[i]!, rfm.m[i]!));
    }
  }

  // Members per label (clustered positions)
  const labelsPresent = new Set<number>();
  for (let p = 0; p < nClustered; p++) labelsPresent.add(fit.labels[p]!);
  const medians = (members: number[]): { recencyDays: number; frequency: number; monetaryMilli: number } => {
    const col = (j: number, mul: number): number => medianOf(Float64Array.from(members, (p) => prep.raw.data[p * 3 + j]! * mul));
    return { recencyDays: col(0, 1), frequency: col(1, 1), monetaryMilli: Math.round(col(2, 1000)) };
  };
  const membersOf = new Map<number, number[]>();
  for (let p = 0; p < nClustered; p++) {
    const l = fit.labels[p]!;
    const list = membersOf.get(l);
    if (list) list.push(p);
    else membersOf.set(l, [p]);
  }

  // Draft segment definitions, one per cluster label (sorted), then special segments.
  interface Draft {
    id: string;
    name: string;
    kind: SegmentDefinition["kind"];
    label: number;
    tier: MonetaryTier | null;
    centre: number[];
    action: string;
    medianMonetary: number;
    med: { recencyDays: number; frequency: number; monetaryMilli: number };
    fixedName: boolean;
    outlierDistance: number | null;
  }
  const drafts: Draft[] = [];
  const clusterLabels = [...labelsPresent].filter((l) => l >= 0).sort((a, b) => a - b);
  // centroid algorithms may have empty clusters; keep them so labels stay valid
  if (fit.kmeans) fit.kmeans.centroids.forEach((_, l) => { if (!clusterLabels.includes(l)) clusterLabels.push(l); });
  if (fit.tiers) for (const l of fit.centres.keys()) if (!clusterLabels.includes(l)) clusterLabels.push(l);
  clusterLabels.sort((a, b) => a - b);
  const scaledMean = (members: number[]): number[] => {
    const s = [0, 0, 0];
    for (const p of members) for (let j = 0; j < 3; j++) s[j] = s[j]! + scaled.data[p * 3 + j]!;
    return members.length === 0 ? [] : s.map((v) => v / members.length);
  };
  for (const label of clusterLabels) {
    const members = membersOf.get(label) ?? [];
    const med = members.length > 0 ? medians(members) : { recencyDays: NaN, frequency: NaN, monetaryMilli: 0 };
    const sc = members.length > 0 ? medianScores(rfm.model, med) : { r: 1, f: 1, m: 1 };
    if (algorithm === "rfm") {
      const gid = RFM_GRID_ORDER[label]!;
      drafts.push({ id: gid, name: RFM_GROUPS[gid].name, kind: "rfm-group", label, tier: null, centre: scaledMean(members), action: RFM_GROUPS[gid].action, medianMonetary: med.monetaryMilli, med, fixedName: true, outlierDistance: null });
      continue;
    }
    const tier = fit.labelTier.get(label) ?? null;
    const centre = fit.centres.get(label) ?? scaledMean(members);
    const group = rfmGroup(sc.r, sc.f, sc.m);
    const name = tier !== null ? hybridName(tier, sc) : RFM_GROUPS[group].name;
    const action = tier !== null ? hybridAction(tier, sc) : RFM_GROUPS[group].action;
    // Tukey far-out distance per cluster (centroid algorithms only)
    let outlierDistance: number | null = null;
    if ((algorithm === "kmeans" || algorithm === "hybrid") && members.length >= 4) {
      const d = algorithm === "hybrid" ? 2 : 3;
      const ds = Float64Array.from(members, (p) => Math.sqrt(dist2(scaled.data, p * 3, centre, 0, d))).sort();
      const q1 = quantileSorted(ds, 0.25);
      const q3 = quantileSorted(ds, 0.75);
      outlierDistance = q3 + SEGMENT_DEFAULTS.outlierIqrFactor * (q3 - q1);
    }
    drafts.push({ id: `seg-${label + 1}`, name, kind: "cluster", label, tier, centre, action, medianMonetary: med.monetaryMilli, med, fixedName: false, outlierDistance });
  }

  // Stability: match new clusters to the previous model's clusters (Hungarian, scaled space).
  const prevModel = options.previousModel?.algorithm === algorithm ? options.previousModel : undefined;
  let matched = 0;
  if (prevModel && algorithm !== "rfm") {
    const old = prevModel.segments.filter((s) => s.kind === "cluster" && s.centroidOriginal.length === 3);
    const fresh = drafts.filter((d) => d.kind === "cluster");
    if (old.length > 0 && fresh.length > 0) {
      const dims = algorithm === "hybrid" ? 2 : 3;
      const freshCentres = fresh.map((d) => (d.centre.length > 0 ? d.centre.slice(0, dims) : new Array<number>(dims).fill(1e6)));
      const oldCentres = old.map((s) => scaleRow(scaler, s.centroidOriginal).slice(0, dims));
      const cost = freshCentres.map((fc, a) =>
        oldCentres.map((oc, b) => distance(fc, oc) + (algorithm === "hybrid" && fresh[a]!.tier !== old[b]!.tier ? 1e6 : 0)),
      );
      const match = hungarian(cost);
      const usedIds = new Set<string>();
      fresh.forEach((d, a) => {
        const b = match[a]!;
        if (b < 0 || cost[a]![b]! >= 1e6) return;
        const o = old[b]!;
        d.id = o.id;
        d.name = o.name;
        d.fixedName = true;
        usedIds.add(o.id);
        matched++;
      });
      // unmatched new clusters get fresh ids beyond every previous one
      let next = 1 + Math.max(0, ...prevModel.segments.map((s) => Number(/^seg-(\d+)$/.exec(s.id)?.[1] ?? 0)));
      for (const d of fresh) {
        if (d.fixedName) continue;
        d.id = `seg-${next++}`;
      }
    }
  }
  // unique readable names
  const deduped = dedupeNames(
    drafts.map((d) => d.name),
    drafts.map((d) => d.med),
    drafts.map((d) => d.fixedName),
    currency,
  );
  drafts.forEach((d, i) => (d.name = deduped[i]!));

  // Special segments
  if (algorithm === "dbscan") {
    drafts.push({ id: "whales", name: "Whales", kind: "whales", label: -1, tier: null, centre: [], action: "Treat individually: account management, VIP service; check for resellers.", medianMonetary: 0, med: { recencyDays: NaN, frequency: NaN, monetaryMilli: 0 }, fixedName: true, outlierDistance: null });
    drafts.push({ id: "outliers", name: "Outliers", kind: "outliers", label: -1, tier: null, centre: [], action: "Review individually: unusual behaviour (bulk buyers, heavy returners, data errors).", medianMonetary: 0, med: { recencyDays: NaN, frequency: NaN, monetaryMilli: 0 }, fixedName: true, outlierDistance: null });
  }
  drafts.push({ id: "prospects", name: RFM_GROUPS.PROSPECTS.name, kind: "prospects", label: -2, tier: null, centre: [], action: RFM_GROUPS.PROSPECTS.action, medianMonetary: 0, med: { recencyDays: NaN, frequency: NaN, monetaryMilli: 0 }, fixedName: true, outlierDistance: null });

  const segments: SegmentDefinition[] = drafts.map((d) => ({
    id: d.id,
    name: d.name,
    kind: d.kind,
    label: d.label,
    tier: d.tier,
    centroidScaled: d.centre,
    centroidOriginal:
      d.centre.length === 0
        ? []
        : algorithm === "hybrid"
          ? [...invertScaledRow({ ...scaler, center: scaler.center.slice(0, 2), scale: scaler.scale.slice(0, 2) }, d.centre), NaN]
          : invertScaledRow(scaler, d.centre),
    definition: "",
    action: d.action,
    outlierDistance: d.outlierDistance,
  }));
  // hybrid centres are 2-D: fill monetary with the members' median for the original-units view
  const model0: SegmentModel = {
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

  // Assignment (the fit's labels) + hysteresis
  const core: CoreAssignment = { labels: fit.labels, outlier: new Uint8Array(nClustered) };
  if (algorithm === "dbscan") for (let p = 0; p < nClustered; p++) core.outlier[p] = fit.labels[p] === -1 ? 1 : 0;
  else if (algorithm !== "rfm") {
    const byLabel = new Map(segments.filter((s) => s.kind === "cluster").map((s) => [s.label, s]));
    const d = algorithm === "hybrid" ? 2 : 3;
    for (let p = 0; p < nClustered; p++) {
      const s = byLabel.get(fit.labels[p]!);
      if (s && s.outlierDistance !== null && Math.sqrt(dist2(scaled.data, p * 3, s.centroidScaled, 0, d)) > s.outlierDistance) core.outlier[p] = 1;
    }
  }
  const assignment = finishAssignment(model0, features, prep, core, rfm);
  const segmentIndex = assignment.segmentIndex; // mutable copy owned here
  const kept = new Uint8Array(features.count);
  let keptCount = 0;
  if (prevModel && (algorithm === "kmeans" || algorithm === "hybrid")) {
    const previous = options.previousSegments ?? previousSegmentMap(prevModel, features);
    const idToIndex = new Map(segments.map((s, i) => [s.id, i]));
    const d = algorithm === "hybrid" ? 2 : 3;
    for (let p = 0; p < nClustered; p++) {
      const i = prep.clustered[p]!;
      const prevId = previous.get(features.customerIds[i]!);
      if (prevId === undefined) continue;
      const prevIdx = idToIndex.get(prevId);
      const curIdx = segmentIndex[i]!;
      if (prevIdx === undefined || prevIdx === curIdx) continue;
      const ps = segments[prevIdx]!;
      const cs = segments[curIdx]!;
      if (ps.kind !== "cluster" || cs.kind !== "cluster" || ps.tier !== cs.tier || ps.centroidScaled.length === 0) continue;
      const dPrev = Math.sqrt(dist2(scaled.data, p * 3, ps.centroidScaled, 0, d));
      const dNew = Math.sqrt(dist2(scaled.data, p * 3, cs.centroidScaled, 0, d));
      if (dNew > (1 - margin) * dPrev) {
        segmentIndex[i] = prevIdx;
        kept[i] = 1;
        keptCount++;
      }
    }
  }

  // Profiles and definitions from the final assignment
  const profiles = buildProfiles(features, segments, segmentIndex, rfm.model, currency);
  const finalSegments = segments.map((s, k) => {
    const prof = profiles[k]!;
    let centroidOriginal = s.centroidOriginal;
    if (algorithm === "hybrid" && centroidOriginal.length === 3) centroidOriginal = [centroidOriginal[0]!, centroidOriginal[1]!, prof.median.monetaryMilli / 1000];
    if (s.kind !== "cluster" && prof.size > 0 && centroidOriginal.length === 0) {
      centroidOriginal = [prof.median.recencyDays, prof.median.frequency, prof.median.monetaryMilli / 1000];
    }
    return { ...s, centroidOriginal, definition: prof.definition };
  });
  const model: SegmentModel = { ...model0, segments: finalSegments };
  const finalProfiles = profiles.map((p, k) => ({ ...p, centroidOriginal: finalSegments[k]!.centroidOriginal }));

  // Plots
  const plots = buildPlots(fit, scaled, prep, segmentIndex, model, options);
  let silhouette: number | null = null;
  if ((options.diagnostics ?? true) && algorithm !== "rfm") {
    // DBSCAN noise is not a cluster: leave it out of the silhouette
    const keep: number[] = [];
    for (let p = 0; p < nClustered; p++) if (fit.labels[p]! >= 0) keep.push(p);
    const lab = Int32Array.from(keep, (p) => fit.labels[p]!);
    if (new Set(lab).size >= 2 && keep.length > 2) {
      const xs = keep.length === nClustered ? scaled : columns(scaled, [0, 1, 2], keep);
      silhouette = sampledSilhouette(xs, lab, { sampleSize: Math.min(5000, keep.length), seed: options.seed });
    }
  }
  return {
    ...assignment,
    segmentIndex,
    kept,
    model,
    profiles: finalProfiles,
    plots,
    diagnostics: {
      clusteredCustomers: nClustered,
      k: fit.k,
      kRule: fit.kRule,
      kBySilhouette: fit.kBySilhouette,
      kByElbow: fit.kByElbow,
      eps: fit.dbscan?.eps ?? null,
      minPoints: fit.dbscan?.minPoints ?? null,
      silhouette,
      keptByHysteresis: keptCount,
      matchedSegments: matched,
    },
  };
}

function previousSegmentMap(prev: SegmentModel, features: RfmFeatureTable): Map<string, string> {
  const a = assignSegments(prev, features);
  const out = new Map<string, string>();
  for (let i = 0; i < features.count; i++) out.set(features.customerIds[i]!, prev.segments[a.segmentIndex[i]!]!.id);
  return out;
}

function buildProfiles(features: RfmFeatureTable, segments: readonly SegmentDefinition[], segmentIndex: Int32Array, scores: RfmScoreModel, currency: string): SegmentProfile[] {
  const n = features.count;
  const members: number[][] = segments.map(() => []);
  let totalRevenue = 0;
  for (let i = 0; i < n; i++) {
    members[segmentIndex[i]!]!.push(i);
    totalRevenue += features.monetaryMilli[i]!;
  }
  return segments.map((s, k) => {
    const idx = members[k]!;
    let revenue = 0;
    for (const i of idx) revenue += features.monetaryMilli[i]!;
    const purchasers = idx.filter((i) => features.frequency[i]! > 0);
    const col = (get: (i: number) => number, list: number[]): Float64Array => Float64Array.from(list, get);
    const rec = col((i) => features.recencyDays[i]!, purchasers);
    const fr = col((i) => features.frequency[i]!, idx);
    const mo = col((i) => features.monetaryMilli[i]!, idx);
    const mean = (a: Float64Array): number => (a.length === 0 ? NaN : a.reduce((x, y) => x + y, 0) / a.length);
    const med = { recencyDays: medianOf(rec), frequency: medianOf(fr), monetaryMilli: Math.round(medianOf(mo)) };
    let definition: string;
    if (s.kind === "prospects") definition = "No purchase before the as-of date (only returns, or not yet ordered).";
    else if (idx.length === 0) definition = "Empty in this run.";
    else {
      const base = describeSegment(med, medianScores(scores, med), currency);
      definition = s.kind === "whales" ? `Unusual and high-spending (DBSCAN noise in the top 5 % of spend). ${base}` : s.kind === "outliers" ? `Unusual behaviour (DBSCAN noise). ${base}` : base;
    }
    return {
      segmentId: s.id,
      name: s.name,
      kind: s.kind,
      tier: s.tier,
      size: idx.length,
      share: n === 0 ? 0 : idx.length / n,
      revenueMilli: revenue,
      revenueShare: totalRevenue === 0 ? 0 : revenue / totalRevenue,
      mean: { recencyDays: mean(rec), frequency: mean(fr), monetaryMilli: mean(mo) },
      median: med,
      centroidOriginal: s.centroidOriginal,
      definition,
      action: s.action,
    };
  });
}

function buildPlots(fit: ClusterFit, scaled: Matrix, prep: Prepared, segmentIndex: Int32Array, model: SegmentModel, options: SegmentOptions): PlotData {
  const elbow = fit.curve.map((c) => ({ k: c.k, inertia: c.inertia }));
  const silhouette = fit.curve.map((c) => ({ k: c.k, silhouette: c.silhouette }));
  let pca: PlotData["pca"] = null;
  if (scaled.rows >= 3) {
    const p = pca2d(scaled);
    const size = options.plotSampleSize ?? SEGMENT_DEFAULTS.plotSampleSize;
    const { m: sample, idx } = sampleMatrix(scaled, size, options.seed + 1);
    const proj = p.project(sample);
    const points: { x: number; y: number; segment: number }[] = [];
    for (let t = 0; t < sample.rows; t++) {
      const pos = idx === null ? t : idx[t]!;
      points.push({ x: proj[t * 2]!, y: proj[t * 2 + 1]!, segment: segmentIndex[prep.clustered[pos]!]! });
    }
    const centroids: { x: number; y: number; segment: number }[] = [];
    model.segments.forEach((s, k) => {
      if (s.centroidScaled.length !== 3) return;
      const q = p.project({ data: Float64Array.from(s.centroidScaled), rows: 1, cols: 3 });
      centroids.push({ x: q[0]!, y: q[1]!, segment: k });
    });
    pca = { explainedVarianceRatio: p.explainedVarianceRatio, points, centroids };
  }
  return { elbow, silhouette, kDistance: fit.kDistance, pca };
}
