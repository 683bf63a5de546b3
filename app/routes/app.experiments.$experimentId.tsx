// /app/experiments/:experimentId — one experiment's results as of today (the verdict, the lift per
// customer with its interval, CUPED, the incremental total, the checks, the design, the holdout
// and a chart per arm), with Stop (after a confirmation: ?confirm=stop) and Archive. Another
// shop's or an unknown id answers 404, an id that is not a number 400.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { ExperimentActions, ARCHIVE_INTENT, STOP_INTENT } from "../components/experiments/experiment-actions";
import { experimentHref, StatusBadge } from "../components/experiments/experiments-table";
import { formatControlShare, formatProgress } from "../components/experiments/figures";
import { formatDay } from "../components/format";
import { ExperimentResults } from "../components/experiments/results";
import { InstallingCard } from "../components/installing-card";
import { PageError } from "../components/overview/page-error";
import { METRIC_LABEL } from "../domain/experiment";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { experimentsPage } from "../services/experiments-pages.server";
import { requireAdmin } from "../shopify/admin-auth.server";

const NOT_FOUND = "Experiment not found in this store";

/** A positive integer id from the URL, or a 400 that says what was wrong. */
function experimentIdOf(raw: string | undefined): number {
  const id = /^[1-9]\d{0,9}$/.test(raw ?? "") ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new Response(`"${raw ?? ""}" is not an experiment id: open the experiment from the list.`, { status: 400 });
  return id;
}

const DONE: Record<string, string> = {
  stopped: "Experiment stopped. The holdout tag is removed from the held-out customers at the next write-back; the results below stay as of the day it stopped.",
  archived: "Experiment archived. It is listed under Archived; its results stay here.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  if (!shop) return { installed: false as const };
  const id = experimentIdOf(params.experimentId);
  const view = await experimentsPage.results(shop.id, id);
  if (!view) throw new Response(NOT_FOUND, { status: 404 });
  const search = new URL(request.url).searchParams;
  return { installed: true as const, view, confirmStop: search.get("confirm") === STOP_INTENT, done: DONE[search.get("done") ?? ""] ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const id = experimentIdOf(params.experimentId);
  const intent = (await request.formData()).get("intent");
  if (intent === STOP_INTENT) {
    if (!(await experimentsPage.stop(shop.id, id))) throw new Response(NOT_FOUND, { status: 404 });
    return redirect(`${experimentHref(id)}?done=stopped`);
  }
  if (intent === ARCHIVE_INTENT) {
    // False: not this shop's (the page's loader then answers 404), or still running before its horizon.
    if (await experimentsPage.archive(shop.id, id)) return redirect(`${experimentHref(id)}?done=archived`);
    return data({ message: "Only a stopped or completed experiment can be archived: stop it first." }, { status: 409 });
  }
  return data({ message: "Unknown action: reload the page and try again." }, { status: 400 });
}

export default function ExperimentPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!page.installed) {
    return (
      <Page title="Experiment" backAction={{ content: "Experiments", url: "/app/experiments" }}>
        <InstallingCard reloadUrl="/app/experiments">Experiments appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const { view, confirmStop, done } = page;
  const { summary } = view;
  return (
    <Page
      title={summary.name}
      titleMetadata={<StatusBadge status={summary.status} />}
      backAction={{ content: "Experiments", url: summary.status === "archived" ? "/app/experiments?view=archived" : "/app/experiments" }}
      subtitle={`${summary.targetName} · ${METRIC_LABEL[summary.metric]} · ${formatControlShare(summary.controlShare)} held out · started ${formatDay(summary.startsOn)} · ${formatProgress(summary.daysElapsed, summary.horizonDays)}`}
    >
      <Layout>
        {(done || actionData) && (
          <Layout.Section>
            <div data-testid="experiment-action-result">
              <Banner tone={actionData ? "warning" : "success"}>
                <p>{actionData?.message ?? done}</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <ExperimentResults view={view} />
            <ExperimentActions summary={summary} confirmStop={confirmStop} pageHref={experimentHref(summary.id)} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Experiment" />;
}
