// The experiments list: one row per experiment, its name linking to its results; who it targets,
// what it measures, how much is held out, where it stands, and the size of each group.
import { Badge, IndexTable, Link, Text } from "@shopify/polaris";
import { METRIC_LABEL, type ExperimentSummary } from "../../domain/experiment";
import { formatCount } from "../format";
import { KeyboardScrollable } from "../keyboard-scroll";
import { NumericCell } from "../numeric-cell";
import { formatDay } from "../format";
import { STATUS_LABEL, STATUS_TONE, formatControlShare, formatProgress } from "./figures";

export function experimentHref(id: number): string {
  return `/app/experiments/${id}`;
}

export function StatusBadge({ status }: { status: ExperimentSummary["status"] }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>;
}

export function ExperimentsTable({ experiments }: { experiments: readonly ExperimentSummary[] }) {
  return (
    <div data-testid="experiments-table">
      <KeyboardScrollable label="Experiments">
        <IndexTable
          resourceName={{ singular: "experiment", plural: "experiments" }}
          itemCount={experiments.length}
          selectable={false}
          headings={[
            { title: "Experiment" },
            { title: "Target" },
            { title: "Metric" },
            { title: "Held out", alignment: "end" },
            { title: "Status" },
            { title: "Days so far", alignment: "end" },
            { title: "Campaign group", alignment: "end" },
            { title: "Held-out customers", alignment: "end" },
          ]}
        >
          {experiments.map((e, i) => (
            <IndexTable.Row id={String(e.id)} key={e.id} position={i}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  <span data-testid={`experiment-link-${e.id}`}>
                    <Link url={experimentHref(e.id)}>{e.name}</Link>
                  </span>
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {`Started ${formatDay(e.startsOn)}`}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{e.targetName}</IndexTable.Cell>
              <IndexTable.Cell>{METRIC_LABEL[e.metric]}</IndexTable.Cell>
              <NumericCell>{formatControlShare(e.controlShare)}</NumericCell>
              <IndexTable.Cell>
                <span data-testid={`experiment-status-${e.id}`}>
                  <StatusBadge status={e.status} />
                </span>
              </IndexTable.Cell>
              <NumericCell>{formatProgress(e.daysElapsed, e.horizonDays)}</NumericCell>
              <NumericCell>
                <span data-testid={`experiment-treatment-${e.id}`}>{formatCount(e.nTreatment)}</span>
              </NumericCell>
              <NumericCell>
                <span data-testid={`experiment-control-${e.id}`}>{formatCount(e.nControl)}</span>
              </NumericCell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </KeyboardScrollable>
    </div>
  );
}
