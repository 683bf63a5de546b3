// The shop's runs, newest first, a page at a time: when, algorithm, K, silhouette, customers,
// duration, status (with the error of a failed run), and a link to roll the tags back to it.
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Card, IndexTable, InlineStack, Text } from "@shopify/polaris";
import type { RunHistoryEntry } from "../../domain/run-history";
import { formatCount, formatDateTime } from "../format";
import { algorithmLabel } from "./model-charts-data";
import { KeyboardScrollable } from "../keyboard-scroll";
import { PageLinks } from "../page-links";

export interface RunHistoryProps {
  readonly entries: readonly RunHistoryEntry[];
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  readonly timeZone: string;
  /** The href of a page of the history (and of the rollback confirmation). */
  readonly hrefFor: (query: { page?: number; confirmRollback?: number }) => string;
}

const REASONS: Record<string, string> = { schedule: "weekly", "on-demand": "run now", backfill: "first sync" };

function statusBadge(status: string) {
  if (status === "completed") return <Badge tone="success">Completed</Badge>;
  if (status === "failed") return <Badge tone="critical">Failed</Badge>;
  return <Badge tone="info">Running</Badge>;
}

/** "4.2 s", "1 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function RunHistory({ entries, page, pageCount, total, timeZone, hrefFor }: RunHistoryProps) {
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Run history
            </Text>
            <Text as="p" tone="subdued">
              {total === 0 ? "No runs yet." : `${formatCount(total)} ${total === 1 ? "run" : "runs"}, newest first. Rolling back puts each customer's Segmint tag back to what that run gave them.`}
            </Text>
          </BlockStack>
        </div>
        <div data-testid="model-run-history">
          <KeyboardScrollable label="Run history">
            <IndexTable
              resourceName={{ singular: "run", plural: "runs" }}
              itemCount={entries.length}
              selectable={false}
              emptyState={
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p">Runs appear here after the first sync. Use Run now to start one.</Text>
                </div>
              }
              headings={[
                { title: "Run" },
                { title: "Started" },
                { title: "Algorithm" },
                { title: "K", alignment: "end" },
                { title: "Silhouette", alignment: "end" },
                { title: "Customers", alignment: "end" },
                { title: "Duration", alignment: "end" },
                { title: "Status" },
                { title: "Tags" },
              ]}
            >
              {entries.map((run, i) => (
                <IndexTable.Row id={String(run.id)} key={run.id} position={i}>
                  <IndexTable.Cell>
                    <div data-testid={`model-run-row-${run.id}`}>
                      <Text as="span" fontWeight="semibold">
                        #{run.id}
                      </Text>
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Text as="span">{formatDateTime(run.startedAt, timeZone)}</Text>
                      {run.reason && (
                        <Text as="span" tone="subdued" variant="bodySm">
                          {REASONS[run.reason] ?? run.reason}
                        </Text>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{algorithmLabel(run.algorithm)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {run.k ?? "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {run.silhouette === null ? "—" : run.silhouette.toFixed(2)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatCount(run.customers)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatDuration(run.durationMs)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="100">
                      {statusBadge(run.status)}
                      {run.error && (
                        <div data-testid={`model-run-error-${run.id}`} style={{ maxWidth: "22rem", whiteSpace: "normal" }}>
                          <Text as="span" tone="critical" variant="bodySm">
                            {run.error}
                          </Text>
                        </div>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {run.status === "completed" && run.rollbackBlocked === null ? (
                      <RemixLink to={hrefFor({ page, confirmRollback: run.id })} data-testid={`model-rollback-${run.id}`} preventScrollReset>
                        {`Roll back to run #${run.id}`}
                      </RemixLink>
                    ) : run.status === "completed" ? (
                      <Text as="span" tone="subdued" variant="bodySm">
                        {run.isLatest ? "Current tags" : "Too old to restore"}
                      </Text>
                    ) : null}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </KeyboardScrollable>
        </div>
        {pageCount > 1 && (
          <div style={{ padding: "var(--p-space-300)" }} data-testid="model-run-history-pagination">
            <InlineStack align="center">
              <PageLinks
                page={page}
                hasNext={page < pageCount}
                hrefFor={(p) => hrefFor({ page: p })}
                label={`Page ${page} of ${pageCount}`}
                accessibilityLabels={{ previous: "Newer runs", next: "Older runs" }}
              />
            </InlineStack>
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
