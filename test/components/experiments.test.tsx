// The experiments pages' components as server-rendered HTML, with realistic views (a 20 % holdout
// of ~4,300 customers, revenue in pounds): the design says what the split can detect before
// anything is saved, the form shows field errors and offers "Start" only for checked values, the
// results say which interval they show, what CUPED did, the checks, and draw a named chart per arm.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ExperimentAnalysis } from "../../app/analytics";
import type { ArmSeriesPoint, ExperimentDesignView, ExperimentResultsView, ExperimentSummary } from "../../app/domain/experiment";
import { ArmChart } from "../../app/components/experiments/arm-chart";
import { DesignCard, balanceLooksOff, detectSentence } from "../../app/components/experiments/design-card";
import { ExperimentForm, sameDraft, type ExperimentFormOptions, type ExperimentFormValues } from "../../app/components/experiments/experiment-form";
import { ExperimentsTable } from "../../app/components/experiments/experiments-table";
import { ExperimentResults } from "../../app/components/experiments/results";
import { formatInterval, formatMetricChange, formatMoneyTick, formatPValue } from "../../app/components/experiments/figures";

const html = (node: ReactNode) => renderToStaticMarkup(<AppProvider i18n={en}>{node}</AppProvider>);
/** The text of an element carrying this data-testid (tags stripped). */
function textOf(out: string, testId: string, attribute = "data-testid"): string {
  const start = out.indexOf(`${attribute}="${testId}"`);
  if (start < 0) return "";
  const open = out.lastIndexOf("<", start);
  const tag = /^<(\w+)/.exec(out.slice(open))![1]!;
  // Walk to the matching close tag of the same name.
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, "g");
  re.lastIndex = open;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return out.slice(open, m.index).replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }
  return "";
}

const design: ExperimentDesignView = {
  metric: "revenue",
  horizonDays: 90,
  controlShare: 0.2,
  cohort: 4339,
  nTreatment: 3471,
  nControl: 868,
  baselineMean: 412.5,
  mde: 88.4,
  cupedMde: 52.3,
  mdeRelative: 88.4 / 412.5,
  cupedMdeRelative: 52.3 / 412.5,
  expectedVarianceReduction: 0.65,
  plannedStandardError: 18.7,
  balance: { meanTreatment: 1810.2, meanControl: 1795.4, standardizedDifference: 0.004, pValue: 0.91 },
};

const summary: ExperimentSummary = {
  id: 7,
  name: "Autumn newsletter",
  slug: "autumn-newsletter",
  holdoutTag: "segmint:holdout-autumn-newsletter",
  segmentKey: null,
  targetName: "All customers",
  metric: "revenue",
  controlShare: 0.2,
  horizonDays: 90,
  startsOn: "2011-09-01",
  endsOn: "2011-11-29",
  status: "running",
  daysElapsed: 99 - 9,
  nTreatment: 3471,
  nControl: 868,
};

const analysis: ExperimentAnalysis = {
  liftPerCustomer: 6.1,
  ciLow: -31.4,
  ciHigh: 43.6,
  pValue: 0.75,
  standardError: 19.1,
  nTreatment: 3471,
  nControl: 868,
  meanTreatment: 420.3,
  meanControl: 409.2,
  method: "cuped",
  validity: "fixed-horizon",
  alpha: 0.05,
  theta: 0.21,
  varianceReduction: 0.62,
  unadjusted: { liftPerCustomer: 11.1, ciLow: -50.2, ciHigh: 72.4, pValue: 0.72, standardError: 31.3 },
  incrementalTotal: 6.1 * 3471,
  incrementalCiLow: -31.4 * 3471,
  incrementalCiHigh: 43.6 * 3471,
  srmPValue: 0.64,
  srmMismatch: false,
};

