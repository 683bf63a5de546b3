/**
 * Column auto-detection for transaction CSVs. Header names are compared after lower-casing and
 * dropping everything but letters and digits, so `CustomerID`, `Customer ID` and `customer_id`
 * are the same name. Explicit overrides (CLI flags) win and must name an existing column.
 */
export type ColumnRole = "customer" | "order" | "date" | "quantity" | "price" | "amount" | "product";

export const COLUMN_CANDIDATES: Readonly<Record<ColumnRole, readonly string[]>> = {
  customer: ["customerid", "customer", "clientid", "buyerid", "userid"],
  order: ["invoiceno", "invoice", "orderid", "order", "ordernumber", "ordername", "invoiceid", "transactionid"],
  date: ["invoicedate", "orderdate", "date", "processedat", "createdat", "transactiondate", "timestamp"],
  quantity: ["quantity", "qty"],
  price: ["unitprice", "price", "itemprice"],
  amount: ["amount", "total", "ordertotal", "totalprice", "totalamount", "revenue"],
  product: ["stockcode", "productid", "sku", "variantid", "itemid"],
};

export type ColumnOverrides = Partial<Record<ColumnRole, string>>;

export interface ColumnMap {
  /** `line`: quantity × unit price per row; `order`: one amount per row. */
  readonly level: "line" | "order";
  readonly customer: number;
  readonly order: number;
  readonly date: number;
  readonly quantity: number; // -1 when absent
  readonly price: number; // -1 when absent
  readonly amount: number; // -1 when absent
  readonly product: number; // -1 when absent
  /** Header name used for each role, for messages. */
  readonly names: Readonly<Partial<Record<ColumnRole, string>>>;
}

export class ColumnError extends Error {}

export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function detectColumns(header: readonly string[], overrides: ColumnOverrides = {}): ColumnMap {
  const normalised = header.map((h) => normaliseHeader(h.replace(/^\uFEFF/, "")));
  const find = (role: ColumnRole): number => {
    const wanted = overrides[role];
    if (wanted !== undefined) {
      let idx = header.indexOf(wanted);
      if (idx < 0) idx = normalised.indexOf(normaliseHeader(wanted));
      if (idx < 0) throw new ColumnError(`column ${JSON.stringify(wanted)} (--${role}-column) is not in the header: ${header.join(", ")}`);
      return idx;
    }
    for (const candidate of COLUMN_CANDIDATES[role]) {
      const idx = normalised.indexOf(candidate);
      if (idx >= 0) return idx;
    }
    return -1;
  };
  const idx = {
    customer: find("customer"),
    order: find("order"),
    date: find("date"),
    quantity: find("quantity"),
    price: find("price"),
    amount: find("amount"),
    product: find("product"),
  };
  const missing: string[] = [];
  if (idx.customer < 0) missing.push("customer id (CustomerID, Customer ID, customer_id; --customer-column)");
  if (idx.order < 0) missing.push("order id (InvoiceNo, Invoice, order_id; --order-column)");
  if (idx.date < 0) missing.push("date (InvoiceDate, order_date, date; --date-column)");
  const line = idx.quantity >= 0 && idx.price >= 0;
  if (!line && idx.amount < 0) {
    missing.push("either Quantity and UnitPrice/Price (line level) or Amount/amount/total (order level)");
  }
  if (missing.length > 0) throw new ColumnError(`cannot find column(s): ${missing.join("; ")}. Header: ${header.join(", ")}`);
  const names: Partial<Record<ColumnRole, string>> = {};
  for (const role of Object.keys(idx) as ColumnRole[]) {
    const k = idx[role];
    if (k >= 0) names[role] = header[k];
  }
  return { level: line ? "line" : "order", ...idx, names };
}
