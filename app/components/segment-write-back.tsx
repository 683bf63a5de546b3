// One segment's tags in Shopify: preview the change (a dry run against the customers' real tags),
// then apply it. The detail page's action dispatches the two intents to services/segment-write-back.
import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import type { SegmentPassSummary, SegmentWriteBackView } from "../domain/segment-write-back";
import { customerAdminUrl, formatCount, formatDateTime } from "./format";
import { useRevalidateWhile } from "./overview/use-revalidate-while";
import { KeyboardScrollable } from "./keyboard-scroll";

export type { SegmentWriteBackView } from "../domain/segment-write-back";

export const WRITE_BACK_PREVIEW_INTENT = "write-back-preview";
export const WRITE_BACK_APPLY_INTENT = "write-back-apply";

const STATUS_TEXT: Record<string, string> = {
  pending: "Queued",
  reading: "Reading the customers' tags from Shopify",
  writing: "Writing tags",
  "waiting-bulk": "Waiting for Shopify",
  segments: "Updating Shopify segments",
  completed: "Finished",
  failed: "Failed",
};

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg" numeric>
        <span data-testid={testId}>{formatCount(value)}</span>
      </Text>
    </BlockStack>
  );
}

function Running({ pass, what }: { pass: SegmentPassSummary; what: string }) {
  const label = STATUS_TEXT[pass.status] ?? pass.status;
  if (pass.progress && pass.progress.total > 0) {
    const { done, total } = pass.progress;
    return (
      <BlockStack gap="100">
        <Text as="p">{`${what}: ${formatCount(done)} of ${formatCount(total)} tag changes written`}</Text>
        <ProgressBar progress={Math.round((100 * done) / total)} size="small" ariaLabelledBy="write-back-progress-label" />
        <span id="write-back-progress-label" hidden>
          {`${what} progress`}
        </span>
      </BlockStack>
    );
  }
  return (
    <InlineStack gap="200" blockAlign="center">
      <Spinner size="small" accessibilityLabel={`${what} running`} />
      <Text as="p">{`${what}: ${label.toLowerCase()}…`}</Text>
    </InlineStack>
  );
}

function ModeNote({ view }: { view: SegmentWriteBackView }) {
  if (view.shopMode === "off") {
    return (
      <Banner tone="warning" title="Write-back is off">
        <p>
          You can preview, but applying needs write-back turned on: <Link to="/app/settings">turn it on in Settings</Link>.
        </p>
      </Banner>
    );
  }
  if (view.shopMode === "dry-run") {
    return (
      <Text as="p" tone="subdued">
        Write-back is in dry-run mode. Applying writes this segment&apos;s tags to Shopify now, once; weekly refreshes keep tags current only in live mode (
        <Link to="/app/settings">Settings</Link>).
      </Text>
    );
  }
  return (
    <Text as="p" tone="subdued">
      Write-back is live: every refresh also keeps these tags current.
    </Text>
  );
}

function PreviewResult({ view, preview }: { view: SegmentWriteBackView; preview: SegmentPassSummary }) {
  if (preview.status === "failed") {
    return (
      <Banner tone="critical" title="The preview failed">
        <p>{preview.error ?? "Shopify could not be read."} Preview again; if it keeps failing, see Jobs.</p>
      </Banner>
    );
  }
  if (preview.status !== "completed") return <Running pass={preview} what="Preview" />;
  const stale = view.latestRunId !== preview.runId;
  return (
    <BlockStack gap="300">
      <Text as="p" variant="bodySm" tone="subdued">
        {`Previewed ${formatDateTime(preview.finishedAt ?? preview.startedAt, view.timeZone)} against the customers' current tags in Shopify.`}
      </Text>
      {stale && (
        <Banner tone="warning">
          <p>The segments were refreshed since this preview: preview again.</p>
        </Banner>
      )}
      <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
        <Count label="Customers changed" value={preview.customersChanged} testId="write-back-customers-changed" />
        <Count label="Tags to add" value={preview.tagsToAdd} testId="write-back-tags-to-add" />
        <Count label="Tags to remove" value={preview.tagsToRemove} testId="write-back-tags-to-remove" />
        <Count label="Skipped (250-tag cap)" value={preview.capped} testId="write-back-capped" />
      </InlineGrid>
      {view.sample.length > 0 ? (
        <div data-testid="write-back-sample">
          <KeyboardScrollable label="Sample of customers">
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Shopify customer", "Tags to add", "Tags to remove"]}
              rows={view.sample.map((row) => [
                <a key={row.shopifyId} href={customerAdminUrl(view.shopDomain, row.shopifyId)} target="_blank" rel="noreferrer">
                  {row.shopifyId}
                </a>,
                row.add.join(", ") || "—",
                row.remove.join(", ") || "—",
              ])}
              footerContent={
                preview.customersChanged > view.sample.length
                  ? `The first ${formatCount(view.sample.length)} of ${formatCount(preview.customersChanged)} customers whose tags change.`
                  : undefined
              }
            />
          </KeyboardScrollable>
        </div>
      ) : (
        <Text as="p">Every customer of this segment already carries its tag: nothing to change.</Text>
      )}
    </BlockStack>
  );
}