const series: ArmSeriesPoint[] = Array.from({ length: 90 }, (_, i) => ({
  day: new Date(Date.UTC(2011, 8, 1 + i)).toISOString().slice(0, 10),
  treatment: 4.7 * (i + 1),
  control: 4.55 * (i + 1),
}));

const view = (over: Partial<ExperimentResultsView> = {}): ExperimentResultsView => ({
  summary: { ...summary, status: "completed", daysElapsed: 90 },
  currency: "GBP",
  design,
  asOf: "2011-11-29",
  horizonReached: true,
  analysis,
  analysisNote: null,
  series,
  writeBackMode: "dry-run",
  ...over,
});

describe("DesignCard: what the experiment can detect, before saving", () => {
  it("says the CUPED MDE in money and as a share of the baseline, and the unadjusted one beside it", () => {
    const out = html(<DesignCard design={design} currency="GBP" />);
    const sentence = textOf(out, "experiment-mde-sentence");
    expect(sentence).toBe(detectSentence(design, "GBP"));
    expect(sentence).toContain("With 20% of 4,339 customers held out for 90 days");
    expect(sentence).toContain("£52.30 per customer");
    expect(sentence).toContain(`(${((52.3 / 412.5) * 100).toFixed(0)}%)`);
    expect(out).toContain("£88.40 per customer"); // without CUPED
    expect(out).toContain("65%"); // the noise CUPED removes
    expect(out).toContain("3,471 / 868");
  });

  it("says the groups are alike when the balance check passes, and warns when they are not", () => {
    expect(textOf(html(<DesignCard design={design} currency="GBP" />), "experiment-balance")).toContain("The two groups are alike");
    const skewed = { ...design, balance: { meanTreatment: 2100, meanControl: 1500, standardizedDifference: 0.18, pValue: 0.0004 } };
    expect(balanceLooksOff(skewed.balance)).toBe(true);
    const out = html(<DesignCard design={skewed} currency="GBP" />);
    expect(textOf(out, "experiment-balance")).toContain("differ more than a random split usually makes them");
    expect(textOf(out, "experiment-balance")).toContain("p < 0.001");
    // A wide gap that chance explains (a small held-out group) is said as such, not as a warning.
    const small = { ...design, balance: { meanTreatment: 4396, meanControl: 3756, standardizedDifference: 0.19, pValue: 0.159 } };
    expect(balanceLooksOff(small.balance)).toBe(false);
    expect(textOf(html(<DesignCard design={small} currency="GBP" />), "experiment-balance")).toContain("what chance gives groups this small");
  });

  it("speaks in percentage points for conversion and in orders for orders", () => {
    const conv = { ...design, metric: "conversion" as const, baselineMean: 0.31, mde: 0.052, cupedMde: 0.041, mdeRelative: 0.052 / 0.31, cupedMdeRelative: 0.041 / 0.31 };
    expect(detectSentence(conv, "GBP")).toContain("4.1 percentage points (13%)");
    const orders = { ...conv, metric: "orders" as const, cupedMde: 0.12, cupedMdeRelative: null };
    expect(detectSentence(orders, "GBP")).toContain("0.12 orders per customer or more");
  });

  it("does not claim to detect a lift of £0.00 when the baseline has no spread (customers with no order before the start)", () => {
    const flat = { ...design, baselineMean: 0, mde: 0, cupedMde: 0, mdeRelative: null, cupedMdeRelative: null, expectedVarianceReduction: 0 };
    const out = html(<DesignCard design={flat} currency="GBP" />);
    expect(textOf(out, "experiment-mde-sentence")).toContain("cannot be estimated from their past");
    expect(out).not.toContain("would take");
  });
});

const options: ExperimentFormOptions = {
  segments: [
    { key: "seg-champions", name: "Champions", customers: 612 },
    { key: "seg-at-risk", name: "At risk", customers: 1034 },
  ],
  allCustomers: 4339,
  currency: "GBP",
  writeBackMode: "dry-run",
  defaults: { name: "", segmentKey: "all", controlShare: "10", metric: "revenue", horizonDays: "30" },
};
const values: ExperimentFormValues = { name: "Autumn newsletter", segmentKey: "seg-at-risk", controlShare: "20", metric: "revenue", horizonDays: "90" };
const noop = () => undefined;

