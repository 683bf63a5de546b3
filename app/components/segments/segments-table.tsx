// The Segments list: one row per segment of the latest run, its name linking to the segment's
// page; counts and money right-aligned with their units in the headings.
import { Link as RemixLink } from "@remix-run/react";
import { IndexTable, Text } from "@shopify/polaris";
import { formatCount, formatDays, formatMoney, formatShare } from "../format";
import { KeyboardScrollable } from "../keyboard-scroll";

export interface SegmentRowView {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly share: number;
  readonly revenueShare: number;
  readonly medianRecencyDays: number | null;
  readonly medianFrequency: number | null;
  readonly medianMonetaryMilli: number | null;
  readonly action: string;
}

const orders = (n: number) => (Number.isInteger(n) ? formatCount(n) : n.toFixed(1));
const dash = "—";

export function segmentHref(id: string): string {
  return `/app/segments/${encodeURIComponent(id)}`;
}

export function SegmentsTable({ segments, currency }: { segments: readonly SegmentRowView[]; currency: string }) {
  return (
    <div data-testid="segments-table">
      <KeyboardScrollable label="Segments">
        <IndexTable
          resourceName={{ singular: "segment", plural: "segments" }}
          itemCount={segments.length}
          selectable={false}
          headings={[
            { title: "Segment" },
            { title: "Customers", alignment: "end" },
            { title: "Share of customers", alignment: "end" },
            { title: "Share of revenue", alignment: "end" },
            { title: "Median days since last order", alignment: "end" },
            { title: "Median orders", alignment: "end" },
            { title: `Median spend (${currency})`, alignment: "end" },
            { title: "Recommended action" },
          ]}
        >
          {segments.map((s, i) => (
            <IndexTable.Row id={s.id} key={s.id} position={i}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  <RemixLink to={segmentHref(s.id)} data-testid={`segment-link-${s.id}`}>
                    {s.name}
                  </RemixLink>
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" numeric alignment="end">
                  <span data-testid={`segment-size-${s.id}`}>{formatCount(s.size)}</span>
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" numeric alignment="end">
                  {formatShare(s.share)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" numeric alignment="end">
                  {formatShare(s.revenueShare)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" numeric alignment="end">
                  {s.medianRecencyDays === null ? dash : formatDays(s.medianRecencyDays)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" numeric alignment="end">
                  {s.medianFrequency === null ? dash : orders(s.medianFrequency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" numeric alignment="end">
                  {s.medianMonetaryMilli === null ? dash : formatMoney(s.medianMonetaryMilli, currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <div style={{ whiteSpace: "normal", minWidth: "16rem", maxWidth: "28rem" }}>
                  <Text as="span" variant="bodySm">
                    {s.action}
                  </Text>
                </div>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </KeyboardScrollable>
    </div>
  );
}
