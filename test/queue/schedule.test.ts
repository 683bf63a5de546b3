// The schedules: the nightly 02:00 and the weekly refresh slot in the shop's own time zone, strictly
// after now, across the days the clocks change (TZ=UTC for the test process; the zone under test
// is an argument), and the app-wide pass at the next full hour.
import { describe, expect, it } from "vitest";
import { nextFullHour, nextNightlyRun, nextWeeklyRun, startOfZonedDay } from "../../app/queue/schedule";

const next = (now: string, zone: string) => nextNightlyRun(new Date(now), zone).toISOString();

describe("nextNightlyRun", () => {
  it("is 02:00 local the next night, in winter (GMT) and summer (BST)", () => {
    expect(next("2026-01-15T12:00:00Z", "Europe/London")).toBe("2026-01-16T02:00:00.000Z");
    expect(next("2026-07-15T12:00:00Z", "Europe/London")).toBe("2026-07-16T01:00:00.000Z");
  });

  it("is strictly after now: the same night before 02:00, the next night at 02:00 exactly", () => {
    expect(next("2026-01-15T01:59:00Z", "Europe/London")).toBe("2026-01-15T02:00:00.000Z");
    expect(next("2026-01-15T02:00:00Z", "Europe/London")).toBe("2026-01-16T02:00:00.000Z");
  });

  describe("Europe/London, clocks forward (29 March 2026, 01:00 GMT → 02:00 BST)", () => {
    it("from the day before, runs at 02:00 BST, the moment the clocks change", () => {
      expect(next("2026-03-28T12:00:00Z", "Europe/London")).toBe("2026-03-29T01:00:00.000Z");
    });
    it("from just after midnight GMT on the day, runs the same night", () => {
      expect(next("2026-03-29T00:30:00Z", "Europe/London")).toBe("2026-03-29T01:00:00.000Z");
    });
    it("from the afternoon after the change, runs at 02:00 BST the next night", () => {
      expect(next("2026-03-29T12:00:00Z", "Europe/London")).toBe("2026-03-30T01:00:00.000Z");
    });
  });

  describe("Europe/London, clocks back (25 October 2026, 02:00 BST → 01:00 GMT)", () => {
    it("from the day before (BST), runs at 02:00 GMT, an hour later in UTC than the night before", () => {
      expect(next("2026-10-24T12:00:00Z", "Europe/London")).toBe("2026-10-25T02:00:00.000Z");
    });
    it("from inside the repeated hour, still runs once, at 02:00 GMT", () => {
      expect(next("2026-10-25T00:30:00Z", "Europe/London")).toBe("2026-10-25T02:00:00.000Z");
      expect(next("2026-10-25T01:30:00Z", "Europe/London")).toBe("2026-10-25T02:00:00.000Z");
    });
    it("from the afternoon after the change, runs at 02:00 GMT the next night", () => {
      expect(next("2026-10-25T12:00:00Z", "Europe/London")).toBe("2026-10-26T02:00:00.000Z");
    });
  });

  it("follows zones west of Greenwich and with half-hour offsets", () => {
    expect(next("2026-10-31T12:00:00Z", "America/New_York")).toBe("2026-11-01T07:00:00.000Z"); // 02:00 EST, after fall-back
    expect(next("2026-01-15T12:00:00Z", "Asia/Kolkata")).toBe("2026-01-15T20:30:00.000Z"); // 02:00 IST
  });

  it("where 02:00 does not exist (New York, 8 March 2026, 02:00 EST → 03:00 EDT), runs when the clocks change", () => {
    // 03:00 EDT, the first instant at or past 02:00 that night (it used to be 01:00 EST, an hour early).
    expect(next("2026-03-07T12:00:00Z", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(next("2026-03-08T07:00:00Z", "America/New_York")).toBe("2026-03-09T06:00:00.000Z"); // 02:00 EDT
  });

  it("treats an unknown time zone as UTC", () => {
    expect(next("2026-01-15T12:00:00Z", "Not/AZone")).toBe("2026-01-16T02:00:00.000Z");
  });
});

const weekly = (now: string, zone: string, weekday: number, hour: number) => nextWeeklyRun(new Date(now), zone, weekday, hour).toISOString();
const WEEK_MS = 7 * 86_400_000;
const HOUR_MS = 3_600_000;

describe("nextWeeklyRun", () => {
  // 15 January 2026 is a Thursday.
  it("is the next given weekday at the given hour, shop time", () => {
    expect(weekly("2026-01-15T12:00:00Z", "Europe/London", 1, 3)).toBe("2026-01-19T03:00:00.000Z"); // Monday 03:00 GMT
    expect(weekly("2026-07-16T12:00:00Z", "Europe/London", 1, 3)).toBe("2026-07-20T02:00:00.000Z"); // Monday 03:00 BST
    expect(weekly("2026-01-15T12:00:00Z", "Europe/London", 0, 0)).toBe("2026-01-18T00:00:00.000Z"); // Sunday midnight
    expect(weekly("2026-01-15T12:00:00Z", "Europe/London", 6, 23)).toBe("2026-01-17T23:00:00.000Z"); // Saturday 23:00
  });

  it("is strictly after now: later the same day, else a week later", () => {
    expect(weekly("2026-01-15T02:59:00Z", "Europe/London", 4, 3)).toBe("2026-01-15T03:00:00.000Z");
    expect(weekly("2026-01-15T03:00:00Z", "Europe/London", 4, 3)).toBe("2026-01-22T03:00:00.000Z");
    expect(weekly("2026-01-15T12:00:00Z", "Europe/London", 4, 3)).toBe("2026-01-22T03:00:00.000Z");
  });

  it("takes the weekday in the shop's zone, not UTC's", () => {
    // Monday 03:00 in Kolkata (+05:30) is Sunday 21:30 UTC; Monday 03:00 in New York is Monday 08:00 UTC.
    expect(weekly("2026-01-15T12:00:00Z", "Asia/Kolkata", 1, 3)).toBe("2026-01-18T21:30:00.000Z");
    expect(weekly("2026-01-15T12:00:00Z", "America/New_York", 1, 3)).toBe("2026-01-19T08:00:00.000Z");
    // Already Monday 01:00 in Kolkata while it is Sunday in UTC: today's 03:00 is still ahead.
    expect(weekly("2026-01-18T19:30:00Z", "Asia/Kolkata", 1, 3)).toBe("2026-01-18T21:30:00.000Z");
  });

  it("keeps the local hour across a change of clocks between now and the run", () => {
    // Europe/London goes to BST on 29 March 2026: Monday 03:00 is 03:00 UTC before, 02:00 UTC after.
    expect(weekly("2026-03-24T12:00:00Z", "Europe/London", 1, 3)).toBe("2026-03-30T02:00:00.000Z");
    // America/New_York goes back to EST on 1 November 2026.
    expect(weekly("2026-10-27T12:00:00Z", "America/New_York", 1, 3)).toBe("2026-11-02T08:00:00.000Z");
  });

  it("where the hour does not exist that day, runs when the clocks change", () => {
    // London, Sunday 29 March 2026: 01:00 GMT → 02:00 BST, so 01:00 never shows.
    expect(weekly("2026-03-28T12:00:00Z", "Europe/London", 0, 1)).toBe("2026-03-29T01:00:00.000Z");
    expect(weekly("2026-03-29T01:00:00Z", "Europe/London", 0, 1)).toBe("2026-04-05T00:00:00.000Z");
    // New York, Sunday 8 March 2026: 02:00 EST → 03:00 EDT.
    expect(weekly("2026-03-07T12:00:00Z", "America/New_York", 0, 2)).toBe("2026-03-08T07:00:00.000Z");
    // Chatham (+12:45 / +13:45), Sunday 27 September 2026: 02:45 → 03:45, so 03:00 falls in the gap.
    expect(weekly("2026-09-26T00:00:00Z", "Pacific/Chatham", 0, 3)).toBe("2026-09-26T14:00:00.000Z");
  });

  it("where the hour happens twice that day, runs once, at the first", () => {
    // New York, Sunday 1 November 2026: 01:00 EDT (05:00 UTC) and 01:00 EST (06:00 UTC).
    expect(weekly("2026-10-31T12:00:00Z", "America/New_York", 0, 1)).toBe("2026-11-01T05:00:00.000Z");
    expect(weekly("2026-11-01T05:30:00Z", "America/New_York", 0, 1)).toBe("2026-11-08T06:00:00.000Z");
    // Chatham, Sunday 5 April 2026: 03:45 → 02:45, so 03:00 happens at +13:45 and again at +12:45.
    expect(weekly("2026-04-04T00:00:00Z", "Pacific/Chatham", 0, 3)).toBe("2026-04-04T13:15:00.000Z");
    expect(weekly("2026-04-04T13:30:00Z", "Pacific/Chatham", 0, 3)).toBe("2026-04-11T14:15:00.000Z");
  });

  it("over a whole year, every 5 h 17 min: after now, within a week, a week apart, on the slot's local day and hour", () => {
    for (const zone of ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]) {
      const local = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", weekday: "short", hour: "numeric", minute: "numeric" });
      for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 5 * HOUR_MS + 17 * 60_000) {
        const run = nextWeeklyRun(new Date(t), zone, 0, 3);
        expect(run.getTime()).toBeGreaterThan(t);
        expect(run.getTime() - t).toBeLessThanOrEqual(WEEK_MS + HOUR_MS);
        const gap = nextWeeklyRun(run, zone, 0, 3).getTime() - run.getTime();
        expect(Math.abs(gap - WEEK_MS)).toBeLessThanOrEqual(HOUR_MS);
        const text = local.format(run); // e.g. "Sun 03:00"; in a gap, the moment of the change (Chatham 03:45)
        expect(["Sun 03:00", "Sun 03:45"]).toContain(text);
      }
    }
  });

  it("rejects a weekday or hour out of range, and treats an unknown zone as UTC", () => {
    expect(() => nextWeeklyRun(new Date(), "UTC", 7, 3)).toThrow(RangeError);
    expect(() => nextWeeklyRun(new Date(), "UTC", 1, 24)).toThrow(RangeError);
    expect(() => nextWeeklyRun(new Date(), "UTC", 1.5, 3)).toThrow(RangeError);
    expect(weekly("2026-01-15T12:00:00Z", "Not/AZone", 1, 3)).toBe("2026-01-19T03:00:00.000Z");
  });
});

