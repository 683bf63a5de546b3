// What changed between two stored runs, as the Overview shows it: one card per segment with its
// size against the previous run's segment of the same id, the migration table (previous segment →
// this run's), and the agreement with Shopify's RFM groups in percent. Pure: runs come in parsed.
import type { SegmentProfile } from "../analytics/index";
import type { RunMigration } from "./run-metrics";
import { NO_SHOPIFY_GROUP, type RfmAgreement } from "./shopify-rfm";

export interface SegmentCard {
  readonly segmentId: string;
  readonly name: string;
  readonly kind: SegmentProfile["kind"];
  readonly size: number;
  /** Of the run's customers, 0..1. */
  readonly share: number;
  readonly revenueMilli: number;
  readonly revenueShare: number;
  readonly median: { readonly recencyDays: number; readonly frequency: number; readonly monetaryMilli: number };
  /**
   * Size against the previous run: its size there and the difference; "new" when the previous
   * run had no segment with this id; null when there is no previous run to compare with.
   */
  readonly change: { readonly previousSize: number; readonly delta: number } | "new" | null;
}

/** Cards for the run's segments that have customers, in the run's order. */
export function segmentCards(current: readonly SegmentProfile[], previous: readonly SegmentProfile[] | null): SegmentCard[] {
  const before = previous === null ? null : new Map(previous.map((p) => [p.segmentId, p.size]));
  return current
    .filter((p) => p.size > 0)
    .map((p) => {
      const previousSize = before?.get(p.segmentId);
      return {
        segmentId: p.segmentId,
        name: p.name,
        kind: p.kind,
        size: p.size,
        share: p.share,
        revenueMilli: Number(p.revenueMilli),
        revenueShare: p.revenueShare,
        median: { recencyDays: p.median.recencyDays, frequency: p.median.frequency, monetaryMilli: Number(p.median.monetaryMilli) },
        change: before === null ? null : previousSize === undefined || previousSize === 0 ? "new" : { previousSize, delta: p.size - previousSize },
      };
    });
}

export interface MigrationMatrix {
  readonly previousRunId: number;
  /** The previous run's segments (id null: customers new to this run, always last). */
  readonly rows: readonly { readonly id: string | null; readonly name: string }[];
  /** This run's segments. */
  readonly columns: readonly { readonly id: string; readonly name: string }[];
  /** counts[row][column]: customers that were in `row` and are now in `column`. */
  readonly counts: readonly (readonly number[])[];
  readonly rowTotals: readonly number[];
  readonly columnTotals: readonly number[];
  /** Customers in both runs that kept their segment id. */
  readonly stayed: number;
  /** Customers in both runs. */
  readonly inBoth: number;
  /** Customers new to this run. */
  readonly newcomers: number;
  /** Customers of the previous run no longer in this one. */
  readonly gone: number;
}

/**
 * The migration rows as a from × to table: rows in the previous run's segment order, columns in
 * this run's; ids no profile names (a segment since removed) keep their stored name or their id.
 */
