// Order features (docs/anomalies.md "Order features"): one row per order, every column a robust
// z-score oriented so larger = more anomalous, measured against yardsticks (the store's, each
// product's, the customer's own history) that are fitted once and stored with the model, so an
// order scored later by webhook is measured exactly like the orders the model was fitted on.
import type { AnomalyOrder, OrderFeature } from "./types";
import { absoluteZ, robustYardstick, upperZ, type RobustYardstick } from "./robust";

/** The forest's columns, in this order. */
export const ORDER_FEATURES: readonly OrderFeature[] = [
  "value-vs-customer",
  "value-vs-store",
  "line-quantity",
  "unit-price",
  "zero-price",
  "burst",
  "first-order",
  "cancelled-extreme",
  "refund-share",
];

const COLUMN = Object.fromEntries(ORDER_FEATURES.map((feature, index) => [feature, index])) as Record<OrderFeature, number>;
export const FEATURE_COUNT = ORDER_FEATURES.length;

/**
 * Scale floors, in the feature's own unit (natural log for money and quantities). A floor is the
 * smallest spread a group is credited with: a product always sold by 12 is not 'extreme' at 13.
 */
export const FLOORS = {
  /** log order value: the store's spread is never taken below ±28 %. */
  storeValue: 0.25,
  /** log order value against the customer's earlier orders: ±65 %. */
  customerValue: 0.5,
  /** log quantity of a product's lines: ±65 %. */
  quantity: 0.5,
  /** log unit price of a product's lines: ±28 % (volume tiers stay below 3). */
  price: 0.25,
  /** the customer's orders in 24 h: two extra orders are z = 4. */
  burst: 0.5,
  /** refunded share of an order: a full refund is z = 10 in a store that rarely refunds. */
  refundShare: 0.1,
} as const;

/** Earlier orders a customer's yardstick looks at (the most recent ones). */
export const CUSTOMER_HISTORY = 50;
/** Earlier orders a customer needs before their own yardstick is used. */
export const CUSTOMER_MIN_HISTORY = 2;
export const BURST_WINDOW_MS = 24 * 3_600_000;
/** Lines a product needs for its own quantity yardstick; with fewer it is measured against the store's lines. */
export const MIN_PRODUCT_LINES = 3;

/**
 * A line's quantity against the largest OTHER line of its product (its record): from this ratio on
 * the line is beyond anything the product sold, and the strength is RECORD_STRENGTH_PER_DOUBLING ×
 * log2(ratio) — 2× the record = 4 (a reason), 8× = 12, 10× = 13.3, 100× = 26.6. The constant puts
 * the record ratio on the robust-z scale of the product-median measure by matching their tails on
 * Online Retail's 531,283 real lines: the 99.9th percentile line is 3.0× its product's record and
 * 6.4 robust z above its product's median (4 × log2 3 = 6.3). Chosen from the real lines only,
 * before the planted evaluation was run with it (docs/anomalies.md "Order features").
 */
export const RECORD_MIN_RATIO = 2;
export const RECORD_STRENGTH_PER_DOUBLING = 4;

/**
 * A free line is measured on its product's price scale as if sold at the smallest price an amount
 * can hold (0.001): further below the usual price than any paid line of that product can be, so a
 * free line always counts as at least as wrong as the worst price error of the product.
 */
export const FREE_LINE_PRICE_MILLI = 1;

/** How a line's 'line-quantity' was measured (the reason says which). */
export const QUANTITY_MEASURE = { productMedian: 0, store: 1, productRecord: 2 } as const;

export interface ProductYardstick {
  /** log quantity of the product's lines; null with fewer than MIN_PRODUCT_LINES lines (the store's line yardstick applies). */
  readonly quantity: RobustYardstick | null;
  /** The product's two largest line quantities [largest, second] (with `quantity`; null without). */
  readonly largest: readonly [number, number] | null;
  /** log unit price of its lines priced above 0; null when most of its lines are free. */
  readonly price: RobustYardstick | null;
}

export interface OrderYardsticks {
  /** log(1 + order value in currency units) over the store's orders. */
  readonly storeValue: RobustYardstick;
  /** log quantity of every product line in the store: the yardstick of a product with too little history. */
  readonly lineQuantity: RobustYardstick;
  readonly products: ReadonlyMap<string, ProductYardstick>;
  readonly burst: RobustYardstick;
  readonly refundShare: RobustYardstick;
}

