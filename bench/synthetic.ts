/**
 * Seeded generator of a line-level transaction CSV shaped like a real shop's orders, in the
 * Online Retail column layout (so the CLI and scripts/reference/rfm_online_retail.py read it
 * unchanged). Defaults: 1,000,000 customers, ~5,000,000 lines.
 *
 *   npx tsx bench/synthetic.ts [--customers=1000000] [--lines=5000000] [--seed=20261123] [--out=bench/tmp/synthetic-1m.csv]
 *
 * Shape: 58 % of customers buy once; repeat buyers' order counts are Pareto-tailed (α 1.6);
 * 0.2 % are whales (many orders, bulk quantities); unit prices log-normal (median ≈ 3.5, some
 * 3-decimal prices); 1 in 40 orders is later cancelled in part (a `C` invoice with negative
 * quantities, dated after the order); 8 % of lines are guest orders (no customer); descriptions
 * sometimes hold commas and quotes (RFC 4180 quoting). Dates span 2 years. Lines are written
 * customer by customer (orders in date order within a customer). Never commit the output:
 * bench/tmp/ is git-ignored.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { once } from "node:events";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { createRng, randomNormal } from "../app/analytics/util/random";
import { formatDay, dayFromCivil } from "../app/analytics/rfm/calendar";

export interface SyntheticOptions {
  customers: number;
  /** Approximate number of lines; the per-order line count is calibrated to reach it. */
  lines: number;
  seed: number;
  out: string;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = { customers: 1_000_000, lines: 5_000_000, seed: 20261123, out: "bench/tmp/synthetic-1m.csv" };

const DESCRIPTIONS = ["WHITE HANGING HEART T-LIGHT HOLDER", "JUMBO BAG RED RETROSPOT", '"PARTY BUNTING, RED"', "REGENCY CAKESTAND 3 TIER", '"SET OF 3 ""VINTAGE"" TINS"', "POSTAGE", "LUNCH BAG BLACK SKULL."];

export async function generateSyntheticCsv(o: SyntheticOptions): Promise<{ lines: number; customers: number; orders: number; bytes: number }> {
  mkdirSync(dirname(o.out), { recursive: true });
  const rng = createRng(o.seed);
  const out = createWriteStream(o.out);
  const start = dayFromCivil(2023, 1, 1);
  const span = 730;
  // expected orders per customer ≈ 0.58·1 + 0.418·E[Pareto] + whales; calibrate lines per order
  const expectedOrders = 0.58 + 0.418 * 3.2 + 0.002 * 40;
  const linesPerOrder = Math.max(1, (o.lines * 0.92) / o.customers / expectedOrders);
  const pGeom = 1 / linesPerOrder; // lines per order: 1 + geometric, mean linesPerOrder
  let buf = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  let lines = 0;
  let orders = 0;
  let invoice = 1_000_000;
  let bytes = 0;
  const flush = async (force: boolean): Promise<void> => {
    if (buf.length < 1 << 20 && !force) return;
    bytes += Buffer.byteLength(buf);
    if (!out.write(buf)) await once(out, "drain");
    buf = "";
  };
  const price = (): string => {
    const p = Math.exp(Math.log(3.5) + 0.8 * randomNormal(rng));
    return rng() < 0.01 ? p.toFixed(3) : p.toFixed(2);
  };
  const time = (): string => `${String(8 + Math.floor(rng() * 12)).padStart(2, "0")}:${String(Math.floor(rng() * 60)).padStart(2, "0")}:00`;
  const orderLines = (inv: string, day: number, customer: string, whale: boolean, sign: number): void => {
    let n = 1;
    while (rng() > pGeom && n < 200) n++;
    const t = time();
    for (let l = 0; l < n; l++) {
      const q = (whale ? 12 * (1 + Math.floor(rng() * 50)) : 1 + Math.floor(-Math.log(1 - rng()) * 3)) * sign;
      const desc = DESCRIPTIONS[Math.floor(rng() * DESCRIPTIONS.length)]!;
      buf += `${inv},${20000 + Math.floor(rng() * 4000)},${desc},${q},${formatDay(day)} ${t},${price()},${customer},United Kingdom\n`;
      lines++;
    }
  };
  for (let c = 0; c < o.customers; c++) {
    const customer = String(100000 + c);
    const whale = rng() < 0.002;
    let count: number;
    if (whale) count = 20 + Math.floor(rng() * 60);
    else if (rng() < 0.58) count = 1;
    else count = Math.min(300, 1 + Math.floor(Math.pow(1 - rng(), -1 / 1.6)));
    let day = start + Math.floor(rng() * span);
    for (let k = 0; k < count; k++) {
      const inv = String(invoice++);
      orderLines(inv, day, customer, whale, 1);
      orders++;
      if (rng() < 1 / 40) orderLines(`C${inv}`, Math.min(start + span, day + 1 + Math.floor(rng() * 20)), customer, false, -1);
      day = Math.min(start + span - 1, day + Math.floor(-Math.log(1 - rng()) * 45));
    }
    // guest orders, interleaved
    while (rng() < 0.08 * (lines / Math.max(1, c + 1)) / 5) {
      orderLines(String(invoice++), start + Math.floor(rng() * span), "", false, 1);
      orders++;
    }
    await flush(false);
  }
  await flush(true);
  out.end();
  await once(out, "finish");
  return { lines, customers: o.customers, orders, bytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const o: SyntheticOptions = {
    customers: Number(arg("customers") ?? SYNTHETIC_DEFAULTS.customers),
    lines: Number(arg("lines") ?? SYNTHETIC_DEFAULTS.lines),
    seed: Number(arg("seed") ?? SYNTHETIC_DEFAULTS.seed),
    out: arg("out") ?? SYNTHETIC_DEFAULTS.out,
  };
  const t0 = performance.now();
  const r = await generateSyntheticCsv(o);
  console.log(`wrote ${o.out}: ${r.customers} customers, ${r.orders} orders, ${r.lines} lines, ${(r.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
