// The bridge on real data: the Online Retail store, backfilled through the simulator into the
// database, must give per customer the RFM features that the CLI's CSV reader gives from the CSV.
//
// The simulator maps the CSV to Shopify with two documented losses (docs/simulator.md), and the CSV
// side applies the same two, from the CSV's own rows, before comparing:
// - unit prices are kept at the currency's 2 decimals (the four `0.001` prices become 0.00);
// - a customer's `C` invoice becomes one Shopify refund (id 9·10^12 + its number) whose amount is
//   priced at the refunded order's lines and capped at what was still refundable, so it may differ
//   from the invoice's own total: the CSV side takes that refund's amount as the invoice's return.
// Everything else comes from the CSV: customers, invoices, days as written (UK wall time), purchase
// amounts. Recency, frequency, tenure and the purchase gap are also compared with the CSV as it is.
import { createRfmAccumulator, featureRows, type RfmCustomerFeatures } from "../../app/analytics";
import type { Db } from "../../app/db.server";
import { shopFeatures } from "../../app/services/segment-shop.server";
import { ONLINE_RETAIL_CANCELLATION_PREFIX, openCsvText, streamTransactions } from "../../cli/csv/transactions";
import { ONLINE_RETAIL_CSV } from "../support/online-retail-counts";

/** Id bases of the simulator's Online Retail shop (simulator/ids.ts). */
const CUSTOMER_BASE = 7_000_000_000_000;
const REFUND_BASE = 9_000_000_000_000;
/** The day after the CSV's last invoice (2011-12-09), as the CLI's default. */
export const ONLINE_RETAIL_AS_OF = "2011-12-10";

export interface BridgeComparison {
  /** Features per CSV customer id, from the database through the bridge. */
  bridge: Map<string, RfmCustomerFeatures>;
  /** From the CSV through the CLI's reader, prices and C invoices as the simulator stores them. */
  csv: Map<string, RfmCustomerFeatures>;
  /** From the CSV through the CLI's reader, untouched. */
  csvRaw: Map<string, RfmCustomerFeatures>;
  /** Customer C invoices replaced by their Shopify refund. */
  cInvoices: number;
}

async function csvFeatures(path: string, refundOf: ((invoice: string) => number) | null): Promise<{ rows: Map<string, RfmCustomerFeatures>; cInvoices: number }> {
  const acc = createRfmAccumulator({ asOf: ONLINE_RETAIL_AS_OF });
  const returns = new Map<string, { customerId: string; day: number }>();
  // Read as the CLI reads Online Retail (cli/main.ts): `C` invoices are cancellations.
  await streamTransactions(openCsvText(path), { cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX }, {
    onRow: (r) => {
      if (refundOf === null) {
        acc.addLine(r);
        return;
      }
      if (r.customerId !== null && r.cancelled) {
        if (!returns.has(r.orderId)) returns.set(r.orderId, { customerId: r.customerId, day: r.day });
        return;
      }
      const amountMilli = r.unitPriceMilli === null ? r.amountMilli : r.quantity! * Math.round(r.unitPriceMilli / 10) * 10;
      acc.addLine({ ...r, amountMilli });
    },
    onProblem: (p) => {
      throw new Error(`the Online Retail CSV has a row the CLI skips: line ${p.line}: ${p.reason}`);
    },
  });
  for (const [invoice, { customerId, day }] of returns) {
    acc.addLine({ customerId, orderId: invoice, day, amountMilli: -refundOf!(invoice), quantity: null, cancelled: true });
  }
  return { rows: new Map(featureRows(acc.finish()).map((r) => [r.customerId, r])), cInvoices: returns.size };
}

/** Runs both sides for the shop that holds the backfilled Online Retail store. */
export async function compareBridgeWithCsv(db: Db, shopId: number, csvPath = ONLINE_RETAIL_CSV): Promise<BridgeComparison> {
  const refunds = new Map<string, number>();
  for (const r of await db.refund.findMany({ where: { shopId }, select: { shopifyId: true, amountMilli: true } })) refunds.set(r.shopifyId, Number(r.amountMilli));
  const refundOf = (invoice: string): number => {
    const amount = refunds.get(String(REFUND_BASE + Number(invoice.slice(1))));
    if (amount === undefined) throw new Error(`no refund stored for invoice ${invoice}`);
    return amount;
  };
  // Noon UTC on the as-of day: the same calendar day in London.
  const { features } = await shopFeatures(db, shopId, { asOf: new Date(`${ONLINE_RETAIL_AS_OF}T12:00:00Z`) });
  const bridge = new Map(featureRows(features).map((r) => [String(Number(r.customerId) - CUSTOMER_BASE), { ...r, customerId: String(Number(r.customerId) - CUSTOMER_BASE) }]));
  const [csv, csvRaw] = await Promise.all([csvFeatures(csvPath, refundOf), csvFeatures(csvPath, null)]);
  return { bridge, csv: csv.rows, csvRaw: csvRaw.rows, cInvoices: csv.cInvoices };
}

/** The customers whose features differ (value decay within 1e-9 relative: summation order differs). */
export function differences(a: Map<string, RfmCustomerFeatures>, b: Map<string, RfmCustomerFeatures>, fields: readonly (keyof RfmCustomerFeatures)[]): string[] {
  const out: string[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (!x || !y) {
      out.push(`${id}: only in ${x ? "the first" : "the second"}`);
      continue;
    }
    for (const f of fields) {
      const u = x[f];
      const v = y[f];
      const same = f === "valueDecayMilli" ? Math.abs((u as number) - (v as number)) <= 1e-9 * Math.max(1, Math.abs(u as number)) : u === v;
      if (!same) out.push(`${id}.${f}: ${String(u)} ≠ ${String(v)}`);
    }
  }
  return out;
}

export const ALL_FEATURES = ["recencyDays", "frequency", "monetaryMilli", "tenureDays", "averageOrderValueMilli", "meanInterPurchaseDays", "valueDecayMilli"] as const;
export const DAY_FEATURES = ["recencyDays", "frequency", "tenureDays", "meanInterPurchaseDays"] as const;