/** The feature rows plus what the reasons quote (which line, how many orders, the customer's median). */
export interface OrderFeatureRows {
  readonly rows: number;
  /** Row-major `rows × FEATURE_COUNT` robust z-scores. */
  readonly values: Float64Array;
  /** The line behind 'line-quantity' / 'unit-price' / 'zero-price' (−1: none). */
  readonly quantityLine: Int32Array;
  /** How that line was measured (QUANTITY_MEASURE: the product's median, the store's lines, the product's record). */
  readonly quantityMeasure: Uint8Array;
  readonly priceLine: Int32Array;
  readonly zeroPriceLine: Int32Array;
  readonly zeroPriceLines: Int32Array;
  /** The usual value (milli) of the free lines: quantity × the product's median price. */
  readonly givenAwayMilli: Float64Array;
  /** The customer's orders in the 24 h up to this one (itself included). */
  readonly burstCount: Int32Array;
  /** 1 when this order is its burst's peak: no later order of the customer within 24 h counts as many. */
  readonly burstPeak: Uint8Array;
  /** Median value (milli) of the customer's earlier orders and how many (0: no yardstick). */
  readonly customerMedianMilli: Float64Array;
  readonly customerHistory: Int32Array;
  readonly refundShare: Float64Array;
}

export function logValue(milli: number): number {
  return Math.log1p(Math.max(milli, 0) / 1000);
}

/** Milli back from the log scale of `logValue` (for the reasons' medians). */
export function valueFromLog(log: number): number {
  return Math.expm1(log) * 1000;
}

function refundShareOf(order: AnomalyOrder): number {
  if (order.grossMilli <= 0) return 0;
  return Math.min(Math.max(order.refundedMilli / order.grossMilli, 0), 1);
}

/** Fits the yardsticks on the orders the model learns from. */
export function fitOrderYardsticks(orders: readonly AnomalyOrder[]): OrderYardsticks {
  const logValues = new Float64Array(orders.length);
  const quantities = new Map<string, number[]>();
  const prices = new Map<string, number[]>();
  const lineCounts = new Map<string, number>();
  const largest = new Map<string, [number, number]>();
  const allLogQuantities: number[] = [];
  for (let i = 0; i < orders.length; i++) {
    const order = orders[i]!;
    logValues[i] = logValue(order.grossMilli);
    for (const line of order.lines) {
      if (line.productId === null || line.quantity <= 0) continue;
      lineCounts.set(line.productId, (lineCounts.get(line.productId) ?? 0) + 1);
      pushTo(quantities, line.productId, Math.log(line.quantity));
      const top = largest.get(line.productId);
      if (top === undefined) largest.set(line.productId, [line.quantity, 0]);
      else if (line.quantity > top[0]) largest.set(line.productId, [line.quantity, top[0]]);
      else if (line.quantity > top[1]) top[1] = line.quantity;
      allLogQuantities.push(Math.log(line.quantity));
      if (line.unitPriceMilli > 0) pushTo(prices, line.productId, Math.log(line.unitPriceMilli));
    }
  }
  const products = new Map<string, ProductYardstick>();
  for (const [productId, logQuantities] of quantities) {
    const logPrices = prices.get(productId);
    const priced = logPrices !== undefined && logPrices.length * 2 > lineCounts.get(productId)!;
    const ownHistory = logQuantities.length >= MIN_PRODUCT_LINES;
    products.set(productId, {
      quantity: ownHistory ? robustYardstick(logQuantities, FLOORS.quantity) : null,
      largest: ownHistory ? largest.get(productId)! : null,
      price: priced ? robustYardstick(logPrices, FLOORS.price) : null,
    });
  }
  const counts = orderCounts(orders, products);
  return {
    storeValue: robustYardstick(logValues, FLOORS.storeValue),
    lineQuantity: robustYardstick(allLogQuantities, FLOORS.quantity),
    products,
    burst: robustYardstick(counts.burstCount, FLOORS.burst),
    refundShare: robustYardstick(counts.refundShare, FLOORS.refundShare),
  };
}

function pushTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Each customer's orders as indices, oldest first (ties by id, so the result never depends on input order). */
function ordersByCustomer(orders: readonly AnomalyOrder[]): number[][] {
  const byCustomer = new Map<string, number[]>();
  for (let i = 0; i < orders.length; i++) {
    const customerId = orders[i]!.customerId;
    if (customerId !== null) pushTo(byCustomer, customerId, i);
  }
  const groups = [...byCustomer.values()];
  for (const group of groups) {
    group.sort((a, b) => orders[a]!.at - orders[b]!.at || compareIds(orders[a]!.id, orders[b]!.id));
  }
  return groups;
}

