// An experiment's result in words a merchant understands (the results page and the CLI say the
// same thing). Pure: the analysis in, one tone, a headline and a detail out. The order of the
// checks is the order of trust: a broken split first (nothing else can be believed then), then
// an interval clear of zero, then "not clear yet" before the horizon or "no detectable
// difference" at it.
import type { ExperimentAnalysis } from "../analytics";
import type { ExperimentMetric } from "./experiment";

export type VerdictTone = "success" | "critical" | "warning" | "info";

export interface ExperimentVerdict {
  readonly tone: VerdictTone;
  readonly headline: string;
  readonly detail: string;
}

/**
 * Formats an amount of money in the currency's main unit (the analysis's unit: 4.2 = £4.20).
 * `whole` asks for no decimals (rounded totals); a formatter may ignore it.
 */
export type VerdictMoneyFormat = (amount: number, whole?: boolean) => string;

export interface VerdictContext {
  readonly metric: ExperimentMetric;
  /** The experiment has run its whole horizon (the CLI: the file is the final look). */
  readonly horizonReached: boolean;
  /** The horizon's last day, as the page shows dates; used in "keep it running until …". */
  readonly endsOn?: string;
  /** Money, for the revenue metric. */
  readonly format: VerdictMoneyFormat;
  /** The planned control share (0–1), to say what the split should have been. */
  readonly controlShare?: number;
}

const MINUS = "\u2212";
const decimals2 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const decimals1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
// p-values as the results page's figures write them: "0.104", "0.400".
const decimals3 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const significant2 = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 2 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Below 1, two significant digits ("0.05", "0.0031", "0.25"), so a small figure never reads as 0; else `fixed`. */
function small(n: number, fixed: Intl.NumberFormat): string {
  return n !== 0 && Math.abs(n) < 1 ? significant2.format(n) : fixed.format(n);
}

/** 3,123.4 → 3,100: a total is "about" this much, its interval being wide. */
function roundSignificant(n: number, digits = 2): number {
  if (n === 0 || !Number.isFinite(n)) return n;
  const scale = 10 ** (Math.floor(Math.log10(Math.abs(n))) - digits + 1);
  return Math.round(n / scale) * scale;
}

/** How each metric's difference per customer, interval bounds and total read. */
interface MetricWords {
  /** A magnitude per customer, no sign ("4.20", "1.2", "0.05"). */
  readonly amount: (n: number) => string;
  /** What follows a lift or a range: " per customer", " percentage points". */
  readonly perCustomer: string;
  /** What follows an interval's bounds ("" for money and orders). */
  readonly intervalUnit: string;
  /** An arm's mean: "£12.40", "12.3 %", "1.4 orders". */
  readonly mean: (n: number) => string;
  /** The incremental total, a positive magnitude: "about £3,100 more in total". */
  readonly totalMore: (n: number) => string;
  readonly totalLess: (n: number) => string;
  readonly more: string;
  readonly less: string;
  /** "revenue per customer" */
  readonly what: string;
}

function wordsFor(metric: ExperimentMetric, format: VerdictMoneyFormat): MetricWords {
  if (metric === "conversion") {
    const customers = (n: number, word: string): string => `${whole.format(Math.round(n))} ${word} ${Math.round(n) === 1 ? "customer" : "customers"}`;
    return {
      amount: (n) => small(n * 100, decimals1),
      perCustomer: " percentage points",
      intervalUnit: " points",
      mean: (n) => `${small(n * 100, decimals1)} %`,
      totalMore: (n) => `about ${customers(n, "more")} ordered in total`,
      totalLess: (n) => `about ${customers(n, "fewer")} ordered in total`,
      more: "More customers ordered",
      less: "Fewer customers ordered",
      what: "share of customers who ordered",
    };
  }
  if (metric === "orders") {
    const orders = (n: number, word: string): string => `${whole.format(Math.round(n))} ${word} ${Math.round(n) === 1 ? "order" : "orders"}`;
    return {
      amount: (n) => small(n, decimals2),
      perCustomer: " orders per customer",
      intervalUnit: "",
      mean: (n) => `${small(n, decimals2)} ${n === 1 ? "order" : "orders"}`,
      totalMore: (n) => `about ${orders(n, "more")} in total`,
      totalLess: (n) => `about ${orders(n, "fewer")} in total`,
      more: "Customers ordered more",
      less: "Customers ordered less",
      what: "orders per customer",
    };
  }
  return {
    amount: (n) => format(n),
    perCustomer: " per customer",
    intervalUnit: "",
    mean: (n) => (n < 0 ? `${MINUS}${format(-n)}` : format(n)),
    totalMore: (n) => `about ${format(roundSignificant(n), true)} more in total`,
    totalLess: (n) => `about ${format(roundSignificant(n), true)} less in total`,
    more: "The campaign earned more",
    less: "The campaign earned less",
    what: "revenue per customer",
  };
}

