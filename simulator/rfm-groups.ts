// Shopify's own RFM groups (`Customer.statistics.rfmGroup`), computed inside the simulator the
// way Shopify describes them, independently of Segmint's analytics core (never imported here):
// each customer with an order gets R, F, M scores 1–5 relative to the store's customers (exact
// fifths, NTILE-style: "a score of 5 is the top 20 % of the dimension for your store"), and the
// group follows from R and FM = (F + M) / 2 read against the CustomerRfmGroup descriptions.
// docs/simulator.md says what is approximated.
import type { RfmGroupLookup } from "./context";
import { customerStats, type ShopState } from "./state";

export type CustomerRfmGroup =
  | "CHAMPIONS"
  | "LOYAL"
  | "ACTIVE"
  | "NEW"
  | "PROMISING"
  | "NEEDS_ATTENTION"
  | "AT_RISK"
  | "ALMOST_LOST"
  | "PREVIOUSLY_LOYAL"
  | "DORMANT"
  | "PROSPECTS";

const DAY_MS = 86_400_000;

/**
 * Score 1–5 of each value as SQL's NTILE(5) over the customers ordered from worst to best: exact
 * fifths ("5 = the top 20 % of the dimension for your store, 1 = the bottom 20 %"), the first
 * n mod 5 fifths one customer larger. Ties are split by customer id (lower id, lower score), so
 * a mass of equal values (one-order customers) spans several scores. `better` is +1 when higher
 * is better.
 */
export function quintileScores(values: readonly number[], ids: readonly number[], better: 1 | -1): number[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) * better - (values[b] as number) * better || (ids[a] as number) - (ids[b] as number));
  const q = Math.floor(n / 5);
  const big = n % 5; // fifths with q + 1 customers
  const scores = new Array<number>(n);
  order.forEach((index, position) => {
    const bucket = position < big * (q + 1) ? Math.floor(position / (q + 1)) : big + Math.floor((position - big * (q + 1)) / q);
    scores[index] = bucket + 1;
  });
  return scores;
}

/**
 * The group of R and FM (both 1–5), read from the enum's descriptions: "very recent" = R 5,
 * "recent" = R 3–4, "without recent purchases" = R 1–2; "many orders, the most spend" / "very
 * strong history" = FM 4–5 (5 for PREVIOUSLY_LOYAL), "some orders, moderate spend" = FM 2–3,
 * "few orders, low spend" = FM 1 (FM 1–2 once the customer is no longer recent).
 */
export function groupOf(r: number, fm: number): CustomerRfmGroup {
  if (r === 5) return fm >= 4 ? "CHAMPIONS" : fm >= 2 ? "ACTIVE" : "NEW";
  if (r >= 3) return fm >= 4 ? "LOYAL" : fm >= 2 ? (r === 4 ? "ACTIVE" : "NEEDS_ATTENTION") : "PROMISING";
  if (fm === 5) return "PREVIOUSLY_LOYAL";
  if (fm >= 3) return "AT_RISK";
  return r === 2 ? "ALMOST_LOST" : "DORMANT";
}

/** Every customer's group as of `now`: scored among customers with at least one order; the rest PROSPECTS. */
export function computeRfmGroups(shop: ShopState, now: number): Map<number, CustomerRfmGroup> {
  const today = Math.floor(now / DAY_MS);
  const ids: number[] = [];
  const recency: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  const groups = new Map<number, CustomerRfmGroup>();
  for (const customer of shop.customers.values()) {
    // Shopify's own figures: numberOfOrders (every order, cancelled ones too), amountSpent (net).
    const stats = customerStats(shop, customer.id);
    if (stats.numberOfOrders === 0 || !stats.lastOrder) {
      groups.set(customer.id, "PROSPECTS");
      continue;
    }
    ids.push(customer.id);
    recency.push(Math.max(0, today - Math.floor(stats.lastOrder.processedAt / DAY_MS)));
    frequency.push(stats.numberOfOrders);
    monetary.push(stats.amountSpentCents);
  }
  const r = quintileScores(recency, ids, -1);
  const f = quintileScores(frequency, ids, 1);
  const m = quintileScores(monetary, ids, 1);
  ids.forEach((id, i) => {
    const fm = Math.ceil(((f[i] as number) + (m[i] as number)) / 2);
    groups.set(id, groupOf(r[i] as number, fm));
  });
  return groups;
}

/**
 * A shop's computed groups, recomputed only when its sales change or the day turns (Shopify
 * refreshes them in the background, not per request). Explicit values (sim.setRfmGroup) win.
 */
export class ComputedRfmGroups {
  private cache: { key: string; groups: Map<number, CustomerRfmGroup> } | null = null;

  constructor(private readonly shop: ShopState) {}

  lookup(now: number, overrides: ReadonlyMap<number, string>): RfmGroupLookup {
    return { get: (customerId) => overrides.get(customerId) ?? this.groups(now).get(customerId) };
  }

  groups(now: number): Map<number, CustomerRfmGroup> {
    const key = `${this.shop.salesVersion}:${this.shop.customers.size}:${Math.floor(now / DAY_MS)}`;
    if (this.cache?.key !== key) this.cache = { key, groups: computeRfmGroups(this.shop, now) };
    return this.cache.groups;
  }
}
