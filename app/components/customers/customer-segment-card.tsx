// The customer's segment in the latest run: the "why here" sentence, and its R/F/M figures and
// scores next to the segment's medians.
import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { CustomerCurrentSegment } from "../../domain/customer-lookup";
import { formatCount, formatDate, formatDays, formatMoney } from "../format";
import { KeyboardScrollable } from "../keyboard-scroll";

export function CustomerSegmentCard({ current, currency, timeZone }: { current: CustomerCurrentSegment; currency: string; timeZone: string }) {
  const { figures, scores, medians } = current;
  const rows = [
    ["Recency (days since last purchase)", figures.recencyDays === null ? "no purchase" : formatDays(figures.recencyDays), `${scores.r} of 5`, medians ? formatDays(medians.recencyDays) : "—"],
    ["Frequency (orders)", formatCount(figures.frequency), `${scores.f} of 5`, medians ? formatCount(medians.frequency) : "—"],
    ["Monetary (net spend)", formatMoney(figures.monetaryMilli, currency), `${scores.m} of 5`, medians ? formatMoney(Number(medians.monetaryMilli), currency) : "—"],
  ];
  return (
    <Card>
      <div data-testid="customer-current-segment">
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center" wrap>
            <Text as="h2" variant="headingMd">
              Current segment:{" "}
              <Link to={`/app/segments/${encodeURIComponent(current.segmentKey)}`} data-testid="customer-segment-link">
                {current.segmentName}
              </Link>
            </Text>
            <Badge>{`RFM group: ${current.rfmGroup}`}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {current.assignedAt
              ? `Moved here on ${formatDate(current.assignedAt, timeZone)} by a new order or refund (between weekly refreshes).`
              : `Placed here by the refresh with data as of ${formatDate(current.runAsOf, timeZone)}.`}
          </Text>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Why here
            </Text>
            <Text as="p">
              <span data-testid="customer-explanation">{current.explanation}</span>
            </Text>
          </BlockStack>
          <div data-testid="customer-figures">
            <KeyboardScrollable label="This customer against the segment">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={["Measure", "This customer", "Score (1–5)", "Segment median"]}
                rows={rows}
              />
            </KeyboardScrollable>
          </div>
          <Text as="p" variant="bodySm" tone="subdued">
            Scores rank the customer against the whole store: 5 is the top fifth (most recent, most orders, highest spend).
          </Text>
        </BlockStack>
      </div>
    </Card>
  );
}
