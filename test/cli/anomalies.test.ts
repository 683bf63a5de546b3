import { describe, expect, it, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { civilDay, createRng, formatDay } from "../../app/analytics";
import { readAnomalyOrders, timeOfDayMs } from "../../cli/csv/anomaly-orders";
import { parseCsv } from "../../cli/csv/parser";
import { CUSTOMER_COLUMNS, ORDER_COLUMNS } from "../../cli/anomalies";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/segmint.js");
const FIX = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ONLINE_RETAIL = "../shared/data/online_retail.csv.gz"; // relative to the repository root
const DAY_MS = 86_400_000;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "segmint-anomalies-"));
});

const dayOf = (y: number, m: number, d: number): number => civilDay(y, m, d)!;

describe("timeOfDayMs", () => {
  it("reads the time after the date as written, and 0 when there is none", () => {
    expect(timeOfDayMs("12/1/2010 8:26")).toBe((8 * 60 + 26) * 60_000);
    expect(timeOfDayMs("2010-12-01 08:26:30")).toBe(((8 * 60 + 26) * 60 + 30) * 1000);
    expect(timeOfDayMs("2024-01-02T10:00:00.25Z")).toBe(10 * 3_600_000 + 250);
    expect(timeOfDayMs("2024-01-02T23:59:59+05:00")).toBe(86_399_000); // the zone is not applied, like the day
    expect(timeOfDayMs("2024-01-02")).toBe(0);
    expect(timeOfDayMs("12/1/2010 noon")).toBe(0);
    expect(timeOfDayMs("12/1/2010 25:00")).toBe(0);
  });
});

