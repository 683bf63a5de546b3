// How Segmint's segments compare with Shopify's own RFM groups (Shopify's customer analytics):
// the share of customers Shopify groups whom Segmint's RFM grid puts in the same group, and the
// cross table of Shopify's groups against Segmint's segments.
import { BlockStack, Card, Text } from "@shopify/polaris";
import type { AgreementView } from "../../domain/run-changes";
import { formatCount, formatShare } from "../format";
import { CountTable } from "./count-table";

export function RfmAgreementCard({ agreement }: { agreement: AgreementView | null }) {
  return (
    <Card>
      <div data-testid="overview-rfm-agreement">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Agreement with Shopify&apos;s RFM groups
          </Text>
          {agreement === null ? (
            <Text as="p" tone="subdued">
              Not compared for this run yet: Segmint reads Shopify&apos;s RFM group of each customer when it writes tags after a refresh.
            </Text>
          ) : agreement.agreement === null ? (
            <Text as="p" tone="subdued">
              Shopify has not put any of this run&apos;s {formatCount(agreement.customers)} customers in an RFM group yet, so there is nothing to compare.
            </Text>
          ) : (
            <>
              <Text as="p" variant="headingXl">
                <span data-testid="overview-rfm-agreement-percent">{formatShare(agreement.agreement)}</span>
              </Text>
              <Text as="p">
                Of the {formatCount(agreement.withShopifyGroup)} customers Shopify puts in an RFM group, Segmint&apos;s own RFM scores put{" "}
                {formatCount(agreement.sameGroup)} in the same group. Both score recency, frequency and spend within your store, so most customers
                should agree; differences come from Shopify&apos;s sync delay and from where each draws the group boundaries. The table shows where
                Shopify&apos;s groups land among Segmint&apos;s segments.
              </Text>
              <CountTable
                testId="overview-rfm-agreement-table"
                caption="Customers by Shopify's RFM group (rows) and Segmint's segment (columns)"
                corner="Shopify group → Segmint segment (customers)"
                columns={agreement.segments.map((s) => s.name)}
                rows={agreement.groups.map((g, i) => ({ label: g.label, counts: agreement.counts[i]! }))}
              />
              {agreement.emptyGroups > 0 && (
                <Text as="p" variant="bodySm" tone="subdued">
                  {formatCount(agreement.emptyGroups)} of Shopify&apos;s groups hold none of these customers and are left out.
                </Text>
              )}
            </>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