/** Numeric ids by value (Shopify ids, invoice numbers), others as text. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface OrderCounts {
  readonly burstCount: Int32Array;
  readonly burstPeak: Uint8Array;
  readonly refundShare: Float64Array;
  readonly zeroPriceLines: Int32Array;
  readonly zeroPriceLine: Int32Array;
  readonly givenAwayMilli: Float64Array;
  /** The strongest free line's robust z on its product's price scale (priced at FREE_LINE_PRICE_MILLI). */
  readonly freeLineZ: Float64Array;
  /** Index in the customer's history (0: first order; −1: guest). */
  readonly position: Int32Array;
  readonly groups: number[][];
}

function orderCounts(orders: readonly AnomalyOrder[], products: ReadonlyMap<string, ProductYardstick>): OrderCounts {
  const n = orders.length;
  const burstCount = new Int32Array(n).fill(1);
  const burstPeak = new Uint8Array(n).fill(1);
  const refundShare = new Float64Array(n);
  const zeroPriceLines = new Int32Array(n);
  const zeroPriceLine = new Int32Array(n).fill(-1);
  const givenAwayMilli = new Float64Array(n);
  const freeLineZ = new Float64Array(n);
  const position = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const order = orders[i]!;
    refundShare[i] = refundShareOf(order);
    // a wholly free order is a deliberate giveaway or stock adjustment; a price error is a free line in a paid order
    if (order.grossMilli <= 0) continue;
    let mostGivenAway = 0;
    order.lines.forEach((line, index) => {
      if (line.unitPriceMilli !== 0 || line.productId === null) return;
      // free only counts where the product usually sells above 0 (not samples, not free gifts)
      const price = products.get(line.productId)?.price;
      if (price == null) return;
      const value = line.quantity * Math.exp(price.median);
      if (value > mostGivenAway || zeroPriceLine[i] === -1) {
        mostGivenAway = value; // the reason names the free line that gave the most away
        zeroPriceLine[i] = index;
      }
      zeroPriceLines[i]!++;
      givenAwayMilli[i]! += value;
      freeLineZ[i] = Math.max(freeLineZ[i]!, upperZ(price.median, { median: Math.log(FREE_LINE_PRICE_MILLI), scale: price.scale }));
    });
  }
  const groups = ordersByCustomer(orders);
  for (const group of groups) {
    let windowStart = 0;
    for (let k = 0; k < group.length; k++) {
      const i = group[k]!;
      position[i] = k;
      const at = orders[i]!.at;
      while (orders[group[windowStart]!]!.at < at - BURST_WINDOW_MS) windowStart++;
      burstCount[i] = k - windowStart + 1;
    }
    // a burst is one event: its peak order carries it, so 29 orders in 2 hours take one review place, not 29
    for (let k = 0; k < group.length; k++) {
      const i = group[k]!;
      for (let j = k + 1; j < group.length && orders[group[j]!]!.at <= orders[i]!.at + BURST_WINDOW_MS; j++) {
        if (burstCount[group[j]!]! >= burstCount[i]!) {
          burstPeak[i] = 0;
          break;
        }
      }
    }
  }
  return { burstCount, burstPeak, refundShare, zeroPriceLines, zeroPriceLine, givenAwayMilli, freeLineZ, position, groups };
}

