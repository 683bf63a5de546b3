import { describe, expect, it } from "vitest";
import { parseCsvDay, parseSlashDay } from "../../cli/csv/dates";
import { dayFromCivil } from "../../app/analytics/index";

describe("CSV dates (the spreadsheet M/D/YYYY convention lives in the reader)", () => {
  it("reads slash dates in both orders", () => {
    expect(parseSlashDay("12/1/2010 8:26", "mdy")).toBe(dayFromCivil(2010, 12, 1));
    expect(parseSlashDay("12/1/2010", "dmy")).toBe(dayFromCivil(2010, 1, 12));
    expect(parseSlashDay("13/1/2010", "mdy")).toBeNull();
  });
  it("rejects what is not a slash date", () => {
    for (const bad of ["2/30/2011", "1/1/11", "a/1/2011", "1/1/2011/1", "", "111/1/2011"]) expect(parseSlashDay(bad, "mdy")).toBeNull();
  });
  it("takes ISO dates with the core's rule and slash dates otherwise", () => {
    expect(parseCsvDay("2011-12-09 12:50:00", "dmy")).toBe(dayFromCivil(2011, 12, 9));
    expect(parseCsvDay("9/12/2011 12:50", "dmy")).toBe(dayFromCivil(2011, 12, 9));
    expect(parseCsvDay("yesterday", "mdy")).toBeNull();
  });
});