describe("ExperimentForm", () => {
  const form = (over: Partial<Parameters<typeof ExperimentForm>[0]> = {}) =>
    html(<ExperimentForm options={options} values={values} onChange={noop} design={null} designIsCurrent={false} busy={null} onCheck={noop} onStart={noop} {...over} />);

  it("offers every segment with its size and all customers as targets, and shows the holdout tag the name gives", () => {
    const out = form();
    expect(out).toContain("All customers (4,339)");
    expect(out).toContain("Champions (612 customers)");
    expect(out).toMatch(/<option value="seg-at-risk" selected="">At risk \(1,034 customers\)<\/option>/);
    expect(out).toContain("…:holdout-autumn-newsletter");
  });

  it("offers Start only once the figures were checked for exactly these values", () => {
    const startDisabled = (out: string) => /<button[^>]*>/.exec(out.slice(out.indexOf('data-testid="experiment-start"')))![0].includes('aria-disabled="true"');
    expect(startDisabled(form())).toBe(true);
    expect(textOf(form(), "experiment-start-hint")).toContain("Check what it can detect first");
    const checked = form({ design, designIsCurrent: true });
    expect(startDisabled(checked)).toBe(false);
    expect(checked).toContain('data-testid="experiment-draft-design"');
    const stale = form({ design, designIsCurrent: false });
    expect(startDisabled(stale)).toBe(true);
    expect(stale).toContain('data-testid="experiment-draft-design-stale"');
    expect(textOf(stale, "experiment-start-hint")).toContain("check again");
    expect(sameDraft(values, { ...values, horizonDays: " 90 " })).toBe(true);
    expect(sameDraft(values, { ...values, controlShare: "25" })).toBe(false);
    expect(sameDraft(values, null)).toBe(false);
  });

  it("puts each refusal next to its field (aria-invalid, the message linked to the input)", () => {
    const out = form({ errors: { controlShare: "Hold out between 1 and 50 %.", horizonDays: "A horizon of 7 to 180 days." } });
    const input = /<input[^>]*name="controlShare"[^>]*>/.exec(out)![0];
    expect(input).toContain('aria-invalid="true"');
    const describedBy = /aria-describedby="([^"]+)"/.exec(input)![1]!.split(" ");
    const messages = describedBy.map((id) => textOf(out, id, "id")).join(" ");
    expect(messages).toContain("Hold out between 1 and 50 %.");
    expect(/<input[^>]*name="name"[^>]*>/.exec(out)![0]).not.toContain("aria-invalid=\"true\"");
    expect(out).toContain("A horizon of 7 to 180 days.");
  });

  it("warns that the holdout tag is not written unless write-back is live, with a link to Settings", () => {
    const out = form();
    expect(textOf(out, "experiment-write-back-notice")).toContain("dry-run mode");
    expect(out).toMatch(/data-testid="experiment-write-back-notice"[^]*href="\/app\/settings"/);
    expect(form({ options: { ...options, writeBackMode: "live" } })).not.toContain("experiment-write-back-notice");
  });
});

