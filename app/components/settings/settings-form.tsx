// The Settings form: tag prefix, refresh schedule (weekly day and hour in the store's time zone,
// or manual), write-back mode with what each does to the store, Shopify segments on/off, and the
// anomalies' VIP tags and order risk assessments. One form, one save; each refused field shows its
// message next to it.
import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Checkbox, ChoiceList, FormLayout, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { isValidTagPrefix } from "../../domain/tag-prefix";
import { formatDateTime } from "../format";
import { OrderAccessButton } from "./order-access-button";

export type SettingsFieldName = "tagPrefix" | "writeBackMode" | "shopifySegments" | "vipTags" | "riskAssessments" | "timeZone" | "schedule" | "weekday" | "hour";

export interface SettingsFormView {
  readonly tagPrefix: string;
  readonly writeBackMode: string;
  readonly shopifySegments: boolean;
  readonly vipTags: boolean;
  readonly riskAssessments: boolean;
  /** The optional write_orders scope (risk assessments) is granted. */
  readonly orderAccessGranted: boolean;
  readonly refresh: {
    readonly schedule: string;
    readonly weekday: number;
    readonly hour: number;
    readonly timeZone: string;
    readonly lastRefreshAt: Date | string | null;
    readonly nextRefreshAt: Date | string | null;
  };
}

export const WRITE_BACK_CHOICES = [
  { value: "off", label: "Off", helpText: "Nothing is written to your store. Segments stay inside Segmint." },
  { value: "dry-run", label: "Dry run", helpText: "Segmint plans the tag changes after each run and shows them to you; nothing is written to your store." },
  {
    value: "live",
    label: "Live",
    helpText: "Segmint adds and removes only its own tags (those starting with your prefix and a colon) on your customers, and keeps its Shopify segments in step when they are on. Your other tags and segments are never touched.",
  },
];

function hourLabel(h: number): string {
  const suffix = h === 0 ? " (midnight)" : h === 12 ? " (noon)" : "";
  return `${String(h).padStart(2, "0")}:00${suffix}`;
}