describe("readAnomalyOrders", () => {
  it("builds one order per invoice and attributes returns to earlier orders like the simulator", async () => {
    const read = await readAnomalyOrders(FIX("anomalies-returns.csv"));
    const byId = new Map(read.orders.map((o) => [o.id, o]));
    // Return-only ids (C…) are not orders; 1011's only row is bad; A1012 is an accounting entry.
    expect(read.orders.map((o) => o.id)).toEqual(["1001", "1002", "1005", "1007", "1010", "1013"]);
    expect(byId.get("1001")).toEqual({
      id: "1001",
      customerId: "17850",
      at: dayOf(2010, 12, 1) * DAY_MS + (8 * 60 + 26) * 60_000,
      day: dayOf(2010, 12, 1),
      grossMilli: 6 * 2550 + 4 * 3000,
      refundedMilli: 3000, // C1003: one BLUE MUG, matched by product to 1001 (1002 has none)
      cancelled: false,
      lines: [
        { productId: "P1", quantity: 6, unitPriceMilli: 2550, refundedQuantity: 0 },
        { productId: "P2", quantity: 4, unitPriceMilli: 3000, refundedQuantity: 1 },
      ],
    });
    // C1004's product is in no order: money refunded on the most recent earlier order, no quantity.
    expect(byId.get("1002")).toMatchObject({ grossMilli: 5100, refundedMilli: 5000, cancelled: false, lines: [{ productId: "P1", refundedQuantity: 0 }] });
    // Everything of value returned but the free gift kept: fully refunded, not cancelled.
    expect(byId.get("1005")).toMatchObject({ grossMilli: 104_000, refundedMilli: 104_000, cancelled: false });
    expect(byId.get("1005")!.lines).toEqual([
      { productId: "P3", quantity: 1, unitPriceMilli: 0, refundedQuantity: 0 },
      { productId: "P4", quantity: 100, unitPriceMilli: 1040, refundedQuantity: 100 },
    ]);
    // A guest's return is not attributed; neither is a return before the customer's first order.
    expect(byId.get("1007")).toMatchObject({ customerId: null, refundedMilli: 0 });
    expect(byId.get("1010")).toMatchObject({ customerId: "99999", refundedMilli: 0, cancelled: false });
    // Returned in the same minute: the order (id 1013) comes before its return (C1014), and is cancelled.
    expect(byId.get("1013")).toMatchObject({ grossMilli: 2080, refundedMilli: 2080, cancelled: true });
    expect(read.stats).toEqual({
      rows: 16,
      validRows: 14,
      level: "line",
      returns: 6,
      returnsAttributed: 4,
      returnsMatchedByProduct: 3,
      guestReturns: 1,
      returnsWithoutEarlierOrder: 1,
      cancelledOrders: 1,
    });
    expect(read.problems).toEqual([
      { line: 14, reason: "unparseable quantity" },
      { line: 15, reason: "negative unit price (an accounting entry, not a sale)" },
    ]);
    expect(read.lastDay).toBe(dayOf(2010, 12, 7));
    // The first non-empty description names the product; a bad row names nothing.
    expect(Object.fromEntries(read.productNames)).toEqual({ P1: "RED MUG", P2: "BLUE MUG", P9: "SOMETHING", P3: "FREE GIFT", P4: "BIG JAR" });
  });

  it("reads order-level CSVs (gzip, ISO dates): a negative amount refunds the customer's latest earlier order", async () => {
    const path = join(dir, "orders.csv.gz");
    const csv = ["order_id,customer_id,date,total", "A1,c1,2024-01-02T10:00:00Z,100.00", "A2,c1,2024-01-03 11:30,50.00", "R1,c1,2024-01-04,-20.00", "R2,c1,2024-01-05,-40.00", "G1,,2024-01-05,9.99"].join("\n");
    writeFileSync(path, gzipSync(csv));
    const read = await readAnomalyOrders(path);
    expect(read.stats.level).toBe("order");
    expect(read.orders).toEqual([
      { id: "A1", customerId: "c1", at: dayOf(2024, 1, 2) * DAY_MS + 10 * 3_600_000, day: dayOf(2024, 1, 2), grossMilli: 100_000, refundedMilli: 0, cancelled: false, lines: [] },
      // 20 then 40 (capped at what is left: 30): fully refunded, so cancelled.
      { id: "A2", customerId: "c1", at: dayOf(2024, 1, 3) * DAY_MS + 11.5 * 3_600_000, day: dayOf(2024, 1, 3), grossMilli: 50_000, refundedMilli: 50_000, cancelled: true, lines: [] },
      { id: "G1", customerId: null, at: dayOf(2024, 1, 5) * DAY_MS, day: dayOf(2024, 1, 5), grossMilli: 9990, refundedMilli: 0, cancelled: false, lines: [] },
    ]);
    expect(read.productNames.size).toBe(0);
  });

  it("honours the segment verb's column overrides and a named description column", async () => {
    const path = join(dir, "custom.csv");
    writeFileSync(path, ["ref,who,when,n,each,item,label", "9,x,2024-03-01 09:00,2,1.50,K1,Kettle"].join("\n"));
    const read = await readAnomalyOrders(path, { columns: { order: "ref", customer: "who", date: "when", quantity: "n", price: "each", product: "item" }, descriptionColumn: "label" });
    expect(read.orders).toHaveLength(1);
    expect(read.orders[0]).toMatchObject({ id: "9", customerId: "x", grossMilli: 3000 });
    expect(read.productNames.get("K1")).toBe("Kettle");
    await expect(readAnomalyOrders(path, { columns: { order: "ref", customer: "who", date: "when", quantity: "n", price: "each" }, descriptionColumn: "nope" })).rejects.toThrow(/"nope" \(--description-column\) is not in the header/);
  });
});

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readOut(path: string): { header: string[]; rows: Record<string, string>[] } {
  const records = parseCsv(readFileSync(path, "utf8"));
  const header = records[0]!.fields;
  return { header, rows: records.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r.fields[j]!]))) };
}

const PRODUCTS = ["RED MUG", "BLUE CERAMIC JAR", "TEA TOWEL, FLORAL", "PAPER LANTERN", "TIN SIGN", "GIFT BAG", "CANDLE", "NOTEBOOK"];

/**
 * A small store, seeded: 40 customers over 8 weeks, 300 ordinary orders of 1–3 lines (usual
 * quantities 1–12 at each product's own price), plus what the tests plant:
 *  - order 900001 (customer K7): 5,000 × BLUE CERAMIC JAR, where 1–12 is usual;
 *  - order 900002 (customer K3), returned almost in full two days later by C900003;
 *  - one row with a bad quantity (its line number is returned).
 */
