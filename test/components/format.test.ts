import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDay, formatMoneyCompact } from "../../app/components/format";

// Pages are rendered by Node and hydrated by the browser: a string that differs between the two
// ICU builds breaks hydration. These are the forms both must produce.
describe("format: the same strings on the server and in the browser", () => {
  it("names September 'Sep' (en-GB's ICU data says 'Sept' in Node and 'Sep' in Chromium)", () => {
    expect(formatDate("2011-09-01T00:00:00Z")).toBe("1 Sep 2011");
    expect(formatDay("2011-09-01")).toBe("1 Sep 2011");
    expect(formatDay("2026-12-31")).toBe("31 Dec 2026");
    expect(formatDay("not a day")).toBe("not a day");
    expect(formatDateTime("2026-09-03T14:05:00Z")).toBe("3 Sep 2026, 14:05 UTC");
  });

  it("takes the day and time in the given zone", () => {
    expect(formatDate(new Date("2026-12-03T23:30:00Z"), "Asia/Tokyo")).toBe("4 Dec 2026");
    expect(formatDateTime("2026-07-03T04:05:00Z", "Europe/London")).toBe("3 Jul 2026, 05:05 BST");
  });

  it("writes compact money without a trailing '.0' ('£0', not '£0.0')", () => {
    expect(formatMoneyCompact(0, "GBP")).toBe("£0");
    expect(formatMoneyCompact(1_234_000, "GBP")).toBe("£1.2K");
    expect(formatMoneyCompact(5_000, "XXX-not-a-code")).toBe("5");
  });
});
