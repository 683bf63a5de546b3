import type { OrderFact, TransactionRow } from "../types";
import type { Milli } from "../money";
import { parseIsoDay, formatDay, requireIsoDate } from "./calendar";

/** Default half-life of the value-decay score, in days: spend 90 days old counts half. */
export const DEFAULT_VALUE_HALF_LIFE_DAYS = 90;

export interface RfmOptions {
  /**
   * `YYYY-MM-DD`. Lines dated after it are excluded; recency and tenure are measured to it.
   * Default: the day after the last dated row seen (guest rows included), so nothing is excluded.
   */
  readonly asOf?: string;
  /** Half-life of the value-decay score in days (> 0). Default 90. */
  readonly valueHalfLifeDays?: number;
}

/**
 * RFM features per customer, column-wise (typed arrays keep 1M customers compact).
 * Index `i` in every column is the customer `customerIds[i]`; customers appear in the order of
 * their first line. Money columns are `Milli` (1/1000); `monetaryMilli` holds exact integers.
 * `NaN` means "not defined" (no purchase, or fewer than 2 orders for the inter-purchase mean).
 */
export interface RfmFeatureTable {
  readonly asOf: string;
  readonly asOfDay: number;
  readonly valueHalfLifeDays: number;
  readonly count: number;
  readonly customerIds: readonly string[];
  /** Whole days from the last purchase day to `asOf`; NaN for return-only customers. */
  readonly recencyDays: Float64Array;
  /** Distinct order ids with at least one purchase line. 0 for return-only customers. */
  readonly frequency: Int32Array;
  /** Net Σ quantity × unit price (or Σ amount) over all lines, returns included. */
  readonly monetaryMilli: Float64Array;
  /** Days from the first purchase day to `asOf`; NaN for return-only customers. */
  readonly tenureDays: Float64Array;
  /** monetary / frequency; NaN when frequency is 0. */
  readonly averageOrderValueMilli: Float64Array;
  /** (last − first purchase day) / (frequency − 1), the mean gap between orders; NaN when frequency < 2. */
  readonly meanInterPurchaseDays: Float64Array;
  /** Σ amount × 2^(−age/halfLife) over all lines (returns included), age = asOf − line day. */
  readonly valueDecayMilli: Float64Array;
  readonly stats: RfmInputStats;
}

export interface RfmInputStats {
  /** Rows offered to the accumulator. */
  readonly rows: number;
  readonly purchaseLines: number;
  readonly returnLines: number;
  /** Rows without a customer (guest checkouts), excluded from RFM. */
  readonly guestRows: number;
  /** Customer rows dated after `asOf`, excluded. */
  readonly afterAsOfRows: number;
}

/** One RFM row as a plain object (for small inputs, tests and the app's per-customer views). */
export interface RfmCustomerFeatures {
  readonly customerId: string;
  readonly recencyDays: number | null;
  readonly frequency: number;
  readonly monetaryMilli: number;
  readonly tenureDays: number | null;
  readonly averageOrderValueMilli: number | null;
  readonly meanInterPurchaseDays: number | null;
  readonly valueDecayMilli: number;
}

/**
 * The returns rule: a line with negative quantity, an order-level row with negative amount, or
 * any line of a cancellation (`cancelled`: the input says the whole order was cancelled; which
 * orders are cancellations is the data source's convention, e.g. the CSV reader's `C` invoice
 * prefix for Online Retail). Everything else — zero-price, fee and postage lines included — is a
 * purchase.
 */
export function isReturn(quantityOrAmount: number, cancelled: boolean): boolean {
  return cancelled || quantityOrAmount < 0;
}

/**
 * One line as the streaming accumulator takes it. A reader can fill one object in place and pass
 * it for every row (nothing is kept), so there is no allocation per line.
 */
export interface LineInput {
  /** `null` or empty: a guest (ignored). */
  readonly customerId: string | null;
  readonly orderId: string;
  /** Day number (see calendar.ts). */
  readonly day: number;
  /** quantity × unit price, or the order-level amount; an integer. */
  readonly amountMilli: Milli;
  /** Line level: the signed quantity; order level: `null` (the amount's sign decides). */
  readonly quantity: number | null;
  /** The line belongs to a cancelled order: a return whatever its sign (see `isReturn`). */
  readonly cancelled: boolean;
}

/**
 * Streaming RFM: feed rows one at a time (no per-line objects needed), then `finish`.
 * Memory is O(customers + distinct orders).
 */
