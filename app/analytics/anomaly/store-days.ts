// Store days (docs/anomalies.md "Store days"): days whose order count or revenue falls far outside
// a weekday-aware robust expectation — a checkout that broke, a spike from a campaign. Each day is
// judged against the same weekday of the previous `weeks` weeks: median, MAD × 1.4826 with a floor,
// robust z; a day the store had no order counts as 0, so a broken checkout shows as a drop (and on a
// weekday the store usually trades, earlier days without orders are left out of the history).
import { civilFromDay } from "../rfm/calendar";
import { medianOf } from "../util/stats";
import { defaultFormatMoney, formatCount, formatRatio } from "./reasons";
import { robustYardstick } from "./robust";
import type { AnomalyOrder, AnomalyReason, DayAnomaly, DayMetric } from "./types";

export interface StoreDayOptions {
  /** The last complete day to judge (the shop's yesterday, or the data's last day). */
  readonly lastDay: number;
  /** Weeks of same-weekday history an expectation is built from. Default 8. */
  readonly weeks?: number;
  /** Robust z beyond which a day is flagged. Default 3.5. */
  readonly threshold?: number;
  readonly formatMoney?: (milli: number) => string;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
/** Fewer comparable days than this make no median worth judging against. */
const MIN_WEEKS = 3;

/** Weekday name of a day number (day 0, 1970-01-01, was a Thursday). */
export function weekdayName(day: number): string {
  return WEEKDAYS[(((day + 4) % 7) + 7) % 7]!;
}

/** "2011-03-07". */
export function isoDay(day: number): string {
  const { year, month, day: d } = civilFromDay(day);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * Days whose order count or revenue falls far outside a weekday-aware robust expectation.
 * Orders are counted on the day they were placed, cancelled and refunded ones included (the day's
 * checkout is what is judged); revenue is their gross value. Days after `lastDay` (an incomplete
 * today) are left out; a day is judged only when all `weeks` same-weekday days before it lie on or
 * after the store's first order. Sorted by day, orders before revenue.
 */
export function detectStoreDayAnomalies(orders: readonly AnomalyOrder[], options: StoreDayOptions): DayAnomaly[] {
  const weeks = options.weeks ?? 8;
  const threshold = options.threshold ?? 3.5;
  const lastDay = options.lastDay;
  const money = options.formatMoney ?? defaultFormatMoney;
  if (!Number.isInteger(lastDay)) throw new RangeError(`The last day to judge must be a day number (got ${lastDay}).`);
  if (!Number.isInteger(weeks) || weeks < MIN_WEEKS) throw new RangeError(`Store days need at least ${MIN_WEEKS} weeks of history to compare with (got ${weeks}).`);
  if (!(threshold > 0)) throw new RangeError(`The flagging threshold must be a positive robust z (got ${threshold}).`);

  let firstDay = Infinity;
  for (const o of orders) if (o.day <= lastDay && o.day < firstDay) firstDay = o.day;
  const firstJudged = firstDay + 7 * weeks;
  if (!Number.isFinite(firstDay) || firstJudged > lastDay) return [];

  const span = lastDay - firstDay + 1;
  const counts = new Float64Array(span);
  const revenue = new Float64Array(span);
  const orderValues: number[] = [];
  for (const o of orders) {
    if (o.day > lastDay) continue;
    counts[o.day - firstDay]! += 1;
    revenue[o.day - firstDay]! += o.grossMilli;
    orderValues.push(o.grossMilli);
  }
  // Revenue's floor: the Poisson noise of the day's order count in money, at a typical order value.
  const typicalOrder = Math.max(medianOf(orderValues), 1);

  const out: DayAnomaly[] = [];
  const countHistory = new Float64Array(weeks);
  const revenueHistory = new Float64Array(weeks);
  for (let day = firstJudged; day <= lastDay; day++) {
    const at = day - firstDay;
    // On a weekday the store usually trades, a comparable day without any order (a holiday, an
    // earlier outage) is an exception of its own: left out, it cannot widen the usual spread
    // enough to hide the next broken checkout.
    let trading = 0;
    for (let w = 1; w <= weeks; w++) if (counts[at - 7 * w]! > 0) trading++;
    const skipClosed = trading > weeks / 2 && trading < weeks;
    let compared = 0;
    for (let w = 1; w <= weeks; w++) {
      const past = at - 7 * w;
      if (skipClosed && counts[past] === 0) continue;
      countHistory[compared] = counts[past]!;
      revenueHistory[compared] = revenue[past]!;
      compared++;
    }
    const countYardstick = robustYardstick(countHistory.subarray(0, compared), 0);
    // Counts vary at least as a Poisson count does: sd ≥ √median (and ≥ 1 order).
    const usualOrders = countYardstick.median;
    const countScale = Math.max(countYardstick.scale, Math.sqrt(Math.max(usualOrders, 1)));
    const history = { weeks, compared };
    const ordersFlag = judge(day, "orders", counts[at]!, usualOrders, countScale, threshold, history, money);
    if (ordersFlag) out.push(ordersFlag);

    const revenueYardstick = robustYardstick(revenueHistory.subarray(0, compared), 0);
    const revenueScale = Math.max(revenueYardstick.scale, typicalOrder * Math.sqrt(Math.max(usualOrders, 1)));
    const revenueFlag = judge(day, "revenue", revenue[at]!, revenueYardstick.median, revenueScale, threshold, history, money);
    if (revenueFlag) out.push(revenueFlag);
  }
  return out;
}

function judge(
  day: number,
  metric: DayMetric,
  value: number,
  expected: number,
  scale: number,
  threshold: number,
  history: { weeks: number; compared: number },
  money: (milli: number) => string,
): DayAnomaly | null {
  const score = (value - expected) / scale;
  if (Math.abs(score) < threshold) return null;
  const expectedLow = Math.max(0, expected - threshold * scale);
  const expectedHigh = expected + threshold * scale;
  const direction = score > 0 ? "spike" : "drop";
  const values = { value, expected, low: expectedLow, high: expectedHigh, ...history };
  const reason: AnomalyReason = {
    feature: `day-${metric}`,
    text: dayReasonText(day, metric, values, money),
    strength: Math.abs(score),
    values,
  };
  return { day, metric, value, expected, expectedLow, expectedHigh, score, direction, reasons: [reason] };
}

/**
 * "0 orders; a Monday usually has 14 (expected 5 to 23, from the 8 Mondays before)" (or "from the 7
 * Mondays with orders among the 8 before" when closed days were left out);
 * "£9,120.00 in sales, 6.1× a usual Saturday's £1,500.00 (expected £0.00 to £3,100.00, from the 8 Saturdays before)".
 */
export function dayReasonText(
  day: number,
  metric: DayMetric,
  values: { value: number; expected: number; low: number; high: number; weeks: number; compared: number },
  money: (milli: number) => string,
): string {
  const weekday = weekdayName(day);
  const show = metric === "orders" ? (n: number) => formatCount(n) : money;
  const what = metric === "orders" ? `${formatCount(values.value)} ${values.value === 1 ? "order" : "orders"}` : `${money(values.value)} in sales`;
  const from =
    values.compared === values.weeks
      ? `from the ${values.weeks} ${weekday}s before`
      : `from the ${values.compared} ${weekday}s with orders among the ${values.weeks} before`;
  const range = `(expected ${show(values.low)} to ${show(values.high)}, ${from})`;
  const usual = metric === "orders" ? `a ${weekday} usually has ${show(values.expected)}` : `a ${weekday} usually brings ${show(values.expected)}`;
  if (values.value > values.expected && values.expected > 0) {
    return `${what}, ${formatRatio(values.value / values.expected)} the usual ${show(values.expected)} for a ${weekday} ${range}`;
  }
  return `${what}; ${usual} ${range}`;
}
