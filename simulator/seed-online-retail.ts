// Builds a shop from the UCI "Online Retail" dataset (../shared/data/online_retail.csv.gz).
// Mapping and rules (docs/simulator.md has the full rationale):
//   InvoiceNo (digits)  → order #InvoiceNo, id 5e12+InvoiceNo, processedAt = InvoiceDate as
//                          Europe/London wall time; one line item per CSV row (duplicates kept)
//   CustomerID          → customer id 7e12+CustomerID (empty → guest order, customer null);
//                          createdAt = first row of that customer (purchase or cancellation)
//   StockCode           → one product with one variant (sku = StockCode, title = first
//                          non-empty trimmed Description, price = first positive UnitPrice)
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
import { createReadStream, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import type { Clock } from "./clock";
import { ID_BASE } from "./ids";
import { toCents } from "./money";
import { refundableQuantity, ShopState, slugify, type OrderRecord, type RefundRecord } from "./state";
import { parseUkDateTime } from "./uk-time";
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
  seedMs: number;
}

/** Tag of the orders that represent a C invoice whose original order predates the data. */
export const CANCELLATION_RECORD_TAG = "cancellation-record";

export interface SeedOptions {
  csvPath?: string;
  domain?: string;
  name?: string;
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

/** Streams the gzip and splits lines by hand (faster than readline; never one 45 MB string). */
async function* gzipLines(path: string): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of createReadStream(path).pipe(createGunzip())) {
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

async function readInvoices(csvPath: string): Promise<{ invoices: Map<string, Invoice>; rows: number }> {
  const invoices = new Map<string, Invoice>();
  let header = true;
  let rows = 0;
  let lastDateText = "";
  let lastDate = 0;
  let current: Invoice | undefined;
  for await (const line of gzipLines(csvPath)) {
    if (header) {
      header = false;
      continue;
    }
    if (!line) continue;
    const f = splitCsvLine(line);
    rows++;
    const no = f[0] as string;
    // Rows of one invoice are contiguous in the file; the Map covers the exceptions.
    let invoice = current && current.no === no ? current : invoices.get(no);
    if (!invoice) {
      const dateText = f[4] as string;
      if (dateText !== lastDateText) {
        lastDateText = dateText;
        lastDate = parseUkDateTime(dateText);
      }
      const customerText = f[6] as string;
      invoice = { no, at: lastDate, customer: customerText ? Number(customerText) : null, country: f[7] as string, rows: [] };
      invoices.set(no, invoice);
    }
    current = invoice;
    invoice.rows.push({ stock: f[1] as string, description: (f[2] as string).trim(), quantity: Number(f[3]), priceCents: toCents(f[5] as string) });
  }
  return { invoices, rows };
}

export async function buildOnlineRetailShop(clock: Clock, options: SeedOptions = {}): Promise<{ shop: ShopState; report: OnlineRetailReport }> {
  const started = performance.now();
  const csvPath = options.csvPath ?? defaultOnlineRetailPath();
  const { invoices, rows } = await readInvoices(csvPath);
  const domain = options.domain ?? "online-retail.myshopify.com";
  const shop = new ShopState(
    { domain, name: options.name ?? "Online Retail (UCI, CC BY 4.0)", currencyCode: "GBP", ianaTimezone: "Europe/London", planDisplayName: "Basic", partnerDevelopment: true, shopifyPlus: false },
    clock,
    [],
  );
  const sorted = [...invoices.values()].sort((a, b) => a.at - b.at || a.no.localeCompare(b.no));

  // Customers: first appearance anywhere (purchases and cancellations).
  const firstSeen = new Map<number, number>();
  for (const inv of sorted) if (inv.customer !== null && !firstSeen.has(inv.customer)) firstSeen.set(inv.customer, inv.at);
  for (const [customerId, at] of [...firstSeen].sort((a, b) => a[0] - b[0])) shop.createCustomer({ id: ID_BASE.Customer + customerId, createdAt: at, silent: true });

  // Products: first non-empty description, first positive price among purchases.
  const productInfo = new Map<string, { title: string; priceCents: number; at: number }>();
  for (const inv of sorted) {
    if (inv.no.startsWith("A")) continue;
    for (const row of inv.rows) {
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
      : { quantity: quantity(row), unitPriceCents: row.priceCents, title: row.description || row.stock };
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
  sim.adoptShop(built.shop);
  return built;
}
