/**
 * `segmint anomalies <transactions.csv[.gz]> --out <orders.csv> [--customers-out <customers.csv>]`
 * (docs/analytics.md §9.2): the core's order, customer and store-day detectors (docs/anomalies.md)
 * on a transaction CSV read like `segment` reads it. One row per order (score, flagged within the
 * review budget, reasons in plain words), one per customer (whale / review / normal), and a
 * summary on stdout.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import {
  detectCustomerAnomalies,
  detectOrderAnomalies,
  detectStoreDayAnomalies,
  formatDay,
  type AnomalyReason,
  type DayAnomaly,
  type ScoredCustomer,
  type ScoredOrder,
} from "../app/analytics/index";
import type { AnomaliesCommand } from "./args";
import { UsageError } from "./args";
import { readAnomalyOrders, type AnomalyOrders } from "./csv/anomaly-orders";
import { ColumnError } from "./csv/columns";
import { EmptyInputError, ONLINE_RETAIL_CANCELLATION_PREFIX, type ReadProgress } from "./csv/transactions";
import { EXIT, InputError, assertReadableFile, corruptGzipError, type Io } from "./exit";
import { createProgress } from "./progress";
import { csvField } from "./segments-csv";
import { SkippedRows } from "./skipped-rows";

/** Columns of the per-order CSV, in order: a contract (issue 11, docs/analytics.md §9.2). */
export const ORDER_COLUMNS = ["order_id", "customer_id", "score", "flagged", "reasons"] as const;
/** Columns of the per-customer CSV, in order: a contract. */
export const CUSTOMER_COLUMNS = ["customer_id", "score", "kind", "reasons"] as const;

/** Reasons in one CSV cell. */
export const REASON_SEPARATOR = "; ";

const count = new Intl.NumberFormat("en-US");
const money2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Scores with 6 decimals: enough to order 1M orders, stable across runs of the same seed. */
function scoreText(score: number): string {
  return score.toFixed(6);
}

function plural(n: number, noun: string): string {
  return `${count.format(n)} ${noun}${n === 1 ? "" : "s"}`;
}

function reasonsText(reasons: readonly AnomalyReason[]): string {
  return reasons.map((r) => r.text).join(REASON_SEPARATOR);
}

/** Writes a CSV row by row, streaming (1M orders never become one string). */
async function writeCsv(path: string, header: readonly string[], rows: number, row: (i: number) => string): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  let buf = header.join(",") + "\n";
  for (let i = 0; i < rows; i++) {
    buf += row(i) + "\n";
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await Promise.race([once(out, "drain"), failed]);
      buf = "";
    }
  }
  out.end(buf);
  try {
    await Promise.race([once(out, "finish"), failed]);
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

export function writeOrdersCsv(path: string, orders: readonly ScoredOrder[]): Promise<void> {
  return writeCsv(path, ORDER_COLUMNS, orders.length, (i) => {
    const o = orders[i]!;
    return [csvField(o.id), csvField(o.customerId ?? ""), scoreText(o.score), o.flagged ? "true" : "false", csvField(reasonsText(o.reasons))].join(",");
  });
}

export function writeCustomersCsv(path: string, customers: readonly ScoredCustomer[]): Promise<void> {
  return writeCsv(path, CUSTOMER_COLUMNS, customers.length, (i) => {
    const c = customers[i]!;
    return [csvField(c.customerId), scoreText(c.score), c.kind, csvField(reasonsText(c.reasons))].join(",");
  });
}

async function readOrders(cmd: AnomaliesCommand, io: Io): Promise<AnomalyOrders> {
  assertReadableFile(cmd.file);
  const progressState: ReadProgress = { bytesRead: 0, totalBytes: 0 };
  const progress = createProgress(io.stderr, progressState, cmd.quiet);
  try {
    return await readAnomalyOrders(cmd.file, {
      columns: cmd.columns,
      slashDateOrder: cmd.dateOrder,
      cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX,
      ...(cmd.descriptionColumn === null ? {} : { descriptionColumn: cmd.descriptionColumn }),
      progress: progressState,
      onChunk: (rows) => progress.update(rows),
    });
  } catch (e) {
    if (e instanceof ColumnError || e instanceof EmptyInputError) throw new InputError(e.message);
    throw corruptGzipError(cmd.file, e) ?? e;
  } finally {
    progress.done();
  }
}

/** The flagged orders, highest score first (ties by id, like the budget's), at most `top`. */
function topFlagged(orders: readonly ScoredOrder[], top: number): ScoredOrder[] {
  return orders
    .filter((o) => o.flagged)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, top);
}