describe("ExperimentsTable", () => {
  it("one row per experiment: its link, target, share held out, status, days so far and arm sizes", () => {
    const stopped: ExperimentSummary = { ...summary, id: 9, name: "Winback", targetName: "At risk", metric: "conversion", controlShare: 0.1, status: "stopped", daysElapsed: 12, nTreatment: 931, nControl: 103 };
    const out = html(<ExperimentsTable experiments={[summary, stopped]} />);
    expect(out.match(/<tr[^>]*class="[^"]*Polaris-IndexTable__TableRow/g)).toHaveLength(2);
    expect(out).toMatch(/data-testid="experiment-link-7"[^]*?href="\/app\/experiments\/7"[^>]*>Autumn newsletter</);
    // (Polaris badges start with their tone for screen readers: "Info Running".)
    expect(textOf(out, "experiment-status-7")).toMatch(/Running$/);
    expect(textOf(out, "experiment-status-9")).toMatch(/Stopped$/);
    expect(textOf(out, "experiment-treatment-9")).toBe("931");
    expect(textOf(out, "experiment-control-7")).toBe("868");
    expect(out).toContain("90 of 90 days");
    expect(out).toContain("12 of 90 days");
    expect(out).toContain(">10%<");
  });
});

describe("ExperimentResults", () => {
  it("at the horizon: the fixed-horizon result, with the lift, its interval and p-value as the figures say", () => {
    const out = html(<ExperimentResults view={view()} />);
    expect(textOf(out, "experiment-lift-value")).toBe(formatMetricChange("revenue", analysis.liftPerCustomer, "GBP"));
    expect(textOf(out, "experiment-lift-interval")).toBe(formatInterval("revenue", analysis.ciLow, analysis.ciHigh, "GBP"));
    expect(textOf(out, "experiment-lift-interval")).toBe("−£31.40 to +£43.60");
    expect(textOf(out, "experiment-lift-p")).toBe(formatPValue(0.75));
    expect(textOf(out, "experiment-validity")).toContain("Fixed-horizon result");
    // An interval across zero at the horizon: no detectable difference, an info banner.
    expect(out).toMatch(/data-testid="experiment-verdict" data-tone="info"/);
    expect(textOf(out, "experiment-verdict")).toContain("No detectable difference");
  });

  it("before the horizon with the always-valid interval: says any day may be checked", () => {
    const early = view({ horizonReached: false, analysis: { ...analysis, validity: "always-valid", method: "cuped+always-valid" }, summary: { ...summary, daysElapsed: 30 } });
    const out = html(<ExperimentResults view={early} />);
    expect(textOf(out, "experiment-validity")).toContain("you may check any day");
    expect(textOf(out, "experiment-verdict")).toContain("Not clear yet");
  });

  it("a lift whose interval is above zero is a success banner", () => {
    const won = { ...analysis, liftPerCustomer: 40, ciLow: 12, ciHigh: 68, pValue: 0.004, incrementalTotal: 40 * 3471, incrementalCiLow: 12 * 3471, incrementalCiHigh: 68 * 3471 };
    const out = html(<ExperimentResults view={view({ analysis: won })} />);
    expect(out).toMatch(/data-testid="experiment-verdict" data-tone="success"/);
    expect(textOf(out, "experiment-incremental-total")).toBe("+£138,840.00");
    expect(textOf(out, "experiment-incremental-interval")).toBe("95% interval +£41,652.00 to +£236,028.00");
  });

  it("reports CUPED's variance reduction, how much narrower it made the interval, and the unadjusted interval", () => {
    const out = html(<ExperimentResults view={view()} />);
    expect(textOf(out, "experiment-variance-reduction")).toContain("removed 62% of the noise");
    const ratio = ((43.6 + 31.4) / (72.4 + 50.2)).toFixed(2);
    expect(textOf(out, "experiment-cuped")).toContain(`${ratio}× as wide`);
    expect(textOf(out, "experiment-unadjusted")).toBe("+£11.10 (−£50.20 to +£72.40), p = 0.720");
  });

  it("the sample-ratio check: plain when the split is as planned, a critical banner on a mismatch", () => {
    expect(html(<ExperimentResults view={view()} />)).toMatch(/data-testid="experiment-srm" data-mismatch="false"/);
    const broken = html(<ExperimentResults view={view({ analysis: { ...analysis, nControl: 700, srmPValue: 0.00001, srmMismatch: true } })} />);
    expect(textOf(broken, "experiment-srm")).toContain("The split is not what was planned");
    expect(broken).toMatch(/data-testid="experiment-verdict" data-tone="warning"/);
  });

  it("shows the holdout tag, the segment it feeds, and that the tag is not written outside live mode", () => {
    const out = html(<ExperimentResults view={view({ summary: { ...summary } })} />);
    expect(textOf(out, "experiment-holdout-tag")).toBe("segmint:holdout-autumn-newsletter");
    expect(textOf(out, "experiment-shopify-segment")).toContain('"Segmint · All customers without holdout autumn-newsletter"');
    expect(textOf(out, "experiment-holdout")).toContain("not written to Shopify");
    expect(textOf(html(<ExperimentResults view={view({ summary: { ...summary }, writeBackMode: "live" })} />), "experiment-holdout")).toContain("Write-back is live");
  });

  it("before the first full day: says when figures appear, and the chart says it has no data", () => {
    const out = html(<ExperimentResults view={view({ analysis: null, series: [], horizonReached: false })} />);
    expect(textOf(out, "experiment-verdict")).toContain("No results yet");
    expect(textOf(out, "experiment-verdict")).toContain("after the experiment's first full day (it started 1 Sep 2011)");
    const note = html(<ExperimentResults view={view({ analysis: null, analysisNote: "Each group needs at least 2 customers.", horizonReached: false })} />);
    expect(textOf(note, "experiment-verdict")).toContain("Each group needs at least 2 customers.");
    expect(out).not.toContain('data-testid="experiment-lift"');
    expect(out).toContain("No data for this chart");
  });
});