export interface RfmAccumulator {
  /**
   * Adds one line; the returns rule (`isReturn`) is applied here. Returns false when the row is
   * excluded (guest or after `asOf`).
   */
  addLine(line: Readonly<LineInput>): boolean;
  /** Validates and adds a `TransactionRow`; throws on an invalid row. */
  addTransaction(row: TransactionRow): boolean;
  /** Day number of the latest row seen so far (any customer, guests included); NaN if none. */
  lastDay(): number;
  /** Builds the table. The accumulator must not be used afterwards. */
  finish(): RfmFeatureTable;
}

const NO_DAY = -2147483648;

export function createRfmAccumulator(options: RfmOptions = {}): RfmAccumulator {
  const halfLife = options.valueHalfLifeDays ?? DEFAULT_VALUE_HALF_LIFE_DAYS;
  if (!(typeof halfLife === "number" && Number.isFinite(halfLife) && halfLife > 0)) {
    throw new RangeError(`valueHalfLifeDays must be a positive number, got ${String(halfLife)}`);
  }
  const fixedAsOf = options.asOf === undefined ? null : requireIsoDate(options.asOf, "asOf");

  const index = new Map<string, number>();
  const ids: string[] = [];
  let capacity = 1024;
  let firstDay = new Int32Array(capacity).fill(NO_DAY);
  let lastPurchase = new Int32Array(capacity).fill(NO_DAY);
  let frequency = new Int32Array(capacity);
  let monetary = new Float64Array(capacity);
  let decaySum = new Float64Array(capacity);
  let decayRef = new Int32Array(capacity).fill(NO_DAY);
  // Distinct orders per customer: order id → the customer it was first counted for. An order id
  // seen with a second customer (rare) falls back to composite keys. Lines of one order usually
  // arrive together, so the last (customer, order) pair is checked first to skip most lookups.
  const orderOwner = new Map<string, number>();
  const sharedOrders = new Set<string>();
  let lastOrderKeyCustomer = -1;
  let lastOrderKeyOrder = "";
  let lastCustomerId = "";
  let lastCustomer = -1;

  let rows = 0;
  let purchaseLines = 0;
  let returnLines = 0;
  let guestRows = 0;
  let afterAsOfRows = 0;
  let maxDay = NO_DAY;
  let finished = false;

  function grow(): void {
    const next = capacity * 2;
    const g32 = (a: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(next).fill(fill);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(next);
      b.set(a);
      return b;
    };
    firstDay = g32(firstDay, NO_DAY);
    lastPurchase = g32(lastPurchase, NO_DAY);
    frequency = g32(frequency, 0);
    decayRef = g32(decayRef, NO_DAY);
    monetary = g64(monetary);
    decaySum = g64(decaySum);
    capacity = next;
  }

  function addLine(line: Readonly<LineInput>): boolean {
    return add(line.customerId, line.orderId, line.day, line.amountMilli, isReturn(line.quantity ?? line.amountMilli, line.cancelled));
  }

  function add(customerId: string | null, orderId: string, day: number, amountMilli: number, returned: boolean): boolean {
    if (finished) throw new Error("RfmAccumulator: addLine after finish");
    rows++;
    if (day > maxDay) maxDay = day;
    if (customerId === null || customerId === "") {
      guestRows++;
      return false;
    }
    if (fixedAsOf !== null && day > fixedAsOf) {
      afterAsOfRows++;
      return false;
    }
    let c = customerId === lastCustomerId ? lastCustomer : index.get(customerId);
    if (c === undefined) {
      c = ids.length;
      if (c === capacity) grow();
      index.set(customerId, c);
      ids.push(customerId);
    }
    lastCustomerId = customerId;
    lastCustomer = c;
    const total = monetary[c]! + amountMilli;
    if (!Number.isSafeInteger(total)) throw new RangeError(`monetary of customer ${customerId} exceeds 2^53 milli`);
    monetary[c] = total;

    // Exponentially decayed spend, kept relative to the customer's latest line day so the
    // running sum never overflows whatever the span; rescaled to asOf in finish().
    const ref = decayRef[c]!;
    if (ref === NO_DAY) {
      decaySum[c] = amountMilli;
      decayRef[c] = day;
    } else if (day > ref) {
      decaySum[c] = decaySum[c]! * Math.pow(2, -(day - ref) / halfLife) + amountMilli;
      decayRef[c] = day;
    } else {
      decaySum[c] = decaySum[c]! + amountMilli * Math.pow(2, -(ref - day) / halfLife);
    }

    if (returned) {
      returnLines++;
      return true;
    }
    purchaseLines++;
    if (firstDay[c] === NO_DAY || day < firstDay[c]!) firstDay[c] = day;
    if (day > lastPurchase[c]!) lastPurchase[c] = day;
    if (!(c === lastOrderKeyCustomer && orderId === lastOrderKeyOrder)) {
      lastOrderKeyCustomer = c;
      lastOrderKeyOrder = orderId;
      const owner = orderOwner.get(orderId);
      if (owner === undefined) {
        orderOwner.set(orderId, c);
        frequency[c] = frequency[c]! + 1;
      } else if (owner !== c) {
        const key = `${c}\u0000${orderId}`;
        if (!sharedOrders.has(key)) {
          sharedOrders.add(key);
          frequency[c] = frequency[c]! + 1;
        }
      }
    }
    return true;
  }

  function addTransaction(row: TransactionRow): boolean {
    const day = parseIsoDay(row.processedAt);
    if (day === null) throw new RangeError(`order ${row.orderId}: processedAt is not a YYYY-MM-DD date: ${JSON.stringify(row.processedAt)}`);
    if (typeof row.orderId !== "string" || row.orderId === "") throw new RangeError("orderId must be a non-empty string");
    let amount: number;
    let signed: number;
    if (row.amountMilli !== undefined) {
      if (!Number.isSafeInteger(row.amountMilli)) throw new RangeError(`order ${row.orderId}: amountMilli must be a safe integer`);
      amount = row.amountMilli;
      signed = amount;
    } else {
      if (!Number.isSafeInteger(row.quantity)) throw new RangeError(`order ${row.orderId}: quantity must be an integer`);
      if (!Number.isSafeInteger(row.unitPriceMilli)) throw new RangeError(`order ${row.orderId}: unitPriceMilli must be a safe integer`);
      amount = row.quantity * row.unitPriceMilli;
      if (!Number.isSafeInteger(amount)) throw new RangeError(`order ${row.orderId}: line amount exceeds 2^53 milli`);
      signed = row.quantity;
    }
    return add(row.customerId, row.orderId, day, amount, isReturn(signed, row.cancelled === true));
  }

  function finish(): RfmFeatureTable {
    if (finished) throw new Error("RfmAccumulator: finish called twice");
    finished = true;
    const asOfDay = fixedAsOf ?? (maxDay === NO_DAY ? 0 : maxDay + 1);
    if (fixedAsOf === null && maxDay === NO_DAY) throw new RangeError("no rows: give asOf or at least one dated row");
    const n = ids.length;
    const recencyDays = new Float64Array(n);
    const tenureDays = new Float64Array(n);
    const aov = new Float64Array(n);
    const gap = new Float64Array(n);
    const decay = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = frequency[i]!;
      const first = firstDay[i]!;
      const last = lastPurchase[i]!;
      const has = f > 0;
      recencyDays[i] = has ? asOfDay - last : NaN;
      tenureDays[i] = has ? asOfDay - first : NaN;
      aov[i] = has ? monetary[i]! / f : NaN;
      gap[i] = f >= 2 ? (last - first) / (f - 1) : NaN;
      decay[i] = decaySum[i]! * Math.pow(2, -(asOfDay - decayRef[i]!) / halfLife);
    }
    return {
      asOf: formatDay(asOfDay),
      asOfDay,
      valueHalfLifeDays: halfLife,
      count: n,
      customerIds: ids,
      recencyDays,
      frequency: frequency.slice(0, n),
      monetaryMilli: monetary.slice(0, n),
      tenureDays,
      averageOrderValueMilli: aov,
      meanInterPurchaseDays: gap,
      valueDecayMilli: decay,
      stats: { rows, purchaseLines, returnLines, guestRows, afterAsOfRows },
    };
  }

  return { addLine, addTransaction, finish, lastDay: () => (maxDay === NO_DAY ? NaN : maxDay) };
}

