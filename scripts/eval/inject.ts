// Seeded synthetic anomalies planted in a real order set for `npm run eval:anomalies`
// (docs/anomalies.md "Evaluation"), in two tiers:
//  - clear: each planted order is a real order given ONE property at a magnitude beyond the
//    store's real range on that property, the rule stated in raw terms computed from the real
//    data (RealRange) — never from the detector's features or scores. The recall target's set.
//  - subtle: the same kinds within the store's real range (the protocol before the tiers), reported
//    so the reader sees where a 1 % budget stops.
// Every planted order is built from real orders of the same data (their lines, products, prices,
// customers and times) and differs only by the property its kind names.
import { createRng, medianOf, type AnomalyLine, type AnomalyOrder, type Rng } from "../../app/analytics/index";

export const TIERS = ["clear", "subtle"] as const;
export type Tier = (typeof TIERS)[number];
export const ORDER_KINDS = [
  "line-quantity",
  "price-error",
  "zero-price",
  "burst",
  "value-vs-customer",
  "extreme-first-order",
  "extreme-cancelled",
  "mostly-refunded",
] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
/** The kinds each tier plants ('value-vs-customer' has no within-range variant in the subtle tier). */
export const TIER_KINDS: Record<Tier, readonly OrderKind[]> = {
  clear: ORDER_KINDS,
  subtle: ORDER_KINDS.filter((k) => k !== "value-vs-customer"),
};
export const CUSTOMER_KINDS = ["whale", "heavy-returner"] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const DAY_KINDS = ["broken-checkout", "spike"] as const;
export type DayKind = (typeof DAY_KINDS)[number];

export const PLANTED = {
  perOrderKind: 10,
  perCustomerKind: 5,
  perDayKind: 3,
  /** subtle: a typo's two extra zeros. */
  quantityFactor: 100,
  /** clear: this × the largest quantity the product ever sold in one line … */
  clearQuantityOfMax: 10,
  /** … and at least this × its median line quantity. */
  clearQuantityOfMedian: 1000,
  /** Both tiers: a price entered in pence instead of pounds. */
  priceDivisor: 100,
  /** subtle: 5 orders in 2 hours; clear: the most orders any real customer placed in 24 hours + 5. */
  burstOrders: 5,
  clearBurstExtra: 5,
  burstWindowMs: 2 * 3_600_000,
  /** clear: 'beyond the largest real …' is that largest × U(1.5, 3). */
  beyond: [1.5, 3] as const,
  /** clear value-vs-customer: a repeat customer has at least this many earlier orders. */
  repeatCustomerOrders: 5,
  /** 'Extreme' order value (first order, cancelled): this quantile of the store's order values, times U(1, 3). */
  extremeQuantile: 0.999,
  refundedShare: [0.9, 0.99] as const,
  whaleOrders: 12,
  returnerOrders: 6,
  returnerShare: [0.6, 1] as const,
  /** A spike day: real orders copied onto the day, this many times its weekday's median count. */
  spikeFactor: 4,
} as const;

