/**
 * Orders for the anomaly detectors (`segmint anomalies`, `npm run eval:anomalies`) from a
 * transaction CSV: the same column detection, date reading and bad-row reporting as `segment`
 * (cli/csv/transactions.ts), one AnomalyOrder per order id with its lines, and returns attributed
 * to earlier orders the way the simulator seeds Online Retail (simulator/seed-online-retail.ts),
 * so the CLI and the app see the same refunds and cancellations:
 *  - a return is a line with a negative quantity (or amount), or any line of an order whose id
 *    starts with the cancellation prefix (`C`: Online Retail's cancellation invoices);
 *  - a customer's return goes to that customer's most recent order placed at or before it that
 *    still has one of the returned products to refund, else to the most recent earlier order;
 *    matched quantities become refunded quantities (capped at what is left), the rest refunded
 *    money at the return's price (capped at the order's value); an order left with nothing to
 *    refund is cancelled;
 *  - a guest's return, or a customer's return with no earlier order (its original predates the
 *    file), is not attributed (counted only).
 */
import type { AnomalyLine, AnomalyOrder } from "../../app/analytics/index";
import { ColumnError, normaliseHeader } from "./columns";
import { openCsvText, ONLINE_RETAIL_CANCELLATION_PREFIX, streamTransactions, type ReadOptions, type ReadProgress, type RowProblem } from "./transactions";

/** Header names (normalised like the other columns) that hold a product's name. */
export const DESCRIPTION_CANDIDATES = ["description", "productname", "producttitle", "title", "itemname", "productdescription", "name"] as const;

const DAY_MS = 86_400_000;

export interface AnomalyReadOptions extends ReadOptions {
  /** The header of the product-name column (default: auto-detected, DESCRIPTION_CANDIDATES). */
  readonly descriptionColumn?: string;
  /** Filled with the bytes read, for a progress display. */
  readonly progress?: ReadProgress;
  /** Called after each chunk with the valid rows read so far. */
  readonly onChunk?: (validRows: number) => void;
}

export interface AnomalyReadStats {
  /** Data rows in the file (valid + problems). */
  readonly rows: number;
  readonly validRows: number;
  /** Line-level (quantity × unit price) or order-level (one amount per order) input. */
  readonly level: "line" | "order";
  /** Return events (an order id's return rows, one per order id). */
  readonly returns: number;
  readonly returnsAttributed: number;
  /** Of which matched to a line of the same product. */
  readonly returnsMatchedByProduct: number;
  readonly guestReturns: number;
  /** Customer returns with no earlier order in the file. */
  readonly returnsWithoutEarlierOrder: number;
  /** Orders cancelled because everything in them was returned. */
  readonly cancelledOrders: number;
}

export interface AnomalyOrders {
  /** One per order id with a purchase, in the order the file first lists them. */
  readonly orders: AnomalyOrder[];
  /** Product id → the first non-empty description (empty when the file has no description column). */
  readonly productNames: Map<string, string>;
  /** Rows that could not be used, with their line numbers (header = line 1). */
  readonly problems: RowProblem[];
  /** The last day (day number) in the file. */
  readonly lastDay: number;
  readonly stats: AnomalyReadStats;
}

interface LineBuilder {
  productId: string | null;
  quantity: number;
  unitPriceMilli: number;
  refundedQuantity: number;
}

interface ReturnLine {
  readonly productId: string | null;
  readonly quantity: number; // > 0; 0 for an order-level amount
  readonly amountMilli: number; // > 0
}

interface OrderBuilder {
  readonly id: string;
  readonly customerId: string | null;
  readonly at: number;
  readonly day: number;
  grossMilli: number;
  refundedMilli: number;
  lines: LineBuilder[];
  returns: ReturnLine[];
  /** Has a purchase row (an order id with only return rows is a return, not an order). */
  purchase: boolean;
  cancelled: boolean;
}

