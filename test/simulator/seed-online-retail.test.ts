import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "./clock.js";
import { defaultOnlineRetailPath, seedOnlineRetail, splitCsvLine, type OnlineRetailReport } from "./seed-online-retail.js";
import { ShopifySimulator } from "./simulator.js";
import type { ShopState } from "./state.js";
import { parseUkDateTime } from "./uk-time.js";

const DOMAIN = "online-retail.myshopify.com";

/** A separate, deliberately naive counter over the raw CSV (no code shared with the seeder but the CSV splitter). */
async function countCsv(path: string): Promise<{ rows: number; customers: number; buyers: number; customerOrders: number; guestInvoices: Map<string, boolean>; cInvoices: number; customerCInvoices: number; aInvoices: number }> {
  const customers = new Set<string>();
  const buyers = new Set<string>();
  const customerOrders = new Set<string>();
  const guest = new Map<string, boolean>(); // invoice → has a positive quantity
  const c = new Set<string>();
  const cWithCustomer = new Set<string>();
  const a = new Set<string>();
  let rows = -1;
  let rest = "";
  for await (const chunk of createReadStream(path).pipe(createGunzip())) {
    const lines = (rest + String(chunk)).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      rows++;
      if (rows === 0 || !line) continue;
      const [invoice = "", , , qty = "", , , customer = ""] = splitCsvLine(line);
      if (customer) customers.add(customer);
      if (invoice.startsWith("C")) {
        c.add(invoice);
        if (customer) cWithCustomer.add(invoice);
      } else if (invoice.startsWith("A")) a.add(invoice);
      else if (customer) {
        customerOrders.add(invoice);
        buyers.add(customer);
      } else guest.set(invoice, (guest.get(invoice) ?? false) || Number(qty) > 0);
    }
  }
  if (rest) rows++;
  return { rows, customers: customers.size, buyers: buyers.size, customerOrders: customerOrders.size, guestInvoices: guest, cInvoices: c.size, customerCInvoices: cWithCustomer.size, aInvoices: a.size };
}

describe("Online Retail seeder", () => {
  let report: OnlineRetailReport;
  let shop: ShopState;
  let sim: ShopifySimulator;
  let csv: Awaited<ReturnType<typeof countCsv>>;

  beforeAll(async () => {
    csv = await countCsv(defaultOnlineRetailPath());
    sim = new ShopifySimulator({ clock: new FakeClock("2026-11-01T00:00:00Z"), bulk: { jsonlOrder: "grouped" } });
    ({ report, shop } = await seedOnlineRetail(sim));
  });

  it("reports the counts an independent count of the CSV gives", () => {
    const guestOrders = [...csv.guestInvoices.values()].filter(Boolean).length;
    const stockAdjustments = [...csv.guestInvoices.values()].filter((hasPositive) => !hasPositive).length;
    expect(csv).toMatchObject({ rows: 541_909, customers: 4372, buyers: 4339, customerOrders: 18_536, customerCInvoices: 3654, cInvoices: 3836, aInvoices: 3 });
    expect(report).toMatchObject({
      rows: csv.rows,
      customers: csv.customers,
      customersWithOrders: csv.buyers,
      customerOrders: csv.customerOrders,
      guestOrders,
      stockAdjustmentInvoices: stockAdjustments,
      cInvoices: csv.cInvoices,
      customerCInvoices: csv.customerCInvoices,
      badDebtInvoices: csv.aInvoices,
    });
    // Every customer C invoice became a refund: attached to an order, or standalone.
    expect(report.refundsAttached + report.standaloneRefunds).toBe(csv.cInvoices);
    expect(shop.refunds.size).toBe(report.refundsAttached);
    expect(shop.standaloneRefunds).toHaveLength(report.standaloneRefunds);
    expect(shop.orders.size).toBe(csv.customerOrders + guestOrders);
    expect(shop.customers.size).toBe(4372);
  });

  it("seeds fast enough for tests (≲3 s on an idle machine; generous bound for shared CI)", () => {
    console.info(`Online Retail seeded in ${report.seedMs} ms`, report);
    expect(report.seedMs).toBeLessThan(15_000);
  });

  it("serves the same counts through the Admin API (bulk export of orders and customers)", async () => {
    const run = async (query: string): Promise<Array<Record<string, unknown>>> => {
      const res = await sim.graphql(DOMAIN, "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: query });
      const id = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
      sim.runBulkOperations();
      const status = await sim.graphql(DOMAIN, "query S($id: ID!) { bulkOperation(id: $id) { url } }", { id });
      return sim.readBulkResult((status.data as { bulkOperation: { url: string } }).bulkOperation.url).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const orders = await run("{ orders { edges { node { id customer { id } } } } }");
    expect(orders.filter((o) => o.customer !== null)).toHaveLength(18_536);
    expect(orders.filter((o) => o.customer === null)).toHaveLength(report.guestOrders);
    const customers = await run("{ customers { edges { node { id numberOfOrders } } } }");
    expect(customers).toHaveLength(4372);
    expect(customers.filter((c) => c.numberOfOrders !== "0")).toHaveLength(4339);
  });

  it("maps InvoiceDate as Europe/London wall time (GMT in winter, BST in summer)", async () => {
    const res = await sim.graphql(DOMAIN, "{ a: orders(first: 1, query: \"name:#536365\") { nodes { processedAt } } b: orders(first: 1, query: \"name:#557000\") { nodes { processedAt name } } }");
    const data = res.data as { a: { nodes: Array<{ processedAt: string }> }; b: { nodes: Array<{ processedAt: string }> } };
    expect(data.a.nodes[0]?.processedAt).toBe("2010-12-01T08:26:00Z"); // 08:26 GMT
    expect(parseUkDateTime("2011-06-15 10:00:00")).toBe(Date.parse("2011-06-15T09:00:00Z")); // BST = UTC+1
    expect(parseUkDateTime("2011-03-27 00:59:00")).toBe(Date.parse("2011-03-27T00:59:00Z"));
    expect(parseUkDateTime("2011-03-27 02:30:00")).toBe(Date.parse("2011-03-27T01:30:00Z"));
    expect(parseUkDateTime("2011-10-30 02:30:00")).toBe(Date.parse("2011-10-30T02:30:00Z"));
  });

  it("cancels the extreme outlier 581483 with C581484 (refund + cancellation), visible over GraphQL", async () => {
    const res = await sim.graphql(DOMAIN, "{ orders(first: 1, query: \"name:#581483\") { nodes { cancelledAt displayFinancialStatus currentTotalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { quantity currentQuantity } } refunds(first: 5) { note totalRefundedSet { shopMoney { amount } } } } } }");
    const order = (res.data as { orders: { nodes: Array<Record<string, unknown>> } }).orders.nodes[0];
    expect(order).toMatchObject({
      displayFinancialStatus: "REFUNDED",
      currentTotalPriceSet: { shopMoney: { amount: "0.00" } },
      lineItems: { nodes: [{ quantity: 80_995, currentQuantity: 0 }] },
      refunds: [{ note: "Cancellation invoice C581484", totalRefundedSet: { shopMoney: { amount: "168469.60" } } }],
    });
    expect(order?.cancelledAt).toBe("2011-12-09T09:27:00Z");
  });
});
