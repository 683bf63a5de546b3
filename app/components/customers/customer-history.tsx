// The customer's segment in each stored run, and the tags Segmint wrote or planned for it.
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { CustomerSegmentHistoryRow, CustomerTagWriteRow } from "../../domain/customer-lookup";
import { formatDate, formatDateTime } from "../format";
import { KeyboardScrollable } from "../keyboard-scroll";

const RESULT_TEXT: Record<string, string> = {
  ok: "written",
  planned: "planned (not written)",
  pending: "waiting to be written",
  failed: "failed",
  "skipped-cap": "skipped: 250-tag limit",
};

export function SegmentHistoryCard({ history, latestRunId, timeZone }: { history: readonly CustomerSegmentHistoryRow[]; latestRunId: number | null; timeZone: string }) {
  return (
    <Card>
      <div data-testid="customer-segment-history">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Segment history
          </Text>
          {history.length === 0 ? (
            <Text as="p">This customer is in none of the stored runs (a customer enters the segments with their first purchase).</Text>
          ) : (
            <KeyboardScrollable label="Segment history">
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Run (data as of)", "Segment", "RFM group"]}
                rows={history.map((h) => [`${formatDate(h.runAsOf, timeZone)} · run ${h.runId}${h.runId === latestRunId ? " (latest)" : ""}`, h.segmentName, h.rfmGroup])}
                footerContent="Segmint keeps customers' rows for the newest 8 runs."
              />
            </KeyboardScrollable>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}

export function TagHistoryCard({ writes, truncated, timeZone }: { writes: readonly CustomerTagWriteRow[]; truncated: boolean; timeZone: string }) {
  return (
    <Card>
      <div data-testid="customer-tag-history">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Tags from Segmint
          </Text>
          {writes.length === 0 ? (
            <Text as="p">Segmint has not written or planned any tag for this customer yet.</Text>
          ) : (
            <KeyboardScrollable label="Tags from Segmint">
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text"]}
                headings={["Date", "Tag", "Change", "Mode", "Result"]}
                rows={writes.map((w) => [
                  formatDateTime(w.at, timeZone),
                  w.tag,
                  w.action === "add" ? "add" : "remove",
                  w.mode === "live" ? "live" : "dry run",
                  `${RESULT_TEXT[w.result] ?? w.result}${w.message && w.result !== "skipped-cap" ? ` (${w.message})` : ""}`,
                ])}
                footerContent={truncated ? `The latest ${writes.length} changes.` : undefined}
              />
            </KeyboardScrollable>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
