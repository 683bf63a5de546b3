// /app/segments/:segmentKey — one segment of the latest run: what puts customers there (with the
// model's cut-offs), its profile against the store, the recommended action, and its customers
// (server-side pages, sort and search by customer id), with a CSV export.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { formatCount, formatMoneyCompact, formatShare } from "../components/format";
import { PageError } from "../components/overview/page-error";
import { CustomersTable } from "../components/segments/customers-table";
import { DefinitionCard } from "../components/segments/definition-card";
import { ProfileCharts } from "../components/segments/profile-charts";
import { SegmentWriteBackCard } from "../components/segment-write-back";
import { segmentHref } from "../components/segments/segments-table";
import { InstallingCard } from "../components/installing-card";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { parseSegmentQuery, segmentDetailPage, segmentPageAction } from "../services/segments.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return json({ installed: false as const });
  const segmentKey = params.segmentKey ?? "";
  const query = parseSegmentQuery(new URL(request.url));
  const detail = await segmentDetailPage(shop.id, segmentKey, shop.currency, query.params);
  if (!detail) throw new Response("Segment not found in this store", { status: 404 });
  return json({ installed: true as const, shopDomain: shop.domain, currency: shop.currency, detail, searchText: query.searchText, errors: query.errors });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const result = await segmentPageAction(shop.id, params.segmentKey ?? "", await request.formData());
  if (result.status === 404) throw new Response(result.body.message, { status: 404 });
  return json(result.body, { status: result.status });
}

export default function SegmentPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!data.installed) {
    return (
      <Page title="Segment" backAction={{ content: "Segments", url: "/app/segments" }}>
        <InstallingCard reloadUrl="/app/segments">Segments appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { detail, shopDomain, currency, searchText, errors } = data;
  const { segment, definition, charts, customers, run, writeBack } = detail;
  const writeBackMessage = actionData && "errors" in actionData ? actionData.errors.writeBack : null;
  const basePath = segmentHref(segment.id);
  const exportButton = (
    // A plain GET that the browser downloads (a resource route, so no client-side navigation).
    <Form method="get" action={`${basePath}/export`} reloadDocument>
      <span data-testid="segment-export-csv">
        <Button submit variant="primary">
          Export CSV
        </Button>
      </span>
    </Form>
  );
  return (
    <Page
      fullWidth
      title={segment.name}
      backAction={{ content: "Segments", url: "/app/segments" }}
      subtitle={`${formatCount(segment.size)} customers · ${formatShare(segment.share)} of customers · ${formatShare(segment.revenueShare)} of revenue (${formatMoneyCompact(segment.revenueMilli, currency)}) · data as of ${run.asOfDay ?? "—"}`}
      primaryAction={exportButton}
    >
      <Layout>
        <Layout.Section>
          <DefinitionCard summary={segment.summary} definition={definition} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <div data-testid="segment-action">
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Recommended action
                </Text>
                <Text as="p">{segment.action}</Text>
                <InlineStack gap="200">
                  <Text as="p" tone="subdued" variant="bodySm">
                    Export the list for a campaign, or tag these customers in Shopify below to use them in Shopify segments and marketing.
                  </Text>
                </InlineStack>
              </BlockStack>
            </div>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <ProfileCharts charts={charts} segmentName={segment.name} />
        </Layout.Section>
        <Layout.Section>
          <SegmentWriteBackCard view={writeBack} message={writeBackMessage} />
        </Layout.Section>
        <Layout.Section>
          <CustomersTable key={`${customers.sort}-${customers.direction}-${customers.search}`} basePath={basePath} customers={customers} shopDomain={shopDomain} currency={currency} searchText={searchText} searchError={errors.q} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Segment" />;
}
