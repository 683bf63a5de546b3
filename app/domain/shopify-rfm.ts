// Agreement between Shopify's own RFM groups (Customer.statistics.rfmGroup) and Segmint's run:
// a cross-table against Segmint's segments, and how often Shopify's group equals the group
// Segmint's grid gives the same customer. Pure.

/** Shopify's CustomerRfmGroup values, in the order the admin lists them. */
export const SHOPIFY_RFM_GROUPS = [
  "CHAMPIONS",
  "LOYAL",
  "ACTIVE",
  "PROMISING",
  "NEW",
  "NEEDS_ATTENTION",
  "AT_RISK",
  "PREVIOUSLY_LOYAL",
  "ALMOST_LOST",
  "DORMANT",
  "PROSPECTS",
] as const;

/** Row label for customers Shopify gives no group (null rfmGroup). */
export const NO_SHOPIFY_GROUP = "NONE";

export interface RfmAgreement {
  /** Shopify groups (rows), NONE last. */
  readonly groups: string[];
  /** Segmint segment keys (columns), in the run's order. */
  readonly segments: string[];
  /** counts[row][column]: customers in Shopify group `row` and Segmint segment `column`. */
  readonly counts: number[][];
  /** Customers compared (in both the run and Shopify's answer). */
  readonly customers: number;
  /** Customers with a Shopify group. */
  readonly withShopifyGroup: number;
  /** Of those, how many Segmint's own RFM grid put in the same group. */
  readonly sameGroup: number;
}

export interface AgreementInput {
  /** Shopify's group, or null. */
  readonly shopifyGroup: string | null;
  readonly segmentKey: string;
  /** Segmint's RFM group id for the same customer (e.g. "AT_RISK"). */
  readonly segmintGroup: string;
}

export function rfmAgreement(segmentKeys: readonly string[], rows: Iterable<AgreementInput>): RfmAgreement {
  const groups: string[] = [...SHOPIFY_RFM_GROUPS, NO_SHOPIFY_GROUP];
  const segments = [...segmentKeys];
  const counts = groups.map(() => segments.map(() => 0));
  let customers = 0;
  let withShopifyGroup = 0;
  let sameGroup = 0;
  for (const r of rows) {
    let col = segments.indexOf(r.segmentKey);
    if (col < 0) {
      segments.push(r.segmentKey);
      for (const row of counts) row.push(0);
      col = segments.length - 1;
    }
    const group = r.shopifyGroup?.toUpperCase() ?? NO_SHOPIFY_GROUP;
    let row = groups.indexOf(group);
    if (row < 0) {
      groups.splice(groups.length - 1, 0, group); // an unknown future value: before NONE
      counts.splice(counts.length - 1, 0, segments.map(() => 0));
      row = groups.length - 2;
    }
    counts[row]![col]!++;
    customers++;
    if (r.shopifyGroup !== null) {
      withShopifyGroup++;
      if (group === r.segmintGroup.toUpperCase()) sameGroup++;
    }
  }
  return { groups, segments, counts, customers, withShopifyGroup, sameGroup };
}
