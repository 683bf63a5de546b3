// The seeder reads any CSV in the Online Retail or Online Retail II layout, plain or gzipped; it
// gives customers merchant tags by their CSV id and dates the shop's "today" after the data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { FakeClock, OffsetClock } from "../../simulator/clock";
import { ID_BASE } from "../../simulator/ids";
import { detectCsvColumns, merchantTags, seedOnlineRetail } from "../../simulator/seed-online-retail";
import { ShopifySimulator } from "../../simulator/simulator";

const FIXTURE = fileURLToPath(new URL("./fixtures/online-retail-ii-small.csv", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "segmint-seed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function simulator(start = "2026-11-01T00:00:00Z"): ShopifySimulator {
  return new ShopifySimulator({ clock: new FakeClock(start) });
}

describe("merchant tags by CSV customer id", () => {
  it("÷7 → wholesale, ÷97 → m-1…m-250, both → wholesale + m-1…m-249 (250, the cap), others none", () => {
    expect(merchantTags(14)).toEqual(["wholesale"]);
    expect(merchantTags(13085)).toEqual([]);
    const capped = merchantTags(97);
    expect(capped).toHaveLength(250);
    expect(capped[0]).toBe("m-1");
    expect(capped[249]).toBe("m-250");
    const both = merchantTags(679);
    expect(both).toHaveLength(250);
    expect(both[0]).toBe("wholesale");
    expect(both.at(-1)).toBe("m-249");
    expect(new Set(both).size).toBe(250);
  });
});

describe("Online Retail II layout", () => {
  it("finds the columns by header name in both layouts and names what is missing", () => {
    expect(detectCsvColumns("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country")).toMatchObject({ layout: "online-retail", price: 5, customer: 6 });
    expect(detectCsvColumns("\uFEFFInvoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country")).toMatchObject({ layout: "online-retail-ii", invoice: 0, price: 5, customer: 6 });
    expect(() => detectCsvColumns("Invoice,StockCode,Quantity,InvoiceDate,Price,Country")).toThrow(/no description, customer column: expected the Online Retail header .* or the Online Retail II header/);
  });

  for (const variant of ["plain", "gzip"] as const) {
    it(`seeds a ${variant} CSV: spreadsheet ids, quoted commas, UK wall time, C invoices, guests, tags and today`, async () => {
      const path = variant === "plain" ? FIXTURE : join(dir, "ii.csv.gz");
      if (variant === "gzip") writeFileSync(path, gzipSync(readFileSync(FIXTURE)));
      const sim = simulator();
      const { shop, report } = await seedOnlineRetail(sim, { csvPath: path, domain: "retail-ii.myshopify.com" });
      expect(report).toMatchObject({ layout: "online-retail-ii", rows: 7, customers: 4, customerOrders: 4, guestOrders: 1, cInvoices: 1, refundsAttached: 1, cancelledOrders: 1, wholesaleCustomers: 2, cappedTagCustomers: 2, today: "2010-12-10" });
      expect(report.lastInvoiceAt).toBe(Date.parse("2010-12-09T20:01:00Z"));
      expect(report.todayAt).toBe(Date.parse("2010-12-10T00:00:00Z"));
      const customer = (csvId: number) => shop.requireCustomer(ID_BASE.Customer + csvId);
      expect(customer(13085)).toMatchObject({ sourceId: "13085", tags: [] });
      expect(customer(14).tags).toEqual(["wholesale"]);
      expect(customer(97).tags).toHaveLength(250);
      expect(customer(679).tags).toEqual(merchantTags(679));
      const order = shop.requireOrder(ID_BASE.Order + 489434);
      expect(order.lineItems.map((l) => l.title)).toEqual(["15CM CHRISTMAS GLASS BALL, 20 LIGHTS", "PINK CHERRY LIGHTS"]);
      expect(order.processedAt).toBe(Date.parse("2009-12-01T07:45:00Z")); // GMT
      expect(shop.requireOrder(ID_BASE.Order + 489437).processedAt).toBe(Date.parse("2010-06-15T09:00:00Z")); // BST
      expect(shop.requireOrder(ID_BASE.Order + 489437).cancelledAt).not.toBeNull(); // fully refunded by C489438
      // The clock was not asked to move.
      expect(sim.clock.now()).toBe(Date.parse("2026-11-01T00:00:00Z"));
    });
  }

  it("moves a settable clock to the shop's today (FakeClock in tests, OffsetClock in server mode)", async () => {
    const sim = simulator();
    await seedOnlineRetail(sim, { csvPath: FIXTURE, moveClock: true });
    expect(sim.clock.now()).toBe(Date.parse("2010-12-10T00:00:00Z"));
    const offset = new OffsetClock();
    const live = new ShopifySimulator({ clock: offset });
    const { report } = await seedOnlineRetail(live, { csvPath: FIXTURE, moveClock: true });
    expect(Math.abs(offset.now() - report.todayAt)).toBeLessThan(60_000);
    await expect(seedOnlineRetail(new ShopifySimulator(), { csvPath: FIXTURE, moveClock: true })).rejects.toThrow(/settable clock/);
  });

  it("reads the Online Retail layout with the spreadsheet's M/D/YYYY H:MM dates", async () => {
    const path = join(dir, "slash.csv");
    writeFileSync(path, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\r\n581587,22633,HAND WARMER UNION JACK,6,12/9/2011 12:50,1.85,17850,France\r\n");
    const { shop, report } = await seedOnlineRetail(simulator(), { csvPath: path });
    expect(report).toMatchObject({ layout: "online-retail", customers: 1, customerOrders: 2, today: "2011-12-10" });
    expect(shop.requireOrder(ID_BASE.Order + 536365).processedAt).toBe(Date.parse("2010-12-01T08:26:00Z"));
  });

  it("refuses a file that is not in either layout or has ids that are not whole numbers, naming the problem", async () => {
    const wrong = join(dir, "wrong.csv");
    writeFileSync(wrong, "order_id,customer,amount\n1,a,3\n");
    await expect(seedOnlineRetail(simulator(), { csvPath: wrong })).rejects.toThrow(/CSV header has no invoice, stock, description, quantity, date, price, customer, country column/);
    const badId = join(dir, "bad-id.csv");
    writeFileSync(badId, "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n1,A,x,1,2010-01-01 10:00:00,1.00,12.5,UK\n");
    await expect(seedOnlineRetail(simulator(), { csvPath: badId })).rejects.toThrow(/line 2: Customer ID "12.5" is not a whole number/);
  });
});
