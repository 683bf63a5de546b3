// /app/anomalies — the orders, customers and store days detection flagged (by kind: ?kind=order|
// customer|day; by status: ?status=open|confirmed|dismissed|all; 25 a page: ?page=), each with its
// reasons in words, and Confirm / Dismiss / Reopen (intent=review, id, status). Another shop's or an
// unknown anomaly id answers 404, a malformed review 400.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, EmptyState, InlineStack, Layout, Link, Page, Tabs, Text } from "@shopify/polaris";
import { AnomaliesList, REVIEW_INTENT } from "../components/anomalies/anomalies-list";
import { StoreDaysChart } from "../components/anomalies/store-days-chart";
import { AnomaliesSummary } from "../components/anomalies/summary";
import { anomaliesHref, KIND_LABEL, PAGE_URL, STATUS_FILTERS, STATUS_LABEL } from "../components/anomalies/view";
import { ANOMALY_KINDS, type AnomaliesPageView } from "../domain/anomaly";
import { formatCount } from "../components/format";
import { InstallingCard } from "../components/installing-card";
import { EMPTY_ILLUSTRATION } from "../components/overview/empty-illustration";
import { PageError } from "../components/overview/page-error";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { anomaliesPageService, NOT_FOUND_MESSAGE } from "../services/anomalies-page.server";
import { requireAdmin } from "../shopify/admin-auth.server";
import { PageLinks } from "../components/page-links";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return { installed: false as const };
  return { installed: true as const, view: await anomaliesPageService.view(shop, new URL(request.url).searchParams) };
}

export async function action({ request }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const form = await request.formData();
  if (form.get("intent") !== REVIEW_INTENT) return data({ ok: false as const, message: "Unknown action: reload the page and try again." }, { status: 400 });
  const result = await anomaliesPageService.review(shop.id, { id: form.get("id"), status: form.get("status") });
  if (result.kind === "not-found") throw new Response(NOT_FOUND_MESSAGE, { status: 404 });
  if (result.kind === "invalid") return data({ ok: false as const, message: result.message }, { status: 400 });
  return data({ ok: true as const, message: result.message });
}

const KIND_WORDS: Record<AnomaliesPageView["kind"], string> = { order: "order", customer: "customer", day: "store-day" };

/** The status filter: real links, the current one marked for screen readers. */
function StatusFilter({ view }: { view: AnomaliesPageView }) {
  return (
    <nav aria-label="Filter by status" data-testid="anomalies-status-filter">
      <InlineStack gap="400" wrap>
        {STATUS_FILTERS.map((status) => {
          const text = `${STATUS_LABEL[status]} (${formatCount(view.counts[view.kind][status])})`;
          return status === view.status ? (
            <Text key={status} as="span" fontWeight="bold">
              <span aria-current="page" data-testid={`anomalies-status-${status}`}>
                {text}
              </span>
            </Text>
          ) : (
            <span key={status} data-testid={`anomalies-status-${status}`}>
              <Link url={anomaliesHref({ kind: view.kind, status })}>{text}</Link>
            </span>
          );
        })}
      </InlineStack>
    </nav>
  );
}

function EmptyList({ view }: { view: AnomaliesPageView }) {
  const what = `${view.status === "all" ? "" : `${STATUS_LABEL[view.status].toLowerCase()} `}${KIND_WORDS[view.kind]} anomalies`;
  const next =
    view.status === "open"
      ? "Nothing is waiting for review. New orders are scored as they arrive, and the next refresh looks again."
      : view.status === "all"
        ? "Detection found nothing of this kind at the last refresh."
        : `Flags you ${view.status === "confirmed" ? "confirm" : "dismiss"} under Open are listed here.`;
  return (
    <Box padding="400">
      <div data-testid="anomalies-empty-list">
        <Text as="p" tone="subdued">{`No ${what}. ${next}`}</Text>
      </div>
    </Box>
  );
}

export default function AnomaliesPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!page.installed) {
    return (
      <Page title="Anomalies">
        <InstallingCard reloadUrl={PAGE_URL}>Anomalies appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { view } = page;
  const nothingYet = view.model === null && ANOMALY_KINDS.every((k) => view.counts[k].all === 0);
  const tabs = ANOMALY_KINDS.map((kind) => ({ id: `anomalies-${kind}`, content: `${KIND_LABEL[kind]} (${formatCount(view.counts[kind].open)})`, accessibilityLabel: `${KIND_LABEL[kind]}: ${formatCount(view.counts[kind].open)} open`, url: anomaliesHref({ kind }) }));
  return (
    <Page title="Anomalies" subtitle="Orders, customers and store days that look wrong, or unusually valuable, and why.">
      <Layout>
        {actionData && (
          <Layout.Section>
            <div data-testid="anomalies-action-result">
              <Banner tone={actionData.ok ? "success" : "warning"}>
                <p>{actionData.message}</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        {nothingYet ? (
          <Layout.Section>
            <Card>
              <div data-testid="anomalies-empty">
                <EmptyState heading="No anomalies yet" image={EMPTY_ILLUSTRATION}>
                  <p>
                    Anomalies are found at each refresh of your segments: orders whose value, quantities or prices are far from what is usual for the customer, the product or the
                    store; customers who spend far more than others (VIP candidates) or return most of what they buy; and days whose orders or revenue fall far outside the usual for
                    that weekday. The first refresh runs by itself after the order sync; the Overview shows its progress.
                  </p>
                </EmptyState>
              </div>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <BlockStack gap="400">
                <Card padding="0">
                  <Tabs tabs={tabs} selected={ANOMALY_KINDS.indexOf(view.kind)} />
                  <Box padding="400" borderBlockEndWidth="025" borderColor="border">
                    <StatusFilter view={view} />
                  </Box>
                  {view.rows.length > 0 ? (
                    <AnomaliesList rows={view.rows} label={`${KIND_LABEL[view.kind]}: ${STATUS_LABEL[view.status].toLowerCase()}`} currency={view.currency} timeZone={view.timeZone} shopDomain={view.shopDomain} />
                  ) : (
                    <EmptyList view={view} />
                  )}
                  {view.pageCount > 1 && (
                    <Box padding="400" borderBlockStartWidth="025" borderColor="border">
                      <InlineStack align="center" blockAlign="center" gap="300">
                        <PageLinks
                          page={view.page}
                          hasNext={view.page < view.pageCount}
                          hrefFor={(page) => anomaliesHref({ kind: view.kind, status: view.status, page })}
                          label={`Page ${view.page} of ${view.pageCount}`}
                          accessibilityLabels={{ previous: "Previous page", next: "Next page" }}
                        />
                      </InlineStack>
                    </Box>
                  )}
                </Card>
                {view.storeDays?.map((series) => (
                  <Card key={series.metric}>
                    <StoreDaysChart series={series} currency={view.currency} testId={`anomalies-chart-${series.metric}`} />
                  </Card>
                ))}
              </BlockStack>
            </Layout.Section>
            <Layout.Section variant="oneThird">
              <AnomaliesSummary view={view} />
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Anomalies" />;
}
