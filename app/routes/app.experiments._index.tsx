// /app/experiments — the shop's holdout experiments (archived ones under their own tab) and the
// "New experiment" form (?new=1). The form posts intent=design (what the experiment can detect,
// shown before anything is saved) and intent=create (saves it, then its page).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Layout, List, Page, Tabs, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ExperimentForm, EXPERIMENT_FORM_FIELDS, sameDraft, type ExperimentFormOptions, type ExperimentFormValues } from "../components/experiments/experiment-form";
import { ExperimentsTable, experimentHref } from "../components/experiments/experiments-table";
import { InstallingCard } from "../components/installing-card";
import { EMPTY_ILLUSTRATION } from "../components/overview/empty-illustration";
import { PageError } from "../components/overview/page-error";
import type { ExperimentDesignView } from "../domain/experiment";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { experimentsPage } from "../services/experiments-pages.server";
import { requireAdmin } from "../shopify/admin-auth.server";

const LIST_URL = "/app/experiments";
const NEW_URL = `${LIST_URL}?new=1`;
const ARCHIVED_URL = `${LIST_URL}?view=archived`;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return { installed: false as const };
  const url = new URL(request.url);
  const archived = url.searchParams.get("view") === "archived";
  const [experiments, options] = await Promise.all([experimentsPage.list(shop.id, { archived }), experimentsPage.formOptions(shop.id)]);
  return { installed: true as const, experiments, archived, options, showForm: url.searchParams.has("new") };
}

/** The form's fields as strings (what the service parses), without the intent. */
function draftOf(form: FormData): ExperimentFormValues {
  const value = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  return Object.fromEntries(EXPERIMENT_FORM_FIELDS.map((f) => [f, value(f)])) as ExperimentFormValues;
}

export async function action({ request }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const values = draftOf(form);
  if (intent === "design") {
    const result = await experimentsPage.design(shop.id, values);
    return result.ok ? data({ intent, values, ok: true as const, design: result.design }) : data({ intent, values, ok: false as const, errors: result.errors }, { status: 400 });
  }
  if (intent === "create") {
    const result = await experimentsPage.create(shop.id, values);
    if (result.ok) return redirect(experimentHref(result.id));
    return data({ intent, values, ok: false as const, errors: result.errors }, { status: 400 });
  }
  return data({ intent: "unknown", values, ok: false as const, errors: { form: "Unknown action: reload the page and try again." } as Record<string, string> }, { status: 400 });
}

// Checking the figures changes nothing stored: the list need not be read again.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "design" ? false : defaultShouldRevalidate;

/** The form's state: its values, the last figures and the values they were computed for. */
function NewExperiment({ options }: { options: ExperimentFormOptions }) {
  const fetcher = useFetcher<typeof action>();
  const [values, setValues] = useState<ExperimentFormValues>(options.defaults);
  const [checked, setChecked] = useState<{ design: ExperimentDesignView; values: ExperimentFormValues } | null>(null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (result && result.ok && "design" in result) setChecked({ design: result.design, values: result.values });
  }, [result]);
  const submit = (intent: "design" | "create") => fetcher.submit({ ...values, intent }, { method: "post" });
  const posting = fetcher.state !== "idle" ? fetcher.formData?.get("intent") : null;
  return (
    <ExperimentForm
      options={options}
      values={values}
      onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
      errors={result && !result.ok ? result.errors : undefined}
      design={checked?.design ?? null}
      designIsCurrent={sameDraft(values, checked?.values)}
      busy={posting === "design" || posting === "create" ? posting : null}
      onCheck={() => submit("design")}
      onStart={() => submit("create")}
    />
  );
}

function HowItWorks() {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          How an experiment works
        </Text>
        <List type="number">
          <List.Item>Segmint splits the target customers at random: most get your campaign, a share is held out.</List.Item>
          <List.Item>The held-out customers carry a holdout tag, and a Shopify segment of the others is kept, so your email or ads tool leaves them out.</List.Item>
          <List.Item>After the horizon, the difference in what the two groups spent is what the campaign earned, with its uncertainty.</List.Item>
        </List>
      </BlockStack>
    </Card>
  );
}

export default function ExperimentsPage() {
  const page = useLoaderData<typeof loader>();
  if (!page.installed) {
    return (
      <Page title="Experiments">
        <InstallingCard reloadUrl={LIST_URL}>Experiments appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { experiments, archived, options, showForm } = page;
  const tabs = [
    { id: "experiments-active", content: "Running and finished", url: LIST_URL },
    { id: "experiments-archived", content: "Archived", url: ARCHIVED_URL },
  ];
  const emptyActive = !archived && experiments.length === 0;
  return (
    <Page
      title="Experiments"
      subtitle="Hold back part of an audience from a campaign, and measure what the campaign really earned."
      primaryAction={options && !showForm && !emptyActive ? { content: "New experiment", url: NEW_URL } : undefined}
      {...(showForm ? { backAction: { content: "Experiments", url: LIST_URL } } : {})}
    >
      <Layout>
        {showForm && (
          <>
            <Layout.Section>
              {options ? (
                <NewExperiment options={options} />
              ) : (
                <Card>
                  <div data-testid="experiments-no-segments">
                    <Text as="p">An experiment targets your customers as of the latest segments, and there are none yet. The first refresh runs by itself after the order sync; the Overview shows its progress.</Text>
                  </div>
                </Card>
              )}
            </Layout.Section>
            <Layout.Section variant="oneThird">
              <HowItWorks />
            </Layout.Section>
          </>
        )}
        {!(showForm && emptyActive) && (
          <Layout.Section>
            <Card padding="0">
              <Tabs tabs={tabs} selected={archived ? 1 : 0} />
              {experiments.length > 0 ? (
                <ExperimentsTable experiments={experiments} />
              ) : archived ? (
                <div data-testid="experiments-archived-empty" style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    No archived experiments. Archive a stopped or completed experiment from its page to move it here.
                  </Text>
                </div>
              ) : (
                <div data-testid="experiments-empty">
                  <EmptyState
                    heading="Measure what a campaign really earns"
                    image={EMPTY_ILLUSTRATION}
                    action={options ? { content: "Create an experiment", url: NEW_URL } : undefined}
                  >
                    <p>
                      An experiment holds a share of a segment back from a campaign and compares what both groups spend afterwards: the difference is what the campaign earned, with
                      its uncertainty.{" "}
                      {options
                        ? "Choose who to target, how many to hold out and for how long; Segmint shows what the experiment can detect before you start it."
                        : "Experiments target your segments, and there are none yet: they appear after the first refresh (see the Overview)."}
                    </p>
                  </EmptyState>
                </div>
              )}
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Experiments" />;
}
