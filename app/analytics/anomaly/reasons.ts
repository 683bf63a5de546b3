// Reasons in plain words (docs/anomalies.md "Reasons"): the strongest features of a flag, with the
// numbers a merchant can check. Each reason keeps the numbers it quotes (`values`) so the app can
// render it again once it has learned the product's name.
import type { AnomalyOrder, AnomalyReason, OrderFeature } from "./types";
import { columnOf, FEATURE_COUNT, lostMilli, ORDER_FEATURES, otherRecord, QUANTITY_MEASURE, valueFromLog, type OrderFeatureRows, type OrderYardsticks } from "./features";

/** A feature is a reason from this robust z on. */
export const REASON_MIN_STRENGTH = 3;
/** Reasons kept per subject. */
export const MAX_REASONS = 3;

export type MoneyFormat = (milli: number) => string;

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "1,234.50": the default when the caller does not know the currency. */
export function defaultFormatMoney(milli: number): string {
  return moneyFormat.format(milli / 1000);
}

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "6,185×", "2.5×". */
export function formatRatio(ratio: number): string {
  return ratio >= 10 ? `${numberFormat.format(ratio)}×` : `${ratio.toFixed(1)}×`;
}

export function productLabel(productId: string | undefined, names: ReadonlyMap<string, string> | undefined): string {
  if (productId === undefined) return "a product";
  const name = names?.get(productId)?.trim();
  return name !== undefined && name !== "" ? name : `product ${productId}`;
}

function ratioOf(value: number, median: number): number {
  return median > 0 ? value / median : Infinity;
}

/** The words of an order reason from its numbers. */
export function renderOrderReason(
  feature: OrderFeature,
  values: Readonly<Record<string, number>>,
  productId: string | undefined,
  names: ReadonlyMap<string, string> | undefined,
  money: MoneyFormat,
): string {
  const v = (key: string): number => values[key] ?? 0;
  const product = productLabel(productId, names);
  switch (feature) {
    case "line-quantity": {
      if (v("record") === 1) {
        return `${formatCount(v("quantity"))} × ${product} is ${formatRatio(ratioOf(v("quantity"), v("most")))} the most this product sold in any other line (${formatCount(v("most"))})`;
      }
      const yardstick = v("store") === 1 ? "the store's median line quantity" : "this product's median quantity";
      return `${formatCount(v("quantity"))} × ${product} is ${formatRatio(ratioOf(v("quantity"), v("median")))} ${yardstick} of ${formatCount(v("median"))}`;
    }
    case "unit-price":
      return `${product} sold at ${money(v("price"))}; this product usually sells at ${money(v("median"))}`;
    case "zero-price": {
      const more = v("lines") - 1;
      const others = more > 0 ? ` (and ${formatCount(more)} more free ${more === 1 ? "line" : "lines"})` : "";
      return `${product} sold at ${money(0)}; this product usually sells at ${money(v("median"))}, so ${money(v("value"))} given away${others}`;
    }
    case "value-vs-store":
      return `${money(v("value"))} is ${formatRatio(ratioOf(v("value"), v("median")))} this store's median order of ${money(v("median"))}`;
    case "value-vs-customer":
      return `${money(v("value"))} is ${formatRatio(ratioOf(v("value"), v("median")))} this customer's median order of ${money(v("median"))} (their last ${formatCount(v("orders"))} orders)`;
    case "burst":
      return `${formatCount(v("orders"))} orders within 24 hours`;
    case "first-order":
      return `first order, ${money(v("value"))}, ${formatRatio(ratioOf(v("value"), v("median")))} the store's median order`;
    case "cancelled-extreme":
      return v("cancelled") === 1
        ? `cancelled after it was placed: ${money(v("value"))}, ${formatRatio(ratioOf(v("value"), v("median")))} the store's median order`
        : `${money(v("value"))} of ${money(v("gross"))} refunded after it was placed, ${formatRatio(ratioOf(v("value"), v("median")))} the store's median order`;
    case "refund-share":
      return `${formatCount(Math.round(v("share") * 100))} % of the order was refunded`;
  }
}

interface ReasonContext {
  readonly names: ReadonlyMap<string, string> | undefined;
  readonly money: MoneyFormat;
}

