// A segment's customers as the admin's table and the CSV export see them: the sort keys, one
// stored row and a page of rows. The model reads the rows, the segments service pages them, the
// customers table shows them. Pure.

export const SEGMENT_CUSTOMER_SORTS = ["monetary", "frequency", "recency", "customer"] as const;
export type SegmentCustomerSort = (typeof SEGMENT_CUSTOMER_SORTS)[number];
export type SortDirection = "asc" | "desc";

export interface SegmentCustomerRow {
  /** CustomerSegment.id: the keyset of the export. */
  readonly rowId: number;
  readonly shopifyCustomerId: string;
  readonly segmentKey: string;
  /** null: no purchase on or before the run's day. */
  readonly recencyDays: number | null;
  readonly frequency: number;
  readonly monetaryMilli: number;
  readonly rScore: number;
  readonly fScore: number;
  readonly mScore: number;
  readonly rfmGroup: string;
  readonly outlier: boolean;
  /** The stored "why here" sentence. */
  readonly explanation: string;
}

export interface SegmentCustomersPage {
  readonly rows: readonly SegmentCustomerRow[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  readonly pageSize: number;
  readonly sort: SegmentCustomerSort;
  readonly direction: SortDirection;
  readonly search: string;
}
