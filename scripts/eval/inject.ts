// Seeded synthetic anomalies planted in a real order set for `npm run eval:anomalies`
// (docs/anomalies.md "Evaluation"). Every planted order is built from real orders of the same
// data (their lines, products, prices, customers and times) and differs only by the property
// its kind names; nothing here knows the detector's features or thresholds.
import { createRng, type AnomalyLine, type AnomalyOrder, type Rng } from "../../app/analytics/index";

export const ORDER_KINDS = ["line-quantity", "price-error", "zero-price", "burst", "extreme-first-order", "extreme-cancelled", "mostly-refunded"] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
export const CUSTOMER_KINDS = ["whale", "heavy-returner"] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const DAY_KINDS = ["broken-checkout", "spike"] as const;
export type DayKind = (typeof DAY_KINDS)[number];

export const PLANTED = {
  perOrderKind: 10,
  perCustomerKind: 5,
  perDayKind: 3,
  /** A typo's two extra zeros. */
  quantityFactor: 100,
  /** A price entered in pence instead of pounds. */
  priceDivisor: 100,
  burstOrders: 5,
  burstWindowMs: 2 * 3_600_000,
  /** 'Extreme' order value: this quantile of the store's order values, times U(1, 3). */
  extremeQuantile: 0.999,
  refundedShare: [0.9, 0.99] as const,
  whaleOrders: 12,
  /** A whale's orders are real orders with every quantity × this. */
  whaleScale: 3,
  returnerOrders: 6,
  returnerShare: [0.6, 1] as const,
  /** A spike day: real orders copied onto the day, this many times its weekday's median count. */
  spikeFactor: 4,
} as const;

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Planted {
  readonly orders: AnomalyOrder[];
  /** Planted order id → its kind; a burst's five orders share one anomaly key. */
  readonly orderKind: Map<string, { kind: OrderKind; key: string }>;
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

/** Plants the documented anomalies in `real` (not modified); returns the new order set and the labels. */
export function plantAnomalies(real: readonly AnomalyOrder[], seed: number): Planted {
  const rng = createRng(seed);
  // a day number from a time, the way the data's own orders relate them
  const sample = real[0]!;
  const dayOf = (at: number) => sample.day + Math.floor((at - (sample.at - (sample.at % DAY))) / DAY);
  // templates: ordinary orders (a customer, product lines priced above 0, nothing refunded)
  const templates = real.filter((o) => o.customerId !== null && !o.cancelled && o.refundedMilli === 0 && o.grossMilli > 0 && o.lines.length > 0 && o.lines.every((l) => l.productId !== null && l.unitPriceMilli > 0 && l.quantity > 0));
  const customers = [...new Set(templates.map((o) => o.customerId!))].sort();
  const times = real.map((o) => o.at);
  const values = real.map((o) => o.grossMilli).sort((a, b) => a - b);
  const extremeValue = values[Math.min(values.length - 1, Math.floor(PLANTED.extremeQuantile * values.length))]!;
  const orderKind = new Map<string, { kind: OrderKind; key: string }>();
  const customerKind = new Map<string, CustomerKind>();
  const added: AnomalyOrder[] = [];
  let serial = 0;
  const nextId = (kind: string) => `planted-${kind}-${++serial}`;
  const label = (order: AnomalyOrder, kind: OrderKind, key = order.id) => {
    added.push(order);
    orderKind.set(order.id, { kind, key });
  };
  const copy = (kind: string, customerId: string | null = null, scale = 1) => {
    const template = pick(rng, templates);
    return placed(nextId(kind), customerId ?? template.customerId, pick(rng, times), freshLines(template, scale), dayOf);
  };
  const extreme = (kind: string, customerId: string) => {
    const template = pick(rng, templates);
    const scale = (extremeValue * uniform(rng, 1, 3)) / template.grossMilli;
    return placed(nextId(kind), customerId, pick(rng, times), freshLines(template, scale), dayOf);
  };
  const withLine = (order: AnomalyOrder, change: (l: AnomalyLine) => AnomalyLine) => {
    const index = Math.floor(rng() * order.lines.length);
    const lines = order.lines.map((l, i) => (i === index ? change(l) : l));
    return { ...order, lines, grossMilli: grossOf(lines) };
  };

  for (let k = 0; k < PLANTED.perOrderKind; k++) {
    label(withLine(copy("quantity"), (l) => ({ ...l, quantity: l.quantity * PLANTED.quantityFactor })), "line-quantity");
    label(withLine(copy("price"), (l) => ({ ...l, unitPriceMilli: Math.max(1, Math.round(l.unitPriceMilli / PLANTED.priceDivisor)) })), "price-error");
    label(withLine(copy("zero"), (l) => ({ ...l, unitPriceMilli: 0 })), "zero-price");
    const burstCustomer = pick(rng, customers);
    const start = pick(rng, times);
    const key = `burst-${k + 1}`;
    for (let b = 0; b < PLANTED.burstOrders; b++) {
      const order = copy("burst", burstCustomer);
      label({ ...order, at: start + Math.floor(rng() * PLANTED.burstWindowMs), day: dayOf(start) }, "burst", key);
    }
    label(extreme("first", `planted-new-customer-${k + 1}`), "extreme-first-order");
    label(refunded(extreme("cancelled", pick(rng, customers)), 1), "extreme-cancelled");
    label(refunded(copy("refunded"), uniform(rng, ...PLANTED.refundedShare)), "mostly-refunded");
  }
  // bursts placed their orders on the burst's first day even when the 2 hours cross midnight
  const fixedDay = added.map((o) => (orderKind.get(o.id)?.kind === "burst" ? { ...o, day: dayOf(o.at) } : o));

  const customerOrders: AnomalyOrder[] = [];
  for (let k = 0; k < PLANTED.perCustomerKind; k++) {
    const whale = `planted-whale-${k + 1}`;
    customerKind.set(whale, "whale");
    for (let j = 0; j < PLANTED.whaleOrders; j++) customerOrders.push(copy("whale-order", whale, PLANTED.whaleScale));
    const returner = `planted-returner-${k + 1}`;
    customerKind.set(returner, "heavy-returner");
    for (let j = 0; j < PLANTED.returnerOrders; j++) customerOrders.push(refunded(copy("returner-order", returner), uniform(rng, ...PLANTED.returnerShare)));
  }

  // days: weekdays with trading at least 9 weeks in, not the last week
  let orders = [...real, ...fixedDay, ...customerOrders];
  const perDay = new Map<number, AnomalyOrder[]>();
  for (const o of orders) perDay.set(o.day, [...(perDay.get(o.day) ?? []), o]);
  const firstDay = Math.min(...perDay.keys());
  const lastDay = Math.max(...perDay.keys());
  const candidateDays = [...perDay.keys()].filter((d) => d >= firstDay + 63 && d <= lastDay - 7 && perDay.get(d)!.every((o) => !o.id.startsWith("planted-"))).sort((a, b) => a - b);
  const days: Planted["days"] = [];
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
        const order = copy("spike-order");
        orders.push({ ...order, at: dayStart + 8 * HOUR + Math.floor(rng() * 10 * HOUR), day });
      }
    }
  }
  return { orders, orderKind, customerKind, days };
}

function sameWeekdayMedian(perDay: Map<number, AnomalyOrder[]>, day: number): number {
  const counts: number[] = [];
  for (let w = 1; w <= 8; w++) counts.push(perDay.get(day - 7 * w)?.length ?? 0);
  counts.sort((a, b) => a - b);
  return (counts[3]! + counts[4]!) / 2;
}
