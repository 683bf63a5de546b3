import { describe, expect, it } from "vitest";
import { CsvParser, parseCsv } from "../../cli/csv/parser";
import { detectColumns, ColumnError } from "../../cli/csv/columns";

const sample = 'a,b,c\r\n1,"x, y",3\n"he said ""hi""",,"multi\nline\r\nfield"\n\n4,5,6';

function chunked(text: string, size: number): { fields: string[]; line: number; error: string | null }[] {
  const out: { fields: string[]; line: number; error: string | null }[] = [];
  const p = new CsvParser((fields, line, error) => out.push({ fields, line, error }));
  for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
  p.end();
  return out;
}

describe("RFC 4180 streaming parser", () => {
  it("parses quotes, escaped quotes, embedded commas and newlines, CRLF, blank lines", () => {
    expect(parseCsv(sample)).toEqual([
      { fields: ["a", "b", "c"], line: 1, error: null },
      { fields: ["1", "x, y", "3"], line: 2, error: null },
      { fields: ['he said "hi"', "", "multi\nline\r\nfield"], line: 3, error: null },
      { fields: ["4", "5", "6"], line: 7, error: null },
    ]);
  });
  it("gives the same rows whatever the chunk boundaries", () => {
    const whole = parseCsv(sample);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(chunked(sample, size)).toEqual(whole);
    const quoteAtEdge = 'x\n"a""b",c\n';
    for (const size of [1, 2, 3, 4, 5]) expect(chunked(quoteAtEdge, size).map((r) => r.fields)).toEqual([["x"], ['a"b', "c"]]);
  });
  it("keeps empty trailing fields and a final row without newline", () => {
    expect(parseCsv("a,b,\n,,").map((r) => r.fields)).toEqual([["a", "b", ""], ["", "", ""]]);
  });
  it("marks malformed rows instead of dropping them", () => {
    expect(parseCsv('a,"b"x,c\n')[0]).toEqual({ fields: ["a", "bx", "c"], line: 1, error: "text after a closing quote" });
    expect(parseCsv('ok\n"never closed,1\n2\n')[1]).toMatchObject({ line: 2, error: "unterminated quoted field" });
    expect(parseCsv('a"b,c\n')[0]).toEqual({ fields: ['a"b', "c"], line: 1, error: null }); // lenient: literal quote
  });
});

describe("column detection", () => {
  it("matches names ignoring case, spaces and punctuation", () => {
    const m = detectColumns(["Invoice", "StockCode", "Quantity", "InvoiceDate", "Price", "Customer ID"]);
    expect(m).toMatchObject({ level: "line", order: 0, product: 1, quantity: 2, date: 3, price: 4, customer: 5, amount: -1 });
    expect(detectColumns(["\uFEFFcustomer_id", "order_id", "order_date", "total"])).toMatchObject({ level: "order", customer: 0, amount: 3 });
    expect(detectColumns(["CustomerID", "InvoiceNo", "date", "Amount"]).level).toBe("order");
  });
  it("prefers line level when quantity and price exist next to an amount", () => {
    expect(detectColumns(["customer", "order", "date", "qty", "price", "total"]).level).toBe("line");
  });
  it("explains what is missing", () => {
    expect(() => detectColumns(["foo"])).toThrow(ColumnError);
    expect(() => detectColumns(["customer", "order", "date", "qty"])).toThrow(/either Quantity and UnitPrice\/Price/);
    expect(() => detectColumns(["customer", "order", "date", "amount"], { customer: "buyer" })).toThrow(/"buyer"/);
  });
});
