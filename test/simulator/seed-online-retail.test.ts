import { createReadStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../simulator/clock";
import { defaultOnlineRetailPath, seedOnlineRetail, splitCsvLine, type OnlineRetailReport } from "../../simulator/seed-online-retail";
import { ShopifySimulator } from "../../simulator/simulator";
import type { ShopState } from "../../simulator/state";
import { parseUkDateTime } from "../../simulator/uk-time";

const DOMAIN = "online-retail.myshopify.com";

interface CsvCounts {
  rows: number;
  customers: number;
  buyers: number;
  customerOrders: number;
  guestInvoices: Map<string, boolean>;
  cInvoices: number;
  customerCInvoices: number;
  /** Customer C invoices with no purchase invoice of that customer at or before them. */
  cInvoicesWithoutEarlierOrder: number;
  aInvoices: number;
  /** Rows of every C invoice: StockCode, Quantity, UnitPrice as written. */
  cRows: Map<string, Array<{ stock: string; quantity: number; price: string }>>;
  /** Distinct StockCodes of every invoice but the A (bad debt) ones. */
  stockCodes: Set<string>;
}

/** The non-product codes (postage, fees, manual lines…): Shopify keeps them as custom line items. */
const SERVICE_CODES = new Set(["POST", "DOT", "M", "m", "BANK CHARGES", "D", "S", "C2", "CRUK", "PADS", "AMAZONFEE", "B"]);
const isServiceCode = (code: string) => SERVICE_CODES.has(code.trim()) || code.trim().startsWith("gift_0001_");

/** A separate, deliberately naive counter over the raw CSV (no code shared with the seeder but the CSV splitter). */
async function countCsv(path: string): Promise<CsvCounts> {
  const customers = new Set<string>();
  const firstPurchase = new Map<string, string>(); // customer → earliest purchase InvoiceDate ("YYYY-MM-DD HH:MM:SS" sorts as text)
  const cInvoiceDates = new Map<string, { customer: string; date: string }>();
  const cRows = new Map<string, Array<{ stock: string; quantity: number; price: string }>>();
  const buyers = new Set<string>();
  const customerOrders = new Set<string>();
  const guest = new Map<string, boolean>(); // invoice → has a positive quantity
  const c = new Set<string>();
  const cWithCustomer = new Set<string>();
  const a = new Set<string>();
  const stockCodes = new Set<string>();
  let rows = -1;
  let rest = "";
  for await (const chunk of createReadStream(path).pipe(createGunzip())) {
    const lines = (rest + String(chunk)).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      rows++;
      if (rows === 0 || !line) continue;
      const [invoice = "", stock = "", , qty = "", date = "", price = "", customer = ""] = splitCsvLine(line);
      if (customer) customers.add(customer);
      if (!invoice.startsWith("A")) stockCodes.add(stock);
      if (invoice.startsWith("C")) {
        c.add(invoice);
        cRows.set(invoice, [...(cRows.get(invoice) ?? []), { stock, quantity: Number(qty), price }]);
        if (customer) {
          cWithCustomer.add(invoice);
          cInvoiceDates.set(invoice, { customer, date });
        }
      } else if (invoice.startsWith("A")) a.add(invoice);
      else if (customer) {
        customerOrders.add(invoice);
        buyers.add(customer);
        const first = firstPurchase.get(customer);
        if (first === undefined || date < first) firstPurchase.set(customer, date);
      } else guest.set(invoice, (guest.get(invoice) ?? false) || Number(qty) > 0);
    }
  }
  if (rest) rows++;
  const withoutEarlier = [...cInvoiceDates.values()].filter(({ customer, date }) => {
    const first = firstPurchase.get(customer);
    return first === undefined || first > date;
  }).length;
  return {
    rows,
    customers: customers.size,
    buyers: buyers.size,
    customerOrders: customerOrders.size,
    guestInvoices: guest,
    cInvoices: c.size,
    customerCInvoices: cWithCustomer.size,
    cInvoicesWithoutEarlierOrder: withoutEarlier,
    aInvoices: a.size,
    cRows,
    stockCodes,
  };
}

