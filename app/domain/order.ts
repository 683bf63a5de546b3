// The order vocabulary of the sync side: what a Shopify order becomes (OrderState), the one rule
// that decides whether a state is written ("newer state wins") and the one mapping from a state to
// the Order table's columns. Pure: the mappers in app/shopify/mappers produce these states, and the
// three writers (per event through Prisma; backfill batches on PostgreSQL and on SQLite) consume
// them. Only their I/O differs (docs/decisions/0006-order-vocabulary.md).
import type { Milli } from "../analytics";
import { storedVersion } from "./version";

/** An order line as Segmint stores it: ids, quantities and the unit price. */
export interface LineState {
  shopifyId: string;
  productId: string | null;
  variantId: string | null;
  quantity: number;
  unitPriceMilli: Milli;
  refundedQuantity: number;
}

/** A refund: its amount (positive, returned to the customer) and when it was processed. */
export interface RefundState {
  shopifyId: string;
  processedAt: Date;
  amountMilli: Milli;
}

/**
 * A refund that arrives on its own (refunds/create), after its order: it is added to the stored
 * order, whose lines' refunded quantities grow by `lines`.
 */
export interface RefundEvent {
  orderShopifyId: string;
  refund: RefundState;
  lines: { lineShopifyId: string; quantity: number }[];
}

/** An order as Segmint stores it: ids and order facts only (no names, emails or addresses). */
export interface OrderState {
  shopifyId: string;
  customerShopifyId: string | null;
  processedAt: Date;
  /** Shopify's updated_at: the version of this state (newer wins). */
  updatedAt: Date;
  currency: string;
  grossMilli: Milli;
  netMilli: Milli;
  cancelledAt: Date | null;
  test: boolean;
  lines: LineState[];
  refunds: RefundState[];
}

/**
 * A cancellation record, as opposed to a placed order: an order cancelled at (or before) the
 * moment it was processed was never a purchase; it only carries returns (docs/data-model.md).
 * The database form of the same rule, for counting in SQL, is `placedOrder` in
 * app/models/store-summary.server.ts.
 */
export function isCancellationRecord(order: { processedAt: Date; cancelledAt: Date | null }): boolean {
  return order.cancelledAt !== null && order.cancelledAt.getTime() <= order.processedAt.getTime();
}

/**
 * What to do with an incoming order state, given the stored one:
 * - insert: nothing stored yet;
 * - replace: the stored state is older; overwrite the order, drop its lines and refunds, write the new ones;
 * - resume: the stored state is the same version; keep the row and add whatever lines and refunds
 *   it lacks (inserts that ignore what exists);
 * - skip: the stored state is newer (or, per event, the same); write nothing.
 */
export type OrderWrite = "insert" | "replace" | "resume" | "skip";

/**
 * What an equal version means to the caller.
 * - "skip" (per event: webhooks, reconciliation): one transaction writes the whole order, so an
 *   equal version is complete already, and it may carry a refund that refunds/create added on
 *   top of it (the refund webhook does not bump the order's version); rewriting would drop it.
 * - "resume" (the backfill): orders are written in pass 1 and their lines in pass 2, in separate
 *   transactions, so an equal version may be an order whose lines a crashed attempt never wrote.
 *   The row id goes back to pass 2, whose inserts leave existing lines and refunds alone.
 */
export type EqualVersion = "skip" | "resume";

/** Newer state wins: what to do with an incoming order, given the stored one (null: none). */
export function orderWriteDecision(stored: { updatedAt: Date } | null, incoming: { updatedAt: Date }, onEqual: "skip"): Exclude<OrderWrite, "resume">;
export function orderWriteDecision(stored: { updatedAt: Date } | null, incoming: { updatedAt: Date }, onEqual: EqualVersion): OrderWrite;
export function orderWriteDecision(stored: { updatedAt: Date } | null, incoming: { updatedAt: Date }, onEqual: EqualVersion): OrderWrite {
  if (stored === null) return "insert";
  switch (storedVersion(stored.updatedAt, incoming.updatedAt)) {
    case "older":
      return "replace";
    case "newer":
      return "skip";
    case "same":
      return onEqual;
  }
}

/** A value a writer binds to a column (each driver converts Date and boolean its own way). */
export type ColumnValue = string | number | bigint | boolean | Date | null;

// The Order columns a state sets, each with its value as the column holds it (money columns are
// BigInt milli). The row's keys ("shopId", "shopifyId") and bookkeeping ("createdAt",
// "updatedAt") are the writers' own.
const ORDER_COLUMN_VALUES = {
  customerId: (_: OrderState, customerRowId: number | null) => customerRowId,
  processedAt: (s: OrderState) => s.processedAt,
  shopifyUpdatedAt: (s: OrderState) => s.updatedAt,
  currency: (s: OrderState) => s.currency,
  grossMilli: (s: OrderState) => BigInt(s.grossMilli),
  netMilli: (s: OrderState) => BigInt(s.netMilli),
  cancelledAt: (s: OrderState) => s.cancelledAt,
  test: (s: OrderState) => s.test,
} satisfies Record<string, (s: OrderState, customerRowId: number | null) => ColumnValue>;

type OrderColumnValues = typeof ORDER_COLUMN_VALUES;

/** The Order columns `orderColumns` sets, by name and value. */
export type OrderColumns = { [K in keyof OrderColumnValues]: ReturnType<OrderColumnValues[K]> };

/** The names of those columns, in a fixed order (for statements prepared before any state exists). */
export const ORDER_COLUMNS = Object.keys(ORDER_COLUMN_VALUES) as readonly (keyof OrderColumns)[];

/** The Order columns of `state` (`customerRowId`: the Customer row, null for a guest checkout). */
export function orderColumns(state: OrderState, customerRowId: number | null): OrderColumns {
  const columns: Partial<Record<keyof OrderColumns, ColumnValue>> = {};
  for (const name of ORDER_COLUMNS) columns[name] = ORDER_COLUMN_VALUES[name](state, customerRowId);
  // Every name was set above, each by its own function, so the values have their declared types.
  return columns as OrderColumns;
}

/** The columns' values in ORDER_COLUMNS order (for positional statements). */
export function orderColumnValues(columns: OrderColumns): ColumnValue[] {
  return ORDER_COLUMNS.map((name) => columns[name]);
}

/**
 * Batched order writes for one shop's backfill (the port the PostgreSQL and SQLite writers
 * implement; app/models/orders-bulk picks one).
 */
export interface OrderBulkWriter {
  /**
   * Writes orders with their refunds (not lines). Returns, per Shopify order id, the row id whose
   * lines the caller should write, or null when the stored state is newer (a webhook already
   * delivered a later version; its lines stand).
   */
  writeOrders(orders: OrderState[]): Promise<Map<string, number | null>>;
  /** Inserts lines; a line already stored (a resumed backfill, a webhook) is left as it is. */
  insertLines(rows: { orderId: number; line: LineState }[]): Promise<void>;
  close(): Promise<void>;
}
