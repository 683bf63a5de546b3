// The segment's recency, frequency and spend against the whole store's: shares of customers per
// bin, so a segment of any size compares on one axis. Prospects (no purchase) have no profile.
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { DistributionChart } from "../charts";
import { formatCount } from "../format";

export interface ProfileChartView {
  readonly feature: "recency" | "frequency" | "monetary";
  readonly title: string;
  readonly xLabel: string;
  readonly bins: readonly { readonly label: string; readonly segment: number; readonly store: number }[];
  readonly segmentBuyers: number;
  readonly storeBuyers: number;
}

export function ProfileCharts({ charts, segmentName }: { charts: readonly ProfileChartView[] | null; segmentName: string }) {
  const buyers = charts?.[0]?.segmentBuyers ?? 0;
  return (
    <Card>
      <div data-testid="segment-profile-charts">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Profile against the whole store
          </Text>
          {charts === null ? (
            <Text as="p" tone="subdued">
              Not recorded for this run: the charts appear after the next refresh.
            </Text>
          ) : buyers === 0 ? (
            <Text as="p" tone="subdued">
              No customer in this segment has a purchase, so there is no recency, frequency or spend to chart.
            </Text>
          ) : (
            <>
              <Text as="p" tone="subdued">
                Share of customers in each range: {formatCount(buyers)} customers of this segment against {formatCount(charts[0]!.storeBuyers)} customers with a purchase in
                the store.
              </Text>
              <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
                {charts.map((c) => (
                  <DistributionChart
                    key={c.feature}
                    title={c.title}
                    summary={`${c.title}: share of ${segmentName} customers in each range compared with all customers with a purchase.`}
                    xLabel={c.xLabel}
                    bins={c.bins}
                    segmentLabel={segmentName}
                    storeLabel="All customers"
                    testId={`segment-chart-${c.feature}`}
                  />
                ))}
              </InlineGrid>
            </>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