export function migrationMatrix(m: RunMigration, current: readonly SegmentProfile[], previous: readonly SegmentProfile[] | null): MigrationMatrix {
  const order = <T>(ids: Iterable<T>, rank: (id: T) => number): T[] => [...new Set(ids)].map((id, i) => ({ id, i })).sort((a, b) => rank(a.id) - rank(b.id) || a.i - b.i).map((x) => x.id);
  const previousRank = new Map((previous ?? []).map((p, i) => [p.segmentId, i]));
  const currentRank = new Map(current.map((p, i) => [p.segmentId, i]));
  const fromIds = order(
    m.rows.map((r) => r.from),
    (id) => (id === null ? Number.MAX_SAFE_INTEGER : (previousRank.get(id) ?? Number.MAX_SAFE_INTEGER - 1)),
  );
  const toIds = order(
    m.rows.map((r) => r.to),
    (id) => currentRank.get(id) ?? Number.MAX_SAFE_INTEGER,
  );
  const fromName = new Map<string, string>();
  for (const p of previous ?? []) fromName.set(p.segmentId, p.name);
  for (const r of m.rows) if (r.from !== null && r.fromName) fromName.set(r.from, r.fromName);
  const toName = new Map(current.map((p) => [p.segmentId, p.name]));
  const counts = fromIds.map(() => toIds.map(() => 0));
  let stayed = 0;
  let inBoth = 0;
  let newcomers = 0;
  for (const r of m.rows) {
    counts[fromIds.indexOf(r.from)]![toIds.indexOf(r.to)]! += r.customers;
    if (r.from === null) newcomers += r.customers;
    else {
      inBoth += r.customers;
      if (r.from === r.to) stayed += r.customers;
    }
  }
  return {
    previousRunId: m.previousRunId,
    rows: fromIds.map((id) => ({ id, name: id === null ? "New to this run" : (fromName.get(id) ?? id) })),
    columns: toIds.map((id) => ({ id, name: toName.get(id) ?? id })),
    counts,
    rowTotals: counts.map((row) => row.reduce((a, b) => a + b, 0)),
    columnTotals: toIds.map((_, j) => counts.reduce((a, row) => a + row[j]!, 0)),
    stayed,
    inBoth,
    newcomers,
    gone: m.gone,
  };
}

/** "NEEDS_ATTENTION" → "Needs attention"; NONE → "No Shopify group". */
export function shopifyGroupLabel(group: string): string {
  if (group === NO_SHOPIFY_GROUP) return "No Shopify group";
  const words = group.toLowerCase().split("_").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface AgreementView {
  readonly customers: number;
  readonly withShopifyGroup: number;
  readonly sameGroup: number;
  /** sameGroup / withShopifyGroup, or null when Shopify grouped nobody. */
  readonly agreement: number | null;
  /** Shopify's groups that hold customers (rows); empty groups are left out. */
  readonly groups: readonly { readonly id: string; readonly label: string }[];
  /** Segmint's segments (columns), named from the run's profiles. */
  readonly segments: readonly { readonly id: string; readonly name: string }[];
  readonly counts: readonly (readonly number[])[];
  /** Shopify groups left out because no compared customer is in them. */
  readonly emptyGroups: number;
}

export function agreementView(a: RfmAgreement, profiles: readonly SegmentProfile[]): AgreementView {
  const names = new Map(profiles.map((p) => [p.segmentId, p.name]));
  const kept = a.groups.map((id, i) => ({ id, row: a.counts[i] ?? [] })).filter((g) => g.row.some((c) => c > 0));
  const columns = a.segments.map((id, j) => ({ id, j })).filter(({ j }) => kept.some((g) => (g.row[j] ?? 0) > 0));
  return {
    customers: a.customers,
    withShopifyGroup: a.withShopifyGroup,
    sameGroup: a.sameGroup,
    agreement: a.withShopifyGroup > 0 ? a.sameGroup / a.withShopifyGroup : null,
    groups: kept.map((g) => ({ id: g.id, label: shopifyGroupLabel(g.id) })),
    segments: columns.map(({ id }) => ({ id, name: names.get(id) ?? id })),
    counts: kept.map((g) => columns.map(({ j }) => g.row[j] ?? 0)),
    emptyGroups: a.groups.length - kept.length,
  };
}

/** Reads `SegmentRun.shopifyRfm`; null when absent or not an agreement (the page says "not compared yet"). */
export function parseRfmAgreement(json: string | null | undefined): RfmAgreement | null {
  if (!json) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const a = raw as Partial<RfmAgreement>;
  const ok =
    Array.isArray(a.groups) &&
    Array.isArray(a.segments) &&
    Array.isArray(a.counts) &&
    a.counts.length === a.groups.length &&
    a.counts.every((row) => Array.isArray(row) && row.length === a.segments!.length) &&
    typeof a.customers === "number" &&
    typeof a.withShopifyGroup === "number" &&
    typeof a.sameGroup === "number";
  return ok ? (a as RfmAgreement) : null;
}
