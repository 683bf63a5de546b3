import type { KMeansModel } from "../clustering/kmeans";
import type { RfmScoreModel, QuintileScale } from "../rfm/scores";
import { parseScaler, type ScalerModel } from "./scaling";

export type SegmentAlgorithm = "rfm" | "kmeans" | "dbscan" | "hybrid";
export const SEGMENT_ALGORITHMS: readonly SegmentAlgorithm[] = ["rfm", "kmeans", "dbscan", "hybrid"];
export type MonetaryTier = "high" | "mid" | "low";

/** Feature columns of the clustering space, in order. Monetary is in units of currency (not milli). */
export const SEGMENT_FEATURES = ["recency_days", "frequency", "monetary"] as const;

/**
 * Dimensions of a cluster centre (and of the outlier and hysteresis distances): hybrid clusters
 * recency × frequency within a spend tier, every other algorithm all three features.
 */
export function centreDims(algorithm: SegmentAlgorithm): 2 | 3 {
  return algorithm === "hybrid" ? 2 : 3;
}

/** `label` of DBSCAN noise: its customers go to the whales or the outliers segment. */
export const NOISE_LABEL = -1;
/** `label` of customers without a purchase: never clustered, always the prospects segment. */
export const NOT_CLUSTERED_LABEL = -2;

/**
 * What a segment is. `cluster`: a K-means/DBSCAN cluster (hybrid: one per tier and cluster);
 * `rfm-group`: one of Shopify's groups (algorithm "rfm"); `whales`/`outliers`: DBSCAN noise split
 * by spend; `prospects`: customers without any purchase (never clustered).
 */
export type SegmentKind = "cluster" | "rfm-group" | "whales" | "outliers" | "prospects";

export interface SegmentDefinition {
  /** Stable across refreshes (matched by the Hungarian algorithm), e.g. `seg-3`, `CHAMPIONS`. */
  readonly id: string;
  readonly name: string;
  readonly kind: SegmentKind;
  /** Algorithm cluster label (≥ 0), `NOISE_LABEL` or `NOT_CLUSTERED_LABEL`. */
  readonly label: number;
  readonly tier: MonetaryTier | null;
  /** Centre in scaled space (K-means centroid, or mean of members). Empty if no members. */
  readonly centroidScaled: readonly number[];
  /** The same centre in original units: recency days, orders, monetary in units of currency. */
  readonly centroidOriginal: readonly number[];
  /** One sentence derived from the members' medians relative to the population. */
  readonly definition: string;
  readonly action: string;
  /** Centroid algorithms: a member farther than this from the centre (scaled) is an outlier. */
  readonly outlierDistance: number | null;
}

export interface DbscanModelPart {
  readonly eps: number;
  readonly minPoints: number;
  /** Core points of the fit, scaled space, row-major (dims per point). */
  readonly corePoints: readonly number[];
  readonly coreLabels: readonly number[];
  readonly fitSize: number;
  /** Noise whose monetary (units of currency) is at least this is a whale. */
  readonly whaleMonetary: number;
}

export interface HybridTierPart {
  readonly tier: MonetaryTier;
  /** K-means on scaled (recency, frequency) of the tier; labels are offset by `labelOffset`. */
  readonly kmeans: KMeansModel | null;
  readonly labelOffset: number;
}

/**
 * A fitted segmentation: plain JSON-able data (`JSON.stringify` / `parseSegmentModel`), enough
 * to score new customers with `assignSegments` without refitting.
 */
export interface SegmentModel {
  readonly kind: "segmint.segments";
  readonly version: 1;
  readonly algorithm: SegmentAlgorithm;
  readonly asOf: string;
  readonly features: readonly string[];
  readonly seed: number;
  readonly scaler: ScalerModel;
  readonly rfmScores: RfmScoreModel;
  readonly segments: readonly SegmentDefinition[];
  /** Relative margin of the hysteresis rule (see stability.ts). */
  readonly hysteresisMargin: number;
  readonly kmeans: KMeansModel | null;
  readonly dbscan: DbscanModelPart | null;
  /**
   * Hybrid: monetary tier cuts in milli [low|mid, mid|high]. The stored name predates the word
   * "milli" and is kept so that v1 model files stay readable (ADR 0010).
   */
  readonly tierCutsMinor: readonly [number, number] | null;
  readonly tiers: readonly HybridTierPart[] | null;
}

function fail(msg: string): never {
  throw new TypeError(`invalid segment model: ${msg}`);
}

function isNumArray(a: unknown): a is number[] {
  return Array.isArray(a) && a.every((v) => typeof v === "number" && Number.isFinite(v));
}

function parseScale(v: unknown, name: string): QuintileScale {
  const s = v as QuintileScale | null;
  if (s === null || typeof s !== "object" || (s.direction !== "asc" && s.direction !== "desc")) fail(`${name}: bad direction`);
  if (!Array.isArray(s.ranges) || s.ranges.length !== 5) fail(`${name}: ranges must have 5 entries`);
  for (const r of s.ranges) if (r !== null && !(isNumArray(r) && r.length === 2)) fail(`${name}: bad range`);
  return { direction: s.direction, ranges: s.ranges.map((r) => (r === null ? null : ([r[0], r[1]] as const))) };
}

