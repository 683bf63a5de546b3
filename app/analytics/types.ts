/**
 * Input model of the analytics core: order facts, as plain data.
 *
 * Money: every amount is `Milli`, integer thousandths of the shop currency (see money.ts).
 *
 * Dates: the core works on calendar days. `processedAt` is an ISO-like string; its calendar
 * date is taken *as written*: `2011-12-09 12:50:00` → 2011-12-09, and a zoned timestamp such as
 * `2011-12-09T23:30:00-05:00` → 2011-12-09 as well (the offset is not applied). The core never
 * converts time zones: a caller holding UTC timestamps (Shopify `processedAt`) must format them
 * in the shop's time zone before handing them over, so that "day" means the shop's day.
 */
import type { Milli } from "./money";

/** One product line of an order. A negative quantity is a return of that many units. */
export interface OrderLineFact {
  readonly productId?: string | null;
  readonly quantity: number;
  /** May be negative (bad-debt adjustments). */
  readonly unitPriceMilli: Milli;
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
  readonly amountMilli?: Milli;
}

/**
 * One order. Either `lines` (line-level data) or `amountMilli` (order-level data: the order's
 * total only) must be given. A cancellation is a refund of the order (`refunds`); the order id
 * carries no meaning (Online Retail's `C` invoices are a convention of its CSV reader).
 */
export interface OrderFact {
  readonly orderId: string;
  /** `null` is a guest checkout: counted nowhere in RFM. */
  readonly customerId: string | null;
  readonly processedAt: string;
  readonly lines?: readonly OrderLineFact[];
  readonly amountMilli?: Milli;
  readonly refunds?: readonly RefundFact[];
}

/**
 * The flat form the RFM core consumes: one row per order line (`quantity` and
 * `unitPriceMilli`) or per order-level amount (`amountMilli`). A CSV reader yields these
 * directly; `flattenOrders` turns `OrderFact`s into them.
 */
export type TransactionRow = LineTransaction | AmountTransaction;

interface TransactionBase {
  readonly customerId: string | null;
  readonly orderId: string;
  /** Calendar day as written (see the module comment), e.g. `2011-12-09` or a full timestamp. */
  readonly processedAt: string;
  readonly productId?: string | null;
  /**
   * The row belongs to a cancelled order as a whole (the data source says so, e.g. an Online
   * Retail `C` invoice flagged by the CSV reader): a return whatever its sign. Default false.
   */
  readonly cancelled?: boolean;
}

export interface LineTransaction extends TransactionBase {
  readonly quantity: number;
  readonly unitPriceMilli: Milli;
  readonly amountMilli?: undefined;
}

export interface AmountTransaction extends TransactionBase {
  readonly amountMilli: Milli;
  readonly quantity?: undefined;
  readonly unitPriceMilli?: undefined;
}