function signed(n: number, amount: (n: number) => string): string {
  return n < 0 ? `${MINUS}${amount(-n)}` : `+${amount(n)}`;
}

function bound(n: number, amount: (n: number) => string): string {
  return n < 0 ? `${MINUS}${amount(-n)}` : amount(n);
}

/** "95 %" from alpha 0.05; "90 %", "99.5 %". */
function level(alpha: number): string {
  return `${decimals1.format((1 - alpha) * 100)} %`;
}

function pText(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${decimals3.format(Math.min(1, p))}`;
}

function share(n: number): string {
  return `${decimals1.format(n * 100)} %`;
}

export function experimentVerdict(analysis: ExperimentAnalysis, context: VerdictContext): ExperimentVerdict {
  const a = analysis;
  const w = wordsFor(context.metric, context.format);
  const interval = `${level(a.alpha)} interval ${bound(a.ciLow, w.amount)} to ${bound(a.ciHigh, w.amount)}${w.intervalUnit}`;
  const lift = `${signed(a.liftPerCustomer, w.amount)}${w.perCustomer}`;

  if (a.srmMismatch) {
    const n = a.nTreatment + a.nControl;
    const planned = context.controlShare === undefined ? "" : ` where ${share(context.controlShare)} was planned`;
    return {
      tone: "warning",
      headline: "The split is not what was planned: do not trust this result",
      detail:
        `${whole.format(a.nControl)} customers are in the control group and ${whole.format(a.nTreatment)} in the treatment group: ` +
        `${n > 0 ? share(a.nControl / n) : "0 %"} in control${planned} (sample-ratio test ${pText(a.srmPValue)}). ` +
        "Chance does not move customers between the groups like this: something added or removed customers from one of them. " +
        "Check that the holdout tag reached every control customer and that the campaign excluded them, then read the figures again.",
    };
  }

  const figures = [a.liftPerCustomer, a.ciLow, a.ciHigh];
  if (!figures.every(Number.isFinite)) {
    return {
      tone: "info",
      headline: "Not enough data to tell",
      detail: "The groups are too small or their outcomes do not vary, so no interval can be computed yet.",
    };
  }

  // A fixed-horizon interval read before the horizon is not yet the pre-registered answer.
  const early =
    !context.horizonReached && a.validity === "fixed-horizon"
      ? ` This interval is only valid at the horizon${context.endsOn ? ` (${context.endsOn})` : ""}: read it again then.`
      : "";
  const means = `The treatment group's ${w.what} is ${w.mean(a.meanTreatment)}, the control group's ${w.mean(a.meanControl)}.`;

  if (a.ciLow > 0 || a.ciHigh < 0) {
    const up = a.ciLow > 0;
    const total = up ? w.totalMore(a.incrementalTotal) : w.totalLess(-a.incrementalTotal);
    return {
      tone: up ? "success" : "critical",
      headline: `${up ? w.more : w.less}: ${lift} (${interval}), ${total}`,
      detail:
        `${means} The whole interval is ${up ? "above" : "below"} zero, so the difference is unlikely to be chance (${pText(a.pValue)}). ` +
        (up ? "The campaign worked for this audience." : "The customers who got the campaign did worse than the holdout: consider stopping it.") +
        early,
    };
  }

  if (!context.horizonReached) {
    const until = context.endsOn ? `until ${context.endsOn}` : "until its horizon";
    return {
      tone: "info",
      headline: `Not clear yet: keep it running ${until}`,
      detail:
        `So far the difference is ${lift} (${interval}). The interval still includes zero, so the campaign may have earned more, less or nothing. ` +
        `Keep it running ${until}; stopping on a good-looking day would overstate the effect.` +
        early,
    };
  }

  return {
    tone: "info",
    headline: "No detectable difference",
    detail:
      `The effect is between ${bound(a.ciLow, w.amount)} and ${bound(a.ciHigh, w.amount)}${w.perCustomer} (${level(a.alpha)} interval; estimate ${lift}, ${pText(a.pValue)}). ` +
      "The campaign may have an effect smaller than this experiment could detect; an effect outside that range is unlikely.",
  };
}