/**
 * Milliseconds since midnight of a date cell's time (`… 9:15`, `…T08:26:00.5`), taken as written
 * (a zone offset is not applied, like the day); 0 when the cell has no time or an unreadable one.
 */
export function timeOfDayMs(text: string): number {
  let i = text.indexOf(" ");
  const t = text.indexOf("T", 8);
  if (i < 0 || (t >= 0 && t < i)) i = t;
  if (i < 0) return 0;
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?/.exec(text.slice(i + 1));
  if (m === null) return 0;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 23 || minutes > 59 || seconds > 60) return 0;
  const millis = m[4] === undefined ? 0 : Number(m[4].padEnd(3, "0"));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** Reads a transaction CSV (plain or gzip) into orders for the anomaly detectors. */
export async function readAnomalyOrders(path: string, options: AnomalyReadOptions = {}): Promise<AnomalyOrders> {
  const readOptions: ReadOptions = {
    ...options,
    cancellationPrefix: options.cancellationPrefix === undefined ? ONLINE_RETAIL_CANCELLATION_PREFIX : options.cancellationPrefix,
  };
  const byId = new Map<string, OrderBuilder>();
  const productNames = new Map<string, string>();
  const problems: RowProblem[] = [];
  let description = -1;
  let dateIndex = -1;
  let level: "line" | "order" = "line";
  let valid = 0;
  let lastDay = -Infinity;
  await streamTransactions(openCsvText(path, options.progress), readOptions, {
    onHeader: ({ header, columns }) => {
      level = columns.level;
      dateIndex = columns.date;
      description = findDescription(header, options.descriptionColumn);
    },
    onRow: (row, line, fields) => {
      const isReturn = row.cancelled || (row.quantity !== null ? row.quantity < 0 : row.amountMilli < 0);
      const reason = unusable(row.quantity, row.unitPriceMilli, isReturn);
      if (reason !== null) {
        problems.push({ line, reason });
        return;
      }
      valid++;
      if (row.day > lastDay) lastDay = row.day;
      let order = byId.get(row.orderId);
      if (order === undefined) {
        const at = row.day * DAY_MS + timeOfDayMs(fields[dateIndex]!);
        order = { id: row.orderId, customerId: row.customerId, at, day: row.day, grossMilli: 0, refundedMilli: 0, lines: [], returns: [], purchase: false, cancelled: false };
        byId.set(row.orderId, order);
      }
      if (row.productId !== null && description >= 0 && !productNames.has(row.productId)) {
        const name = fields[description]!.trim();
        if (name !== "" && name !== "?") productNames.set(row.productId, name);
      }
      if (isReturn) {
        const quantity = row.quantity === null ? 0 : Math.abs(row.quantity);
        order.returns.push({ productId: row.productId, quantity, amountMilli: Math.abs(row.amountMilli) });
        return;
      }
      order.purchase = true;
      order.grossMilli += row.amountMilli;
      if (row.quantity !== null) order.lines.push({ productId: row.productId, quantity: row.quantity, unitPriceMilli: row.unitPriceMilli!, refundedQuantity: 0 });
    },
    onProblem: (p) => problems.push(p),
    onChunk: () => options.onChunk?.(valid),
  });
  const stats = attributeReturns([...byId.values()]);
  const orders: AnomalyOrder[] = [];
  for (const o of byId.values()) {
    if (!o.purchase) continue;
    orders.push({ id: o.id, customerId: o.customerId, at: o.at, day: o.day, grossMilli: o.grossMilli, refundedMilli: o.refundedMilli, cancelled: o.cancelled, lines: o.lines as AnomalyLine[] });
  }
  return {
    orders,
    productNames,
    problems,
    lastDay: lastDay === -Infinity ? 0 : lastDay,
    stats: { rows: valid + problems.length, validRows: valid, level, ...stats },
  };
}

/** Why a parsed row cannot be an order line for the detectors (null: it can). */
function unusable(quantity: number | null, unitPriceMilli: number | null, isReturn: boolean): string | null {
  if (quantity === null) return null;
  if (quantity === 0) return "zero quantity";
  if (unitPriceMilli! < 0) return isReturn ? "negative unit price" : "negative unit price (an accounting entry, not a sale)";
  return null;
}

