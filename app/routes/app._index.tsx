import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { formatCount, formatDate, formatDateTime } from "../components/format";
import { EMPTY_ILLUSTRATION } from "../components/overview/empty-illustration";
import { MigrationTable } from "../components/overview/migration-table";
import { PageError } from "../components/overview/page-error";
import { RfmAgreementCard } from "../components/overview/rfm-agreement";
import { SegmentCards } from "../components/overview/segment-cards";
import { StatusCard } from "../components/overview/status-card";
import { useRevalidateWhile } from "../components/overview/use-revalidate-while";
import { Stat } from "../components/stat";
import { adminShop } from "../services/admin-shop.server";
import { shopOverview, STORE_COUNTS_MAX_AGE_MS } from "../services/overview.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  return json(await shopOverview(session.shop, shop, undefined, undefined, { countsMaxAgeMs: STORE_COUNTS_MAX_AGE_MS }));
}

type Overview = ReturnType<typeof useLoaderData<typeof loader>>;

/** What the merchant reads first while there are no segments to show yet. */
function FirstRun({ o }: { o: Overview }) {
  switch (o.stage) {
    case "syncing":
      return (
        <Banner tone="info" title="Segmint is importing your orders">
          <p>Your segments are built as soon as the import is done. Progress is shown below; this page updates by itself.</p>
        </Banner>
      );
    case "sync-failed":
      return (
        <Banner tone="critical" title="The order import stopped">
          <p>
            {o.backfill?.error ?? "Shopify did not finish the export."} Open the <RemixLink to="/app/jobs?status=failed">Jobs page</RemixLink> and retry
            the failed order sync.
          </p>
        </Banner>
      );
    case "building":
      return (
        <Banner tone="info" title="Segmint is building your first segments…">
          <p>
            Your {formatCount(o.summary.customerOrders)} customer orders are imported. The first refresh groups your customers; this page updates by
            itself when it is done.
          </p>
        </Banner>
      );
    default:
      return null;
  }
}

function Segments({ o }: { o: Overview }) {
  if (o.stage === "no-customers") {
    return (
      <Card>
        <div data-testid="overview-no-customers">
          <EmptyState heading="No orders yet: segments appear after the first orders" image={EMPTY_ILLUSTRATION} action={{ content: "Open Settings", url: "/app/settings" }}>
            <p>
              Segmint groups customers by when they last bought, how often and how much. None of this store&apos;s customers has a purchase yet;
              the next refresh after the first orders builds the segments.
            </p>
          </EmptyState>
        </div>
      </Card>
    );
  }
  if (!o.run) return null;
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h2" variant="headingLg">
          Segments
        </Text>
        <Text as="p" tone="subdued">
          {formatCount(o.run.customers)} customers, as of {o.run.asOfDay ? formatDate(`${o.run.asOfDay}T12:00:00Z`) : "the last refresh"}
          {o.run.finishedAt ? ` (refreshed ${formatDateTime(o.run.finishedAt, o.timeZone)})` : ""}.{" "}
          {o.run.previousRunId === null ? "Changes show from the next refresh on." : "Changes are against the previous refresh."}
        </Text>
      </BlockStack>
      <SegmentCards cards={o.cards} currency={o.currency} />
    </BlockStack>
  );
}

export default function Overview() {
  const o = useLoaderData<typeof loader>();
  useRevalidateWhile(o.live);
  if (!o.installed) {
    return (
      <Page title="Overview">
        <Card>
          <div data-testid="overview-not-installed">
            <EmptyState heading="Segmint is finishing its installation" image={EMPTY_ILLUSTRATION} action={{ content: "Reload", url: "/app" }}>
              <p>This takes a few seconds after you add the app. Reload the page; the order import starts right after.</p>
            </EmptyState>
          </div>
        </Card>
        {o.demo && <DemoCredit />}
      </Page>
    );
  }
  const s = o.summary;
  return (
    <Page title="Overview" subtitle={o.shop}>
      <Layout>
        {o.stage !== "ready" && o.stage !== "no-customers" && (
          <Layout.Section>
            <div data-testid={`overview-stage-${o.stage}`}>
              <FirstRun o={o} />
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          <StatusCard timeZone={o.timeZone} backfill={o.backfill} refresh={o.refresh} writeBack={o.writeBack} />
        </Layout.Section>
        <Layout.Section>
          <Segments o={o} />
        </Layout.Section>
        {o.stage === "ready" && (
          <>
            <Layout.Section>
              <MigrationTable migration={o.migration} />
            </Layout.Section>
            <Layout.Section>
              <RfmAgreementCard agreement={o.agreement} />
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingLg">
              Synced data
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
              <Stat label="Customers" value={s.customers} testId="stat-customers" />
              <Stat label="Customers with a purchase" value={s.customersWithPurchase} testId="stat-customers-with-purchase" />
              <Stat label="Customer orders" value={s.customerOrders} testId="stat-customer-orders" />
              <Stat label="Guest orders" value={s.guestOrders} testId="stat-guest-orders" />
              <Stat label="Refunds and cancellations" value={s.refunds} testId="stat-refunds" />
              <Stat label="Cancelled orders" value={s.cancellationRecords} testId="stat-cancelled-orders" />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
        {o.demo && (
          <Layout.Section>
            <DemoCredit />
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

function DemoCredit() {
  return (
    <div data-testid="demo-credit">
      <Text as="p" variant="bodySm" tone="subdued">
        Offline demo on the UCI Online Retail dataset (Chen, 2015), CC BY 4.0, doi:10.24432/C5BW33.
      </Text>
    </div>
  );
}

export function ErrorBoundary() {
  return <PageError title="Overview" />;
}
