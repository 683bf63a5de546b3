import { describe, expect, it, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { civilDay } from "../../app/analytics";
import { csvBaskets, parseQueries, readBasketOrders } from "../../cli/recommend";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/segmint.js");
const ORDERS = fileURLToPath(new URL("./fixtures/recommend-orders.csv", import.meta.url));
/** Every product of a basket dated before 2011-06-01 in the fixture (POST is a service code, R7 only returned, Z8 a zero quantity, Q5/Q6 later). */
const TRAINED = ["A1", "A2", "A3", "B1", "B2", "X9"];

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "segmint-recommend-"));
});

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let fileNumber = 0;
function queriesFile(lines: readonly (string | object)[]): string {
  const path = join(dir, `queries-${++fileNumber}.jsonl`);
  writeFileSync(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return path;
}

function recommendRun(queries: string, extra: string[] = [], csv = ORDERS): { code: number | null; stdout: string; stderr: string; out: string } {
  const out = join(dir, `recs-${++fileNumber}.jsonl`);
  return { ...run(["recommend", csv, "--until", "2011-06-01", "--queries", queries, "--out", out, "--quiet", ...extra]), out };
}

function readRecs(path: string): { id: string; items: string[] }[] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { id: string; items: string[] });
}

describe("readBasketOrders", () => {
  it("keeps the purchase rows before the until day, one order per invoice; returns, zero quantities and later rows out", async () => {
    const read = await readBasketOrders(ORDERS, { untilDay: civilDay(2011, 6, 1) });
    expect(read.stats).toEqual({ rows: 28, validRows: 27, returnRows: 2, zeroQuantityRows: 1, laterRows: 3 });
    expect(read.problems).toEqual([{ line: 25, reason: "missing date" }]);
    const baskets = csvBaskets(read.orders);
    expect(baskets.map((b) => [b.id, b.customerId, b.items])).toEqual([
      ["1001", "100", ["A1", "A2", "A3"]], // POST is a service line
      ["1002", "101", ["A1", "A2"]],
      ["1003", "102", ["A2", "A3"]],
      ["1004", "103", ["A1", "A3"]],
      ["1005", "104", ["B1", "B2"]],
      ["1006", "105", ["A1", "B1", "B2"]],
      ["1007", "100", ["B1", "X9"]],
      ["1008", "100", ["X9"]],
      ["1009", null, ["B1", "B2"]],
      ["1011", "106", ["A2"]], // R7's negative quantity is a return
    ]);
  });

  it("reads every row without an until day", async () => {
    const read = await readBasketOrders(ORDERS);
    expect(read.stats.laterRows).toBe(0);
    expect(csvBaskets(read.orders).map((b) => b.id).slice(-2)).toEqual(["2001", "2002"]);
  });
});

