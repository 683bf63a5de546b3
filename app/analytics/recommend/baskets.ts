// Orders → baskets, customers' own histories and popular products (docs/recommendations.md §baskets).
import type { Basket, BasketOptions, BasketOrder } from "./types";

// Online Retail's service lines (postage, fees, manual lines, bank charges, samples, …): not products.
const NON_PRODUCT_CODES = new Set(["POST", "DOT", "M", "m", "BANK CHARGES", "D", "S", "C2", "CRUK", "PADS", "AMAZONFEE", "B"]);

/** Whether an Online Retail stock code (trimmed) is a service line rather than a product (the CSV path). */
export function isNonProductCode(code: string): boolean {
  const trimmed = code.trim();
  return NON_PRODUCT_CODES.has(trimmed) || trimmed.startsWith("gift_0001_");
}

/**
 * One basket per order that still holds a product: cancelled orders, lines bought back in full
 * (quantity − refunded ≤ 0), custom lines (no product) and non-product lines are left out; the
 * basket keeps each product once, sorted by id.
 */
export function basketsFromOrders(orders: readonly BasketOrder[], options: BasketOptions = {}): Basket[] {
  const isProduct = options.isProduct ?? (() => true);
  const baskets: Basket[] = [];
  for (const order of orders) {
    if (order.cancelled) continue;
    const items = new Set<string>();
    for (const line of order.lines) {
      if (line.productId === null || line.quantity - line.refundedQuantity <= 0) continue;
      if (!isProduct(line.productId)) continue;
      items.add(line.productId);
    }
    if (items.size === 0) continue;
    baskets.push({ id: order.id, customerId: order.customerId, day: order.day, items: [...items].sort(compareIds) });
  }
  return baskets;
}

/** Each known customer's products → number of their baskets holding it (guests are left out). */
export function customerHistories(baskets: readonly Basket[]): Map<string, Map<string, number>> {
  const histories = new Map<string, Map<string, number>>();
  for (const basket of baskets) {
    if (basket.customerId === null) continue;
    let history = histories.get(basket.customerId);
    if (!history) histories.set(basket.customerId, (history = new Map()));
    for (const item of basket.items) history.set(item, (history.get(item) ?? 0) + 1);
  }
  return histories;
}

/** Default length of each popular list. */
export const DEFAULT_POPULAR_LIMIT = 100;

/**
 * Products in most baskets, best first (ties by id): key "all" for the store, plus one key per
 * segment (`segmentOf` of each basket's customer; guests and customers in no segment count only in "all").
 */
export function popularProducts(
  baskets: readonly Basket[],
  options: { segmentOf?: (customerId: string) => string | null; limit?: number } = {},
): Record<string, string[]> {
  const limit = options.limit ?? DEFAULT_POPULAR_LIMIT;
  const counts = new Map<string, Map<string, number>>([["all", new Map()]]);
  const add = (key: string, items: readonly string[]) => {
    let table = counts.get(key);
    if (!table) counts.set(key, (table = new Map()));
    for (const item of items) table.set(item, (table.get(item) ?? 0) + 1);
  };
  for (const basket of baskets) {
    add("all", basket.items);
    const segment = basket.customerId !== null && options.segmentOf ? options.segmentOf(basket.customerId) : null;
    if (segment !== null && segment !== "all") add(segment, basket.items);
  }
  const result: Record<string, string[]> = {};
  for (const [key, table] of counts) {
    result[key] = [...table]
      .sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]))
      .slice(0, limit)
      .map(([id]) => id);
  }
  return result;
}

/** The one order of product ids everywhere (code-unit order: the same in every locale). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