/** The feature rows of `orders` measured with `yardsticks`. */
export function measureOrders(orders: readonly AnomalyOrder[], yardsticks: OrderYardsticks): OrderFeatureRows {
  const n = orders.length;
  const values = new Float64Array(n * FEATURE_COUNT);
  const quantityLine = new Int32Array(n).fill(-1);
  const quantityMeasure = new Uint8Array(n);
  const priceLine = new Int32Array(n).fill(-1);
  const customerMedianMilli = new Float64Array(n);
  const customerHistory = new Int32Array(n);
  const counts = orderCounts(orders, yardsticks.products);
  const logValues = new Float64Array(n);
  for (let i = 0; i < n; i++) logValues[i] = logValue(orders[i]!.grossMilli);

  for (const group of counts.groups) {
    for (let k = CUSTOMER_MIN_HISTORY; k < group.length; k++) {
      const from = Math.max(0, k - CUSTOMER_HISTORY);
      const history = new Float64Array(k - from);
      for (let j = from; j < k; j++) history[j - from] = logValues[group[j]!]!;
      const own = robustYardstick(history, FLOORS.customerValue);
      const i = group[k]!;
      values[i * FEATURE_COUNT + COLUMN["value-vs-customer"]] = upperZ(logValues[i]!, own);
      customerMedianMilli[i] = valueFromLog(own.median);
      customerHistory[i] = k - from;
    }
  }

  for (let i = 0; i < n; i++) {
    const order = orders[i]!;
    const row = i * FEATURE_COUNT;
    const storeZ = upperZ(logValues[i]!, yardsticks.storeValue);
    values[row + COLUMN["value-vs-store"]] = storeZ;
    let quantityZ = 0;
    let priceZ = 0;
    order.lines.forEach((line, index) => {
      if (line.productId === null || line.quantity <= 0) return;
      const product = yardsticks.products.get(line.productId);
      // a product with too little history (or never seen) is measured against the store's lines
      const own = product?.quantity ?? null;
      const qz = upperZ(Math.log(line.quantity), own ?? yardsticks.lineQuantity);
      if (qz > quantityZ) {
        quantityZ = qz;
        quantityLine[i] = index;
        quantityMeasure[i] = own === null ? QUANTITY_MEASURE.store : QUANTITY_MEASURE.productMedian;
      }
      const rz = product?.largest == null ? 0 : recordStrength(line.quantity, product.largest);
      if (rz > quantityZ) {
        quantityZ = rz;
        quantityLine[i] = index;
        quantityMeasure[i] = QUANTITY_MEASURE.productRecord;
      }
      if (product !== undefined && product.price !== null && line.unitPriceMilli > 0) {
        const pz = absoluteZ(Math.log(line.unitPriceMilli), product.price);
        if (pz > priceZ) {
          priceZ = pz;
          priceLine[i] = index;
        }
      }
    });
    values[row + COLUMN["line-quantity"]] = quantityZ;
    values[row + COLUMN["unit-price"]] = priceZ;
    // what the free lines gave away, against the store's order values: one median order given away is z = 0
    // and as a price error: a free line is the furthest a price can fall below the product's usual price
    values[row + COLUMN["zero-price"]] =
      counts.zeroPriceLines[i]! > 0 ? Math.max(counts.freeLineZ[i]!, upperZ(logValue(counts.givenAwayMilli[i]!), yardsticks.storeValue)) : 0;
    values[row + COLUMN.burst] = order.customerId === null || counts.burstPeak[i] === 0 ? 0 : upperZ(counts.burstCount[i]!, yardsticks.burst);
    values[row + COLUMN["first-order"]] = counts.position[i] === 0 ? storeZ : 0;
    // what was lost: a cancelled order's value, or the amount refunded, against the store's order values
    values[row + COLUMN["cancelled-extreme"]] = upperZ(logValue(lostMilli(order)), yardsticks.storeValue);
    values[row + COLUMN["refund-share"]] = upperZ(counts.refundShare[i]!, yardsticks.refundShare);
  }
  return {
    rows: n,
    values,
    quantityLine,
    quantityMeasure,
    priceLine,
    zeroPriceLine: counts.zeroPriceLine,
    zeroPriceLines: counts.zeroPriceLines,
    givenAwayMilli: counts.givenAwayMilli,
    burstCount: counts.burstCount,
    burstPeak: counts.burstPeak,
    customerMedianMilli,
    customerHistory,
    refundShare: counts.refundShare,
  };
}

/**
 * The largest OTHER line of the product: a line at the product's record (in the fit, the record
 * line itself) is measured against the second largest, any other line against the record — so a
 * webhook order is measured as the fit measured its orders.
 */
export function otherRecord(quantity: number, largest: readonly [number, number]): number {
  return quantity === largest[0] ? largest[1] : largest[0];
}

/** RECORD_STRENGTH_PER_DOUBLING × log2(quantity ÷ the product's largest other line), from RECORD_MIN_RATIO on (else 0). */
export function recordStrength(quantity: number, largest: readonly [number, number]): number {
  const other = otherRecord(quantity, largest);
  if (other <= 0) return 0;
  const ratio = quantity / other;
  return ratio >= RECORD_MIN_RATIO ? RECORD_STRENGTH_PER_DOUBLING * Math.log2(ratio) : 0;
}

/** What an order lost after it was placed: all of it when cancelled, else the amount refunded. */
export function lostMilli(order: AnomalyOrder): number {
  return order.cancelled ? Math.max(order.grossMilli, order.refundedMilli) : order.refundedMilli;
}

export function columnOf(feature: OrderFeature): number {
  return COLUMN[feature];
}