function plantedStore(): { csv: string; orders: number; badLine: number } {
  const rng = createRng(7);
  const pick = (n: number): number => Math.floor(rng() * n);
  const start = civilDay(2024, 1, 1)!;
  const rows: string[] = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
  const price = (p: number): string => (1.25 + p * 0.5).toFixed(2);
  const when = (day: number, minute: number): string => `${formatDay(day)} ${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00`;
  const line = (invoice: string, p: number, quantity: number, day: number, minute: number, customer: string): string =>
    `${invoice},P${p},"${PRODUCTS[p]}",${quantity},${when(day, minute)},${price(p)},${customer},United Kingdom`;
  for (let i = 0; i < 300; i++) {
    const day = start + Math.floor((i * 56) / 300);
    const customer = `K${pick(40)}`;
    const minute = 9 * 60 + pick(8 * 60);
    const lines = 1 + pick(3);
    for (let l = 0; l < lines; l++) rows.push(line(String(800000 + i), pick(PRODUCTS.length), 1 + pick(12), day, minute, customer));
  }
  rows.push(line("900001", 1, 5000, start + 30, 10 * 60, "K7"));
  rows.push(line("900002", 3, 10, start + 40, 11 * 60, "K3"), line("900002", 4, 1, start + 40, 11 * 60, "K3"));
  rows.push(line("C900003", 3, -10, start + 42, 15 * 60, "K3"));
  const badLine = rows.length + 1;
  rows.push(`900004,P2,"${PRODUCTS[2]}",lots,${when(start + 44, 600)},2.25,K1,United Kingdom`);
  return { csv: rows.join("\n") + "\n", orders: 302, badLine };
}

