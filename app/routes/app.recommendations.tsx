// /app/recommendations — the shop's recommender: when it was trained and how well it recommends
// (offline evaluation against the baselines), its association rules (?q search by product title or
// id, ?sort=count|lift|confidence|support, ?dir=asc, ?page), and what a shopper sees on a product's
// page (?product=<id>, found with ?find=<text>) and why. "Train now" posts intent=train (a queued job).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { InstallingCard } from "../components/installing-card";
import { EMPTY_ILLUSTRATION } from "../components/overview/empty-illustration";
import { PageError } from "../components/overview/page-error";
import { useRevalidateWhile } from "../components/overview/use-revalidate-while";
import { EvaluationCard, ModelCard, TRAIN_INTENT, TrainButton } from "../components/recommendations/model-summary";
import { ProductPreview } from "../components/recommendations/product-preview";
import { RulesTable } from "../components/recommendations/rules-table";
import { PAGE_URL, type PageState } from "../components/recommendations/view";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { recommendationsPageService } from "../services/recommendations-page.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return { installed: false as const };
  return { installed: true as const, view: await recommendationsPageService.view(shop, new URL(request.url).searchParams) };
}

export async function action({ request }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const form = await request.formData();
  if (form.get("intent") !== TRAIN_INTENT) return data({ ok: false as const, message: "Unknown action: reload the page and try again." }, { status: 400 });
  const result = await recommendationsPageService.trainNow(shop.id);
  return data({ ok: true as const, message: result.message });
}

const SUBTITLE = "Which products your shoppers buy together, what the storefront blocks show on each product's page, and why.";

export default function RecommendationsPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  useRevalidateWhile(page.installed && page.view.training !== null);
  if (!page.installed) {
    return (
      <Page title="Recommendations">
        <InstallingCard reloadUrl={PAGE_URL}>Recommendations appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { view } = page;
  const state: PageState = { search: view.rules.search, sort: view.rules.sort, direction: view.rules.direction, page: view.rules.page, product: view.preview ? (view.preview.kind === "product" ? view.preview.product.id : view.preview.productId) : null, find: view.productSearch?.text ?? "" };
  return (
    <Page title="Recommendations" subtitle={SUBTITLE}>
      <Layout>
        {actionData && (
          <Layout.Section>
            <div data-testid="recommendations-action-result">
              <Banner tone={actionData.ok ? "success" : "warning"}>
                <p>{actionData.message}</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        {view.model === null ? (
          <Layout.Section>
            <Card>
              <div data-testid="recommendations-empty">
                <EmptyState heading="No recommendations yet" image={EMPTY_ILLUSTRATION}>
                  <BlockStack gap="300">
                    <p>
                      Segmint learns which products your shoppers buy together from your orders. It trains after each refresh of your segments: the first one runs by itself once
                      your orders are imported, and the Overview shows its progress. Until then the storefront blocks show nothing. You can also train it now.
                    </p>
                    {view.training && (
                      <div role="status" data-testid="recommendations-training">
                        <Text as="p">{view.training === "running" ? "Training now: this page updates when the model is ready." : "A training is queued; it starts shortly."}</Text>
                      </div>
                    )}
                    <div>
                      <TrainButton training={view.training} />
                    </div>
                  </BlockStack>
                </EmptyState>
              </div>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <EvaluationCard model={view.model} />
            </Layout.Section>
            <Layout.Section variant="oneThird">
              <ModelCard model={view.model} training={view.training} timeZone={view.timeZone} />
            </Layout.Section>
            <Layout.Section>
              <ProductPreview view={view} state={state} />
            </Layout.Section>
            <Layout.Section>
              <RulesTable rules={view.rules} product={state.product ?? null} find={state.find ?? ""} />
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Recommendations" />;
}
