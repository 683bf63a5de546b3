import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import { ModelCharts } from "../components/model/model-charts";
import { ModelSettingsForm } from "../components/model/model-settings-form";
import { RollbackConfirm } from "../components/model/rollback-confirm";
import { RunHistory } from "../components/model/run-history";
import { PageError } from "../components/overview/page-error";
import { InstallingCard } from "../components/installing-card";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { loadModelPage, modelAction } from "../services/model-page.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return { installed: false as const };
  const result = await loadModelPage(shop.id, new URL(request.url));
  if (result.kind === "not-found") throw new Response(`${result.what} not found in this store`, { status: 404 });
  return { installed: true as const, timeZone: shop.timeZone, ...result.data };
}

export async function action({ request }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const result = await modelAction(shop.id, await request.formData());
  if (result.intent === "not-found") throw new Response(`${result.what} not found in this store`, { status: 404 });
  return data(result, { status: result.status });
}

export default function ModelPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  if (!page.installed) {
    return (
      <Page title="Model">
        <InstallingCard reloadUrl="/app/model">The model settings and charts appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const hrefFor = (q: { page?: number; confirmRollback?: number }) => {
    const params = new URLSearchParams();
    if (q.page && q.page > 1) params.set("page", String(q.page));
    if (q.confirmRollback) params.set("confirmRollback", String(q.confirmRollback));
    const qs = params.toString();
    return `/app/model${qs ? `?${qs}` : ""}${q.confirmRollback ? "#rollback" : ""}`;
  };
  const loadingHistory = navigation.state === "loading" && navigation.location?.pathname === location.pathname;
  const errors = actionData && actionData.intent === "save" && !actionData.ok ? actionData.errors : undefined;
  const notice = actionData && "message" in actionData && actionData.message ? actionData : null;
  const { latestRun, history, rollbackCandidate, timeZone } = page;
  return (
    <Page title="Model" subtitle="How Segmint groups your customers, how well the groups separate, and every run so far.">
      <Layout>
        {notice && (
          <Layout.Section>
            <div data-testid={`model-${notice.intent}-result`}>
              <Banner tone={notice.ok ? "success" : "warning"}>
                <p>{notice.message}</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        {rollbackCandidate && !(actionData?.intent === "rollback" && actionData.ok) && (
          <Layout.Section>
            <RollbackConfirm run={rollbackCandidate} writeBackMode={page.writeBackMode} timeZone={timeZone} cancelHref={hrefFor({ page: history.page })} />
          </Layout.Section>
        )}
        <Layout.Section variant="oneThird">
          <ModelSettingsForm key={`${page.settings.algorithm}-${page.settings.k ?? "auto"}`} settings={page.settings} errors={errors} refreshState={page.refreshState} />
        </Layout.Section>
        <Layout.Section>
          {latestRun ? (
            <ModelCharts run={latestRun} />
          ) : (
            <Card>
              <div data-testid="model-no-run">
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    No completed run yet
                  </Text>
                  <Text as="p">
                    The curves appear after the first run completes, a few seconds after the first order sync. Press Run now to start one; the Jobs page shows its progress.
                  </Text>
                </BlockStack>
              </div>
            </Card>
          )}
        </Layout.Section>
        <Layout.Section>
          {loadingHistory ? (
            <Card>
              <SkeletonBodyText lines={8} />
            </Card>
          ) : (
            <RunHistory entries={history.entries} page={history.page} pageCount={history.pageCount} total={history.total} timeZone={timeZone} hrefFor={hrefFor} />
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Model" />;
}
