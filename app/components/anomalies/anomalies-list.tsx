// One kind's anomalies as a list (reasons are sentences: a list reads better than a wide table at
// 375 px): the subject with its link to Shopify admin, when, the value, the score, the category
// badge, the reasons in words, and Confirm / Dismiss (or Reopen once reviewed), each a real form
// POST that works without JavaScript.
import { Form, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, Link, List, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { customerAdminUrl, formatDateTime, formatDay, formatMoney, orderAdminUrl } from "../format";
import { formatDayValue } from "./store-days-chart";
import type { AnomalyRowView, AnomalyStatus } from "../../domain/anomaly";
import { CATEGORY_LABEL, CATEGORY_TONE, formatScore } from "./view";

export const REVIEW_INTENT = "review";

/** The subject in words, for headings and the buttons' accessible names. */
export function subjectLabel(row: AnomalyRowView): string {
  if (row.kind === "order") return `Order ${row.orderId ?? "?"}`;
  if (row.kind === "customer") return `Customer ${row.customerId ?? "?"}`;
  return `${row.day ? formatDay(row.day) : "A day"}, ${row.metric === "revenue" ? "revenue" : "orders"}`;
}

function ReviewButton({ row, status, label }: { row: AnomalyRowView; status: AnomalyStatus; label: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("id") === String(row.id) && navigation.formData?.get("status") === status;
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={REVIEW_INTENT} />
      <input type="hidden" name="id" value={row.id} />
      <input type="hidden" name="status" value={status} />
      <div data-testid={`anomaly-${status === "open" ? "reopen" : status === "confirmed" ? "confirm" : "dismiss"}-${row.id}`}>
        <Button submit size="slim" loading={busy} accessibilityLabel={`${label}: ${subjectLabel(row)}`}>
          {label}
        </Button>
      </div>
    </Form>
  );
}

function Subject({ row, shopDomain }: { row: AnomalyRowView; shopDomain: string }) {
  const heading = (
    <Text as="h3" variant="headingSm">
      {row.kind === "order" && row.orderId ? (
        <Link url={orderAdminUrl(shopDomain, row.orderId)} target="_blank" accessibilityLabel={`${subjectLabel(row)} in Shopify admin (opens a new tab)`}>
          {subjectLabel(row)}
        </Link>
      ) : row.kind === "customer" && row.customerId ? (
        <Link url={customerAdminUrl(shopDomain, row.customerId)} target="_blank" accessibilityLabel={`${subjectLabel(row)} in Shopify admin (opens a new tab)`}>
          {subjectLabel(row)}
        </Link>
      ) : (
        subjectLabel(row)
      )}
    </Text>
  );
  return <span data-testid={`anomaly-subject-${row.id}`}>{heading}</span>;
}

/** "Placed 9 Dec 2011, 09:15 UTC · £168,469.60 · customer 16446 · score 0.81". */
function Figures({ row, currency, timeZone, shopDomain }: { row: AnomalyRowView; currency: string; timeZone: string; shopDomain: string }) {
  const parts: ReactNode[] = [];
  if (row.at) parts.push(`Placed ${formatDateTime(row.at, timeZone)}`);
  if (row.value !== null) {
    if (row.kind === "day" && row.metric) {
      const value = formatDayValue(row.metric, row.value, currency);
      parts.push(row.expected ? `${value}; expected ${formatDayValue(row.metric, row.expected.low, currency)} to ${formatDayValue(row.metric, row.expected.high, currency)}` : value);
    } else parts.push(`${row.kind === "customer" ? "Spent " : ""}${formatMoney(row.value, currency)}`);
  }
  if (row.kind === "order" && row.customerId) {
    parts.push(
      <Link key="customer" url={customerAdminUrl(shopDomain, row.customerId)} target="_blank" accessibilityLabel={`Customer ${row.customerId} in Shopify admin (opens a new tab)`}>
        {`customer ${row.customerId}`}
      </Link>,
    );
  } else if (row.kind === "order") parts.push("guest checkout");
  parts.push(`score ${formatScore(row.kind, row.score)}`);
  if (row.source === "webhook") parts.push("scored as it arrived");
  return (
    <Text as="p" tone="subdued">
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 ? " · " : ""}
          {p}
        </span>
      ))}
    </Text>
  );
}

export function AnomaliesList({ rows, label, currency, timeZone, shopDomain }: { rows: readonly AnomalyRowView[]; label: string; currency: string; timeZone: string; shopDomain: string }) {
  return (
    <ul aria-label={label} data-testid="anomalies-list" style={{ listStyle: "none", margin: 0, padding: 0 }}>
      {rows.map((row, i) => (
        <li key={row.id} data-testid={`anomaly-row-${row.id}`} data-subject={row.orderId ?? row.customerId ?? row.day ?? ""} data-status={row.status}>
          <Box paddingBlock="300" paddingInline="400" borderBlockStartWidth={i > 0 ? "025" : undefined} borderColor="border">
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center" wrap>
                <Subject row={row} shopDomain={shopDomain} />
                <Badge tone={CATEGORY_TONE[row.category]}>{CATEGORY_LABEL[row.category] ?? row.category}</Badge>
                {row.status !== "open" && <Badge tone={row.status === "confirmed" ? "attention" : undefined}>{row.status === "confirmed" ? "Confirmed" : "Dismissed"}</Badge>}
              </InlineStack>
              <Figures row={row} currency={currency} timeZone={timeZone} shopDomain={shopDomain} />
              {row.reasons.length > 0 ? (
                <div data-testid={`anomaly-reasons-${row.id}`}>
                  <List type="bullet">
                    {row.reasons.map((reason, r) => (
                      <List.Item key={r}>{reason}</List.Item>
                    ))}
                  </List>
                </div>
              ) : (
                <Text as="p" tone="subdued">
                  No single figure stands out: the combination of this {row.kind === "customer" ? "customer's" : "order's"} figures is rare in this store.
                </Text>
              )}
              <InlineStack gap="200" blockAlign="center">
                {row.status === "open" ? (
                  <>
                    <ReviewButton row={row} status="confirmed" label="Confirm" />
                    <ReviewButton row={row} status="dismissed" label="Dismiss" />
                  </>
                ) : (
                  <ReviewButton row={row} status="open" label="Reopen" />
                )}
              </InlineStack>
            </BlockStack>
          </Box>
        </li>
      ))}
    </ul>
  );
}
