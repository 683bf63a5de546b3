// One experiment's results: the verdict in words, the lift per customer with its 95 % interval and
// p-value (and which kind of interval it is), what CUPED bought, the incremental total, the checks
// (sample ratio, balance), the design figures, the holdout tag and the Shopify segment it feeds,
// and the cumulative metric per arm. Presentational: the page passes the view and the actions.
import { Banner, BlockStack, Card, DescriptionList, InlineGrid, Link, Text } from "@shopify/polaris";
import type { ExperimentAnalysis } from "../../analytics";
import type { ExperimentMetric, ExperimentResultsView } from "../../domain/experiment";
import { experimentVerdict } from "../../domain/experiment-verdict";
import { formatCount, formatDay, formatDays, formatMoney, formatShare } from "../format";
import { ArmChart } from "./arm-chart";
import { DesignCard } from "./design-card";
import {
  METRIC_WORDS, formatControlShare, formatInterval, formatMetricChange, formatMetricValue, formatPValue, formatSignedMoney,
} from "./figures";

/** The verdict's money: the currency's main unit, whole units for rounded totals. */
function moneyFormat(currency: string) {
  return (amount: number, whole?: boolean) => {
    const text = formatMoney(amount * 1000, currency);
    return whole ? text.replace(/\.\d+$/, "") : text;
  };
}

export function VerdictBanner({ view }: { view: ExperimentResultsView }) {
  const { analysis, summary } = view;
  if (!analysis) {
    return (
      <div data-testid="experiment-verdict">
        <Banner tone="info" title="No results yet">
          <p>{view.analysisNote ?? `The first figures appear after the experiment's first full day (it started ${formatDay(summary.startsOn)}).`}</p>
        </Banner>
      </div>
    );
  }
  const verdict = experimentVerdict(analysis, {
    metric: summary.metric,
    horizonReached: view.horizonReached,
    endsOn: formatDay(summary.endsOn),
    format: moneyFormat(view.currency),
    controlShare: summary.controlShare,
  });
  return (
    <div data-testid="experiment-verdict" data-tone={verdict.tone}>
      <Banner tone={verdict.tone} title={verdict.headline}>
        <p>{verdict.detail}</p>
      </Banner>
    </div>
  );
}

/** What kind of interval the page shows, and why. */
export function validityWords(analysis: ExperimentAnalysis, view: ExperimentResultsView): string {
  if (analysis.validity === "always-valid") {
    return (
      `Always-valid interval: you may check any day. It is wider than a one-look interval so that looking every day does not make chance look like a result; ` +
      `from ${formatDay(view.summary.endsOn)} the page shows the fixed-horizon result instead.`
    );
  }
  return view.horizonReached
    ? `Fixed-horizon result: the analysis planned when the experiment started, read at its horizon (${formatDays(view.summary.horizonDays)}).`
    : "Fixed-horizon interval, read before the horizon: it is only valid at the horizon.";
}

function Figure({ label, value, testId, note }: { label: string; value: string; testId: string; note?: string }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        <span data-testid={testId}>{value}</span>
      </Text>
      {note && (
        <Text as="p" variant="bodySm" tone="subdued">
          {note}
        </Text>
      )}
    </BlockStack>
  );
}

export function LiftCard({ analysis, view }: { analysis: ExperimentAnalysis; view: ExperimentResultsView }) {
  const { metric } = view.summary;
  const c = view.currency;
  const relative = analysis.meanControl > 0 ? `, ${formatShareSigned(analysis.liftPerCustomer / analysis.meanControl)} of the held-out group's level` : "";
  return (
    <Card>
      <div data-testid="experiment-lift">
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {`Difference in ${METRIC_WORDS[metric]}, as of ${formatDay(view.asOf)}`}
          </Text>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Figure label="Lift per customer" value={formatMetricChange(metric, analysis.liftPerCustomer, c)} testId="experiment-lift-value" note={`campaign group minus held out${relative}`} />
            <Figure label={`${Math.round((1 - analysis.alpha) * 100)}% interval`} value={formatInterval(metric, analysis.ciLow, analysis.ciHigh, c)} testId="experiment-lift-interval" />
            <Figure label="p-value" value={formatPValue(analysis.pValue)} testId="experiment-lift-p" note="The chance of a difference this large if the campaign did nothing." />
          </InlineGrid>
          <div data-testid="experiment-validity">
            <Text as="p">{validityWords(analysis, view)}</Text>
          </div>
          <Text as="p" tone="subdued">
            {`Campaign group: ${formatMetricValue(metric, analysis.meanTreatment, c)} ${perCustomerWords(metric)} (${formatCount(analysis.nTreatment)} customers). ` +
              `Held out: ${formatMetricValue(metric, analysis.meanControl, c)} (${formatCount(analysis.nControl)} customers).`}
          </Text>
        </BlockStack>
      </div>
    </Card>
  );
}

