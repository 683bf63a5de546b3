// The Online Retail store's headline counts, derived straight from the CSV with a parser of its
// own (independent of the simulator's seeder and of the CLI's reader).
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createGunzip } from "node:zlib";

export const ONLINE_RETAIL_CSV = path.resolve("..", "shared", "data", "online_retail.csv.gz");

export interface OnlineRetailCounts {
  customers: number;
  customersWithPurchase: number;
  customerOrders: number;
  guestOrders: number;
  customerCInvoices: number;
}

function fields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

export async function onlineRetailCounts(file = ONLINE_RETAIL_CSV): Promise<OnlineRetailCounts> {
  const customers = new Set<string>();
  const buyers = new Set<string>();
  const customerOrders = new Set<string>();
  const customerC = new Set<string>();
  const guestWithPositiveLine = new Set<string>();
  let header = true;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      continue;
    }
    const [invoice = "", , , quantity = "0", , , customer = ""] = fields(line);
    const isC = invoice.startsWith("C");
    if (customer) {
      customers.add(customer);
      if (isC) {
        customerC.add(invoice);
      } else {
        buyers.add(customer);
        customerOrders.add(invoice);
      }
    } else if (!isC && !invoice.startsWith("A") && Number(quantity) > 0) {
      guestWithPositiveLine.add(invoice);
    }
  }
  return {
    customers: customers.size,
    customersWithPurchase: buyers.size,
    customerOrders: customerOrders.size,
    guestOrders: guestWithPositiveLine.size,
    customerCInvoices: customerC.size,
  };
}