function findDescription(header: readonly string[], wanted: string | undefined): number {
  const normalised = header.map(normaliseHeader);
  if (wanted !== undefined) {
    let idx = header.indexOf(wanted);
    if (idx < 0) idx = normalised.indexOf(normaliseHeader(wanted));
    if (idx < 0) throw new ColumnError(`column ${JSON.stringify(wanted)} (--description-column) is not in the header: ${header.join(", ")}`);
    return idx;
  }
  for (const candidate of DESCRIPTION_CANDIDATES) {
    const idx = normalised.indexOf(candidate);
    if (idx >= 0) return idx;
  }
  return -1;
}

type Attribution = Omit<AnomalyReadStats, "rows" | "validRows" | "level">;

/**
 * Applies every order id's return rows to an earlier order of the same customer, in time order
 * (ties by id, like the simulator: `536365` before `C536365`), so a return only sees orders
 * placed before it.
 */
function attributeReturns(builders: OrderBuilder[]): Attribution {
  const stats = { returns: 0, returnsAttributed: 0, returnsMatchedByProduct: 0, guestReturns: 0, returnsWithoutEarlierOrder: 0, cancelledOrders: 0 };
  const timeline = [...builders].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const placedByCustomer = new Map<string, OrderBuilder[]>();
  for (const event of timeline) {
    // An id with both purchases and returns: its returns may go to itself (placed first).
    if (event.purchase && event.customerId !== null) {
      const placed = placedByCustomer.get(event.customerId);
      if (placed === undefined) placedByCustomer.set(event.customerId, [event]);
      else placed.push(event);
    }
    if (event.returns.length === 0) continue;
    stats.returns++;
    if (event.customerId === null) {
      stats.guestReturns++;
      continue;
    }
    const placed = placedByCustomer.get(event.customerId) ?? [];
    if (placed.length === 0) {
      stats.returnsWithoutEarlierOrder++;
      continue;
    }
    const products = new Set(event.returns.map((r) => r.productId).filter((p) => p !== null));
    let target: OrderBuilder | undefined;
    for (let i = placed.length - 1; i >= 0 && target === undefined; i--) {
      if (placed[i]!.lines.some((l) => l.productId !== null && products.has(l.productId) && l.refundedQuantity < l.quantity)) target = placed[i];
    }
    if (target !== undefined) stats.returnsMatchedByProduct++;
    else target = placed[placed.length - 1]!;
    stats.returnsAttributed++;
    if (applyReturn(target, event.returns)) stats.cancelledOrders++;
  }
  return stats;
}

/** Refunds `returns` on `order`; true when this left the order with nothing to refund (cancelled). */
function applyReturn(order: OrderBuilder, returns: readonly ReturnLine[]): boolean {
  let refunded = 0;
  for (const r of returns) {
    let wanted = r.quantity;
    for (const line of order.lines) {
      if (wanted <= 0) break;
      if (line.productId === null || line.productId !== r.productId) continue;
      const q = Math.min(line.quantity - line.refundedQuantity, wanted);
      if (q <= 0) continue;
      line.refundedQuantity += q;
      refunded += q * line.unitPriceMilli;
      wanted -= q;
    }
    // Unmatched quantity (or an order-level amount) is refunded as money at the return's price.
    refunded += r.quantity > 0 ? Math.round((wanted * r.amountMilli) / r.quantity) : r.amountMilli;
  }
  order.refundedMilli = Math.min(order.grossMilli, order.refundedMilli + refunded);
  if (order.cancelled) return false;
  const nothingLeft = order.lines.length > 0 ? order.lines.every((l) => l.refundedQuantity >= l.quantity) : order.grossMilli > 0 && order.refundedMilli >= order.grossMilli;
  order.cancelled = nothingLeft;
  return nothingLeft;
}