describe("nextFullHour", () => {
  it("is the next full hour strictly after now", () => {
    expect(nextFullHour(new Date("2026-01-15T12:34:56.789Z")).toISOString()).toBe("2026-01-15T13:00:00.000Z");
    expect(nextFullHour(new Date("2026-01-15T12:00:00.000Z")).toISOString()).toBe("2026-01-15T13:00:00.000Z");
    expect(nextFullHour(new Date("2026-12-31T23:59:59.999Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("startOfZonedDay", () => {
  const day = (d: string) => new Date(`${d}T00:00:00.000Z`);

  it("is the zone's midnight: a summer day in London begins at 23:00 UTC the day before, a winter one at 00:00", () => {
    expect(startOfZonedDay(day("2011-09-01"), "Europe/London").toISOString()).toBe("2011-08-31T23:00:00.000Z");
    expect(startOfZonedDay(day("2011-12-01"), "Europe/London").toISOString()).toBe("2011-12-01T00:00:00.000Z");
    expect(startOfZonedDay(day("2026-12-03"), "America/New_York").toISOString()).toBe("2026-12-03T05:00:00.000Z");
    expect(startOfZonedDay(day("2026-12-03"), "Asia/Tokyo").toISOString()).toBe("2026-12-02T15:00:00.000Z");
  });

  it("where the clocks go forward at midnight, the day begins when they change (Santiago, 2026-09-06)", () => {
    // Chile moves from −04 to −03 at 00:00 local: 00:00–00:59 does not exist, the day starts at 01:00 −03.
    expect(startOfZonedDay(day("2026-09-06"), "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
  });

  it("takes an unknown zone as UTC", () => {
    expect(startOfZonedDay(day("2026-12-03"), "Mars/Olympus").toISOString()).toBe("2026-12-03T00:00:00.000Z");
  });
});