describe("parseQueries", () => {
  const bad = (text: string): string => {
    try {
      parseQueries("q.jsonl", text);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected an error");
  };

  it("reads id, basket and the optional customer, skipping blank lines and keeping line numbers", () => {
    expect(parseQueries("q.jsonl", '{"id":"a","basket":[" A1 "]}\n\n{"id":"b","basket":[],"customer":"100"}\n{"id":"c","basket":["B1"],"customer":null}\n')).toEqual([
      { id: "a", basket: ["A1"], customer: null, line: 1 },
      { id: "b", basket: [], customer: "100", line: 3 },
      { id: "c", basket: ["B1"], customer: null, line: 4 },
    ]);
  });

  it("names the line and what is wrong", () => {
    expect(bad('{"id":"a","basket":[]}\n{"id":"b","basket":[}')).toMatch(/^q\.jsonl:2: not a JSON object/);
    expect(bad('["A1"]')).toBe('q.jsonl:1: expected a JSON object like {"id": "q1", "basket": ["85123A"]}, got an array');
    expect(bad('{"basket":[]}')).toBe('q.jsonl:1: "id" must be a non-empty string, got none');
    expect(bad('{"id":7,"basket":[]}')).toBe('q.jsonl:1: "id" must be a non-empty string, got 7');
    expect(bad('{"id":"a","basket":[]}\n{"id":"a","basket":[]}')).toBe('q.jsonl:2: id "a" is already used on line 1');
    expect(bad('{"id":"a"}')).toBe('q.jsonl:1: "basket" must be a list of product ids, got none');
    expect(bad('{"id":"a","basket":"A1"}')).toBe('q.jsonl:1: "basket" must be a list of product ids, got "A1"');
    expect(bad('{"id":"a","basket":["A1",85123]}')).toBe('q.jsonl:1: basket item 2 must be a product id string, got 85123 (write "85123")');
    expect(bad('{"id":"a","basket":[],"customer":17850}')).toBe('q.jsonl:1: "customer" must be a customer id string, got 17850 (write "17850")');
    expect(bad('{"id":"a","basket":[],"costumer":"1"}')).toBe('q.jsonl:1: unknown field "costumer" (a query has "id", "basket" and optionally "customer")');
  });
});

describe("segmint recommend", () => {
  it("writes one {id, items} line per query, in order, never a basket product, only trained products", () => {
    const queries = queriesFile([
      { id: "lantern", basket: ["A1"] },
      { id: "empty", basket: [] },
      { id: "towel and apron", basket: ["B1", "B2"], customer: "999" },
      { id: "kite", basket: ["Q5"] },
    ]);
    const r = recommendRun(queries);
    expect(r.stderr).toBe("segmint: " + ORDERS + ":25: skipped row: missing date\nsegmint: skipped 1 malformed rows: 1 missing date\n");
    expect(r.code).toBe(0);
    const lines = readFileSync(r.out, "utf8").trimEnd().split("\n");
    for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(["id", "items"]);
    const recs = readRecs(r.out);
    expect(recs.map((x) => x.id)).toEqual(["lantern", "empty", "towel and apron", "kite"]);
    // Six trained products: the default limit of 10 lists every one that is not in the basket.
    expect([...recs[0]!.items].sort()).toEqual(["A2", "A3", "B1", "B2", "X9"]);
    expect(recs[0]!.items.slice(0, 2).sort()).toEqual(["A2", "A3"]); // bought with A1 twice each
    expect([...recs[2]!.items].sort()).toEqual(["A1", "A2", "A3", "X9"]);
    // No known product: the most popular (baskets: A1, A2, B1 4 each, ties by id; then A3, B2 3; X9 2).
    expect(recs[1]!.items).toEqual(["A1", "A2", "B1", "A3", "B2", "X9"]);
    expect(recs[3]!.items).toEqual(["A1", "A2", "B1", "A3", "B2", "X9"]); // Q5 was first sold on 2011-06-01
    for (const rec of recs) for (const item of rec.items) expect(TRAINED).toContain(item);
    expect(r.stdout).toContain("Segmint recommend: 10 baskets before 2011-06-01 (2011-05-02 on), 6 products (6 solved exactly)");
    expect(r.stdout).toContain("Rows: 28 read, 27 valid, 1 skipped; 3 rows on or after 2011-06-01 and 2 return rows not used");
    expect(r.stdout).toContain("Queries: 4, 0 personalised by the customer's own history (1 customer without orders before 2011-06-01); 1 basket product unknown to the training");
  });

  it("--limit caps every list", () => {
    const r = recommendRun(queriesFile([{ id: "1", basket: ["A1"] }, { id: "2", basket: [] }]), ["--limit", "2"]);
    expect(r.code).toBe(0);
    const recs = readRecs(r.out);
    expect(recs[0]!.items.sort()).toEqual(["A2", "A3"]);
    expect(recs[1]!.items).toEqual(["A1", "A2"]);
  });

  it("adds a known customer's own history (training rows only) to the basket's scores", () => {
    const r = recommendRun(queriesFile([{ id: "guest", basket: [] }, { id: "customer 100", basket: [], customer: "100" }]), ["--limit=3"]);
    expect(r.code).toBe(0);
    const [guest, known] = readRecs(r.out);
    expect(guest!.items).toEqual(["A1", "A2", "B1"]);
    // Customer 100 bought X9 twice, A1, A2, A3 and B1 once each before 2011-06-01 (Q5 only after).
    expect(known!.items).toEqual(["X9", "A1", "A2"]);
    expect(r.stdout).toContain("Queries: 2, 1 personalised by the customer's own history; 0 basket products unknown");
  });

  it("reads a gzip CSV and gzip queries", () => {
    const csv = join(dir, "orders.csv.gz");
    writeFileSync(csv, gzipSync(readFileSync(ORDERS)));
    const queries = join(dir, "queries.jsonl.gz");
    writeFileSync(queries, gzipSync('{"id":"1","basket":["A1"]}\n'));
    const r = recommendRun(queries, ["--limit", "2"], csv);
    expect(r.code).toBe(0);
    expect(readRecs(r.out)[0]!.items.sort()).toEqual(["A2", "A3"]);
  });

  it("fails on a bad query line before training, with its line number, leaving the output as it was", () => {
    const out = join(dir, "kept.jsonl");
    writeFileSync(out, "earlier output\n");
    const queries = queriesFile([{ id: "1", basket: ["A1"] }, "", '{"id": "2", "basket": ["A1", 22423]}']);
    const r = run(["recommend", ORDERS, "--until", "2011-06-01", "--queries", queries, "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`segmint: input error: ${queries}:3: basket item 2 must be a product id string, got 22423 (write "22423")\n`);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe("earlier output\n");
    expect(readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
  });

  it("refuses bad arguments with exit code 2", () => {
    const queries = queriesFile([{ id: "1", basket: [] }]);
    const cases: [string[], RegExp][] = [
      [["recommend", ORDERS, "--queries", queries, "--out", join(dir, "x.jsonl")], /missing --until YYYY-MM-DD/],
      [["recommend", ORDERS, "--until", "2011-06-01", "--out", join(dir, "x.jsonl")], /missing --queries/],
      [["recommend", ORDERS, "--until", "2011-06-01", "--queries", queries], /missing --out/],
      [["recommend", "--until", "2011-06-01", "--queries", queries, "--out", join(dir, "x.jsonl")], /missing input file/],
      [["recommend", ORDERS, "--until", "2011-13-01", "--queries", queries, "--out", join(dir, "x.jsonl")], /--until must be a date YYYY-MM-DD, got "2011-13-01"/],
      [["recommend", ORDERS, "--until", "2011-06-01", "--queries", queries, "--out", join(dir, "x.jsonl"), "--limit", "0"], /--limit must be a whole number ≥ 1, got "0"/],
      [["recommend", ORDERS, "--until", "2011-06-01", "--queries", queries, "--out", queries], /--out must be another file/],
      [["recommend", ORDERS, "--until", "2011-06-01", "--queries", queries, "--out", join(dir, "x.jsonl"), "--seed", "1"], /unknown option --seed for recommend/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("(see segmint --help)");
    }
    expect(existsSync(join(dir, "x.jsonl"))).toBe(false);
  });

  it("needs a line-level CSV with a product column (exit 3)", () => {
    const queries = queriesFile([{ id: "1", basket: [] }]);
    const noProduct = join(dir, "no-product.csv");
    writeFileSync(noProduct, "InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,1,2011-05-01,2.00,100\n");
    const r = recommendRun(queries, [], noProduct);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^segmint: input error: cannot find a product column \(StockCode, product_id, sku; --product-column\)/);
    const orderLevel = join(dir, "order-level.csv");
    writeFileSync(orderLevel, "order_id,sku,date,amount,customer_id\n1,A1,2011-05-01,2.00,100\n");
    expect(recommendRun(queries, [], orderLevel).stderr).toMatch(/input error: recommendations need line-level rows/);
    const early = recommendRun(queries, ["--until", "2011-01-01"]);
    expect(early.code).toBe(3);
    expect(early.stderr).toMatch(/input error: .*: no basket before 2011-01-01 \(27 rows on or after it, 0 return rows/);
  });

  it("is listed in --help", () => {
    const r = run(["recommend", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("segmint recommend <file.csv | file.csv.gz> --until YYYY-MM-DD --queries <queries.jsonl> --out <recs.jsonl> [--limit 10]");
  });
});
