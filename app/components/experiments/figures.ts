// How the experiments pages say their figures: a metric's value and a difference in it in the
// merchant's units (money per customer, a share of customers who ordered, orders per customer),
// intervals, p-values, and an experiment's status. The analysis works in the currency's main unit
// (pounds, not milli), so money here is multiplied by 1,000 for format.ts.
import type { ExperimentMetric, ExperimentStatus } from "../../domain/experiment";
import { formatCount, formatMoney, formatShare } from "../format";

const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const threeDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** A value of the metric for one customer on average: "£41.20", "12.5%" (who ordered), "0.42". */
export function formatMetricValue(metric: ExperimentMetric, value: number, currency: string): string {
  if (!Number.isFinite(value)) return "–";
  if (metric === "revenue") return formatMoney(value * 1000, currency);
  if (metric === "conversion") return formatShare(value);
  return twoDecimals.format(value);
}

/** The size of a difference, unsigned, with its unit: "£3.20 per customer", "1.5 percentage points", "0.04 orders per customer". */
export function formatMetricAmount(metric: ExperimentMetric, value: number, currency: string): string {
  const v = Math.abs(value);
  if (!Number.isFinite(v)) return "–";
  if (metric === "revenue") return `${formatMoney(v * 1000, currency)} per customer`;
  if (metric === "conversion") return `${(v * 100).toFixed(1)} percentage points`;
  return `${twoDecimals.format(v)} orders per customer`;
}

/** A signed difference without its unit ("+£3.20", "−1.5 pp", "+0.04"): intervals, tables, ticks. */
export function formatMetricChange(metric: ExperimentMetric, value: number, currency: string): string {
  if (!Number.isFinite(value)) return "–";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  const v = Math.abs(value);
  if (metric === "revenue") return `${sign}${formatMoney(v * 1000, currency)}`;
  if (metric === "conversion") return `${sign}${(v * 100).toFixed(1)} pp`;
  return `${sign}${twoDecimals.format(v)}`;
}

const tickFormats = new Map<string, Intl.NumberFormat>();

/**
 * Money on a chart axis, in the main unit: "£0", "£250", "£1,200", "£12K". Both fraction-digit
 * bounds are given: with only a maximum, Node's and Chromium's ICU disagree ("£0.0" against "£0"),
 * and a server-rendered chart must read the same after hydration.
 */
export function formatMoneyTick(value: number, currency: string): string {
  if (!Number.isFinite(value)) return "–";
  const digits = Number.isInteger(value) ? 0 : 2;
  const key = `${currency}:${digits}`;
  let f = tickFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      f = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    tickFormats.set(key, f);
  }
  if (Math.abs(value) >= 10_000) return `${f.format(Math.round(value / 1000))}K`.replace(/\.00K$/, "K");
  return f.format(value);
}

/** An amount of money in total (incremental revenue), signed: "+£1,234.56". */
export function formatSignedMoney(value: number, currency: string): string {
  if (!Number.isFinite(value)) return "–";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  return `${sign}${formatMoney(Math.abs(value) * 1000, currency)}`;
}

/** "−£2.10 to +£4.50" */
export function formatInterval(metric: ExperimentMetric, low: number, high: number, currency: string): string {
  return `${formatMetricChange(metric, low, currency)} to ${formatMetricChange(metric, high, currency)}`;
}

/** "p = 0.047", "p < 0.001". */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return "p not available";
  if (p < 0.001) return "p < 0.001";
  return `p = ${threeDecimals.format(Math.min(1, p))}`;
}

/** A relative change, "8%" (null when the baseline is 0). */
export function formatRelative(share: number | null): string | null {
  if (share === null || !Number.isFinite(share)) return null;
  return formatShare(Math.abs(share), Math.abs(share) < 0.1 ? 1 : 0);
}

/** The control share as the merchant typed it: 0.2 → "20%". */
export function formatControlShare(share: number): string {
  const pct = share * 100;
  return `${Number.isInteger(Math.round(pct * 10) / 10) ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** What the metric is, in a sentence's words: "revenue per customer". */
export const METRIC_WORDS: Record<ExperimentMetric, string> = {
  revenue: "revenue per customer",
  conversion: "the share of customers who ordered",
  orders: "orders per customer",
};

export const STATUS_LABEL: Record<ExperimentStatus, string> = {
  running: "Running",
  completed: "Completed",
  stopped: "Stopped",
  archived: "Archived",
};

/** Polaris Badge tones: running is in progress, completed reached its horizon, the others are done. */
export const STATUS_TONE: Record<ExperimentStatus, "info" | "success" | "attention" | undefined> = {
  running: "info",
  completed: "success",
  stopped: "attention",
  archived: undefined,
};

/** "12 of 90 days". */
export function formatProgress(daysElapsed: number, horizonDays: number): string {
  return `${formatCount(daysElapsed)} of ${formatCount(horizonDays)} days`;
}