function formatShareSigned(share: number): string {
  if (!Number.isFinite(share)) return "–";
  return `${share > 0 ? "+" : share < 0 ? "−" : ""}${formatShare(Math.abs(share))}`;
}

function perCustomerWords(metric: ExperimentMetric): string {
  return metric === "conversion" ? "ordered" : metric === "orders" ? "orders per customer" : "per customer";
}

export function CupedCard({ analysis, view }: { analysis: ExperimentAnalysis; view: ExperimentResultsView }) {
  const { metric } = view.summary;
  const c = view.currency;
  const u = analysis.unadjusted;
  const used = analysis.theta !== null;
  const ratio = u.ciHigh - u.ciLow > 0 ? (analysis.ciHigh - analysis.ciLow) / (u.ciHigh - u.ciLow) : null;
  return (
    <Card>
      <div data-testid="experiment-cuped">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Adjusting for each customer's past (CUPED)
          </Text>
          {used ? (
            <Text as="p">
              <span data-testid="experiment-variance-reduction">
                {`Using each customer's ${METRIC_WORDS[metric]} in the year before the start removed ${formatShare(Math.max(0, analysis.varianceReduction), 0)} of the noise`}
              </span>
              {ratio !== null ? `, so the interval is ${ratio.toFixed(2)}× as wide as without the adjustment.` : "."}
            </Text>
          ) : (
            <Text as="p">The past values were not available for every customer, so the result is the plain difference between the groups.</Text>
          )}
          <DescriptionList
            items={[
              { term: used ? "With CUPED (shown above)" : "Difference", description: `${formatMetricChange(metric, analysis.liftPerCustomer, c)} (${formatInterval(metric, analysis.ciLow, analysis.ciHigh, c)}), ${formatPValue(analysis.pValue)}` },
              {
                term: "Unadjusted difference",
                description: (
                  <span data-testid="experiment-unadjusted">{`${formatMetricChange(metric, u.liftPerCustomer, c)} (${formatInterval(metric, u.ciLow, u.ciHigh, c)}), ${formatPValue(u.pValue)}`}</span>
                ),
              },
            ]}
          />
          <Text as="p" tone="subdued">
            Customers who spent more before tend to spend more after, whichever group they are in; taking that out leaves less noise around the campaign's effect (Deng et al., 2013).
          </Text>
        </BlockStack>
      </div>
    </Card>
  );
}

export function IncrementalCard({ analysis, view }: { analysis: ExperimentAnalysis; view: ExperimentResultsView }) {
  const { metric } = view.summary;
  const c = view.currency;
  const total = (v: number) => (metric === "revenue" ? formatSignedMoney(v, c) : `${v > 0 ? "+" : v < 0 ? "−" : ""}${formatCount(Math.round(Math.abs(v)))}`);
  const unit = metric === "revenue" ? "" : metric === "conversion" ? " customers who ordered" : " orders";
  return (
    <Card>
      <div data-testid="experiment-incremental">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {metric === "revenue" ? "Incremental revenue in total" : metric === "conversion" ? "Extra customers who ordered, in total" : "Extra orders in total"}
          </Text>
          <Text as="p" variant="headingLg">
            <span data-testid="experiment-incremental-total">{`${total(analysis.incrementalTotal)}${unit}`}</span>
          </Text>
          <Text as="p">
            <span data-testid="experiment-incremental-interval">{`${Math.round((1 - analysis.alpha) * 100)}% interval ${total(analysis.incrementalCiLow)} to ${total(analysis.incrementalCiHigh)}${unit}`}</span>
          </Text>
          <Text as="p" tone="subdued">
            {`The lift per customer times the ${formatCount(analysis.nTreatment)} customers in the campaign group.`}
          </Text>
        </BlockStack>
      </div>
    </Card>
  );
}

