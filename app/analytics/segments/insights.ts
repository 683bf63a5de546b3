// What the admin shows about a run besides its profiles, computed once at refresh time (loaders
// never run analytics): per-feature histograms of the whole store and of each segment over the
// same readable bins, and how customers moved between the previous run's segments and this run's.
// The rules are in docs/segments.md ("Run insights"); scripts/reference/run_insights.py is the
// independent numpy reference.
import { MILLI_PER_UNIT } from "../money";
import type { RfmFeatureTable } from "../rfm/features";
import { quantileSorted } from "../util/stats";

/** Histogram of one feature: the whole store and each segment, over the same bins. */
export interface FeatureDistribution {
  /**
   * Bin edges in the feature's unit (days, orders, currency units); `edges.length = bins + 1`.
   * Bin i holds edges[i] ≤ value < edges[i + 1]; the last edge is above every value counted.
   */
  readonly edges: readonly number[];
  /** One short label per bin, e.g. "0–30 days", "2 orders", "100–250". */
  readonly labels: readonly string[];
  /** Customers of the whole run per bin. */
  readonly store: readonly number[];
  /** Customers per bin, by segment id. */
  readonly segments: Readonly<Record<string, readonly number[]>>;
}

export interface RunDistributions {
  readonly recency: FeatureDistribution;
  readonly frequency: FeatureDistribution;
  readonly monetary: FeatureDistribution;
}

/** Customers moving between segments from the previous run to this one. */
export interface RunMigration {
  readonly previousRunId: number;
  /** `from`: the previous run's segment id, or null for customers new to this run; `to`: this run's. */
  readonly rows: readonly { readonly from: string | null; readonly fromName: string | null; readonly to: string; readonly customers: number }[];
  /** Customers in the previous run and not in this one (deleted or redacted since). */
  readonly gone: number;
}

/** The fixed recency bins (days since the last purchase): lower edges of each bin. */
export const RECENCY_BIN_STARTS = [0, 31, 91, 181, 366] as const;
const RECENCY_LABELS = ["0–30 days", "31–90 days", "91–180 days", "181–365 days", "Over 365 days"];
/** The fixed frequency bins (orders): lower edges of each bin. */
export const FREQUENCY_BIN_STARTS = [1, 2, 3, 5, 10] as const;
const FREQUENCY_LABELS = ["1 order", "2 orders", "3–4 orders", "5–9 orders", "10+ orders"];
/** Monetary cut-offs: the store's quintiles of net spend, rounded to 2 significant digits. */
export const MONETARY_QUANTILES = [0.2, 0.4, 0.6, 0.8] as const;

/** The columns the insights read: any RfmFeatureTable has them. */
export type InsightFeatures = Pick<RfmFeatureTable, "count" | "customerIds" | "recencyDays" | "frequency" | "monetaryMilli">;

/** `v` rounded to two significant digits (310.7 → 310, 0.047 → 0.047, 12345 → 12000). */
export function roundSignificant(v: number, digits = 2): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  return Number(v.toPrecision(digits));
}

/** Index of the bin holding `v`: the last i with edges[i] ≤ v (values below the first edge go to bin 0). */
function binOf(edges: readonly number[], v: number): number {
  let bin = 0;
  for (let i = 1; i < edges.length - 1; i++) if (v >= edges[i]!) bin = i;
  return bin;
}

