// /app/segments — the latest run's segments: size, shares, medians and the recommended action.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import { formatCount, formatDate } from "../components/format";
import { EMPTY_ILLUSTRATION } from "../components/overview/empty-illustration";
import { PageError } from "../components/overview/page-error";
import { SegmentsTable } from "../components/segments/segments-table";
import { InstallingCard } from "../components/installing-card";
import { adminShop } from "../services/admin-shop.server";
import { segmentsListPage } from "../services/segments.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return json({ installed: false as const });
  const list = await segmentsListPage(shop.id);
  return json({ installed: true as const, currency: shop.currency, timeZone: shop.timeZone, ...list });
}

export default function Segments() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (!data.installed) {
    return (
      <Page title="Segments">
        <InstallingCard reloadUrl="/app/segments">Segments appear here once Segmint is installed in this store and has read its orders. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { run, segments, currency, timeZone } = data;
  if (run === null || segments.length === 0) {
    return (
      <Page title="Segments">
        <Card>
          <div data-testid="segments-empty">
            <EmptyState heading={run === null ? "No segments yet" : "No customer has bought anything yet"} image={EMPTY_ILLUSTRATION} action={{ content: "Go to the overview", url: "/app" }}>
              <p>
                {run === null
                  ? "Segmint groups your customers after it has read your store's orders. The first refresh starts by itself when the order sync finishes; you can follow it on the overview, or start one from the Model page."
                  : "The last refresh found no customer with a purchase, so there is nothing to group yet. Segments appear after the next refresh once customers have ordered."}
              </p>
            </EmptyState>
          </div>
        </Card>
      </Page>
    );
  }
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/segments";
  return (
    <Page
      fullWidth
      title="Segments"
      subtitle={`${formatCount(run.customers)} customers in ${formatCount(segments.length)} segments · refreshed ${run.finishedAt ? formatDate(run.finishedAt, timeZone) : "—"}, data as of ${run.asOfDay ?? "—"}`}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              Every customer is in exactly one segment. Open a segment to see what puts customers there, how they compare with the whole store, who they are, and to export them or tag them in Shopify.
            </Text>
            {loading ? (
              <Card>
                <SkeletonBodyText lines={8} />
              </Card>
            ) : (
              <Card padding="0">
                <SegmentsTable segments={segments} currency={currency} />
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Segments" />;
}