describe("segmint anomalies", () => {
  let store: ReturnType<typeof plantedStore>;
  let file = "";
  beforeAll(() => {
    store = plantedStore();
    file = join(dir, "store.csv");
    writeFileSync(file, store.csv);
  });

  it("writes one row per order and per customer with the contract's columns, and flags the planted extreme order naming the product", () => {
    const out = join(dir, "orders.csv");
    const customersOut = join(dir, "customers.csv");
    const r = run(["anomalies", file, "--out", out, "--customers-out", customersOut, "--currency", "£"]);
    expect(r.code).toBe(0);
    const orders = readOut(out);
    expect(orders.header).toEqual([...ORDER_COLUMNS]);
    expect(orders.rows).toHaveLength(store.orders);
    expect(new Set(orders.rows.map((o) => o.order_id)).size).toBe(store.orders);
    for (const o of orders.rows) {
      expect(o.score).toMatch(/^[01]\.\d{6}$/);
      expect(["true", "false"]).toContain(o.flagged);
    }
    // The default budget: the ceiling of 1 % of the orders, and they are the highest scores.
    const flagged = orders.rows.filter((o) => o.flagged === "true");
    expect(flagged).toHaveLength(Math.ceil(0.01 * store.orders));
    const lowestFlagged = Math.min(...flagged.map((o) => Number(o.score)));
    expect(orders.rows.filter((o) => o.flagged === "false").every((o) => Number(o.score) <= lowestFlagged)).toBe(true);
    const extreme = orders.rows.find((o) => o.order_id === "900001")!;
    expect(extreme).toMatchObject({ customer_id: "K7", flagged: "true" });
    expect(extreme.reasons).toMatch(/5,000 × BLUE CERAMIC JAR is [\d,.]+× the most this product sold in any other line \(\d+\)/);
    // The summary lists it first with its reasons; the file's bad row is reported with its line.
    expect(r.stdout).toMatch(/Segmint anomalies: 302 orders, 40 customers, 2024-01-01 to 2024-02-25 \(line-level input\), seed 42/);
    expect(r.stdout).toMatch(/Flagged orders: 4 of 302 \(budget 1 %, score ≥ 0\.\d{4}\)/);
    expect(r.stdout).toMatch(/^ {2}900001 +K7 +[01]\.\d{4} +5,000 × BLUE CERAMIC JAR/m);
    expect(r.stdout).toMatch(/1 return: 1 attributed to an earlier order \(1 by product, 0 orders cancelled in full\)/);
    expect(r.stderr).toContain(`store.csv:${store.badLine}: skipped row: unparseable quantity`);
    expect(r.stderr).toMatch(/segmint: skipped 1 malformed rows: 1 unparseable quantity\n$/);

    const customers = readOut(customersOut);
    expect(customers.header).toEqual([...CUSTOMER_COLUMNS]);
    expect(customers.rows.map((c) => c.customer_id).sort()).toEqual([...new Set(orders.rows.map((o) => o.customer_id))].sort());
    for (const c of customers.rows) {
      expect(c.score).toMatch(/^[01]\.\d{6}$/);
      expect(["whale", "review", "normal"]).toContain(c.kind);
    }
  });

  it("carries a return's refund to the order it came from (C invoice attribution)", () => {
    const out = join(dir, "orders-budget.csv");
    // A wider budget so the returned order's reasons are in the file whatever else stands out.
    const r = run(["anomalies", file, "--out", out, "--budget", "0.05", "--max-errors", "0", "--quiet"]);
    expect(r.code).toBe(0);
    const returned = readOut(out).rows.find((o) => o.order_id === "900002")!;
    // 10 × PAPER LANTERN (2.75) + 1 × TIN SIGN (3.25): 27.50 of 30.75 returned = 89 %.
    expect(returned.reasons).toMatch(/89 % of the order was refunded/);
    expect(r.stdout).toMatch(/Flagged orders: 16 of 302 \(budget 5 %/);
  });

  it("gives the same files for the same seed, and reads gzip", () => {
    const gz = join(dir, "store.csv.gz");
    writeFileSync(gz, gzipSync(readFileSync(file)));
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    expect(run(["anomalies", file, "--out", a, "--seed", "3", "--quiet"]).code).toBe(0);
    expect(run(["anomalies", gz, "--out", b, "--seed", "3", "--quiet"]).code).toBe(0);
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
  });

  it("reports usage and input errors with their exit codes", () => {
    const out = join(dir, "never.csv");
    const usage = (args: string[], message: RegExp): void => {
      const r = run(["anomalies", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("(see segmint --help)");
    };
    usage([], /missing input file: segmint anomalies <file\.csv\|file\.csv\.gz> --out <orders\.csv>/);
    usage([file], /missing --out <orders\.csv>/);
    usage([file, "--out", out, "--budget", "2"], /--budget must be a number above 0 and at most 1/);
    usage([file, "--out", out, "--seed", "-1"], /--seed must be an integer/);
    usage([file, "--out", out, "--customers-out", out], /--customers-out must be another file than --out/);
    usage([file, "--out", out, "--as-of", "2024-01-01"], /unknown option --as-of for anomalies/);
    usage([file, "--out", out, "--quiet=yes"], /--quiet takes no value/);

    const input = (path: string, message: RegExp): void => {
      const r = run(["anomalies", path, "--out", out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(message);
    };
    input(join(dir, "missing.csv"), /input error: cannot read .*missing\.csv/);
    input(FIX("no-columns.csv"), /input error: cannot find column\(s\)/);
    const onlyReturns = join(dir, "only-returns.csv");
    writeFileSync(onlyReturns, "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\nC1,P1,-1,2024-01-01,1.00,K1\n");
    input(onlyReturns, /input error: .*only-returns\.csv: no orders \(every valid row is a return\)/);
    const help = run(["anomalies", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("segmint anomalies <file.csv | file.csv.gz> --out <orders.csv> [--customers-out <customers.csv>]");
  });
});

describe("segmint anomalies on the full Online Retail file", () => {
  it("flags the known extreme invoices 581483 and 541431, each with its reasons", () => {
    const out = join(dir, "or-orders.csv");
    const r = run(["anomalies", ONLINE_RETAIL, "--out", out, "--customers-out", join(dir, "or-customers.csv"), "--currency", "£", "--quiet"]);
    expect(r.code).toBe(0);
    const rows = readOut(out).rows;
    expect(rows).toHaveLength(20_726);
    expect(rows.filter((o) => o.flagged === "true")).toHaveLength(Math.ceil(0.01 * 20_726));
    for (const id of ["581483", "541431"]) {
      const row = rows.find((o) => o.order_id === id)!;
      expect(row.flagged).toBe("true");
      expect(row.reasons).not.toBe("");
    }
    // 74,215 jars against the most the product sold in any other line, and the cancellation
    const reasons541431 = rows.find((o) => o.order_id === "541431")!.reasons;
    expect(reasons541431).toMatch(/74,215 × MEDIUM CERAMIC TOP STORAGE JAR is [\d,]+× the most this product sold in any other line \([\d,]+\)/);
    expect(reasons541431).toMatch(/cancelled after it was placed: £77,183\.60/);
  }, 60_000);
});