export function ChecksCard({ analysis, view }: { analysis: ExperimentAnalysis; view: ExperimentResultsView }) {
  const n = analysis.nTreatment + analysis.nControl;
  const actual = n > 0 ? analysis.nControl / n : 0;
  const srm =
    `${formatCount(analysis.nTreatment)} in the campaign group and ${formatCount(analysis.nControl)} held out: ${formatShare(actual)} held out where ${formatControlShare(view.summary.controlShare)} was planned ` +
    `(sample-ratio test ${formatPValue(analysis.srmPValue)}).`;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Checks
        </Text>
        <div data-testid="experiment-srm" data-mismatch={analysis.srmMismatch ? "true" : "false"}>
          {analysis.srmMismatch ? (
            <Banner tone="critical" title="The split is not what was planned">
              <p>{srm} A test this small (below 0.001) means customers were added to or lost from one group: the result cannot be trusted until that is explained.</p>
            </Banner>
          ) : (
            <Text as="p">{`Split: ${srm} That is what a random split gives.`}</Text>
          )}
        </div>
        <BalanceCheckLine view={view} />
      </BlockStack>
    </Card>
  );
}

function BalanceCheckLine({ view }: { view: ExperimentResultsView }) {
  const b = view.design.balance;
  return (
    <div data-testid="experiment-results-balance">
      <Text as="p">
        {`Balance: in the year before the start, the campaign group spent ${formatMoney(b.meanTreatment * 1000, view.currency)} per customer and the held-out group ` +
          `${formatMoney(b.meanControl * 1000, view.currency)} (${formatPValue(b.pValue)}).`}
      </Text>
    </div>
  );
}

/** The Shopify segment the write-back keeps for a running experiment (docs/write-back.md, "Holdouts"). */
export function holdoutSegmentName(summary: ExperimentResultsView["summary"]): string {
  return `Segmint · ${summary.targetName} without holdout ${summary.slug}`;
}

export function HoldoutCard({ view }: { view: ExperimentResultsView }) {
  const { summary } = view;
  const live = view.writeBackMode === "live";
  const active = summary.status === "running" || summary.status === "completed";
  return (
    <Card>
      <div data-testid="experiment-holdout">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Holdout in Shopify
          </Text>
          <DescriptionList
            items={[
              { term: "Holdout tag", description: <code data-testid="experiment-holdout-tag">{summary.holdoutTag}</code> },
              {
                term: "Shopify segment",
                description: (
                  <span data-testid="experiment-shopify-segment">
                    {`"${holdoutSegmentName(summary)}": the target customers without the holdout tag. Send the campaign to this segment (Customers › Segments), and every marketing tool leaves the held-out group out the same way.`}
                  </span>
                ),
              },
            ]}
          />
          {!active ? (
            <Text as="p" tone="subdued">
              The experiment is over: stopping it removed the holdout from Shopify (the tag and the segment, through a write-back pass in live mode).
            </Text>
          ) : live ? (
            <Text as="p" tone="subdued">
              Write-back is live: the held-out customers carry the tag, and the segment is kept in Shopify (when Shopify segments are on in Settings) while the experiment runs.
            </Text>
          ) : (
            <Banner tone="warning" title="The holdout tag is not written to Shopify">
              <p>
                Write-back is {view.writeBackMode === "off" ? "off" : "in dry-run mode"}, so marketing tools cannot exclude the held-out customers yet. <Link url="/app/settings">Switch write-back to live in Settings</Link>.
              </p>
            </Banner>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}

export function ResultsChart({ view }: { view: ExperimentResultsView }) {
  const { metric } = view.summary;
  const last = view.series[view.series.length - 1];
  const summary = last
    ? `${METRIC_WORDS[metric][0]!.toUpperCase()}${METRIC_WORDS[metric].slice(1)} accumulated since the start, by group, up to ${formatDay(last.day)}: ` +
      `${formatMetricValue(metric, last.treatment, view.currency)} in the campaign group and ${formatMetricValue(metric, last.control, view.currency)} held out. Lines that stay together mean no visible effect.`
    : "No full day of data yet.";
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Day by day
        </Text>
        <ArmChart metric={metric} currency={view.currency} series={view.series} summary={summary} testId="chart-experiment-arms" />
      </BlockStack>
    </Card>
  );
}

export function ExperimentResults({ view }: { view: ExperimentResultsView }) {
  const { analysis } = view;
  return (
    <BlockStack gap="400">
      <VerdictBanner view={view} />
      {analysis && <LiftCard analysis={analysis} view={view} />}
      {analysis && (
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <CupedCard analysis={analysis} view={view} />
          <IncrementalCard analysis={analysis} view={view} />
        </InlineGrid>
      )}
      <ResultsChart view={view} />
      {analysis && <ChecksCard analysis={analysis} view={view} />}
      <DesignCard design={view.design} currency={view.currency} title="What it was designed to detect" />
      <HoldoutCard view={view} />
    </BlockStack>
  );
}