function parseKMeans(v: unknown, name: string): KMeansModel {
  const m = v as KMeansModel | null;
  if (m === null || typeof m !== "object" || m.kind !== "kmeans") fail(`${name}: kind must be kmeans`);
  if (!Array.isArray(m.centroids) || m.centroids.length !== m.k || !m.centroids.every((c) => isNumArray(c) && c.length === m.dims)) {
    fail(`${name}: centroids must be k arrays of dims numbers`);
  }
  return { kind: "kmeans", k: m.k, dims: m.dims, centroids: m.centroids.map((c) => [...c]), inertia: m.inertia, iterations: m.iterations };
}

/** Validates a parsed JSON value (or a JSON string) as a `SegmentModel`. */
export function parseSegmentModel(input: unknown): SegmentModel {
  const v = (typeof input === "string" ? JSON.parse(input) : input) as Partial<SegmentModel> | null;
  if (v === null || typeof v !== "object") fail("not an object");
  if (v.kind !== "segmint.segments") fail(`kind must be "segmint.segments", got ${JSON.stringify(v.kind)}`);
  if (v.version !== 1) fail(`unsupported version ${String(v.version)}`);
  if (v.algorithm === undefined || !SEGMENT_ALGORITHMS.includes(v.algorithm)) fail("bad algorithm");
  if (typeof v.asOf !== "string") fail("asOf missing");
  if (typeof v.seed !== "number") fail("seed missing");
  if (typeof v.hysteresisMargin !== "number") fail("hysteresisMargin missing");
  const scaler = parseScaler(v.scaler);
  const rs = v.rfmScores as RfmScoreModel | undefined;
  if (rs === undefined || typeof rs !== "object") fail("rfmScores missing");
  const rfmScores: RfmScoreModel = {
    recency: parseScale(rs.recency, "rfmScores.recency"),
    frequency: parseScale(rs.frequency, "rfmScores.frequency"),
    monetary: parseScale(rs.monetary, "rfmScores.monetary"),
    n: rs.n,
  };
  if (!Array.isArray(v.segments) || v.segments.length === 0) fail("segments must be a non-empty array");
  const ids = new Set<string>();
  const segments = v.segments.map((s, i): SegmentDefinition => {
    if (typeof s.id !== "string" || typeof s.name !== "string" || typeof s.label !== "number") fail(`segments[${i}]: id, name, label required`);
    if (ids.has(s.id)) fail(`duplicate segment id ${s.id}`);
    ids.add(s.id);
    // JSON turns NaN into null: restore it in the original-units centre
    if (!Array.isArray(s.centroidOriginal)) fail(`segments[${i}]: centroidOriginal must be an array`);
    const orig = (s.centroidOriginal as unknown[]).map((x) => (x === null ? NaN : x));
    if (!isNumArray(s.centroidScaled) || !orig.every((x) => typeof x === "number")) fail(`segments[${i}]: centroids must be number arrays`);
    return { ...s, outlierDistance: s.outlierDistance ?? null, centroidScaled: [...s.centroidScaled], centroidOriginal: orig as number[] };
  });
  const kmeans = v.kmeans == null ? null : parseKMeans(v.kmeans, "kmeans");
  if (v.algorithm === "kmeans" && kmeans === null) fail("kmeans model missing");
  let dbscan: DbscanModelPart | null = null;
  if (v.dbscan != null) {
    const d = v.dbscan;
    if (!(d.eps > 0) || !Number.isInteger(d.minPoints) || !isNumArray(d.corePoints) || !isNumArray(d.coreLabels)) fail("bad dbscan part");
    if (d.corePoints.length !== d.coreLabels.length * scaler.center.length) fail("dbscan corePoints/coreLabels size mismatch");
    dbscan = { ...d, corePoints: [...d.corePoints], coreLabels: [...d.coreLabels] };
  }
  if (v.algorithm === "dbscan" && dbscan === null) fail("dbscan part missing");
  let tiers: HybridTierPart[] | null = null;
  let tierCutsMinor: [number, number] | null = null;
  if (v.algorithm === "hybrid") {
    if (!isNumArray(v.tierCutsMinor) || v.tierCutsMinor.length !== 2) fail("tierCutsMinor missing");
    tierCutsMinor = [v.tierCutsMinor[0]!, v.tierCutsMinor[1]!];
    if (!Array.isArray(v.tiers) || v.tiers.length !== 3) fail("tiers must have 3 entries");
    tiers = v.tiers.map((t, i) => ({
      tier: t.tier,
      labelOffset: t.labelOffset,
      kmeans: t.kmeans == null ? null : parseKMeans(t.kmeans, `tiers[${i}].kmeans`),
    }));
  }
  return {
    kind: "segmint.segments",
    version: 1,
    algorithm: v.algorithm,
    asOf: v.asOf,
    features: Array.isArray(v.features) ? [...v.features] : [...SEGMENT_FEATURES],
    seed: v.seed,
    scaler,
    rfmScores,
    segments,
    hysteresisMargin: v.hysteresisMargin,
    kmeans,
    dbscan,
    tierCutsMinor,
    tiers,
  };
}