describe("money ticks read the same on the server and in the browser", () => {
  it("money ticks give both fraction bounds (Node's ICU wrote '£0.0' where Chromium writes '£0')", () => {
    expect([0, 200, 1250, 2.5, 12_000, 250_000].map((v) => formatMoneyTick(v, "GBP"))).toEqual(["£0", "£200", "£1,250", "£2.50", "£12K", "£250K"]);
  });
});

describe("ArmChart: the cumulative metric per customer of each arm", () => {
  const out = renderToStaticMarkup(<ArmChart metric="revenue" currency="GBP" series={series} summary="By group since the start." testId="chart-experiment-arms" />);

  it("is a named image with one line per arm, the held-out line dashed", () => {
    const svg = /<svg[^>]*>/.exec(out)![0];
    expect(svg).toContain('role="img"');
    const titleId = /aria-labelledby="([^"]+)"/.exec(svg)![1]!;
    expect(new RegExp(`id="${titleId}">Cumulative result per customer, by group<`).test(out)).toBe(true);
    const lines = [...out.matchAll(/<path[^>]*class="[^"]*segmint-chart-line[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(lines).toHaveLength(2);
    const control = lines.find((l) => l.includes('data-series="control"'))!;
    const treatment = lines.find((l) => l.includes('data-series="treatment"'))!;
    expect(control).toContain("stroke-dasharray");
    expect(treatment).not.toContain("stroke-dasharray");
    // One vertex per day on each line.
    expect(/ d="([^"]+)"/.exec(treatment)![1]!.match(/[ML]/g)).toHaveLength(series.length);
    // The campaign group's line ends higher (smaller y) than the held-out one: it accumulated more.
    const lastY = (l: string) => Number(/ d="[^"]*[ML][\d.]+,([\d.]+)"/.exec(l)![1]);
    expect(lastY(treatment)).toBeLessThan(lastY(control));
  });

  it("has a table fallback with a row per day and the difference", () => {
    const rows = [...(/<tbody>(.*?)<\/tbody>/s.exec(out)![1]!).matchAll(/<tr>(.*?)<\/tr>/gs)];
    expect(rows).toHaveLength(series.length);
    const last = [...rows.at(-1)![1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]);
    expect(last).toEqual(["29 Nov 2011", "90", "£423.00", "£409.50", "+£13.50"]);
  });
});
