// The admin's customer lookup (/app/customers): parsing the id a merchant types, and the plain
// data the page shows (dates as ISO strings, money in milli). Pure.

/** "7012345678", " 7012345678 " or "gid://shopify/Customer/7012345678" → "7012345678"; else null. */
export function parseCustomerIdInput(input: string): string | null {
  const s = input.trim();
  const m = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/i.exec(s);
  if (!m) return null;
  // "0007" and "7" are the same customer; "0" is no customer.
  const id = m[1]!.replace(/^0+/, "");
  return id === "" ? null : id;
}

export const CUSTOMER_ID_HELP = "Enter a Shopify customer id: the number at the end of the customer's address in Shopify admin (for example 7012345678), or gid://shopify/Customer/7012345678.";

export interface CustomerFigures {
  /** Days since the last purchase; null: no purchase on or before the run's day (returns only). */
  readonly recencyDays: number | null;
  readonly frequency: number;
  readonly monetaryMilli: number;
}

export interface CustomerCurrentSegment {
  readonly runId: number;
  /** The run's as-of instant (ISO). */
  readonly runAsOf: string;
  readonly segmentKey: string;
  readonly segmentName: string;
  readonly rfmGroup: string;
  /** The "why here" sentence stored with the row. */
  readonly explanation: string;
  /** Set when live assignment moved the customer here between refreshes (ISO). */
  readonly assignedAt: string | null;
  readonly figures: CustomerFigures;
  readonly scores: { readonly r: number; readonly f: number; readonly m: number };
  /** The segment's medians in that run (null for runs that did not record them). */
  readonly medians: { readonly recencyDays: number; readonly frequency: number; readonly monetaryMilli: number } | null;
}

export interface CustomerSegmentHistoryRow {
  readonly runId: number;
  readonly runAsOf: string;
  readonly segmentKey: string;
  readonly segmentName: string;
  readonly rfmGroup: string;
}

export interface CustomerTagWriteRow {
  readonly id: number;
  readonly at: string;
  readonly tag: string;
  readonly action: "add" | "remove";
  readonly mode: "dry-run" | "live";
  readonly result: string;
  readonly message: string | null;
}

export interface CustomerLookup {
  readonly shopifyId: string;
  /** Deleted in Shopify (Segmint keeps an id-only tombstone). */
  readonly deleted: boolean;
  /** Id of the shop's latest completed run, null before the first one. */
  readonly latestRunId: number | null;
  /** The customer's row in the latest completed run, or null (not in it: no purchase yet, or no run). */
  readonly current: CustomerCurrentSegment | null;
  /** The customer's segment in each stored run, newest first. */
  readonly history: readonly CustomerSegmentHistoryRow[];
  /** Tags Segmint wrote or planned for the customer, newest first. */
  readonly tagWrites: readonly CustomerTagWriteRow[];
  /** More tag writes exist than shown. */
  readonly tagWritesTruncated: boolean;
}
