// The shop's calendar day of an instant: the cached formatter against Intl per instant, across
// DST changes, half- and quarter-hour zones and a zone whose transitions fall inside a UTC hour.
import { describe, expect, it } from "vitest";
import { shopDayFormatter } from "../../app/models/order-facts.server";

/** The reference: one Intl call per instant (`en-CA` formats as YYYY-MM-DD). */
function referenceDay(timeZone: string): (d: Date) => string {
  const f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (d) => f.format(d);
}

describe("shopDayFormatter", () => {
  it("takes the day in the shop's zone, not UTC's", () => {
    const ny = shopDayFormatter("America/New_York");
    expect(ny(new Date("2024-03-10T04:30:00Z"))).toBe("2024-03-09"); // 23:30 EST the evening before
    expect(ny(new Date("2024-03-10T05:00:00Z"))).toBe("2024-03-10");
    const london = shopDayFormatter("Europe/London");
    expect(london(new Date("2011-06-30T23:30:00Z"))).toBe("2011-07-01"); // 00:30 BST
    expect(london(new Date("2011-12-31T23:30:00Z"))).toBe("2011-12-31"); // GMT in winter
    const utc = shopDayFormatter("UTC");
    expect(utc(new Date("2011-06-30T23:30:00Z"))).toBe("2011-06-30");
  });

  it("follows DST changes both ways (New York, 2024)", () => {
    const ny = shopDayFormatter("America/New_York");
    // Spring forward 2024-03-10 07:00Z (02:00 EST → 03:00 EDT). Before it, midnight is 05:00Z;
    // after it, 04:00Z: an offset kept from before the change would give 2024-03-10 here.
    expect(ny(new Date("2024-03-10T06:59:59Z"))).toBe("2024-03-10");
    expect(ny(new Date("2024-03-11T03:59:59Z"))).toBe("2024-03-10");
    expect(ny(new Date("2024-03-11T04:30:00Z"))).toBe("2024-03-11");
    // Fall back 2024-11-03 06:00Z: midnight moves from 04:00Z back to 05:00Z.
    expect(ny(new Date("2024-11-03T05:30:00Z"))).toBe("2024-11-03"); // 01:30 EDT
    expect(ny(new Date("2024-11-03T06:30:00Z"))).toBe("2024-11-03"); // 01:30 EST
    expect(ny(new Date("2024-11-04T04:30:00Z"))).toBe("2024-11-03"); // 23:30 EST
    expect(ny(new Date("2024-11-04T05:00:00Z"))).toBe("2024-11-04");
  });

  it.each(["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"])(
    "agrees with Intl per instant over two years, every 7 minutes: %s",
    (zone) => {
      const cached = shopDayFormatter(zone);
      const reference = referenceDay(zone);
      const start = Date.parse("2023-01-01T00:00:00Z");
      const end = Date.parse("2025-01-01T00:00:00Z");
      const wrong: string[] = [];
      // 7 minutes + 13 seconds: walks through every minute and second offset of an hour.
      for (let t = start; t < end; t += 7 * 60_000 + 13_000) {
        const d = new Date(t);
        if (cached(d) !== reference(d)) wrong.push(d.toISOString());
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    },
  );

  it("is exact inside an hour that holds a transition (Lord Howe: 30-minute DST, changes at xx:30 UTC)", () => {
    // 2024-04-07 02:00 local (+11:00) → 01:30 (+10:30), i.e. 15:00Z; 2024-10-06 02:00 (+10:30) → 02:30, i.e. 15:30Z.
    const cached = shopDayFormatter("Australia/Lord_Howe");
    const reference = referenceDay("Australia/Lord_Howe");
    for (const day of ["2024-04-06", "2024-04-07", "2024-10-05", "2024-10-06"]) {
      for (let s = 0; s < 86_400; s += 17) {
        const d = new Date(Date.parse(`${day}T00:00:00Z`) + s * 1000);
        expect(cached(d), d.toISOString()).toBe(reference(d));
      }
    }
  });

  it("rejects an unknown zone and an invalid date", () => {
    expect(() => shopDayFormatter("Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => shopDayFormatter("UTC")(new Date(Number.NaN))).toThrow(RangeError);
  });
});