/** RFM features from transaction rows (line-level, order-level or mixed). Inputs are not mutated. */
export function computeRfmFeatures(rows: Iterable<TransactionRow>, options: RfmOptions = {}): RfmFeatureTable {
  const acc = createRfmAccumulator(options);
  for (const row of rows) acc.addTransaction(row);
  return acc.finish();
}

/**
 * Order facts → transaction rows. Lines keep their sign; refund lines and refund amounts become
 * negative rows on the original order id with the refund's own date (returns by rule).
 */
export function flattenOrders(orders: readonly OrderFact[]): TransactionRow[] {
  const out: TransactionRow[] = [];
  for (const o of orders) {
    if (o.lines === undefined && o.amountMilli === undefined) {
      throw new RangeError(`order ${o.orderId}: give lines or amountMilli`);
    }
    const base = { customerId: o.customerId, orderId: o.orderId, processedAt: o.processedAt };
    for (const l of o.lines ?? []) {
      out.push({ ...base, productId: l.productId ?? null, quantity: l.quantity, unitPriceMilli: l.unitPriceMilli });
    }
    if (o.amountMilli !== undefined) out.push({ ...base, amountMilli: o.amountMilli });
    for (const r of o.refunds ?? []) {
      const rb = { customerId: o.customerId, orderId: o.orderId, processedAt: r.processedAt };
      for (const l of r.lines ?? []) {
        out.push({ ...rb, productId: l.productId ?? null, quantity: -Math.abs(l.quantity), unitPriceMilli: l.unitPriceMilli });
      }
      if (r.amountMilli !== undefined && r.amountMilli !== 0) out.push({ ...rb, amountMilli: -Math.abs(r.amountMilli) });
    }
  }
  return out;
}

