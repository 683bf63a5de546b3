// A small seeded store for the anomaly tests: 40 products with their usual quantity and price,
// 150 customers with repeat orders over 120 days, guest orders, a few ordinary returns.
import { createRng, type AnomalyLine, type AnomalyOrder } from "../../../app/analytics/index";

export const DAY_MS = 86_400_000;
export const START_DAY = 15_000;

export interface SyntheticStore {
  readonly orders: AnomalyOrder[];
  /** productId → usual quantity and price (milli). */
  readonly products: Map<string, { quantity: number; priceMilli: number }>;
}

export function line(productId: string | null, quantity: number, unitPriceMilli: number, refundedQuantity = 0): AnomalyLine {
  return { productId, quantity, unitPriceMilli, refundedQuantity };
}

export function order(id: string, customerId: string | null, at: number, lines: AnomalyLine[], extra: Partial<AnomalyOrder> = {}): AnomalyOrder {
  const grossMilli = lines.reduce((s, l) => s + l.quantity * l.unitPriceMilli, 0);
  return { id, customerId, at, day: Math.floor(at / DAY_MS), grossMilli, refundedMilli: 0, cancelled: false, lines, ...extra };
}

export function syntheticStore(seed = 7, count = 3000): SyntheticStore {
  const rng = createRng(seed);
  const products = new Map<string, { quantity: number; priceMilli: number }>();
  for (let p = 0; p < 40; p++) products.set(String(1000 + p), { quantity: [1, 2, 6, 12, 24][p % 5]!, priceMilli: 500 + 250 * (p % 17) });
  const ids = [...products.keys()];
  const orders: AnomalyOrder[] = [];
  for (let i = 0; i < count; i++) {
    const customerId = rng() < 0.1 ? null : `c${Math.floor(rng() * 150)}`;
    const lines: AnomalyLine[] = [];
    const n = 1 + Math.floor(rng() * 4);
    for (let k = 0; k < n; k++) {
      const productId = ids[Math.floor(rng() * ids.length)]!;
      const usual = products.get(productId)!;
      const quantity = Math.max(1, Math.round(usual.quantity * (0.5 + rng())));
      lines.push(line(productId, quantity, usual.priceMilli));
    }
    const at = (START_DAY + Math.floor(rng() * 120)) * DAY_MS + Math.floor(rng() * DAY_MS);
    const base = order(String(100_000 + i), customerId, at, lines);
    // a few ordinary partial returns
    orders.push(rng() < 0.05 ? { ...base, refundedMilli: Math.round(base.grossMilli * 0.2) } : base);
  }
  return { orders, products };
}