/** The store's real range on each planted property, in raw terms (what the clear tier exceeds). */
export interface RealRange {
  /** Per product: its lines' largest and median quantity, median unit price (priced lines), ever sold at 0. */
  readonly products: ReadonlyMap<string, { maxQuantity: number; medianQuantity: number; medianPriceMilli: number | null; soldFree: boolean }>;
  /** The largest value a real free line (price 0 in a paid order) gave away: quantity × the product's median price. */
  readonly maxFreeLineMilli: number;
  /** The most orders any real customer placed within 24 hours. */
  readonly maxOrdersIn24h: number;
  /** The largest ratio of a repeat customer's order (≥ 5 earlier orders) to the median of their earlier orders. */
  readonly maxCustomerRatio: number;
  /** The largest real order value, and the extreme quantile's. */
  readonly maxOrderMilli: number;
  readonly extremeOrderMilli: number;
  /** The largest real customer's net spend (bought − refunded). */
  readonly maxCustomerSpendMilli: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A tier's planted orders. */
export interface PlantedOrders {
  readonly tier: Tier;
  readonly orders: AnomalyOrder[];
  /** Planted order id → its kind; a burst's orders share one anomaly key. */
  readonly orderKind: Map<string, { kind: OrderKind; key: string }>;
}

/** Planted customers (whales beyond the largest real customer, heavy returners) and store days. */
export interface PlantedCustomersAndDays {
  readonly orders: AnomalyOrder[];
  readonly customerKind: Map<string, CustomerKind>;
  readonly days: { day: number; kind: DayKind; metric: "orders" }[];
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

function grossOf(lines: readonly AnomalyLine[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMilli, 0);
}

/** A clean copy of a real order's lines (nothing refunded). */
function freshLines(order: AnomalyOrder, scale = 1): AnomalyLine[] {
  return order.lines.map((l) => ({ productId: l.productId, quantity: Math.max(1, Math.round(l.quantity * scale)), unitPriceMilli: l.unitPriceMilli, refundedQuantity: 0 }));
}

function placed(id: string, customerId: string | null, at: number, lines: AnomalyLine[], dayOf: (at: number) => number): AnomalyOrder {
  return { id, customerId, at, day: dayOf(at), grossMilli: grossOf(lines), refundedMilli: 0, cancelled: false, lines };
}

function refunded(order: AnomalyOrder, share: number): AnomalyOrder {
  const lines = order.lines.map((l) => ({ ...l, refundedQuantity: Math.min(l.quantity, Math.round(l.quantity * share)) }));
  const refundedMilli = Math.min(order.grossMilli, Math.round(order.grossMilli * share));
  return { ...order, lines, refundedMilli, cancelled: share >= 1 };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Each customer's real orders, oldest first (ties by id). */
function ordersByCustomer(real: readonly AnomalyOrder[]): Map<string, AnomalyOrder[]> {
  const byCustomer = new Map<string, AnomalyOrder[]>();
  for (const o of real) if (o.customerId !== null) pushTo(byCustomer, o.customerId, o);
  for (const list of byCustomer.values()) list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byCustomer;
}

/** The store's real range on each planted property (raw data, no detector). */
export function realRange(real: readonly AnomalyOrder[]): RealRange {
  const quantities = new Map<string, number[]>();
  const prices = new Map<string, number[]>();
  const soldFree = new Set<string>();
  for (const o of real) {
    for (const l of o.lines) {
      if (l.productId === null || l.quantity <= 0) continue;
      pushTo(quantities, l.productId, l.quantity);
      if (l.unitPriceMilli > 0) pushTo(prices, l.productId, l.unitPriceMilli);
      else soldFree.add(l.productId);
    }
  }
  const products = new Map<string, { maxQuantity: number; medianQuantity: number; medianPriceMilli: number | null; soldFree: boolean }>();
  for (const [id, qs] of quantities) {
    const ps = prices.get(id);
    products.set(id, { maxQuantity: Math.max(...qs), medianQuantity: medianOf(qs), medianPriceMilli: ps === undefined ? null : medianOf(ps), soldFree: soldFree.has(id) });
  }
  let maxFreeLineMilli = 0;
  for (const o of real) {
    if (o.grossMilli <= 0) continue;
    for (const l of o.lines) {
      const price = l.productId === null || l.unitPriceMilli !== 0 ? null : products.get(l.productId)?.medianPriceMilli;
      if (price != null) maxFreeLineMilli = Math.max(maxFreeLineMilli, l.quantity * price);
    }
  }
  let maxOrdersIn24h = 0;
  let maxCustomerRatio = 0;
  let maxCustomerSpendMilli = 0;
  for (const list of ordersByCustomer(real).values()) {
    let start = 0;
    let net = 0;
    for (let k = 0; k < list.length; k++) {
      while (list[start]!.at < list[k]!.at - 86_400_000) start++;
      maxOrdersIn24h = Math.max(maxOrdersIn24h, k - start + 1);
      net += list[k]!.grossMilli - list[k]!.refundedMilli;
      if (k >= PLANTED.repeatCustomerOrders) {
        const median = medianOf(list.slice(0, k).map((o) => o.grossMilli));
        if (median > 0) maxCustomerRatio = Math.max(maxCustomerRatio, list[k]!.grossMilli / median);
      }
    }
    maxCustomerSpendMilli = Math.max(maxCustomerSpendMilli, net);
  }
  const values = real.map((o) => o.grossMilli).sort((a, b) => a - b);
  return {
    products,
    maxFreeLineMilli,
    maxOrdersIn24h,
    maxCustomerRatio,
    maxOrderMilli: values[values.length - 1]!,
    extremeOrderMilli: values[Math.min(values.length - 1, Math.floor(PLANTED.extremeQuantile * values.length))]!,
    maxCustomerSpendMilli,
  };
}

const money = (milli: number) => (milli / 1000).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const [beyondLo, beyondHi] = PLANTED.beyond;

/** Each kind's planting rule in words, with the real data's numbers (printed and recorded by the evaluation). */
export function describeRules(tier: Tier, range: RealRange): Record<OrderKind, string> {
  const extreme = `an order scaled to the store's 99.9th percentile order value (${money(range.extremeOrderMilli)}) × U(1, 3)`;
  const refundedShare = `refunded ${PLANTED.refundedShare[0] * 100}–${PLANTED.refundedShare[1] * 100} %`;
  if (tier === "subtle") {
    return {
      "line-quantity": `one line's quantity × ${PLANTED.quantityFactor} (a typo's two extra zeros)`,
      "price-error": `one line's unit price ÷ ${PLANTED.priceDivisor}`,
      "zero-price": "one line's price set to 0 (a one-line order becomes wholly free)",
      burst: `${PLANTED.burstOrders} orders within 2 hours from one existing customer`,
      "value-vs-customer": "not planted in this tier",
      "extreme-first-order": `a new customer's first order: ${extreme}`,
      "extreme-cancelled": `${extreme}, by an existing customer, cancelled and fully refunded`,
      "mostly-refunded": `a real order ${refundedShare} (within range: many real orders are refunded as much)`,
    };
  }
  const beyond = `× U(${beyondLo}, ${beyondHi})`;
  return {
    "line-quantity": `one line's quantity set to ${PLANTED.clearQuantityOfMax} × the largest quantity its product ever sold in one line, and at least ${formatInt(PLANTED.clearQuantityOfMedian)} × its median line quantity`,
    "price-error": `one line's unit price ÷ ${PLANTED.priceDivisor} (beyond range already: no real line of those products sells that low)`,
    "zero-price": `a free line added: a product never sold at 0, with a quantity whose usual value (quantity × its median price) is the largest any real free line gave away (${money(range.maxFreeLineMilli)}) ${beyond}`,
    burst: `${range.maxOrdersIn24h + PLANTED.clearBurstExtra} orders within 2 hours from one existing customer: more than any real customer placed in 24 hours (${range.maxOrdersIn24h}) + ${PLANTED.clearBurstExtra}`,
    "value-vs-customer": `a repeat customer (≥ ${PLANTED.repeatCustomerOrders} earlier orders) places a new order of the median of their earlier orders × the largest such ratio any real repeat customer's order reached (${range.maxCustomerRatio.toFixed(1)}) ${beyond}`,
    "extreme-first-order": `a new customer's first order: ${extreme}`,
    "extreme-cancelled": `${extreme}, by an existing customer, cancelled and fully refunded`,
    "mostly-refunded": `an order above the store's largest real order (${money(range.maxOrderMilli)} ${beyond}), by an existing customer, ${refundedShare} (the refund share alone is within range: many real orders are refunded as much)`,
  };
}

function formatInt(n: number): string {
  return n.toLocaleString("en-US");
}

interface Base {
  readonly rng: Rng;
  readonly dayOf: (at: number) => number;
  /** Ordinary orders (a customer, product lines priced above 0, nothing refunded). */
  readonly templates: AnomalyOrder[];
  readonly customers: string[];
  readonly times: number[];
  readonly nextId: (kind: string) => string;
  readonly copy: (kind: string, customerId?: string | null, scale?: number) => AnomalyOrder;
  readonly scaledTo: (kind: string, customerId: string, valueMilli: number) => AnomalyOrder;
}

function base(real: readonly AnomalyOrder[], seed: number, prefix: string): Base {
  const rng = createRng(seed);
  // a day number from a time, the way the data's own orders relate them
  const sample = real[0]!;
  const dayOf = (at: number) => sample.day + Math.floor((at - (sample.at - (sample.at % DAY))) / DAY);
  const templates = real.filter((o) => o.customerId !== null && !o.cancelled && o.refundedMilli === 0 && o.grossMilli > 0 && o.lines.length > 0 && o.lines.every((l) => l.productId !== null && l.unitPriceMilli > 0 && l.quantity > 0));
  const customers = [...new Set(templates.map((o) => o.customerId!))].sort();
  const times = real.map((o) => o.at);
  let serial = 0;
  const nextId = (kind: string) => `${prefix}${kind}-${++serial}`;
  const copy = (kind: string, customerId: string | null = null, scale = 1) => {
    const template = pick(rng, templates);
    return placed(nextId(kind), customerId ?? template.customerId, pick(rng, times), freshLines(template, scale), dayOf);
  };
  const scaledTo = (kind: string, customerId: string, valueMilli: number) => {
    const template = pick(rng, templates);
    return placed(nextId(kind), customerId, pick(rng, times), freshLines(template, valueMilli / template.grossMilli), dayOf);
  };
  return { rng, dayOf, templates, customers, times, nextId, copy, scaledTo };
}

/** Plants the tier's order anomalies (10 per kind) in `real` (not modified). */
export function plantOrderAnomalies(real: readonly AnomalyOrder[], seed: number, tier: Tier, range: RealRange = realRange(real)): PlantedOrders {
  const b = base(real, seed, "planted-");
  const { rng, dayOf } = b;
  const orderKind = new Map<string, { kind: OrderKind; key: string }>();
  const added: AnomalyOrder[] = [];
  const label = (order: AnomalyOrder, kind: OrderKind, key = order.id) => {
    added.push(order);
    orderKind.set(order.id, { kind, key });
  };
  const withLine = (order: AnomalyOrder, change: (l: AnomalyLine) => AnomalyLine) => {
    const index = Math.floor(rng() * order.lines.length);
    const lines = order.lines.map((l, i) => (i === index ? change(l) : l));
    return { ...order, lines, grossMilli: grossOf(lines) };
  };
  const burst = (k: number, orders: number) => {
    const burstCustomer = pick(rng, b.customers);
    const start = pick(rng, b.times);
    for (let j = 0; j < orders; j++) {
      const order = b.copy("burst", burstCustomer);
      const at = start + Math.floor(rng() * PLANTED.burstWindowMs);
      label({ ...order, at, day: dayOf(at) }, "burst", `burst-${k + 1}`);
    }
  };
  const priceError = (l: AnomalyLine) => ({ ...l, unitPriceMilli: Math.max(1, Math.round(l.unitPriceMilli / PLANTED.priceDivisor)) });
  const extreme = () => range.extremeOrderMilli * uniform(rng, 1, 3);
  const beyond = () => uniform(rng, beyondLo, beyondHi);

  if (tier === "subtle") {
    for (let k = 0; k < PLANTED.perOrderKind; k++) {
      label(withLine(b.copy("quantity"), (l) => ({ ...l, quantity: l.quantity * PLANTED.quantityFactor })), "line-quantity");
      label(withLine(b.copy("price"), priceError), "price-error");
      label(withLine(b.copy("zero"), (l) => ({ ...l, unitPriceMilli: 0 })), "zero-price");
      burst(k, PLANTED.burstOrders);
      label(b.scaledTo("first", `planted-new-customer-${k + 1}`, extreme()), "extreme-first-order");
      label(refunded(b.scaledTo("cancelled", pick(rng, b.customers), extreme()), 1), "extreme-cancelled");
      label(refunded(b.copy("refunded"), uniform(rng, ...PLANTED.refundedShare)), "mostly-refunded");
    }
    return { tier, orders: [...real, ...added], orderKind };
  }

  const freeProducts = [...range.products].filter(([, p]) => !p.soldFree && p.medianPriceMilli !== null).map(([id]) => id).sort();
  const byCustomer = ordersByCustomer(real);
  const repeat = b.customers.filter((c) => (byCustomer.get(c)?.length ?? 0) >= PLANTED.repeatCustomerOrders && medianOf(byCustomer.get(c)!.map((o) => o.grossMilli)) > 0);
  for (let k = 0; k < PLANTED.perOrderKind; k++) {
    label(
      withLine(b.copy("quantity"), (l) => {
        const product = range.products.get(l.productId!)!;
        return { ...l, quantity: Math.max(PLANTED.clearQuantityOfMax * product.maxQuantity, Math.ceil(PLANTED.clearQuantityOfMedian * product.medianQuantity)) };
      }),
      "line-quantity",
    );
    label(withLine(b.copy("price"), priceError), "price-error");
    const paid = b.copy("zero");
    const freeProduct = pick(rng, freeProducts);
    const quantity = Math.ceil((range.maxFreeLineMilli * beyond()) / range.products.get(freeProduct)!.medianPriceMilli!);
    label({ ...paid, lines: [...paid.lines, { productId: freeProduct, quantity, unitPriceMilli: 0, refundedQuantity: 0 }] }, "zero-price");
    burst(k, range.maxOrdersIn24h + PLANTED.clearBurstExtra);
    const customer = pick(rng, repeat);
    const history = byCustomer.get(customer)!;
    const own = pick(rng, b.templates.filter((o) => o.customerId === customer));
    const target = medianOf(history.map((o) => o.grossMilli)) * range.maxCustomerRatio * beyond();
    const at = history[history.length - 1]!.at + Math.floor(uniform(rng, 1, 7) * DAY);
    label(placed(b.nextId("customer-value"), customer, at, freshLines(own, target / own.grossMilli), dayOf), "value-vs-customer");
    label(b.scaledTo("first", `planted-new-customer-${k + 1}`, extreme()), "extreme-first-order");
    label(refunded(b.scaledTo("cancelled", pick(rng, b.customers), extreme()), 1), "extreme-cancelled");
    label(refunded(b.scaledTo("refunded", pick(rng, b.customers), range.maxOrderMilli * beyond()), uniform(rng, ...PLANTED.refundedShare)), "mostly-refunded");
  }
  return { tier, orders: [...real, ...added], orderKind };
}

/**
 * Plants customers and store days in `real`: whales (new customers, 12 real orders scaled so their
 * spend is the largest real customer's × U(1.5, 3), nothing returned), heavy returners (6 real
 * orders refunded 60–100 %), broken-checkout days (all orders removed) and spikes (4× the weekday's
 * median count).
 */
export function plantCustomersAndDays(real: readonly AnomalyOrder[], seed: number, range: RealRange = realRange(real)): PlantedCustomersAndDays {
  const b = base(real, seed, "planted-");
  const { rng } = b;
  const customerKind = new Map<string, CustomerKind>();
  const customerOrders: AnomalyOrder[] = [];
  for (let k = 0; k < PLANTED.perCustomerKind; k++) {
    const whale = `planted-whale-${k + 1}`;
    customerKind.set(whale, "whale");
    const perOrder = (range.maxCustomerSpendMilli * uniform(rng, beyondLo, beyondHi)) / PLANTED.whaleOrders;
    for (let j = 0; j < PLANTED.whaleOrders; j++) customerOrders.push(b.scaledTo("whale-order", whale, perOrder));
    const returner = `planted-returner-${k + 1}`;
    customerKind.set(returner, "heavy-returner");
    for (let j = 0; j < PLANTED.returnerOrders; j++) customerOrders.push(refunded(b.copy("returner-order", returner), uniform(rng, ...PLANTED.returnerShare)));
  }

  // days: weekdays with trading at least 9 weeks in, not the last week
  let orders = [...real, ...customerOrders];
  const perDay = new Map<number, AnomalyOrder[]>();
  for (const o of orders) pushTo(perDay, o.day, o);
  const firstDay = Math.min(...perDay.keys());
  const lastDay = Math.max(...perDay.keys());
  const candidateDays = [...perDay.keys()].filter((d) => d >= firstDay + 63 && d <= lastDay - 7 && perDay.get(d)!.every((o) => !o.id.startsWith("planted-"))).sort((a, b) => a - b);
  const days: PlantedCustomersAndDays["days"] = [];
  const chosen = new Set<number>();
  const keep = new Set(["581483", "541431"]); // the known extremes stay where they are
  while (days.length < PLANTED.perDayKind * 2 && chosen.size < candidateDays.length) {
    const day = pick(rng, candidateDays);
    if (chosen.has(day) || perDay.get(day)!.some((o) => keep.has(o.id))) continue;
    chosen.add(day);
    const kind: DayKind = days.filter((d) => d.kind === "broken-checkout").length < PLANTED.perDayKind ? "broken-checkout" : "spike";
    days.push({ day, kind, metric: "orders" });
    if (kind === "broken-checkout") {
      orders = orders.filter((o) => o.day !== day);
    } else {
      const usual = sameWeekdayMedian(perDay, day);
      const extra = Math.round(usual * (PLANTED.spikeFactor - 1));
      const dayStart = perDay.get(day)![0]!.at - (perDay.get(day)![0]!.at % DAY);
      for (let j = 0; j < extra; j++) {
        const order = b.copy("spike-order");
        orders.push({ ...order, at: dayStart + 8 * HOUR + Math.floor(rng() * 10 * HOUR), day });
      }
    }
  }
  return { orders, customerKind, days };
}

function sameWeekdayMedian(perDay: Map<number, AnomalyOrder[]>, day: number): number {
  const counts: number[] = [];
  for (let w = 1; w <= 8; w++) counts.push(perDay.get(day - 7 * w)?.length ?? 0);
  counts.sort((a, b) => a - b);
  return (counts[3]! + counts[4]!) / 2;
}
