// One card per segment of the latest run: size and share of customers, share of revenue, the
// median customer's recency, orders and spend, and the size's change since the previous run.
// Each card's title links to the segment's page.
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { SegmentCard } from "../../domain/run-changes";
import { formatCount, formatDays, formatMoney, formatMoneyCompact, formatShare, formatSigned } from "../format";

const orders = (n: number) => `${Number.isInteger(n) ? formatCount(n) : n.toFixed(1)} ${n === 1 ? "order" : "orders"}`;

function Change({ change }: { change: SegmentCard["change"] }) {
  if (change === null) return null;
  if (change === "new") return <Badge tone="new">New since the last run</Badge>;
  const pct = change.previousSize > 0 ? change.delta / change.previousSize : 0;
  const text = change.delta === 0 ? "No change since the last run" : `${formatSigned(change.delta)} customers (${formatSigned(Math.round(pct * 1000) / 10, (v) => `${v}%`)}) since the last run`;
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {text} · was {formatCount(change.previousSize)}
    </Text>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" numeric alignment="end">
        {value}
      </Text>
    </InlineStack>
  );
}

export function SegmentCards({ cards, currency }: { cards: readonly SegmentCard[]; currency: string }) {
  return (
    <div data-testid="overview-segment-cards">
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="400">
        {cards.map((c) => (
          <Card key={c.segmentId}>
            <div data-testid={`segment-card-${c.segmentId}`}>
              <BlockStack gap="300">
                <BlockStack gap="100">
                  <Text as="h3" variant="headingMd">
                    <RemixLink to={`/app/segments/${encodeURIComponent(c.segmentId)}`}>{c.name}</RemixLink>
                  </Text>
                  <Text as="p" variant="headingLg">
                    <span data-testid={`segment-card-size-${c.segmentId}`}>{formatCount(c.size)}</span>{" "}
                    <Text as="span" variant="bodyMd" tone="subdued">
                      customers · {formatShare(c.share)}
                    </Text>
                  </Text>
                  <span data-testid={`segment-card-change-${c.segmentId}`}>
                    <Change change={c.change} />
                  </span>
                </BlockStack>
                <BlockStack gap="100">
                  <Figure label="Share of revenue" value={`${formatShare(c.revenueShare)} (${formatMoneyCompact(c.revenueMilli, currency)})`} />
                  {c.median.frequency > 0 ? (
                    <>
                      <Figure label="Median last order" value={`${formatDays(c.median.recencyDays)} ago`} />
                      <Figure label="Median orders" value={orders(c.median.frequency)} />
                      <Figure label="Median spend" value={formatMoney(c.median.monetaryMilli, currency)} />
                    </>
                  ) : (
                    // Prospects: no placed order, so no recency or typical order to show.
                    <Figure label="Median orders" value="No purchase yet" />
                  )}
                </BlockStack>
              </BlockStack>
            </div>
          </Card>
        ))}
      </InlineGrid>
    </div>
  );
}
