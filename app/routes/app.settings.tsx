import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { PageError } from "../components/overview/page-error";
import { DataStatement } from "../components/settings/data-statement";
import { SettingsForm } from "../components/settings/settings-form";
import { InstallingCard } from "../components/installing-card";
import { adminShop, requireInstalledShop } from "../services/admin-shop.server";
import { WEEKDAY_NAMES } from "../services/refresh-schedule.server";
import { loadSettings, settingsAction } from "../services/settings.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await requireAdmin(request);
  const shop = await adminShop(session.shop);
  const settings = shop ? await loadSettings(shop.id) : null;
  if (!settings) return { installed: false as const };
  return { installed: true as const, settings, weekdayNames: [...WEEKDAY_NAMES] };
}

export async function action({ request }: ActionFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const result = await settingsAction(shop.id, await request.formData());
  return result.ok ? data({ ok: true as const, message: result.message }) : data({ ok: false as const, errors: result.errors }, { status: 400 });
}

export default function SettingsPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!page.installed) {
    return (
      <Page title="Settings">
        <InstallingCard reloadUrl="/app/settings">Settings appear here once Segmint is installed in this store. This takes a few seconds.</InstallingCard>
      </Page>
    );
  }
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  return (
    <Page title="Settings" subtitle="Tags, refresh schedule, what Segmint may write to your store, and the data it keeps.">
      <Layout>
        {actionData?.ok && (
          <Layout.Section>
            <div data-testid="settings-saved">
              <Banner tone="success" title="Settings saved">
                <p>{actionData.message.replace(/^Settings saved\.\s*/, "") || "They apply from now on."}</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        {errors && (
          <Layout.Section>
            <div data-testid="settings-errors">
              <Banner tone="critical" title="Nothing was saved">
                <p>Fix the fields marked below, then save again.</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          {/* Re-mounted after a save, so the fields show what was stored. */}
          <SettingsForm key={JSON.stringify(page.settings)} settings={page.settings} errors={errors} weekdayNames={page.weekdayNames} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <DataStatement />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError title="Settings" />;
}
