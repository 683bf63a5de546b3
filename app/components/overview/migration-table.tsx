// Where the previous run's customers are now: a from × to table of counts (rows: last run's
// segments, columns: this run's), with totals. A table, not a chart: a flow between more than a
// handful of segments reads better as numbers (Polaris: more than 6 points → a table).
import { BlockStack, Card, Text } from "@shopify/polaris";
import type { MigrationMatrix } from "../../domain/run-changes";
import { formatCount, formatShare } from "../format";
import { CountTable } from "./count-table";

export function MigrationTable({ migration }: { migration: Omit<MigrationMatrix, "previousRunId"> | null }) {
  return (
    <Card>
      <div data-testid="overview-migration">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Movement between segments since the last run
          </Text>
          {migration === null ? (
            <Text as="p" tone="subdued">
              <span data-testid="overview-migration-empty">Available after the next refresh: it compares each customer&apos;s segment with this run&apos;s.</span>
            </Text>
          ) : (
            <>
              <div data-testid="overview-migration-summary">
              <Text as="p">
                {migration.inBoth > 0
                  ? `${formatCount(migration.stayed)} of ${formatCount(migration.inBoth)} customers in both runs kept their segment (${formatShare(migration.stayed / migration.inBoth)}). `
                  : ""}
                {`${formatCount(migration.newcomers)} ${migration.newcomers === 1 ? "customer is" : "customers are"} new to this run`}
                {migration.gone > 0 ? `; ${formatCount(migration.gone)} of the last run's customers are no longer in the store.` : "."} Rows: segment in the last run; columns: segment now.
              </Text>
              </div>
              <CountTable
                testId="overview-migration-table"
                caption="Customers by their segment in the last run (rows) and in this run (columns)"
                corner="Last run → this run (customers)"
                columns={migration.columns.map((c) => c.name)}
                rows={migration.rows.map((r, i) => ({
                  label: r.name,
                  counts: migration.counts[i]!,
                  total: migration.rowTotals[i]!,
                  bold: r.id === null ? null : migration.columns.findIndex((c) => c.id === r.id),
                }))}
                totals={{ label: "Total now", counts: migration.columnTotals, total: migration.columnTotals.reduce((a, b) => a + b, 0) }}
                showRowTotals
              />
              <Text as="p" variant="bodySm" tone="subdued">
                Bold: customers who stayed in the same segment.
              </Text>
            </>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