describe("Online Retail seeder", () => {
  let report: OnlineRetailReport;
  let shop: ShopState;
  let sim: ShopifySimulator;
  let csv: CsvCounts;

  beforeAll(async () => {
    csv = await countCsv(defaultOnlineRetailPath());
    sim = new ShopifySimulator({ clock: new FakeClock("2026-11-01T00:00:00Z"), bulk: { jsonlOrder: "grouped" } });
    ({ report, shop } = await seedOnlineRetail(sim));
  });

  it("reports the counts an independent count of the CSV gives", () => {
    const guestOrders = [...csv.guestInvoices.values()].filter(Boolean).length;
    const stockAdjustments = [...csv.guestInvoices.values()].filter((hasPositive) => !hasPositive).length;
    expect(csv).toMatchObject({ rows: 541_909, customers: 4372, buyers: 4339, customerOrders: 18_536, customerCInvoices: 3654, cInvoicesWithoutEarlierOrder: 200, cInvoices: 3836, aInvoices: 3 });
    expect(report).toMatchObject({
      rows: csv.rows,
      customers: csv.customers,
      customersWithOrders: csv.buyers,
      customerOrders: csv.customerOrders,
      guestOrders,
      cancellationRecordOrders: csv.cInvoicesWithoutEarlierOrder,
      stockAdjustmentInvoices: stockAdjustments,
      cInvoices: csv.cInvoices,
      customerCInvoices: csv.customerCInvoices,
      guestCInvoices: csv.cInvoices - csv.customerCInvoices,
      badDebtInvoices: csv.aInvoices,
    });
    expect(report).toMatchObject({ refundsAttached: 3454, refundsMatchedByStockCode: 3134, cancelledOrders: 153, lineItems: 531_689, cancellationRecordLineItems: 407 });
    expect(report.lineItems - report.cancellationRecordLineItems).toBe(531_282); // lines of placed orders
    // Every customer C invoice is a refund visible over GraphQL: attached to an earlier placed
    // order, or the refund of its cancellation record order. Only guest C invoices stay standalone.
    expect(report.customerCInvoiceRefunds).toBe(csv.customerCInvoices);
    expect(report.refundsAttached + report.cancellationRecordOrders).toBe(csv.customerCInvoices);
    expect(report.standaloneRefunds).toBe(csv.cInvoices - csv.customerCInvoices);
    expect(shop.refunds.size).toBe(csv.customerCInvoices);
    expect(shop.standaloneRefunds).toHaveLength(report.standaloneRefunds);
    expect(shop.orders.size).toBe(csv.customerOrders + guestOrders + csv.cInvoicesWithoutEarlierOrder);
    expect(shop.customers.size).toBe(4372);
  });

  it("gives merchant tags by CSV customer id: ÷7 wholesale, ÷97 250 tags m-1…m-250 (÷679: wholesale + m-1…m-249)", () => {
    let wholesale = 0;
    let capped = 0;
    for (const customer of shop.customers.values()) {
      const csvId = Number(customer.sourceId);
      expect(customer.id).toBe(7_000_000_000_000 + csvId);
      const expected = (csvId % 7 === 0 ? ["wholesale"] : []).concat(csvId % 97 === 0 ? Array.from({ length: csvId % 7 === 0 ? 249 : 250 }, (_, i) => `m-${i + 1}`) : []);
      expect(customer.tags).toEqual(expected);
      if (csvId % 7 === 0) wholesale++;
      if (customer.tags.length === 250) capped++;
    }
    expect({ wholesale, capped }).toEqual({ wholesale: report.wholesaleCustomers, capped: report.cappedTagCustomers });
    expect(wholesale).toBeGreaterThan(500);
    expect(capped).toBeGreaterThan(30);
    expect(report).toMatchObject({ layout: "online-retail", today: "2011-12-10", lastInvoiceAt: Date.parse("2011-12-09T12:50:00Z") });
  });

  it("answers Shopify's own RFM group for every customer (all 4,372 have orders: the 10 purchase groups, no PROSPECTS)", async () => {
    const res = await sim.graphql(DOMAIN, "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: "{ customers { edges { node { id statistics { rfmGroup } } } } }" });
    const id = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
    sim.runBulkOperations();
    const url = ((await sim.graphql(DOMAIN, "query S($id: ID!) { bulkOperation(id: $id) { url } }", { id })).data as { bulkOperation: { url: string } }).bulkOperation.url;
    const lines = sim.readBulkResult(url).trimEnd().split("\n").map((l) => JSON.parse(l) as { statistics: { rfmGroup: string | null } });
    expect(lines).toHaveLength(4372);
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(String(line.statistics.rfmGroup), (counts.get(String(line.statistics.rfmGroup)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(["ACTIVE", "ALMOST_LOST", "AT_RISK", "CHAMPIONS", "DORMANT", "LOYAL", "NEEDS_ATTENTION", "NEW", "PREVIOUSLY_LOYAL", "PROMISING"]);
    // NTILE fifths of recency (875, 875, 874, 874, 874): the two least recent (R 1–2) are exactly
    // the customers "without recent purchases" (AT_RISK, PREVIOUSLY_LOYAL, ALMOST_LOST, DORMANT).
    const lapsed = ["AT_RISK", "PREVIOUSLY_LOYAL", "ALMOST_LOST", "DORMANT"].reduce((n, g) => n + (counts.get(g) ?? 0), 0);
    expect(lapsed).toBe(875 + 875);
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
    type OrderLine = { id: string; name: string; tags: string[]; customer: { id: string } | null; refunds: unknown[]; processedAt: string; cancelledAt: string | null; currentSubtotalLineItemsQuantity: number };
    const orders = (await run("{ orders { edges { node { id name tags customer { id } refunds { id } processedAt cancelledAt currentSubtotalLineItemsQuantity } } } }")) as unknown as OrderLine[];
    const records = orders.filter((o) => o.tags.includes("cancellation-record"));
    const placed = orders.filter((o) => !o.tags.includes("cancellation-record"));
    expect(placed.filter((o) => o.customer !== null)).toHaveLength(18_536);
    expect(placed.filter((o) => o.customer === null)).toHaveLength(report.guestOrders);
    expect(new Set(placed.filter((o) => o.customer !== null).map((o) => o.customer?.id)).size).toBe(4339);
    // 200 cancellation records: customer orders named C<number>, cancelled at placement, one refund, every unit refunded.
    expect(records).toHaveLength(200);
    for (const o of records) {
      expect(o.name).toMatch(/^C\d+$/);
      expect(o.customer).not.toBeNull();
      expect(o.cancelledAt).toBe(o.processedAt);
      expect(o.refunds).toHaveLength(1);
      expect(o.currentSubtotalLineItemsQuantity).toBe(0);
    }
    // Refunds visible through GraphQL for customer C invoices.
    expect(orders.reduce((n, o) => n + o.refunds.length, 0)).toBe(3654);
    const customers = await run("{ customers { edges { node { id numberOfOrders } } } }");
    expect(customers).toHaveLength(4372);
    expect(customers.filter((c) => c.numberOfOrders !== "0")).toHaveLength(4372); // Shopify counts the cancellation records too
  });

  it("exports a sample of the store byte for byte like graphql-js with the fast bulk executor", async () => {
    const query = `{ orders(query: "created_at:<2010-12-08", sortKey: CREATED_AT) { edges { node {
      id name tags createdAt updatedAt processedAt cancelledAt cancelReason test currencyCode displayFinancialStatus
      currentTotalPriceSet { shopMoney { amount currencyCode } } totalPriceSet { shopMoney { amount currencyCode } }
      customer { id } refunds { id createdAt note totalRefundedSet { shopMoney { amount currencyCode } } }
      lineItems { edges { node { id quantity currentQuantity sku product { id } variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } } } } } } } }`;
    const exportWith = async (target: ShopifySimulator): Promise<string> => {
      const res = await target.graphql(DOMAIN, "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: query });
      const id = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
      target.runBulkOperations();
      const status = await target.graphql(DOMAIN, "query S($id: ID!) { bulkOperation(id: $id) { url } }", { id });
      return target.readBulkResult((status.data as { bulkOperation: { url: string } }).bulkOperation.url);
    };
    // Same shop state, the other executor (grouped order: both sequences must be identical).
    const reference = new ShopifySimulator({ clock: new FakeClock("2026-11-01T00:00:00Z"), bulk: { jsonlOrder: "grouped", executor: "graphql-js" } });
    reference.adoptShop(shop);
    const expected = await exportWith(reference);
    const lines = expected.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(10_000);
    expect(expected).toContain("cancellation-record");
    expect(await exportWith(sim)).toBe(expected);
  });

  it("makes the service codes custom line items (no product, title and SKU kept) and every other StockCode a product without an image", () => {
    const goods = [...csv.stockCodes].filter((c) => !isServiceCode(c));
    expect(report.products).toBe(goods.length);
    expect(shop.products.size).toBe(goods.length);
    expect(new Set([...shop.products.values()].map((p) => p.variants[0]?.sku))).toEqual(new Set(goods));
    expect([...shop.products.values()].filter((p) => p.imageUrl !== null)).toEqual([]);
    let custom = 0;
    const wrong: string[] = [];
    for (const order of shop.orders.values()) {
      for (const line of order.lineItems) {
        const service = line.sku !== null && isServiceCode(line.sku);
        if (service !== (line.productId === null) || (service && (line.variantId !== null || line.title === ""))) wrong.push(`${order.name} ${line.sku}`);
        if (line.productId === null) custom++;
      }
    }
    expect(wrong).toEqual([]);
    expect(custom).toBe(report.customLineItems);
    expect(custom).toBeGreaterThan(2000); // POST alone is on ~1,100 lines
  });

  it("finds the dataset only at <repo>/../shared/data (no machine-specific fallback)", () => {
    const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
    expect(defaultOnlineRetailPath()).toBe(join(repoRoot, "..", "shared", "data", "online_retail.csv.gz"));
  });

  it("represents a customer C invoice with no earlier order as an order cancelled at placement, every unit refunded", async () => {
    // Bulk (no cost limit): order lines, then their line items with __parentId (grouped output).
    const res = await sim.graphql(DOMAIN, "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", {
      q: `{ orders(query: "tag:cancellation-record", sortKey: PROCESSED_AT) { edges { node {
        id name tags processedAt createdAt cancelledAt cancelReason displayFinancialStatus customer { id }
        totalPriceSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } }
        refunds { id createdAt note totalRefundedSet { shopMoney { amount } } }
        lineItems { edges { node { sku quantity currentQuantity originalUnitPriceSet { shopMoney { amount } } } } } } } } }`,
    });
    const id = (res.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
    sim.runBulkOperations();
    const url = ((await sim.graphql(DOMAIN, "query S($id: ID!) { bulkOperation(id: $id) { url } }", { id })).data as { bulkOperation: { url: string } }).bulkOperation.url;
    type Line = { sku: string; quantity: number; currentQuantity: number; originalUnitPriceSet: { shopMoney: { amount: string } }; __parentId: string };
    type Rec = { id: string; name: string; processedAt: string; customer: { id: string } | null; totalPriceSet: unknown; refunds: unknown[]; lineItems: { nodes: Line[] } };
    const parsed = sim.readBulkResult(url).trimEnd().split("\n").map((l) => JSON.parse(l) as Rec & Line);
    const records: Rec[] = parsed.filter((o) => !o.__parentId).map((o) => ({ ...o, lineItems: { nodes: [] } }));
    const byId = new Map(records.map((o) => [o.id, o]));
    for (const line of parsed.filter((o) => o.__parentId)) byId.get(line.__parentId)?.lineItems.nodes.push(line);
    expect(records).toHaveLength(200);
    for (const order of records) {
      const rows = csv.cRows.get(order.name) ?? [];
      expect(rows.length).toBeGreaterThan(0);
      expect(order).toMatchObject({ tags: ["cancellation-record"], createdAt: order.processedAt, cancelledAt: order.processedAt, cancelReason: "CUSTOMER", displayFinancialStatus: "REFUNDED", currentTotalPriceSet: { shopMoney: { amount: "0.00" } } });
      expect(order.customer).not.toBeNull();
      expect(order.lineItems.nodes.map((l) => [l.sku, l.quantity, l.currentQuantity, Number(l.originalUnitPriceSet.shopMoney.amount)])).toEqual(rows.map((r) => [r.stock, -r.quantity, 0, Math.round(Number(r.price) * 100) / 100]));
      expect(order.refunds).toEqual([{ id: `gid://shopify/Refund/${9_000_000_000_000 + Number(order.name.slice(1))}`, createdAt: order.processedAt, note: `Cancellation invoice ${order.name}`, totalRefundedSet: order.totalPriceSet }]);
    }
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
