import { describe, expect, it } from "vitest";
import { detectStoreDayAnomalies, type AnomalyOrder, type DayAnomaly } from "../../../app/analytics";
import { dayFromCivil } from "../../../app/analytics/rfm/calendar";
import { isoDay, weekdayName } from "../../../app/analytics/anomaly/store-days";

const MONDAY = dayFromCivil(2024, 1, 1);
const WEEKS = 12;
const ORDER_MILLI = 10_000;

/**
 * Twelve weeks of a shop open Monday to Friday (19, 20 or 21 orders a day, by week), quiet on
 * Sundays (5 orders) and closed on Saturdays, every order 10.00 — plus the planted days.
 */
function shop(plant: (week: number, weekday: number) => { count: number; bigOrder?: number } | null): AnomalyOrder[] {
  const orders: AnomalyOrder[] = [];
  for (let week = 0; week < WEEKS; week++) {
    for (let weekday = 0; weekday < 7; weekday++) {
      const day = MONDAY + 7 * week + weekday;
      const usual = weekday < 5 ? 20 + ((week % 3) - 1) : weekday === 6 ? 5 : 0;
      const planted = plant(week, weekday);
      const count = planted?.count ?? usual;
      for (let i = 0; i < count; i++) {
        const grossMilli = i === 0 && planted?.bigOrder !== undefined ? planted.bigOrder : ORDER_MILLI;
        orders.push({ id: `${day}-${i}`, customerId: `c${i}`, at: day * 86_400_000 + i * 60_000, day, grossMilli, refundedMilli: 0, cancelled: false, lines: [] });
      }
    }
  }
  return orders;
}

const BROKEN_WEDNESDAY = { week: 10, weekday: 2 };
const CAMPAIGN_TUESDAY = { week: 11, weekday: 1 };
const WHOLESALE_THURSDAY = { week: 9, weekday: 3 };
const EARLY_THURSDAY = { week: 3, weekday: 3 };
const dayOf = (p: { week: number; weekday: number }): number => MONDAY + 7 * p.week + p.weekday;
const LAST_DAY = MONDAY + 7 * WEEKS - 1;

const planted = shop((week, weekday) => {
  const is = (p: { week: number; weekday: number }): boolean => p.week === week && p.weekday === weekday;
  if (is(BROKEN_WEDNESDAY) || is(EARLY_THURSDAY)) return { count: 0 };
  if (is(CAMPAIGN_TUESDAY)) return { count: 80 };
  if (is(WHOLESALE_THURSDAY)) return { count: 20, bigOrder: 500_000 };
  return null;
});

const summary = (found: DayAnomaly[]): string[] => found.map((a) => `${isoDay(a.day)} ${weekdayName(a.day)} ${a.metric} ${a.direction}`);

