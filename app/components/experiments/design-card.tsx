// What an experiment can detect, in the merchant's words: shown before it starts ("Check what it
// can detect") and kept on its results page. The figures come from the pre-period: the smallest
// lift the split would find 8 times in 10 (80 % power, 5 % two-sided), without and with CUPED, and
// whether the two groups looked alike before the start (balance check).
import { Banner, BlockStack, Card, DescriptionList, Text } from "@shopify/polaris";
import type { ExperimentDesignView } from "../../domain/experiment";
import { formatCount, formatDays, formatMoney, formatShare } from "../format";
import { METRIC_WORDS, formatControlShare, formatMetricAmount, formatMetricValue, formatPValue, formatRelative } from "./figures";

/** Below this p-value the groups differ more than a random split usually makes them. */
const BALANCE_P = 0.01;
/** A standardised difference above this is worth a word even when chance explains it (small groups). */
const BALANCE_SMD = 0.1;

/** "With 20% of 4,339 customers held out for 90 days you can detect a lift of £3.20 per customer (8%) or more." */
export function detectSentence(design: ExperimentDesignView, currency: string): string {
  if (!(design.cupedMde > 0) || !Number.isFinite(design.cupedMde)) {
    // No spread in the baseline (e.g. lapsed customers with no order in the window): nothing to size with.
    return (
      `These ${formatCount(design.cohort)} customers show no variation in ${METRIC_WORDS[design.metric]} over the ${formatDays(design.horizonDays)} before the start, ` +
      "so what the experiment can detect cannot be estimated from their past. It can still run; its interval will say what it found."
    );
  }
  const relative = formatRelative(design.cupedMdeRelative);
  return (
    `With ${formatControlShare(design.controlShare)} of ${formatCount(design.cohort)} customers held out for ${formatDays(design.horizonDays)}, ` +
    `you can detect a lift of ${formatMetricAmount(design.metric, design.cupedMde, currency)}${relative ? ` (${relative})` : ""} or more.`
  );
}

/** The same without CUPED, to show what the adjustment buys. */
export function withoutCupedSentence(design: ExperimentDesignView, currency: string): string | null {
  if (!(design.mde > 0) || !Number.isFinite(design.mde)) return null;
  const relative = formatRelative(design.mdeRelative);
  const reduction = formatShare(Math.max(0, design.expectedVarianceReduction), 0);
  return (
    `Without adjusting for each customer's own past (CUPED, which removes about ${reduction} of the noise here), ` +
    `it would take ${formatMetricAmount(design.metric, design.mde, currency)}${relative ? ` (${relative})` : ""}.`
  );
}

export function balanceLooksOff(balance: ExperimentDesignView["balance"]): boolean {
  return balance.pValue < BALANCE_P;
}

export function BalanceCheck({ balance, currency }: { balance: ExperimentDesignView["balance"]; currency: string }) {
  const off = balanceLooksOff(balance);
  const figures =
    `In the year before the start, customers in the campaign group spent ${formatMoney(balance.meanTreatment * 1000, currency)} on average and the held-out ` +
    `customers ${formatMoney(balance.meanControl * 1000, currency)} (standardised difference ${balance.standardizedDifference.toFixed(2)}, ${formatPValue(balance.pValue)}).`;
  return (
    <div data-testid="experiment-balance">
      {off ? (
        <Banner tone="warning" title="The two groups differ more than a random split usually makes them">
          <p>{figures}</p>
          <p>The result adjusts for each customer's past spend (CUPED), which corrects most of this; keep it in mind when you read a small lift.</p>
        </Banner>
      ) : (
        <Text as="p">
          {figures}{" "}
          {Math.abs(balance.standardizedDifference) > BALANCE_SMD
            ? "A gap this size is what chance gives groups this small; the result adjusts for each customer's past spend (CUPED)."
            : "The two groups are alike, as a random split should make them."}
        </Text>
      )}
    </div>
  );
}

export function DesignCard({ design, currency, title = "What this experiment can detect" }: { design: ExperimentDesignView; currency: string; title?: string }) {
  return (
    <Card>
      <div data-testid="experiment-design">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <div data-testid="experiment-mde-sentence">
            <Text as="p" variant="bodyLg" fontWeight="semibold">
              {detectSentence(design, currency)}
            </Text>
          </div>
          {withoutCupedSentence(design, currency) && <Text as="p">{withoutCupedSentence(design, currency)}</Text>}
          <Text as="p" tone="subdued">
            "Detect" means: if the campaign really adds that much, the experiment finds it 8 times in 10 (80% power, at the usual 5% level). A smaller lift may be real but is likely to look like chance.
          </Text>
          <DescriptionList
            items={[
              { term: "Customers in the experiment", description: formatCount(design.cohort) },
              { term: "Campaign group / held out", description: `${formatCount(design.nTreatment)} / ${formatCount(design.nControl)}` },
              {
                term: "Baseline",
                description: `${formatMetricValue(design.metric, design.baselineMean, currency)} ${design.metric === "conversion" ? "of customers ordered" : design.metric === "orders" ? "orders per customer" : "per customer"} in the ${formatDays(design.horizonDays)} before the start (${METRIC_WORDS[design.metric]})`,
              },
              { term: "Smallest detectable lift (with CUPED)", description: formatMetricAmount(design.metric, design.cupedMde, currency) },
              { term: "Smallest detectable lift (unadjusted)", description: formatMetricAmount(design.metric, design.mde, currency) },
            ]}
          />
          <BalanceCheck balance={design.balance} currency={currency} />
        </BlockStack>
      </div>
    </Card>
  );
}
