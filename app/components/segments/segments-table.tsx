// The Segments list: one row per segment of the latest run, its name linking to the segment's
// page; counts and money right-aligned with their units in the headings.
import { Link as RemixLink } from "@remix-run/react";
import { IndexTable, Text } from "@shopify/polaris";
import { formatCount, formatDays, formatMoney, formatShare } from "../format";
import { KeyboardScrollable } from "../keyboard-scroll";
import { NumericCell } from "../numeric-cell";

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
              <NumericCell><span data-testid={`segment-size-${s.id}`}>{formatCount(s.size)}</span></NumericCell>
              <NumericCell>{formatShare(s.share)}</NumericCell>
              <NumericCell>{formatShare(s.revenueShare)}</NumericCell>
              <NumericCell>{s.medianRecencyDays === null ? dash : formatDays(s.medianRecencyDays)}</NumericCell>
              <NumericCell>{s.medianFrequency === null ? dash : orders(s.medianFrequency)}</NumericCell>
              <NumericCell>{s.medianMonetaryMilli === null ? dash : formatMoney(s.medianMonetaryMilli, currency)}</NumericCell>
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
