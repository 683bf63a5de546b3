import { describe, expect, it, beforeAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { civilDay } from "../../app/analytics";
import { readAnomalyOrders, timeOfDayMs } from "../../cli/csv/anomaly-orders";

const FIX = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
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