describe("detectStoreDayAnomalies", () => {
  const found = detectStoreDayAnomalies(planted, { lastDay: LAST_DAY });

  it("flags the broken checkout, the campaign and the wholesale order, and nothing else (closed Saturdays included)", () => {
    expect(summary(found)).toEqual([
      `${isoDay(dayOf(WHOLESALE_THURSDAY))} Thursday revenue spike`,
      `${isoDay(dayOf(BROKEN_WEDNESDAY))} Wednesday orders drop`,
      `${isoDay(dayOf(BROKEN_WEDNESDAY))} Wednesday revenue drop`,
      `${isoDay(dayOf(CAMPAIGN_TUESDAY))} Tuesday orders spike`,
      `${isoDay(dayOf(CAMPAIGN_TUESDAY))} Tuesday revenue spike`,
    ]);
  });

  it("gives the expected range from the same weekday of the 8 weeks before, in plain words", () => {
    // The 8 Wednesdays before had 21, 19, 20, 21, 19, 20, 21, 19 orders: median 20, MAD 1, so the
    // Poisson floor √20 = 4.47 is the scale; 0 orders is z = −4.47; range 20 ± 3.5 × 4.47.
    const drop = found.find((a) => a.day === dayOf(BROKEN_WEDNESDAY) && a.metric === "orders")!;
    const scale = Math.sqrt(20);
    expect(drop.value).toBe(0);
    expect(drop.expected).toBe(20);
    expect(drop.score).toBeCloseTo(-20 / scale, 10);
    expect(drop.expectedLow).toBeCloseTo(20 - 3.5 * scale, 10);
    expect(drop.expectedHigh).toBeCloseTo(20 + 3.5 * scale, 10);
    expect(drop.reasons.map((r) => r.text)).toEqual(["0 orders; a Wednesday usually has 20 (expected 4 to 36, from the 8 Wednesdays before)"]);
    expect(drop.reasons[0]!.feature).toBe("day-orders");
    expect(drop.reasons[0]!.strength).toBeCloseTo(20 / scale, 10);

    // Revenue: median 200.00; floor = a typical order (10.00) × √20 = 44.72.
    const lost = found.find((a) => a.day === dayOf(BROKEN_WEDNESDAY) && a.metric === "revenue")!;
    expect(lost.expected).toBe(200_000);
    expect(lost.reasons[0]!.text).toBe("0.00 in sales; a Wednesday usually brings 200.00 (expected 43.48 to 356.52, from the 8 Wednesdays before)");

    const campaign = found.find((a) => a.day === dayOf(CAMPAIGN_TUESDAY) && a.metric === "orders")!;
    expect(campaign.reasons[0]!.text).toBe("80 orders, 4.0× the usual 20 for a Tuesday (expected 4 to 36, from the 8 Tuesdays before)");
    expect(campaign.score).toBeCloseTo(60 / scale, 10);
  });

  it("formats money with the caller's formatter", () => {
    const pounds = detectStoreDayAnomalies(planted, { lastDay: LAST_DAY, formatMoney: (milli) => `£${(milli / 1000).toFixed(2)}` });
    const wholesale = pounds.find((a) => a.day === dayOf(WHOLESALE_THURSDAY))!;
    expect(wholesale.value).toBe(19 * ORDER_MILLI + 500_000);
    // The empty early Thursday (week 3) is among the 8 before, and left out of the history.
    expect(wholesale.reasons[0]!.text).toBe("£690.00 in sales, 3.5× the usual £200.00 for a Thursday (expected £43.48 to £356.52, from the 7 Thursdays with orders among the 8 before)");
  });

  it("does not judge a day without the full history before it", () => {
    const firstJudged = MONDAY + 7 * 8;
    expect(found.every((a) => a.day >= firstJudged)).toBe(true);
    // The empty early Thursday is flagged once the history asked for is short enough to exist.
    const shortHistory = detectStoreDayAnomalies(planted, { lastDay: LAST_DAY, weeks: 3 });
    expect(summary(shortHistory)).toContain(`${isoDay(dayOf(EARLY_THURSDAY))} Thursday orders drop`);
    // A shop younger than the history judges nothing.
    expect(detectStoreDayAnomalies(planted, { lastDay: MONDAY + 7 * 8 - 1 })).toEqual([]);
    expect(detectStoreDayAnomalies([], { lastDay: LAST_DAY })).toEqual([]);
  });

  it("leaves closed days out of an open weekday's history, so holidays cannot hide a broken checkout", () => {
    // Wednesdays: closed three weeks (holidays), then 20, 22, 24, 26, 28 orders, then none (broken).
    // With the zeros the history's median would be 21 and its spread 8.9 (z = −2.4, not flagged);
    // without them: median 24, scale √24 = 4.9, z = −4.9.
    const wednesdays = [0, 0, 0, 20, 22, 24, 26, 28, 0];
    const holidays = shop((week, weekday) => (weekday === 2 && week < wednesdays.length ? { count: wednesdays[week]! } : null));
    const found = detectStoreDayAnomalies(holidays, { lastDay: LAST_DAY });
    const broken = found.find((a) => a.day === MONDAY + 7 * 8 + 2 && a.metric === "orders")!;
    expect(broken.direction).toBe("drop");
    expect(broken.expected).toBe(24);
    expect(broken.score).toBeCloseTo(-24 / Math.sqrt(24), 10);
    expect(broken.reasons[0]!.text).toBe("0 orders; a Wednesday usually has 24 (expected 7 to 41, from the 5 Wednesdays with orders among the 8 before)");
  });

  it("leaves out days after the last complete day", () => {
    const today = LAST_DAY + 1;
    const rush = Array.from({ length: 300 }, (_, i): AnomalyOrder => ({
      id: `today-${i}`, customerId: null, at: today * 86_400_000, day: today, grossMilli: ORDER_MILLI, refundedMilli: 0, cancelled: false, lines: [],
    }));
    expect(detectStoreDayAnomalies([...planted, ...rush], { lastDay: LAST_DAY })).toEqual(found);
  });

  it("flags an order on a usually closed day only when it is far out, and refuses bad options", () => {
    const openSaturday = shop((week, weekday) => (week === 11 && weekday === 5 ? { count: 12 } : null));
    expect(summary(detectStoreDayAnomalies(openSaturday, { lastDay: LAST_DAY }))).toEqual([
      `${isoDay(MONDAY + 7 * 11 + 5)} Saturday orders spike`,
      `${isoDay(MONDAY + 7 * 11 + 5)} Saturday revenue spike`,
    ]);
    const oneOrderSaturday = shop((week, weekday) => (week === 11 && weekday === 5 ? { count: 1 } : null));
    expect(detectStoreDayAnomalies(oneOrderSaturday, { lastDay: LAST_DAY })).toEqual([]);
    expect(() => detectStoreDayAnomalies(planted, { lastDay: LAST_DAY, weeks: 2 })).toThrow(/at least 3 weeks/);
    expect(() => detectStoreDayAnomalies(planted, { lastDay: 1.5 })).toThrow(/day number/);
  });
});