function table(header: readonly string[], rows: readonly string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const last = header.length - 1;
  const line = (r: readonly string[]): string => "  " + r.map((c, j) => (j === last ? c : rightAligned.has(j) ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join("  ");
  return [line(header), ...rows.map(line)];
}

function dayLine(d: DayAnomaly, money: (milli: number) => string): string {
  const value = d.metric === "revenue" ? money(d.value) : count.format(d.value);
  const range = d.metric === "revenue" ? `${money(d.expectedLow)} to ${money(d.expectedHigh)}` : `${count.format(Math.round(d.expectedLow))} to ${count.format(Math.round(d.expectedHigh))}`;
  return `  ${formatDay(d.day)}  ${d.metric.padEnd(7)}  ${d.direction.padEnd(5)}  ${value} (expected ${range})`;
}

export async function runAnomalies(cmd: AnomaliesCommand, io: Io): Promise<number> {
  const t0 = performance.now();
  const read = await readOrders(cmd, io);
  const skipped = new SkippedRows(cmd.file, cmd.maxErrors, io.stderr);
  for (const p of read.problems) skipped.add(p);
  if (read.stats.validRows === 0) throw new InputError(`${cmd.file}: no valid rows`);
  if (read.orders.length === 0) throw new InputError(`${cmd.file}: no orders (every valid row is a return)`);
  const tRead = performance.now();

  const formatMoney = (milli: number): string => `${cmd.currency}${money2.format(milli / 1000)}`;
  const options = { seed: cmd.seed, budget: cmd.budget, productNames: read.productNames, formatMoney };
  let detection: ReturnType<typeof detectOrderAnomalies>;
  try {
    detection = detectOrderAnomalies(read.orders, options);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  const customers = detectCustomerAnomalies(read.orders, detection.orders, options);
  const days = detectStoreDayAnomalies(read.orders, { lastDay: read.lastDay, formatMoney });
  const tDetect = performance.now();

  await writeOrdersCsv(cmd.out, detection.orders);
  if (cmd.customersOut !== null) await writeCustomersCsv(cmd.customersOut, customers);
  const tEnd = performance.now();

  io.stdout.write(summary(cmd, read, detection.orders, detection.threshold, customers, days, formatMoney, { t0, tRead, tDetect, tEnd }).join("\n") + "\n");
  skipped.summarize();
  return EXIT.ok;
}

function summary(
  cmd: AnomaliesCommand,
  read: AnomalyOrders,
  orders: readonly ScoredOrder[],
  threshold: number,
  customers: readonly ScoredCustomer[],
  days: readonly DayAnomaly[],
  money: (milli: number) => string,
  t: { t0: number; tRead: number; tDetect: number; tEnd: number },
): string[] {
  const s = read.stats;
  const flagged = orders.filter((o) => o.flagged).length;
  let firstDay = Infinity;
  for (const o of read.orders) firstDay = Math.min(firstDay, o.day);
  const kinds = { whale: 0, review: 0, normal: 0 };
  for (const c of customers) kinds[c.kind]++;
  const seconds = (a: number, b: number): string => ((b - a) / 1000).toFixed(2);
  const lines = [
    `Segmint anomalies: ${count.format(orders.length)} orders, ${count.format(customers.length)} customers, ${formatDay(firstDay)} to ${formatDay(read.lastDay)} (${s.level}-level input), seed ${cmd.seed}`,
    `Rows: ${count.format(s.rows)} read, ${count.format(s.validRows)} valid, ${count.format(read.problems.length)} skipped; ` +
      `${plural(s.returns, "return")}: ${count.format(s.returnsAttributed)} attributed to an earlier order (${count.format(s.returnsMatchedByProduct)} by product, ${plural(s.cancelledOrders, "order")} cancelled in full), ` +
      `${count.format(s.guestReturns)} by guests and ${count.format(s.returnsWithoutEarlierOrder)} with no earlier order not attributed`,
    "",
    `Flagged orders: ${count.format(flagged)} of ${count.format(orders.length)} (budget ${Number((cmd.budget * 100).toPrecision(6))} %, score ≥ ${threshold.toFixed(4)})`,
  ];
  const top = topFlagged(orders, cmd.top);
  if (top.length > 0) {
    lines.push(...table(["order", "customer", "score", "reasons"], top.map((o) => [o.id, o.customerId ?? "guest", o.score.toFixed(4), reasonsText(o.reasons) || "(a combination of features; no single one stands out)"]), new Set([2])));
    if (flagged > top.length) lines.push(`  … ${count.format(flagged - top.length)} more in ${cmd.out}`);
  }
  lines.push("", `Customers: ${plural(kinds.whale, "whale")} (VIP candidates), ${count.format(kinds.review)} to review, ${count.format(kinds.normal)} normal`);
  for (const kind of ["whale", "review"] as const) {
    const listed = customers.filter((c) => c.kind === kind).sort((a, b) => b.score - a.score).slice(0, 5);
    for (const c of listed) lines.push(`  ${kind.padEnd(6)}  ${c.customerId}  ${c.score.toFixed(4)}  ${reasonsText(c.reasons)}`);
  }
  lines.push("", `Store days flagged: ${count.format(days.length)}`);
  for (const d of days.slice(0, 10)) lines.push(dayLine(d, money));
  if (days.length > 10) lines.push(`  … ${count.format(days.length - 10)} more`);
  lines.push(
    "",
    `Wrote ${cmd.out}${cmd.customersOut === null ? "" : `, ${cmd.customersOut}`} in ${seconds(t.t0, t.tEnd)} s (read ${seconds(t.t0, t.tRead)} s, detect ${seconds(t.tRead, t.tDetect)} s, write ${seconds(t.tDetect, t.tEnd)} s)`,
  );
  return lines;
}
