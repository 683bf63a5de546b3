// Builds a shop from the UCI "Online Retail" dataset (../shared/data/online_retail.csv.gz) or any
// CSV in the Online Retail or Online Retail II layout, plain or gzipped (columns found by header
// name). Mapping and rules (docs/simulator.md has the full rationale):
//   InvoiceNo (digits)  → order #InvoiceNo, id 5e12+InvoiceNo, processedAt = InvoiceDate as
//                          Europe/London wall time; one line item per CSV row (duplicates kept)
//   CustomerID          → customer id 7e12+CustomerID (empty → guest order, customer null);
//                          createdAt = first row of that customer (purchase or cancellation)
//   StockCode           → one product with one variant (sku = StockCode, title = first
//                          non-empty trimmed Description, price = first positive UnitPrice), no
//                          image (the data has none); the service codes (postage, fees, manual
//                          lines, bank charges, gift vouchers: NON_PRODUCT_CODES) are not products
//                          but custom line items (no product or variant, title and SKU kept)
//   C… invoices         → one refund per invoice, attached to the customer's most recent placed
//                          order processed at or before it that contains one of its StockCodes
//                          (else the most recent earlier placed order); matched rows become refund
//                          line items (capped at what is still refundable), the rest an order
//                          adjustment; an order left with nothing refundable is also cancelled.
//                          A customer's C invoice with no earlier placed order (its original order
//                          predates the data window) → a CANCELLATION RECORD ORDER "C<number>"
//                          (tag cancellation-record): the invoice's rows at |Quantity|, processed,
//                          fully refunded (one refund) and cancelled at the C invoice's instant.
//                          Shopify has no order-less refunds; this keeps every customer C invoice
//                          visible over GraphQL. Guest C invoices → standalone refund records
//                          (shop.standaloneRefunds, never shown by GraphQL).
//   A… invoices         → "Adjust bad debt" accounting entries: not orders, counted only.
//   non-C invoices with only negative quantities (no customer) → stock adjustments: skipped.
//   Merchant tags by CSV customer id (merchantTags): ÷7 → "wholesale"; ÷97 → m-1…m-250 (the cap).
//   The shop's "today" is the day after the data's last InvoiceDate (report.today); with
//   { moveClock: true } the simulator's clock is set to its start.
import { closeSync, createReadStream, existsSync, openSync, readSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { isSettableClock, type Clock } from "./clock";
import { ID_BASE } from "./ids";
import { toCents } from "./money";
import { refundableQuantity, ShopState, slugify, type OrderRecord, type RefundRecord } from "./state";
import { parseUkDataDateTime, ukCivilDate, ukWallTimeToUtc } from "./uk-time";
import type { ShopifySimulator } from "./simulator";

export interface OnlineRetailReport {
  rows: number;
  invoices: number;
  customers: number;
  customersWithOrders: number;
  /** Orders placed by customers (InvoiceNo digits), cancellation records excluded. */
  customerOrders: number;
  guestOrders: number;
  /** Orders "C<number>" for customer C invoices with no earlier placed order (tag cancellation-record). */
  cancellationRecordOrders: number;
  cInvoices: number;
  customerCInvoices: number;
  guestCInvoices: number;
  /** Refunds of customer C invoices attached to an earlier placed order. */
  refundsAttached: number;
  /** Customer C invoices whose target order contained at least one of the cancelled StockCodes. */
  refundsMatchedByStockCode: number;
  /** Refunds visible through GraphQL for customer C invoices: refundsAttached + one per cancellation record. */
  customerCInvoiceRefunds: number;
  /** Guest C invoices (not in Shopify: shop.standaloneRefunds). */
  standaloneRefunds: number;
  cancelledOrders: number;
  stockAdjustmentInvoices: number;
  badDebtInvoices: number;
  products: number;
  /** Every line item of the shop (what a backfill stores), cancellation records' included. */
  lineItems: number;
  /** Of which on cancellation record orders. */
  cancellationRecordLineItems: number;
  /** Of which custom line items: the service codes' lines (postage, fees…), with no product. */
  customLineItems: number;
  /** Which header layout the CSV had. */
  layout: CsvLayout;
  /** The data's last InvoiceDate (UTC ms). */
  lastInvoiceAt: number;
  /** The shop's "today": the day after the last InvoiceDate, as YYYY-MM-DD (Europe/London). */
  today: string;
  /** Start of `today` in Europe/London (UTC ms): where moveClock sets the simulator's clock. */
  todayAt: number;
  /** Customers given merchant tags: "wholesale" (id ÷ 7) and m-1…m-250 (id ÷ 97, at the cap). */
  wholesaleCustomers: number;
  cappedTagCustomers: number;
  seedMs: number;
}

export type CsvLayout = "online-retail" | "online-retail-ii";

/** Tag of the orders that represent a C invoice whose original order predates the data. */
export const CANCELLATION_RECORD_TAG = "cancellation-record";

export interface SeedOptions {
  /** A CSV in the Online Retail or Online Retail II layout, plain or gzipped. */
  csvPath?: string;
  domain?: string;
  name?: string;
  /**
   * Set the simulator's clock to the start of the shop's "today" (the day after the data's last
   * InvoiceDate) before the shop is built. Needs a settable clock (FakeClock, OffsetClock).
   */
  moveClock?: boolean;
}

/**
 * Online Retail's StockCodes that are not goods (postage, carriage, manual lines, bank and Amazon
 * fees, discounts, samples, CRUK commission, pads, adjustments, gift vouchers): a Shopify store
 * records these as shipping lines or custom line items, not products, so the seeder makes them
 * custom line items. Compared on the trimmed code, case as in the data ("M" and "m" both occur).
 */
const NON_PRODUCT_CODES = new Set(["POST", "DOT", "M", "m", "BANK CHARGES", "D", "S", "C2", "CRUK", "PADS", "AMAZONFEE", "B"]);

export function isServiceStockCode(stockCode: string): boolean {
  const code = stockCode.trim();
  return NON_PRODUCT_CODES.has(code) || code.startsWith("gift_0001_");
}

/** Shopify's cap on tags per resource (reference §4.1); mutations.ts enforces it. */
const TAG_CAP = 250;

/**
 * The merchant's own tags of a seeded customer, by its CSV customer id (deterministic):
 * divisible by 7 → "wholesale"; divisible by 97 → "m-1" … "m-250", a customer at Shopify's 250-tag
 * cap. Divisible by both (679, 1358, …): "wholesale" plus "m-1" … "m-249" — still exactly 250
 * tags, so the cap holds and the customer is also a wholesale one.
 */
export function merchantTags(csvCustomerId: number): string[] {
  const wholesale = csvCustomerId % 7 === 0;
  if (csvCustomerId % 97 !== 0) return wholesale ? ["wholesale"] : [];
  const count = wholesale ? TAG_CAP - 1 : TAG_CAP;
  const tags = Array.from({ length: count }, (_, i) => `m-${i + 1}`);
  return wholesale ? ["wholesale", ...tags] : tags;
}

/**
 * `<repo>/../shared/data/online_retail.csv.gz`: CI clones the repository with `shared/` beside
 * it, and that is the only place looked at (no machine-specific fallback). Throws, naming the
 * path, when the file is not there.
 */
export function defaultOnlineRetailPath(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const path = join(repoRoot, "..", "shared", "data", "online_retail.csv.gz");
  if (!existsSync(path)) {
    throw new Error(`Online Retail dataset not found at ${path} (expected <repo>/../shared/data/online_retail.csv.gz, the UCI "Online Retail" CSV, gzipped); pass { csvPath } to seed from elsewhere.`);
  }
  return path;
}

interface Row {
  stock: string;
  description: string;
  quantity: number;
  priceCents: number;
}

interface Invoice {
  no: string;
  at: number;
  customer: number | null;
  country: string;
  rows: Row[];
}

/** Splits one CSV record (RFC 4180 quoting; the dataset has no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** True when the file starts with the gzip magic bytes (the extension is not trusted). */
function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Streams the file (gunzipped when it is gzip) and splits lines by hand (faster than readline; never one 45 MB string). */
async function* csvLines(path: string): AsyncGenerator<string> {
  let rest = "";
  const raw = createReadStream(path);
  for await (const chunk of isGzip(path) ? raw.pipe(createGunzip()) : raw) {
    const text = rest + (chunk as Buffer).toString("utf8");
    let start = 0;
    let index: number;
    while ((index = text.indexOf("\n", start)) !== -1) {
      yield text.charCodeAt(index - 1) === 13 ? text.slice(start, index - 1) : text.slice(start, index);
      start = index + 1;
    }
    rest = text.slice(start);
  }
  if (rest) yield rest;
}

interface Columns {
  layout: CsvLayout;
  invoice: number;
  stock: number;
  description: number;
  quantity: number;
  date: number;
  price: number;
  customer: number;
  country: number;
}

/** Online Retail: InvoiceNo … UnitPrice, CustomerID; Online Retail II: Invoice … Price, Customer ID. */
const LAYOUT_HINT = "expected the Online Retail header (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country) or the Online Retail II header (Invoice, StockCode, Description, Quantity, InvoiceDate, Price, Customer ID, Country)";

/** Finds the columns by header name (case, spaces and underscores ignored), in either layout. */
export function detectCsvColumns(headerLine: string): Columns {
  const names = splitCsvLine(headerLine.replace(/^\uFEFF/, "")).map((h) => h.toLowerCase().replace(/[^a-z0-9]/g, ""));
  const find = (...candidates: string[]): number => {
    for (const c of candidates) {
      const i = names.indexOf(c);
      if (i >= 0) return i;
    }
    return -1;
  };
  const columns = {
    invoice: find("invoiceno", "invoice"),
    stock: find("stockcode"),
    description: find("description"),
    quantity: find("quantity"),
    date: find("invoicedate"),
    price: find("unitprice", "price"),
    customer: find("customerid"),
    country: find("country"),
  };
  const missing = Object.entries(columns).filter(([, i]) => i < 0).map(([role]) => role);
  if (missing.length) throw new Error(`CSV header has no ${missing.join(", ")} column: ${LAYOUT_HINT}; got "${headerLine.slice(0, 200)}"`);
  return { layout: names.includes("invoiceno") ? "online-retail" : "online-retail-ii", ...columns };
}

/** CSV customer id: digits, or a spreadsheet float like "13085.0" (Online Retail II exports). */
function parseCustomerId(text: string, line: number): number | null {
  if (!text) return null;
  const value = Number(text);
  // Seeded ids are 7e12 + id; generated ids start 1e9 above the base, so CSV ids stay below that.
  if (!Number.isInteger(value) || value < 1 || value >= 1_000_000_000) throw new Error(`line ${line}: Customer ID "${text}" is not a whole number between 1 and 999,999,999`);
  return value;
}

async function readInvoices(csvPath: string): Promise<{ invoices: Map<string, Invoice>; rows: number; layout: CsvLayout }> {
  const invoices = new Map<string, Invoice>();
  let columns: Columns | null = null;
  let rows = 0;
  let lastDateText = "";
  let lastDate = 0;
  let current: Invoice | undefined;
  for await (const line of csvLines(csvPath)) {
    if (!columns) {
      columns = detectCsvColumns(line);
      continue;
    }
    if (!line) continue;
    const f = splitCsvLine(line);
    rows++;
    const no = f[columns.invoice] as string;
    if (!/^[AC]?\d{1,9}$/.test(no)) throw new Error(`line ${rows + 1}: invoice "${no}" is not a number (optionally prefixed C or A)`);
    // Rows of one invoice are contiguous in the file; the Map covers the exceptions.
    let invoice = current && current.no === no ? current : invoices.get(no);
    if (!invoice) {
      const dateText = f[columns.date] as string;
      if (dateText !== lastDateText) {
        lastDateText = dateText;
        lastDate = parseUkDataDateTime(dateText);
      }
      invoice = { no, at: lastDate, customer: parseCustomerId(f[columns.customer] as string, rows + 1), country: f[columns.country] as string, rows: [] };
      invoices.set(no, invoice);
    }
    current = invoice;
    invoice.rows.push({ stock: f[columns.stock] as string, description: (f[columns.description] as string).trim(), quantity: Number(f[columns.quantity]), priceCents: toCents(f[columns.price] as string) });
  }
  if (!columns) throw new Error(`${csvPath} is empty: ${LAYOUT_HINT}`);
  if (invoices.size === 0) throw new Error(`${csvPath} has a header but no rows`);
  return { invoices, rows, layout: columns.layout };
}

/** The day after the data's last InvoiceDate, in Europe/London: the seeded shop's "today". */
function dayAfter(lastAt: number): { today: string; todayAt: number } {
  const { year, month, day } = ukCivilDate(lastAt);
  const todayAt = ukWallTimeToUtc(year, month, day + 1, 0, 0);
  const next = ukCivilDate(todayAt);
  return { today: `${next.year}-${String(next.month).padStart(2, "0")}-${String(next.day).padStart(2, "0")}`, todayAt };
}

export async function buildOnlineRetailShop(clock: Clock, options: SeedOptions = {}): Promise<{ shop: ShopState; report: OnlineRetailReport }> {
  const started = performance.now();
  const csvPath = options.csvPath ?? defaultOnlineRetailPath();
  const { invoices, rows, layout } = await readInvoices(csvPath);
  let lastInvoiceAt = -Infinity;
  for (const inv of invoices.values()) lastInvoiceAt = Math.max(lastInvoiceAt, inv.at);
  const { today, todayAt } = dayAfter(lastInvoiceAt);
  if (options.moveClock) {
    if (!isSettableClock(clock)) throw new Error("moveClock needs a settable clock (FakeClock or OffsetClock)");
    clock.set(todayAt);
  }
  const domain = options.domain ?? "online-retail.myshopify.com";
  const shop = new ShopState(
    { domain, name: options.name ?? (options.csvPath ? `Online Retail (${basename(csvPath)})` : "Online Retail (UCI, CC BY 4.0)"), currencyCode: "GBP", ianaTimezone: "Europe/London", planDisplayName: "Basic", partnerDevelopment: true, shopifyPlus: false },
    clock,
    [],
  );
  const sorted = [...invoices.values()].sort((a, b) => a.at - b.at || a.no.localeCompare(b.no));

  // Customers: first appearance anywhere (purchases and cancellations).
  const firstSeen = new Map<number, number>();
  for (const inv of sorted) if (inv.customer !== null && !firstSeen.has(inv.customer)) firstSeen.set(inv.customer, inv.at);
  let wholesaleCustomers = 0;
  let cappedTagCustomers = 0;
  for (const [customerId, at] of [...firstSeen].sort((a, b) => a[0] - b[0])) {
    const tags = merchantTags(customerId);
    if (tags.includes("wholesale")) wholesaleCustomers++;
    if (tags.length === TAG_CAP) cappedTagCustomers++;
    shop.createCustomer({ id: ID_BASE.Customer + customerId, sourceId: String(customerId), tags, createdAt: at, silent: true });
  }

  // Products: first non-empty description, first positive price among purchases. Service codes
  // are custom line items, not products.
  const productInfo = new Map<string, { title: string; priceCents: number; at: number }>();
  for (const inv of sorted) {
    if (inv.no.startsWith("A")) continue;
    for (const row of inv.rows) {
      if (isServiceStockCode(row.stock)) continue;
      let info = productInfo.get(row.stock);
      if (!info) {
        info = { title: "", priceCents: 0, at: inv.at };
        productInfo.set(row.stock, info);
      }
      if (!info.title && row.description && row.description !== "?") info.title = row.description;
      if (info.priceCents <= 0 && row.priceCents > 0 && !inv.no.startsWith("C")) info.priceCents = row.priceCents;
    }
  }
  const variantBySku = new Map<string, { productId: number; variantId: number }>();
  const handles = new Set<string>();
  let productSeq = 0;
  for (const stock of [...productInfo.keys()].sort()) {
    const info = productInfo.get(stock) as { title: string; priceCents: number; at: number };
    productSeq++;
    let handle = slugify(`${info.title || "item"}-${stock}`);
    while (handles.has(handle)) handle += "-x";
    handles.add(handle);
    const product = shop.createProduct({
      id: ID_BASE.Product + productSeq,
      variantId: ID_BASE.ProductVariant + productSeq,
      title: info.title || `Item ${stock}`,
      handle,
      priceCents: info.priceCents,
      sku: stock,
      createdAt: info.at,
      // The data has no images (and invented CDN URLs would not load offline).
      imageUrl: null,
      silent: true,
    });
    variantBySku.set(stock, { productId: product.id, variantId: product.variants[0]?.id ?? 0 });
  }

  const report: OnlineRetailReport = {
    rows,
    invoices: invoices.size,
    customers: shop.customers.size,
    customersWithOrders: 0,
    customerOrders: 0,
    guestOrders: 0,
    cancellationRecordOrders: 0,
    cInvoices: 0,
    customerCInvoices: 0,
    guestCInvoices: 0,
    refundsAttached: 0,
    refundsMatchedByStockCode: 0,
    customerCInvoiceRefunds: 0,
    standaloneRefunds: 0,
    cancelledOrders: 0,
    stockAdjustmentInvoices: 0,
    badDebtInvoices: 0,
    products: shop.products.size,
    lineItems: 0,
    cancellationRecordLineItems: 0,
    customLineItems: 0,
    layout,
    lastInvoiceAt,
    today,
    todayAt,
    wholesaleCustomers,
    cappedTagCustomers,
    seedMs: 0,
  };

  for (const inv of sorted) {
    if (inv.no.startsWith("A")) {
      report.badDebtInvoices++;
      continue;
    }
    if (inv.no.startsWith("C")) {
      report.cInvoices++;
      applyCancellationInvoice(shop, inv, report, variantBySku);
      continue;
    }
    if (inv.rows.every((r) => r.quantity < 0)) {
      report.stockAdjustmentInvoices++;
      continue;
    }
    const number = Number(inv.no);
    const order = shop.createOrder(
      {
        id: ID_BASE.Order + number,
        number,
        name: `#${inv.no}`,
        customerId: inv.customer === null ? null : ID_BASE.Customer + inv.customer,
        processedAt: inv.at,
        countryCode: null,
        lines: orderLines(inv.rows, variantBySku, (row) => row.quantity),
      },
      { silent: true },
    );
    report.lineItems += order.lineItems.length;
    if (inv.customer === null) report.guestOrders++;
    else report.customerOrders++;
  }

  for (const order of shop.orders.values()) for (const line of order.lineItems) if (line.productId === null) report.customLineItems++;
  // Customers' updatedAt = their last activity in the data.
  for (const customer of shop.customers.values()) {
    const orders = shop.customerOrders(customer.id);
    for (const order of orders) customer.updatedAt = Math.max(customer.updatedAt, order.updatedAt);
    if (orders.some((o) => !isCancellationRecord(o))) report.customersWithOrders++;
  }
  report.seedMs = Math.round(performance.now() - started);
  return { shop, report };
}

export function isCancellationRecord(order: OrderRecord): boolean {
  return order.tags.includes(CANCELLATION_RECORD_TAG);
}

type VariantsBySku = Map<string, { productId: number; variantId: number }>;

function orderLines(rows: Row[], variantBySku: VariantsBySku, quantity: (row: Row) => number) {
  return rows.map((row) => {
    const variant = variantBySku.get(row.stock);
    return variant
      ? { variantId: variant.variantId, quantity: quantity(row), unitPriceCents: row.priceCents, title: row.description || undefined }
      : { quantity: quantity(row), unitPriceCents: row.priceCents, title: row.description || row.stock, sku: row.stock };
  });
}

function applyCancellationInvoice(shop: ShopState, inv: Invoice, report: OnlineRetailReport, variantBySku: VariantsBySku): void {
  const number = Number(inv.no.slice(1));
  const refundId = ID_BASE.Refund + number;
  const totalCents = inv.rows.reduce((sum, r) => sum + Math.abs(r.quantity) * r.priceCents, 0);
  if (inv.customer === null) {
    report.guestCInvoices++;
    addStandalone(shop, refundId, inv, totalCents);
    report.standaloneRefunds++;
    return;
  }
  report.customerCInvoices++;
  const customerId = ID_BASE.Customer + inv.customer;
  const earlier = shop
    .customerOrders(customerId)
    .filter((o) => o.processedAt <= inv.at && !isCancellationRecord(o))
    .sort((a, b) => b.processedAt - a.processedAt || b.id - a.id);
  const skus = new Set(inv.rows.map((r) => r.stock));
  const withSku = earlier.find((o) => o.lineItems.some((l) => l.sku !== null && skus.has(l.sku) && refundableQuantity(o, l) > 0));
  const target: OrderRecord | undefined = withSku ?? earlier[0];
  if (!target) {
    addCancellationRecord(shop, inv, customerId, number, refundId, variantBySku, report);
    return;
  }
  if (withSku) report.refundsMatchedByStockCode++;
  // Match rows to the target's lines by SKU, consuming refundable quantity as we go.
  const lines: Array<{ lineItemId: number; quantity: number }> = [];
  const taken = new Map<number, number>();
  let unmatchedCents = 0;
  for (const row of inv.rows) {
    let wanted = Math.abs(row.quantity);
    for (const line of target.lineItems) {
      if (wanted <= 0) break;
      if (line.sku !== row.stock) continue;
      const free = refundableQuantity(target, line) - (taken.get(line.id) ?? 0);
      if (free <= 0) continue;
      const q = Math.min(free, wanted);
      taken.set(line.id, (taken.get(line.id) ?? 0) + q);
      lines.push({ lineItemId: line.id, quantity: q });
      wanted -= q;
    }
    unmatchedCents += wanted * row.priceCents;
  }
  shop.refundOrder(target.id, { id: refundId, lines, adjustmentCents: unmatchedCents, note: `Cancellation invoice ${inv.no}`, at: inv.at }, { silent: true });
  report.refundsAttached++;
  report.customerCInvoiceRefunds++;
  if (target.cancelledAt === null && target.lineItems.every((l) => refundableQuantity(target, l) === 0)) {
    // A cancellation comes after the order was placed. The CSV has minute resolution, and 8 C
    // invoices share their order's minute; Shopify's timestamps have seconds, so the cancellation
    // is dated at least a second after placement. (An order cancelled at the instant it was
    // processed is a cancellation record, never a purchase: docs/data-model.md.)
    shop.cancelOrder(target.id, { reason: "CUSTOMER", refund: false, at: Math.max(inv.at, target.processedAt + 1000) }, { silent: true });
    report.cancelledOrders++;
  }
}

/**
 * A customer's C invoice whose original order predates the data window: an order "C<number>"
 * placed, fully refunded (one refund, id from the C invoice) and cancelled at the same instant,
 * so the cancellation is visible over GraphQL like in the CSV (Shopify has no order-less refunds).
 */
function addCancellationRecord(shop: ShopState, inv: Invoice, customerId: number, number: number, refundId: number, variantBySku: VariantsBySku, report: OnlineRetailReport): void {
  const order = shop.createOrder(
    {
      id: ID_BASE.Order + number,
      number,
      name: inv.no,
      customerId,
      processedAt: inv.at,
      countryCode: null,
      tags: [CANCELLATION_RECORD_TAG],
      lines: orderLines(inv.rows, variantBySku, (row) => Math.abs(row.quantity)),
    },
    { silent: true },
  );
  const lines = order.lineItems.map((line) => ({ lineItemId: line.id, quantity: line.quantity }));
  shop.refundOrder(order.id, { id: refundId, lines, note: `Cancellation invoice ${inv.no}`, at: inv.at }, { silent: true });
  shop.cancelOrder(order.id, { reason: "CUSTOMER", refund: false, at: inv.at }, { silent: true });
  report.cancellationRecordOrders++;
  report.cancellationRecordLineItems += order.lineItems.length;
  report.lineItems += order.lineItems.length;
  report.customerCInvoiceRefunds++;
}

function addStandalone(shop: ShopState, id: number, inv: Invoice, totalCents: number): void {
  const refund: RefundRecord = {
    id,
    orderId: null,
    createdAt: inv.at,
    note: `Cancellation invoice ${inv.no} (guest)`,
    lineItems: [],
    transactions: [{ id: shop.newId("OrderTransaction"), kind: "REFUND", amountCents: totalCents, createdAt: inv.at }],
    adjustmentCents: totalCents,
  };
  shop.addStandaloneRefund(refund);
}

/** Builds the Online Retail shop and registers it with the simulator (no webhooks for history). */
export async function seedOnlineRetail(sim: ShopifySimulator, options: SeedOptions = {}): Promise<{ shop: ShopState; report: OnlineRetailReport }> {
  const built = await buildOnlineRetailShop(sim.clock, options);
  // Like a real store, the seeded shop has Shopify's own RFM groups (rfm-groups.ts).
  sim.adoptShop(built.shop, undefined, { computeRfmGroups: true });
  return built;
}
