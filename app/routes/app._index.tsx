import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { Stat } from "../components/stat";
import { shopOverview } from "../services/overview.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  return shopOverview(session.shop);
}

const fmt = new Intl.NumberFormat("en-US");

export default function Overview() {
  const { shop, installed, summary, demo } = useLoaderData<typeof loader>();
  const sync = summary.lastSync;
  return (
    <Page title="Overview" subtitle={shop}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Stat label="Customers" value={summary.customers} testId="stat-customers" />
            <Stat label="Customers with a purchase" value={summary.customersWithPurchase} testId="stat-customers-with-purchase" />
            <Stat label="Customer orders" value={summary.customerOrders} testId="stat-customer-orders" />
            <Stat label="Guest orders" value={summary.guestOrders} testId="stat-guest-orders" />
            <Stat label="Order lines" value={summary.orderLines} testId="stat-order-lines" />
            <Stat label="Refunds and cancellations" value={summary.refunds} testId="stat-refunds" />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Text as="p" id="sync-status">
              {sync
                ? `Last ${sync.kind}: ${sync.status}, ${fmt.format(sync.rowsDone)}${sync.rowsTotal ? ` of ${fmt.format(sync.rowsTotal)}` : ""} rows${sync.finishedAt ? `, finished ${new Date(sync.finishedAt).toISOString()}` : ""}`
                : installed
                  ? "No sync has run yet."
                  : "Segmint is finishing its installation for this store; reload in a minute."}
            </Text>
          </Card>
        </Layout.Section>
        {demo && (
          <Layout.Section>
            <Text as="p" variant="bodySm" tone="subdued">
              Offline demo on the UCI Online Retail dataset (Chen, 2015), CC BY 4.0, doi:10.24432/C5BW33.
            </Text>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
