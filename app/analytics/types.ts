/**
 * Input model of the analytics core: order facts, as plain data.
 *
 * Money: every amount is an integer number of *minor units* of 1/1000 of the shop currency
 * (`MINOR_UNITS_PER_MAJOR`). A thousandth covers every ISO-4217 currency in use by Shopify
 * (0, 2 or 3 decimals) and the Online Retail data set (prices such as `0.001`), so parsing and
 * summing are exact integer arithmetic. Sums stay exact while |total| < 2^53 minor units
 * (≈ 9·10^12 major units).
 *
 * Dates: the core works on calendar days. `processedAt` is an ISO-like string; its calendar
 * date is taken *as written*: `2011-12-09 12:50:00` → 2011-12-09, and a zoned timestamp such as
 * `2011-12-09T23:30:00-05:00` → 2011-12-09 as well (the offset is not applied). The core never
 * converts time zones: a caller holding UTC timestamps (Shopify `processedAt`) must format them
 * in the shop's time zone before handing them over, so that "day" means the shop's day.
 */

/** Minor units per major unit of currency for every amount in the core. */
export const MINOR_UNITS_PER_MAJOR = 1000;

/** One product line of an order. A negative quantity is a return of that many units. */
export interface OrderLineFact {
  readonly productId?: string | null;
  readonly quantity: number;
  /** Integer minor units (1/1000 of the currency); may be negative (bad-debt adjustments). */
  readonly unitPriceMinor: number;
}

/**
 * A refund or cancellation of (part of) an order, with its own date. It always belongs to the
 * original order id and is always a return: it lowers monetary value but never counts as an
 * order and never moves recency, whatever its date.
 */
export interface RefundFact {
  readonly processedAt: string;
  /** Returned lines: `quantity` is the returned count, given positive or negative (sign ignored). */
  readonly lines?: readonly OrderLineFact[];
  /** Refunded amount not tied to lines (shipping, goodwill), positive or negative (sign ignored). */
  readonly amountMinor?: number;
}

/**
 * One order. Either `lines` (line-level data) or `amountMinor` (order-level data: the order's
 * total only) must be given. An order id starting with `C` is a cancellation (Online Retail
 * convention): all of its lines are returns.
 */
export interface OrderFact {
  readonly orderId: string;
  /** `null` is a guest checkout: counted nowhere in RFM. */
  readonly customerId: string | null;
  readonly processedAt: string;
  readonly lines?: readonly OrderLineFact[];
  readonly amountMinor?: number;
  readonly refunds?: readonly RefundFact[];
}

/**
 * The flat form the RFM core consumes: one row per order line (`quantity` and
 * `unitPriceMinor`) or per order-level amount (`amountMinor`). A CSV reader yields these
 * directly; `flattenOrders` turns `OrderFact`s into them.
 */
export type TransactionRow = LineTransaction | AmountTransaction;

interface TransactionBase {
  readonly customerId: string | null;
  readonly orderId: string;
  /** Calendar day as written (see the module comment), e.g. `2011-12-09` or a full timestamp. */
  readonly processedAt: string;
  readonly productId?: string | null;
}

export interface LineTransaction extends TransactionBase {
  readonly quantity: number;
  readonly unitPriceMinor: number;
  readonly amountMinor?: undefined;
}

export interface AmountTransaction extends TransactionBase {
  readonly amountMinor: number;
  readonly quantity?: undefined;
  readonly unitPriceMinor?: undefined;
}
