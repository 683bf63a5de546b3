import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, InlineStack, Layout, Page, Select, SkeletonBodyText, Text } from "@shopify/polaris";
import { JOB_STATUS_FILTERS } from "../components/jobs/job-labels";
import { JobsTable } from "../components/jobs/jobs-table";
import { EMPTY_ILLUSTRATION } from "../components/overview/empty-illustration";
import { PageError } from "../components/overview/page-error";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { jobsPage, parseJobsQuery, parseRetryForm, retryShopJob } from "../services/jobs.server";
import { requireAdmin } from "../shopify/admin-auth.server";
import { formatCount } from "../components/format";
import { InstallingCard } from "../components/installing-card";
import { PageLinks } from "../components/page-links";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return json({ installed: false as const });
  const page = await jobsPage(shop.id, parseJobsQuery(new URL(request.url)));
  return json({ installed: true as const, timeZone: shop.timeZone, ...page });
}

export async function action({ request }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const form = parseRetryForm(await request.formData());
  if (!form.ok) return json({ errors: form.errors }, { status: 400 });
  const result = await retryShopJob(shop.id, form.jobId);
  if (result.outcome === "not-found") throw new Response("Job not found in this store", { status: 404 });
  if (result.outcome === "refused") return json({ errors: { jobId: result.message } }, { status: 409 });
  return json({ ok: true as const, message: `Job #${result.jobId} is queued again and runs in a moment.` });
}

export default function Jobs() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  if (!data.installed) {
    return (
      <Page title="Jobs">
        <InstallingCard reloadUrl="/app/jobs">Background jobs appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { jobs, query, hasNext, hasPrevious, failed, pageSize, timeZone } = data;
  const href = (o: { status?: string; page?: number }) => {
    const status = o.status ?? query.status;
    const page = o.page ?? 1;
    const params = new URLSearchParams();
    if (status !== "all") params.set("status", status);
    if (page > 1) params.set("page", String(page));
    const qs = params.toString();
    return `/app/jobs${qs ? `?${qs}` : ""}`;
  };
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/jobs";
  const first = (query.page - 1) * pageSize + 1;
  return (
    <Page title="Jobs" subtitle="Background work for this store: order sync, segment refreshes and tag write-backs.">
      <Layout>
        {failed > 0 && query.status !== "failed" && (
          <Layout.Section>
            <div data-testid="jobs-failed-banner">
              <Banner tone="warning" title={`${formatCount(failed)} ${failed === 1 ? "job" : "jobs"} failed`} action={{ content: "Show failed jobs", url: href({ status: "failed" }) }}>
                <p>A failed job stopped after its last attempt. Read its reason, fix what it names if you can, then retry it.</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <InlineStack align="space-between" blockAlign="end" gap="400" wrap>
                  <div data-testid="jobs-filter-status">
                    <Select label="Status" options={[...JOB_STATUS_FILTERS]} value={query.status} onChange={(status) => navigate(href({ status }))} />
                  </div>
                  <Text as="p" tone="subdued">
                    {jobs.length > 0 ? `Showing jobs ${formatCount(first)}–${formatCount(first + jobs.length - 1)}, newest first` : ""}
                  </Text>
                </InlineStack>
              </div>
              {loading ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <SkeletonBodyText lines={8} />
                </div>
              ) : jobs.length === 0 ? (
                <div data-testid="jobs-empty">
                  <EmptyState heading={query.status === "all" ? "No background jobs yet" : `No ${query.status} jobs`} image={EMPTY_ILLUSTRATION}>
                    <p>
                      {query.status === "all"
                        ? "Jobs appear here as Segmint syncs orders, refreshes segments and writes tags."
                        : "Choose another status to see other jobs."}
                    </p>
                  </EmptyState>
                </div>
              ) : (
                <JobsTable jobs={jobs} timeZone={timeZone} />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {(hasNext || hasPrevious) && (
          <Layout.Section>
            <div data-testid="jobs-pagination">
              <InlineStack align="center">
                <PageLinks
                  page={query.page}
                  hasNext={hasNext}
                  hrefFor={(page) => href({ page })}
                  label={`Page ${query.page}`}
                  accessibilityLabels={{ previous: "Newer jobs", next: "Older jobs" }}
                />
              </InlineStack>
            </div>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Jobs" />;
}
