import { describe, expect, it } from "vitest";
import { parseMilli, formatMilli, formatMoneyReadable } from "../../../app/analytics/money";
import { dayFromCivil, civilFromDay, parseIsoDay, formatDay, requireIsoDate } from "../../../app/analytics/rfm/calendar";

describe("money in milli (1/1000)", () => {
  it("parses decimals exactly", () => {
    expect(parseMilli("2.55")).toBe(2550);
    expect(parseMilli("0.001")).toBe(1);
    expect(parseMilli("-11062.06")).toBe(-11062060);
    expect(parseMilli("+3.5")).toBe(3500);
    expect(parseMilli("12")).toBe(12000);
    expect(parseMilli(".5")).toBe(500);
    expect(parseMilli(" 7.10 ")).toBe(7100);
    expect(parseMilli("1.2300")).toBe(1230); // trailing zeros beyond 3 decimals are exact
    expect(parseMilli("-0")).toBe(0);
  });
  it("rejects what it cannot represent exactly", () => {
    for (const bad of ["", "-", "1.2345", "1e3", "1,000.00", "abc", "1.2.3", "12a", "."]) expect(parseMilli(bad)).toBeNull();
  });
  it("sums without floating-point drift", () => {
    const tenth = parseMilli("0.1")!;
    expect(tenth + tenth + tenth).toBe(300);
    expect(formatMilli(tenth + tenth + tenth)).toBe("0.30");
  });
  it("formats with 2 or 3 decimals", () => {
    expect(formatMilli(1234560)).toBe("1234.56");
    expect(formatMilli(1)).toBe("0.001");
    expect(formatMilli(-2550)).toBe("-2.55");
    expect(formatMilli(0)).toBe("0.00");
    expect(formatMilli(1234567)).toBe("1234.567");
    expect(() => formatMilli(0.5)).toThrow(RangeError);
  });
  it("formats readable amounts deterministically", () => {
    expect(formatMoneyReadable(2340123, "£")).toBe("£2,340");
    expect(formatMoneyReadable(12340, "")).toBe("12.34");
    expect(formatMoneyReadable(-1234567890, "$")).toBe("-$1,234,568");
  });
});

describe("calendar days", () => {
  it("matches Date.UTC on a wide range of dates", () => {
    for (let day = -800_000; day <= 800_000; day += 997) {
      const d = new Date(day * 86_400_000);
      const c = civilFromDay(day);
      expect([c.year, c.month, c.day]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
      expect(dayFromCivil(c.year, c.month, c.day)).toBe(day);
    }
  });
  it("takes a timestamp's date as written, zone or not", () => {
    const d = dayFromCivil(2011, 12, 9);
    expect(parseIsoDay("2011-12-09 12:50:00")).toBe(d);
    expect(parseIsoDay("2011-12-09")).toBe(d);
    expect(parseIsoDay("2011-12-09T23:30:00-05:00")).toBe(d);
    expect(parseIsoDay("2011-12-09T00:30:00+14:00")).toBe(d);
    expect(parseIsoDay("2011-12-09T12:00:00Z")).toBe(d);
  });
  it("rejects invalid dates", () => {
    for (const bad of ["2011-02-30", "2011-13-01", "2011-1-01", "20111209", "2011-12-09X", "", "2011/12/09"]) expect(parseIsoDay(bad)).toBeNull();
    expect(parseIsoDay("2012-02-29")).toBe(dayFromCivil(2012, 2, 29));
    expect(parseIsoDay("1900-02-29")).toBeNull();
  });
  it("formats and validates as-of dates", () => {
    expect(formatDay(dayFromCivil(2011, 12, 10))).toBe("2011-12-10");
    expect(() => requireIsoDate("2011-12-10 00:00", "asOf")).toThrow(/asOf must be a calendar date/);
  });
});