function ApplyResult({ view, apply }: { view: SegmentWriteBackView; apply: SegmentPassSummary }) {
  if (apply.status === "failed") {
    return (
      <Banner tone="critical" title="Applying the tags failed">
        <p>{`${apply.error ?? "Shopify refused the change."} Tags written before the failure stay; preview again to see what is left.`}</p>
      </Banner>
    );
  }
  if (apply.status !== "completed") return <Running pass={apply} what="Apply" />;
  return (
    <Banner tone={apply.failed > 0 ? "warning" : "success"} title="Tags applied">
      <p data-testid="write-back-applied">
        {`${formatDateTime(apply.finishedAt ?? apply.startedAt, view.timeZone)}: ${formatCount(apply.tagsAdded)} tags added, ${formatCount(apply.tagsRemoved)} removed` +
          (apply.failed > 0 ? `, ${formatCount(apply.failed)} customers failed (see the customer's page for the reason).` : ".")}
      </p>
    </Banner>
  );
}

/** The segment's write-back card: preview, its counts and sample, apply. */
export function SegmentWriteBackCard({ view, message }: { view: SegmentWriteBackView; message?: string | null }) {
  // Polls the page's loader while a pass runs; stops when it is done.
  useRevalidateWhile(view.running);
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  return (
    <Card>
      <div data-testid="segment-write-back">
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              Tags in Shopify
            </Text>
            {view.tag && <Badge>{view.tag}</Badge>}
          </InlineStack>
          <Text as="p">
            Preview shows exactly what would change for this segment&apos;s customers in Shopify: the tag it adds and the older Segmint tags it removes. Your own tags are never
            touched.
          </Text>
          <ModeNote view={view} />
          {message && (
            <Banner tone="critical">
              <p data-testid="write-back-message">{message}</p>
            </Banner>
          )}
          {view.preview && <PreviewResult view={view} preview={view.preview} />}
          {view.apply && <ApplyResult view={view} apply={view.apply} />}
          <InlineStack gap="200" blockAlign="center">
            <Form method="post">
              <input type="hidden" name="intent" value={WRITE_BACK_PREVIEW_INTENT} />
              <Button submit disabled={!view.canPreview} loading={submitting === WRITE_BACK_PREVIEW_INTENT} id="write-back-preview">
                {view.preview ? "Preview again" : "Preview changes"}
              </Button>
            </Form>
            {view.preview && (
              <Form method="post">
                <input type="hidden" name="intent" value={WRITE_BACK_APPLY_INTENT} />
                <input type="hidden" name="previewId" value={view.preview.id} />
                <Button submit variant="primary" disabled={!view.canApply} loading={submitting === WRITE_BACK_APPLY_INTENT} id="write-back-apply">
                  Apply to Shopify
                </Button>
              </Form>
            )}
          </InlineStack>
          {!view.canPreview && view.previewBlocked && !view.running && (
            <Text as="p" tone="subdued">
              {view.previewBlocked}
            </Text>
          )}
          {view.preview && !view.canApply && view.applyBlocked && !view.running && (
            <Text as="p" tone="subdued">
              <span data-testid="write-back-apply-blocked">{view.applyBlocked}</span>
            </Text>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