/** The numbers a feature's reason quotes, for row `i`. */
function reasonValues(
  feature: OrderFeature,
  order: AnomalyOrder,
  i: number,
  rows: OrderFeatureRows,
  yardsticks: OrderYardsticks,
): { values: Record<string, number>; productId?: string } {
  const storeMedian = Math.round(valueFromLog(yardsticks.storeValue.median));
  const line = (index: number) => order.lines[index]!;
  switch (feature) {
    case "line-quantity": {
      const l = line(rows.quantityLine[i]!);
      const measure = rows.quantityMeasure[i];
      if (measure === QUANTITY_MEASURE.productRecord) {
        const most = otherRecord(l.quantity, yardsticks.products.get(l.productId!)!.largest!);
        return { values: { quantity: l.quantity, most, record: 1 }, productId: l.productId! };
      }
      const fromStore = measure === QUANTITY_MEASURE.store;
      const yardstick = fromStore ? yardsticks.lineQuantity : yardsticks.products.get(l.productId!)!.quantity!;
      const median = Math.round(Math.exp(yardstick.median));
      return { values: fromStore ? { quantity: l.quantity, median, store: 1 } : { quantity: l.quantity, median }, productId: l.productId! };
    }
    case "unit-price": {
      const l = line(rows.priceLine[i]!);
      const median = Math.round(Math.exp(yardsticks.products.get(l.productId!)!.price!.median));
      return { values: { price: l.unitPriceMilli, median }, productId: l.productId! };
    }
    case "zero-price": {
      const l = line(rows.zeroPriceLine[i]!);
      const median = Math.round(Math.exp(yardsticks.products.get(l.productId!)!.price!.median));
      return { values: { lines: rows.zeroPriceLines[i]!, median, value: Math.round(rows.givenAwayMilli[i]!) }, productId: l.productId! };
    }
    case "value-vs-customer":
      return { values: { value: order.grossMilli, median: Math.round(rows.customerMedianMilli[i]!), orders: rows.customerHistory[i]! } };
    case "burst":
      return { values: { orders: rows.burstCount[i]! } };
    case "refund-share":
      return { values: { share: rows.refundShare[i]! } };
    case "cancelled-extreme":
      return { values: { value: lostMilli(order), gross: order.grossMilli, median: storeMedian, cancelled: order.cancelled ? 1 : 0 } };
    case "value-vs-store":
    case "first-order":
      return { values: { value: order.grossMilli, median: storeMedian } };
  }
}

/** The order's reasons: features with strength ≥ 3, strongest first (ties in column order), at most 3. */
export function orderReasons(
  order: AnomalyOrder,
  i: number,
  rows: OrderFeatureRows,
  yardsticks: OrderYardsticks,
  features: readonly OrderFeature[],
  context: ReasonContext,
): AnomalyReason[] {
  const candidates: { feature: OrderFeature; strength: number }[] = [];
  for (const feature of features) {
    const strength = rows.values[i * FEATURE_COUNT + columnOf(feature)]!;
    if (strength >= REASON_MIN_STRENGTH) candidates.push({ feature, strength });
  }
  candidates.sort((a, b) => b.strength - a.strength);
  const kept = dropEchoes(candidates).slice(0, MAX_REASONS);
  return kept.map(({ feature, strength }) => {
    const { values, productId } = reasonValues(feature, order, i, rows, yardsticks);
    const text = renderOrderReason(feature, values, productId, context.names, context.money);
    return productId === undefined ? { feature, text, strength, values } : { feature, text, strength, productId, values };
  });
}

/**
 * 'first-order' and 'cancelled-extreme' restate 'value-vs-store' with a circumstance, and
 * 'cancelled-extreme' already says the order was cancelled or mostly refunded: the restated
 * reason would repeat its numbers.
 */
function dropEchoes<T extends { feature: OrderFeature }>(candidates: T[]): T[] {
  const has = (feature: OrderFeature) => candidates.some((c) => c.feature === feature);
  const echoes = new Set<OrderFeature>();
  if (has("first-order") || has("cancelled-extreme")) echoes.add("value-vs-store");
  if (has("cancelled-extreme")) echoes.add("refund-share");
  return candidates.filter((c) => !echoes.has(c.feature));
}

const ORDER_FEATURE_SET: ReadonlySet<string> = new Set(ORDER_FEATURES);

/** Order reasons rendered again with product names (other reasons are kept as they are). */
export function nameReasonProducts(reasons: readonly AnomalyReason[], productNames: ReadonlyMap<string, string>, formatMoney?: MoneyFormat): AnomalyReason[] {
  const money = formatMoney ?? defaultFormatMoney;
  return reasons.map((reason) => {
    if (!ORDER_FEATURE_SET.has(reason.feature) || reason.values === undefined) return { ...reason };
    const text = renderOrderReason(reason.feature as OrderFeature, reason.values, reason.productId, productNames, money);
    return { ...reason, text };
  });
}