export function SettingsForm({ settings, errors = {}, weekdayNames }: { settings: SettingsFormView; errors?: Partial<Record<SettingsFieldName, string>>; weekdayNames: readonly string[] }) {
  const [tagPrefix, setTagPrefix] = useState(settings.tagPrefix);
  const [schedule, setSchedule] = useState(settings.refresh.schedule);
  const [weekday, setWeekday] = useState(String(settings.refresh.weekday));
  const [hour, setHour] = useState(String(settings.refresh.hour));
  const [timeZone, setTimeZone] = useState(settings.refresh.timeZone);
  const [mode, setMode] = useState(settings.writeBackMode);
  const [shopifySegments, setShopifySegments] = useState(settings.shopifySegments);
  const [vipTags, setVipTags] = useState(settings.vipTags);
  const [riskAssessments, setRiskAssessments] = useState(settings.riskAssessments);
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";
  const prefixChanged = tagPrefix.trim() !== settings.tagPrefix && isValidTagPrefix(tagPrefix.trim());
  const { lastRefreshAt, nextRefreshAt } = settings.refresh;

  return (
    <Form method="post" data-testid="settings-form">
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Customer tags
            </Text>
            <div data-testid="settings-tag-prefix">
              <TextField
                label="Tag prefix"
                name="tagPrefix"
                value={tagPrefix}
                onChange={setTagPrefix}
                autoComplete="off"
                maxLength={20}
                error={errors.tagPrefix}
                helpText={
                  prefixChanged
                    ? `After you save, the next write-back moves Segmint's tags from "${settings.tagPrefix}:…" to "${tagPrefix.trim()}:…" on every customer it tags.`
                    : `Segmint's tags look like "${settings.tagPrefix}:champions". Up to 20 letters, digits, dashes or underscores.`
                }
              />
            </div>
          </BlockStack>
        </Card>

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Refresh schedule
            </Text>
            <div data-testid="settings-schedule">
              <ChoiceList
                title="When segments refresh"
                name="schedule"
                choices={[
                  { label: "Weekly", value: "weekly", helpText: "Segmint re-segments your customers once a week, at the day and hour below." },
                  { label: "Manual", value: "manual", helpText: "Only when you press Run now on the Model page." },
                ]}
                selected={[schedule]}
                onChange={(v) => setSchedule(v[0] ?? "weekly")}
                error={errors.schedule}
              />
            </div>
            <FormLayout>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                <div data-testid="settings-weekday">
                  <Select label="Day" name="weekday" options={weekdayNames.map((name, i) => ({ label: name, value: String(i) }))} value={weekday} onChange={setWeekday} error={errors.weekday} disabled={schedule !== "weekly"} />
                </div>
                <div data-testid="settings-hour">
                  <Select
                    label="Hour"
                    name="hour"
                    options={Array.from({ length: 24 }, (_, h) => ({ label: hourLabel(h), value: String(h) }))}
                    value={hour}
                    onChange={setHour}
                    error={errors.hour}
                    disabled={schedule !== "weekly"}
                  />
                </div>
              </InlineGrid>
              <div data-testid="settings-time-zone">
                <TextField
                  label="Store time zone"
                  name="timeZone"
                  value={timeZone}
                  onChange={setTimeZone}
                  autoComplete="off"
                  error={errors.timeZone}
                  helpText='Taken from your Shopify store when Segmint was installed. It sets the refresh hour and where each day of a customer’s recency starts and ends. An IANA name, e.g. "Europe/London".'
                />
              </div>
            </FormLayout>
            {/* A disabled select posts nothing: keep the stored day and hour for a manual schedule. */}
            {schedule !== "weekly" && (
              <>
                <input type="hidden" name="weekday" value={weekday} />
                <input type="hidden" name="hour" value={hour} />
              </>
            )}
            <Text as="p" tone="subdued">
              <span data-testid="settings-refresh-times">
                {lastRefreshAt ? `Last refresh: ${formatDateTime(lastRefreshAt, settings.refresh.timeZone)}. ` : "No refresh has completed yet. "}
                {nextRefreshAt ? `Next: ${formatDateTime(nextRefreshAt, settings.refresh.timeZone)}.` : "No weekly refresh is booked."}
              </span>
            </Text>
          </BlockStack>
        </Card>

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Writing to your store
            </Text>
            <div data-testid="settings-write-back-mode">
              <ChoiceList title="Write-back mode" name="writeBackMode" choices={WRITE_BACK_CHOICES} selected={[mode]} onChange={(v) => setMode(v[0] ?? "dry-run")} error={errors.writeBackMode} />
            </div>
            <div data-testid="settings-shopify-segments">
              <Checkbox
                label="Keep a Shopify customer segment for each Segmint segment"
                name="shopifySegments"
                value="on"
                checked={shopifySegments}
                onChange={setShopifySegments}
                error={errors.shopifySegments}
                helpText="In live mode Segmint creates and updates one segment per group in Shopify (Customers › Segments), filtered on its tag, so you can use them in Shopify Email and discounts. Segmint never changes segments it did not create."
              />
            </div>
          </BlockStack>
        </Card>

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Anomalies
            </Text>
            <div data-testid="settings-vip-tags">
              <Checkbox
                label={`Tag whales as VIP (${settings.tagPrefix}:vip)`}
                name="vipTags"
                value="on"
                checked={vipTags}
                onChange={setVipTags}
                error={errors.vipTags}
                helpText="Customers who spend far more than the rest with a healthy pattern (few returns, no bursts) get this tag in live mode, so you can reward them; a whale you dismiss on the Anomalies page loses it."
              />
            </div>
            <div data-testid="settings-risk-assessments">
              <Checkbox
                label="Send order risk assessments to Shopify"
                name="riskAssessments"
                value="on"
                checked={riskAssessments}
                onChange={setRiskAssessments}
                error={errors.riskAssessments}
                helpText="Each order Segmint flags gets a risk level on its order page in Shopify, with the reasons in plain words; this needs access to your orders."
              />
            </div>
            {!settings.orderAccessGranted && <OrderAccessButton />}
          </BlockStack>
        </Card>

        <Box>
          <div data-testid="settings-save">
            <Button submit variant="primary" loading={saving}>
              Save settings
            </Button>
          </div>
        </Box>
      </BlockStack>
    </Form>
  );
}