function plainNumber(v: number): string {
  return v.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/** Labels of money bins (currency units): "Under 20", "20–50", …, "250 and over"; one bin: "All". */
export function moneyBinLabels(edges: readonly number[], format: (units: number) => string = plainNumber): string[] {
  const bins = edges.length - 1;
  if (bins === 1) return ["All"];
  return Array.from({ length: bins }, (_, i) => {
    if (i === 0) return `Under ${format(edges[1]!)}`;
    if (i === bins - 1) return `${format(edges[i]!)} and over`;
    return `${format(edges[i]!)}–${format(edges[i + 1]!)}`;
  });
}

/**
 * Histograms of recency, frequency and monetary over the customers with at least one purchase
 * (frequency ≥ 1): the prospects (no purchase, no recency) are in none of them, so the three
 * charts count the same people and `customers − Σ store` is the number left out. Recency and
 * frequency use fixed bins; monetary uses the store's quintiles rounded to 2 significant digits
 * (duplicates and cuts not above the lowest value's edge dropped). The last edge is
 * max(last bin start, largest value) + 1, so every bin is half-open.
 * `segmentIds[segmentIndex[i]]` is customer i's segment; every id gets an entry, zeros included.
 */
export function runDistributions(features: InsightFeatures, segmentIndex: ArrayLike<number>, segmentIds: readonly string[]): RunDistributions {
  const buyers: number[] = [];
  for (let i = 0; i < features.count; i++) if (features.frequency[i]! > 0) buyers.push(i);

  let maxRecency = 0;
  let maxFrequency = 0;
  const spend = new Float64Array(buyers.length);
  buyers.forEach((i, j) => {
    maxRecency = Math.max(maxRecency, features.recencyDays[i]!);
    maxFrequency = Math.max(maxFrequency, features.frequency[i]!);
    spend[j] = features.monetaryMilli[i]! / MILLI_PER_UNIT;
  });
  const sortedSpend = Float64Array.from(spend).sort();

  const closeEdges = (starts: readonly number[], max: number): number[] => [...starts, Math.floor(Math.max(starts[starts.length - 1]!, max)) + 1];
  const recencyEdges = closeEdges(RECENCY_BIN_STARTS, maxRecency);
  const frequencyEdges = closeEdges(FREQUENCY_BIN_STARTS, maxFrequency);
  const lowestSpend = sortedSpend.length === 0 ? 0 : Math.min(0, sortedSpend[0]!);
  const monetaryStarts = [lowestSpend];
  for (const q of MONETARY_QUANTILES) {
    const cut = roundSignificant(quantileSorted(sortedSpend, q));
    if (Number.isFinite(cut) && cut > monetaryStarts[monetaryStarts.length - 1]!) monetaryStarts.push(cut);
  }
  const highestSpend = sortedSpend.length === 0 ? 0 : sortedSpend[sortedSpend.length - 1]!;
  const monetaryEdges = closeEdges(monetaryStarts, highestSpend);

  const histogram = (edges: readonly number[], labels: readonly string[], value: (i: number) => number): FeatureDistribution => {
    const bins = edges.length - 1;
    const store = new Array<number>(bins).fill(0);
    const bySegment = segmentIds.map(() => new Array<number>(bins).fill(0));
    for (const i of buyers) {
      const b = binOf(edges, value(i));
      store[b]!++;
      bySegment[segmentIndex[i]!]![b]!++;
    }
    const segments: Record<string, number[]> = {};
    segmentIds.forEach((id, s) => (segments[id] = bySegment[s]!));
    return { edges, labels, store, segments };
  };
  return {
    recency: histogram(recencyEdges, RECENCY_LABELS, (i) => features.recencyDays[i]!),
    frequency: histogram(frequencyEdges, FREQUENCY_LABELS, (i) => features.frequency[i]!),
    monetary: histogram(monetaryEdges, moneyBinLabels(monetaryEdges), (i) => features.monetaryMilli[i]! / MILLI_PER_UNIT),
  };
}

/** Code-unit order: the same on every machine (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface PreviousRunSegments {
  readonly runId: number;
  /** Segment id per customer id, as the previous run stored it. */
  readonly segments: ReadonlyMap<string, string>;
  /** Segment name per segment id of the previous run. */
  readonly names: ReadonlyMap<string, string>;
}

/**
 * Customers per (previous segment → this run's segment), every customer of this run counted once
 * (`from` null: not in the previous run), rows with at least one customer, largest first (ties by
 * ids); `gone`: customers of the previous run missing from this one.
 */
export function runMigration(features: Pick<InsightFeatures, "count" | "customerIds">, segmentIndex: ArrayLike<number>, segmentIds: readonly string[], previous: PreviousRunSegments): RunMigration {
  const counts = new Map<string, { from: string | null; to: string; customers: number }>();
  let seen = 0;
  for (let i = 0; i < features.count; i++) {
    const from = previous.segments.get(features.customerIds[i]!) ?? null;
    if (from !== null) seen++;
    const to = segmentIds[segmentIndex[i]!]!;
    const key = `${from ?? ""}\u0000${to}`;
    const row = counts.get(key);
    if (row) row.customers++;
    else counts.set(key, { from, to, customers: 1 });
  }
  const rows = [...counts.values()]
    .sort((a, b) => b.customers - a.customers || compareText(a.from ?? "", b.from ?? "") || compareText(a.to, b.to))
    .map((r) => ({ from: r.from, fromName: r.from === null ? null : (previous.names.get(r.from) ?? r.from), to: r.to, customers: r.customers }));
  return { previousRunId: previous.runId, rows, gone: previous.segments.size - seen };
}
