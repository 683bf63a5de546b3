// The Settings form server-rendered (Remix's Form as a plain form): the Anomalies section's two
// switches with the shop's prefix in the VIP label, and "Grant order access" only while the
// write_orders scope is missing; rendering does not touch App Bridge (absent on the server).
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { SettingsForm, type SettingsFormView } from "../../app/components/settings/settings-form";

vi.mock("@remix-run/react", () => ({
  Form: ({ children }: { children: ReactNode }) => <form method="post">{children}</form>,
  useNavigation: () => ({ state: "idle" }),
}));

const settings: SettingsFormView = {
  tagPrefix: "shop_x",
  writeBackMode: "live",
  shopifySegments: true,
  vipTags: true,
  riskAssessments: false,
  orderAccessGranted: false,
  refresh: { schedule: "weekly", weekday: 1, hour: 3, timeZone: "UTC", lastRefreshAt: null, nextRefreshAt: null },
};

async function render(view: SettingsFormView, errors = {}): Promise<string> {
  return renderToStaticMarkup(
    <AppProvider i18n={en}>
      <SettingsForm settings={view} errors={errors} weekdayNames={["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]} />
    </AppProvider>,
  );
}

describe("Settings form: Anomalies", () => {
  it("shows both switches as stored, the VIP tag with the shop's prefix, and the grant button while access is missing", async () => {
    const out = await render(settings);
    expect(out).toContain("Tag whales as VIP (shop_x:vip)");
    expect(out).toContain("Send order risk assessments to Shopify");
    expect(out).toMatch(/name="vipTags"[^>]*aria-checked="true"/);
    expect(out).toMatch(/name="riskAssessments"[^>]*aria-checked="false"/);
    expect(out).toContain('data-testid="settings-grant-order-access"');
    expect(await render({ ...settings, orderAccessGranted: true })).not.toContain("settings-grant-order-access");
  });

  it("shows the refusal next to the risk assessments switch", async () => {
    expect(await render(settings, { riskAssessments: "Segmint needs permission to write to your orders" })).toContain("Segmint needs permission to write to your orders");
  });
});
