// The Model page's charts as data: the stored curves of a run (SegmentRun.plots) turned into the
// chart components' points, markers and sentences. Pure (no React), so tests read it directly.
import type { PlotData, SegmentDiagnostics } from "../../analytics/index";
import { formatCount, formatShare } from "../format";

export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface Marker {
  readonly x: number;
  readonly label: string;
}

export interface KCurvesView {
  readonly elbow: readonly XY[];
  readonly silhouette: readonly XY[];
  /** The chosen K on both curves (K-means runs only), else null. */
  readonly marker: Marker | null;
  /** How K was chosen, in words. */
  readonly explanation: string;
  /** Why there are no curves (null: there are). */
  readonly absent: string | null;
}

export interface KDistanceView {
  readonly points: readonly XY[];
  readonly marker: Marker | null;
  readonly summary: string;
}

export interface PcaView {
  readonly points: readonly { x: number; y: number; series: number }[];
  readonly centres: readonly { x: number; y: number; series: number }[];
  readonly seriesNames: readonly string[];
  readonly summary: string;
  readonly caption: string;
}

export const ALGORITHM_LABELS: Record<string, string> = { hybrid: "Hybrid", rfm: "RFM groups", kmeans: "K-means", dbscan: "DBSCAN" };

export function algorithmLabel(algorithm: string): string {
  return ALGORITHM_LABELS[algorithm] ?? algorithm;
}

/** The elbow and silhouette curves, the chosen K marked, and the K rule in plain words. */
export function kCurvesView(algorithm: string, plots: PlotData, diagnostics: SegmentDiagnostics | null): KCurvesView {
  const elbow = plots.elbow.map((p) => ({ x: p.k, y: p.inertia }));
  const silhouette = plots.silhouette.map((p) => ({ x: p.k, y: p.silhouette }));
  const rule = diagnostics?.kRule ? ` Rule applied: ${diagnostics.kRule}.` : "";
  const bySilhouette = diagnostics?.kBySilhouette ?? null;
  const byElbow = diagnostics?.kByElbow ?? null;
  const votes =
    bySilhouette !== null && byElbow !== null && byElbow > 0
      ? ` The silhouette (how clearly customers sit apart; higher is better) is best at K = ${bySilhouette}, and the elbow of the inertia curve (where more groups stop paying off) is at K = ${byElbow}.`
      : "";
  let marker: Marker | null = null;
  let explanation: string;
  if (algorithm === "kmeans" && typeof diagnostics?.k === "number") {
    marker = { x: diagnostics.k, label: `K = ${diagnostics.k} (chosen)` };
    explanation = `This run used K = ${diagnostics.k}.${votes}${rule}`;
  } else if (algorithm === "hybrid") {
    explanation = `Hybrid first splits customers into spend tiers, then chooses K within each tier, so no single K is marked; these curves cover all customers together, for reference.${votes}${rule}`;
  } else if (algorithm === "dbscan") {
    explanation = `DBSCAN does not take a K: it found ${diagnostics?.k ?? "its"} clusters from the radius (eps) below. The curves show what K-means would see, for comparison.${votes}`;
  } else {
    explanation = "RFM groups are fixed score ranges (Shopify's 11 groups), so there is no K to choose.";
  }
  const absent =
    elbow.length === 0 && silhouette.length === 0
      ? algorithm === "rfm"
        ? "RFM groups do not cluster, so this run has no elbow or silhouette curve."
        : "This run stored no K curve (too few customers to compare values of K)."
      : null;
  return { elbow, silhouette, marker, explanation, absent };
}

/** The k-distance curve with eps marked (DBSCAN runs), or null with the reason it is absent. */
export function kDistanceView(algorithm: string, plots: PlotData): KDistanceView | { readonly absent: string } {
  if (algorithm !== "dbscan") {
    return {
      absent: `The k-distance curve shows how DBSCAN picks its radius (eps). This run used ${algorithmLabel(algorithm)}, which has no radius; choose DBSCAN and run to see it.`,
    };
  }
  const kd = plots.kDistance;
  if (!kd || kd.curve.length === 0) return { absent: "This DBSCAN run stored no k-distance curve (too few customers)." };
  const points = kd.curve.map((p) => ({ x: p.index, y: p.distance }));
  const knee = kd.curve.find((p) => p.index === kd.kneeIndex) ?? null;
  return {
    points,
    marker: { x: knee ? knee.index : kd.kneeIndex, label: `eps = ${kd.eps.toPrecision(3)}` },
    summary: `Distance from each sampled customer to its ${kd.minPoints}th nearest neighbour, sorted; the knee, where distances start to climb, sets eps = ${kd.eps.toPrecision(3)}. Customers farther out than that are noise (whales or outliers).`,
  };
}

/** The PCA scatter coloured by segment, or null with the reason it is absent. */
export function pcaView(plots: PlotData, segmentNames: readonly string[]): PcaView | { readonly absent: string } {
  const pca = plots.pca;
  if (!pca || pca.points.length === 0) return { absent: "This run stored no PCA projection (fewer than 3 customers with a purchase)." };
  const names = segmentNames.length > 0 ? segmentNames : Array.from(new Set(pca.points.map((p) => p.segment))).map((i) => `Segment ${i + 1}`);
  const [pc1 = 0, pc2 = 0] = pca.explainedVarianceRatio;
  return {
    points: pca.points.map((p) => ({ x: p.x, y: p.y, series: p.segment })),
    centres: pca.centroids.map((c) => ({ x: c.x, y: c.y, series: c.segment })),
    seriesNames: names,
    summary: `${formatCount(pca.points.length)} sampled customers on the two directions that spread recency, frequency and spend the most, coloured by segment; well-separated colours mean distinct segments.`,
    caption: `The first axis explains ${formatShare(pc1)} and the second ${formatShare(pc2)} of the variation in scaled recency, frequency and spend (${formatShare(pc1 + pc2)} together).`,
  };
}