/** RFM features from order facts (with refunds). */
export function computeRfmFeaturesFromOrders(orders: readonly OrderFact[], options: RfmOptions = {}): RfmFeatureTable {
  return computeRfmFeatures(flattenOrders(orders), options);
}

/** Row `i` of a table as a plain object (NaN → null). */
export function featureRow(table: RfmFeatureTable, i: number): RfmCustomerFeatures {
  if (!(Number.isInteger(i) && i >= 0 && i < table.count)) throw new RangeError(`featureRow: index ${i} out of range`);
  const nn = (v: number): number | null => (Number.isNaN(v) ? null : v);
  return {
    customerId: table.customerIds[i]!,
    recencyDays: nn(table.recencyDays[i]!),
    frequency: table.frequency[i]!,
    monetaryMilli: table.monetaryMilli[i]!,
    tenureDays: nn(table.tenureDays[i]!),
    averageOrderValueMilli: nn(table.averageOrderValueMilli[i]!),
    meanInterPurchaseDays: nn(table.meanInterPurchaseDays[i]!),
    valueDecayMilli: table.valueDecayMilli[i]!,
  };
}

/** All rows as plain objects. */
export function featureRows(table: RfmFeatureTable): RfmCustomerFeatures[] {
  const out: RfmCustomerFeatures[] = [];
  for (let i = 0; i < table.count; i++) out.push(featureRow(table, i));
  return out;
}

/**
 * Builds a table from plain per-customer rows (e.g. stored features, or tests). Only the
 * three RFM columns are required; the others default to NaN/monetary.
 */
export function featureTableFromRows(
  rows: readonly { customerId: string; recencyDays: number | null; frequency: number; monetaryMilli: number }[],
  asOf: string,
): RfmFeatureTable {
  const asOfDay = requireIsoDate(asOf, "asOf");
  const n = rows.length;
  const t = {
    recency: new Float64Array(n),
    freq: new Int32Array(n),
    mon: new Float64Array(n),
  };
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (seen.has(r.customerId)) throw new RangeError(`duplicate customerId ${r.customerId}`);
    seen.add(r.customerId);
    if (!Number.isInteger(r.frequency) || r.frequency < 0) throw new RangeError(`customer ${r.customerId}: frequency must be a non-negative integer`);
    if (!Number.isSafeInteger(r.monetaryMilli)) throw new RangeError(`customer ${r.customerId}: monetaryMilli must be a safe integer`);
    if (r.frequency > 0 && !(typeof r.recencyDays === "number" && r.recencyDays >= 0)) {
      throw new RangeError(`customer ${r.customerId}: recencyDays must be ≥ 0 when frequency > 0`);
    }
    t.recency[i] = r.frequency > 0 ? (r.recencyDays as number) : NaN;
    t.freq[i] = r.frequency;
    t.mon[i] = r.monetaryMilli;
  });
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const aov = new Float64Array(n);
  for (let i = 0; i < n; i++) aov[i] = t.freq[i]! > 0 ? t.mon[i]! / t.freq[i]! : NaN;
  return {
    asOf,
    asOfDay,
    valueHalfLifeDays: DEFAULT_VALUE_HALF_LIFE_DAYS,
    count: n,
    customerIds: rows.map((r) => r.customerId),
    recencyDays: t.recency,
    frequency: t.freq,
    monetaryMilli: t.mon,
    tenureDays: nan(),
    averageOrderValueMilli: aov,
    meanInterPurchaseDays: nan(),
    valueDecayMilli: Float64Array.from(t.mon),
    stats: { rows: 0, purchaseLines: 0, returnLines: 0, guestRows: 0, afterAsOfRows: 0 },
  };
}
