// Customer lookup: by Shopify customer id, the customer's segment and why, its segment in every
// stored run, and the tags Segmint wrote or planned for it.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineStack, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import { z } from "zod";
import { CustomerSegmentCard } from "../components/customers/customer-segment-card";
import { SegmentHistoryCard, TagHistoryCard } from "../components/customers/customer-history";
import { CustomerSearchForm } from "../components/customers/customer-search-form";
import { customerAdminUrl } from "../components/format";
import { PageError } from "../components/overview/page-error";
import { InstallingCard } from "../components/installing-card";
import { adminShop } from "../services/admin-shop.server";
import { lookupCustomer } from "../services/customer-lookup.server";
import { requireAdmin } from "../shopify/admin-auth.server";

const LookupQuery = z.object({ id: z.string().max(200, "That is too long for a Shopify customer id.").optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return json({ installed: false as const });
  const page = { installed: true as const, shopDomain: shop.domain, currency: shop.currency, timeZone: shop.timeZone };
  const parsed = LookupQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return json({ ...page, query: "", error: parsed.error.issues[0]!.message, notFound: null, customer: null }, { status: 400 });
  const query = parsed.data.id;
  if (query === undefined) return json({ ...page, query: "", error: null, notFound: null, customer: null });
  const result = await lookupCustomer(shop.id, query);
  if (result.kind === "invalid") return json({ ...page, query, error: result.message, notFound: null, customer: null }, { status: 400 });
  if (result.kind === "not-found") return json({ ...page, query, error: null, notFound: result.message, customer: null }, { status: 404 });
  return json({ ...page, query, error: null, notFound: null, customer: result.customer });
}

export default function Customers() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  if (!data.installed) {
    return (
      <Page title="Customers">
        <InstallingCard reloadUrl="/app/customers">Customer lookup works once Segmint is installed in this store and has synced its orders. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { customer, notFound, error, query, timeZone, currency, shopDomain } = data;
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/customers";
  return (
    <Page title="Customers" subtitle="Look a customer up: their segment and why, their segment in past runs, and the tags Segmint wrote.">
      <Layout>
        <Layout.Section>
          <Card>
            {/* key: a new search's id resets the field to what the address says */}
            <CustomerSearchForm key={query} defaultValue={query} error={error} />
          </Card>
        </Layout.Section>
        {loading ? (
          <Layout.Section>
            <Card>
              <SkeletonBodyText lines={6} />
            </Card>
          </Layout.Section>
        ) : notFound ? (
          <Layout.Section>
            <Banner tone="warning">
              <p data-testid="customer-not-found">{notFound}</p>
            </Banner>
          </Layout.Section>
        ) : customer ? (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center" gap="200" wrap>
                    <Text as="h2" variant="headingLg">
                      <span data-testid="customer-id">{`Customer ${customer.shopifyId}`}</span>
                    </Text>
                    <a href={customerAdminUrl(shopDomain, customer.shopifyId)} target="_blank" rel="noreferrer" data-testid="customer-admin-link">
                      Open in Shopify admin
                    </a>
                  </InlineStack>
                  {customer.deleted && <Text as="p" tone="caution">This customer was deleted in Shopify; Segmint keeps only its id and history until the store's data is removed.</Text>}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              {customer.current ? (
                <CustomerSegmentCard current={customer.current} currency={currency} timeZone={timeZone} />
              ) : (
                <Card>
                  <div data-testid="customer-current-segment">
                    <BlockStack gap="200">
                      <Text as="h2" variant="headingMd">
                        Not in the latest segments
                      </Text>
                      <Text as="p">
                        {customer.latestRunId === null
                          ? "No refresh has finished yet: the customer's segment appears after the first one."
                          : "The latest refresh did not place this customer in a segment: customers enter the segments with their first purchase."}
                      </Text>
                    </BlockStack>
                  </div>
                </Card>
              )}
            </Layout.Section>
            <Layout.Section>
              <SegmentHistoryCard history={customer.history} latestRunId={customer.latestRunId} timeZone={timeZone} />
            </Layout.Section>
            <Layout.Section>
              <TagHistoryCard writes={customer.tagWrites} truncated={customer.tagWritesTruncated} timeZone={timeZone} />
            </Layout.Section>
          </>
        ) : (
          <Layout.Section>
            <Text as="p" tone="subdued">
              Enter a customer&apos;s Shopify id to see their segment and why. Each segment&apos;s page lists its customers with their ids.
            </Text>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Customers" />;
}
