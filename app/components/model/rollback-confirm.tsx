// The confirmation step of a rollback: what will happen (in the shop's write-back mode), then a
// button that posts intent=rollback with the run's id, or Cancel.
import { Form, Link as RemixLink, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import { formatCount, formatDateTime } from "../format";
import { algorithmLabel } from "./model-charts-data";
import type { RunHistoryEntry } from "../../domain/run-history";

const MODE_WORDS: Record<string, string> = {
  live: "Write-back is live: Segmint replaces each customer's Segmint tag in Shopify with the one this run gave them. Your own tags are never touched.",
  "dry-run": "Write-back is in dry-run mode: Segmint plans the tag changes and shows them on the Jobs and Overview pages; nothing is written to Shopify.",
  off: "Write-back is off: nothing is written to Shopify. Turn write-back on in Settings to apply a rollback.",
};

export function RollbackConfirm({ run, writeBackMode, timeZone, cancelHref }: { run: RunHistoryEntry; writeBackMode: string; timeZone: string; cancelHref: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "rollback";
  if (run.rollbackBlocked) {
    return (
      <div data-testid="model-rollback-blocked">
        <Banner tone="warning" title={`Run #${run.id} cannot be restored`} action={{ content: "Back to the history", url: cancelHref }}>
          <p>{run.rollbackBlocked}</p>
        </Banner>
      </div>
    );
  }
  return (
    <div data-testid="model-rollback-confirm" id="rollback">
      <Banner tone="warning" title={`Roll back tags to run #${run.id}?`}>
        <BlockStack gap="300">
          <Text as="p">
            Run #{run.id} ({algorithmLabel(run.algorithm)}, {formatCount(run.customers)} customers, started {formatDateTime(run.startedAt, timeZone)}): each customer's Segmint tag goes back to the one this run gave them. The next run writes its own tags again.
          </Text>
          <Text as="p">{MODE_WORDS[writeBackMode] ?? ""}</Text>
          <Form method="post">
            <input type="hidden" name="intent" value="rollback" />
            <input type="hidden" name="runId" value={run.id} />
            <InlineStack gap="300" blockAlign="center">
              <div data-testid="model-rollback-submit">
                <Button submit variant="primary" tone="critical" loading={busy}>
                  {`Roll back to run #${run.id}`}
                </Button>
              </div>
              <RemixLink to={cancelHref} data-testid="model-rollback-cancel" preventScrollReset>
                Cancel
              </RemixLink>
            </InlineStack>
          </Form>
        </BlockStack>
      </Banner>
    </div>
  );
}
