import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "../../app/domain/csv";
import { parseCsv } from "../../cli/csv/parser";

describe("RFC 4180 fields (admin exports)", () => {
  it("quotes only fields with a comma, quote, CR or LF, doubling inner quotes; null is empty", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(12)).toBe("12");
    expect(csvField(null)).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
  });

  it("a record reads back field for field through a CSV parser", () => {
    const fields = ["1", 'He said "no", twice', "line\r\nbreak", "", "x"];
    const [row] = parseCsv(csvRecord(fields));
    expect(row!.error).toBeNull();
    expect(row!.fields).toEqual(fields);
  });
});
