// The Overview's status card: the order import, the segment refresh and the tag write-back, each
// with live progress while it runs, plus when the segments were last and will next be refreshed
// (in the shop's time zone) and what the write-back mode does.
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { FinishedWriteBack, WriteBackPassCounts, WriteBackProgress } from "../../domain/write-back-status";
import { formatCount, formatDateTime } from "../format";
import { formatDuration } from "./duration";
import { ProgressLine } from "./progress-line";

type When = string | Date | null;

export interface StatusCardProps {
  readonly timeZone: string;
  readonly backfill: {
    readonly status: string;
    readonly rowsDone: number;
    readonly rowsTotal: number | null;
    readonly error: string | null;
    readonly finishedAt: When;
    readonly fraction: number | null;
  } | null;
  readonly refresh: {
    readonly running: { readonly elapsedMs: number; readonly estimateMs: number | null; readonly fraction: number | null } | null;
    readonly queued: boolean;
    readonly failed: { readonly error: string | null; readonly finishedAt: When } | null;
    readonly lastRefreshAt: When;
    readonly nextRefreshAt: When;
    readonly schedule: string;
  };
  readonly writeBack: {
    readonly mode: string;
    readonly active: (Pick<WriteBackProgress<When>, keyof WriteBackPassCounts | "tagChanges" | "tagChangesSettled"> & { readonly fraction: number | null }) | null;
    /** The last full pass that finished (absent before the first). */
    readonly last?: FinishedWriteBack<When> | null;
  };
}

/** What each write-back mode does to the store, in one sentence. */
export const WRITE_BACK_MODES: Readonly<Record<string, { label: string; tone: "success" | "info" | undefined; explanation: string }>> = {
  off: { label: "Off", tone: undefined, explanation: "Segmint writes nothing to Shopify: segments stay inside this app." },
  "dry-run": {
    label: "Dry run",
    tone: "info",
    explanation: "Segmint works out which segment tags each customer would get or lose and records the plan, but changes nothing in Shopify.",
  },
  live: { label: "Live", tone: "success", explanation: "After each refresh, Segmint adds and removes its segment tags on your customers in Shopify." },
};

function Row({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <div data-testid={testId}>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        {children}
      </BlockStack>
    </div>
  );
}

function BackfillStatus({ backfill, timeZone }: Pick<StatusCardProps, "backfill" | "timeZone">) {
  if (!backfill) return <Text as="p">Segmint is about to start importing your orders from Shopify.</Text>;
  if (backfill.status === "pending") return <ProgressLine id="backfill-progress-label" testId="overview-backfill-progress" fraction={null} label="Asking Shopify for an export of your orders…" />;
  if (backfill.status === "running") {
    const label =
      backfill.fraction === null
        ? `Shopify is preparing the export of your orders${backfill.rowsTotal ? `: ${formatCount(backfill.rowsTotal)} records so far` : ""}…`
        : `Importing orders: ${formatCount(backfill.rowsDone)} of ${formatCount(backfill.rowsTotal ?? 0)} records`;
    return <ProgressLine id="backfill-progress-label" testId="overview-backfill-progress" fraction={backfill.fraction} label={label} />;
  }
  if (backfill.status === "completed")
    return (
      <Text as="p">
        All orders imported{backfill.rowsTotal ? ` (${formatCount(backfill.rowsTotal)} records)` : ""}
        {backfill.finishedAt ? ` on ${formatDateTime(backfill.finishedAt, timeZone)}` : ""}. New orders arrive as they happen.
      </Text>
    );
  return (
    <BlockStack gap="100">
      <Text as="p" tone="critical">
        The order import {backfill.status === "cancelled" ? "was cancelled" : "failed"}
        {backfill.error ? `: ${backfill.error}` : "."}
      </Text>
      <Text as="p">
        The <RemixLink to="/app/jobs?status=failed">Jobs page</RemixLink> shows the failed job; retry it there.
      </Text>
    </BlockStack>
  );
}

function RefreshStatus({ refresh, timeZone }: Pick<StatusCardProps, "refresh" | "timeZone">) {
  const r = refresh.running;
  let estimate = "";
  if (r && r.estimateMs !== null) {
    const left = r.estimateMs - r.elapsedMs;
    estimate =
      left > 0
        ? ` · estimate: about ${formatDuration(left)} left (the last refresh took ${formatDuration(r.estimateMs)})`
        : ` · taking longer than the last refresh (${formatDuration(r.estimateMs)})`;
  }
  return (
    <BlockStack gap="200">
      {r && <ProgressLine id="refresh-progress-label" testId="overview-refresh-progress" fraction={r.fraction} label={`Refreshing segments: running for ${formatDuration(r.elapsedMs)}${estimate}`} />}
      {!r && refresh.queued && <ProgressLine id="refresh-progress-label" testId="overview-refresh-progress" fraction={null} label="A refresh is queued and starts in a moment." />}
      {refresh.failed && !r && (
        <Text as="p" tone="critical">
          The last refresh failed{refresh.failed.finishedAt ? ` (${formatDateTime(refresh.failed.finishedAt, timeZone)})` : ""}
          {refresh.failed.error ? `: ${refresh.failed.error}` : "."} The segments below stay as the last good refresh left them.
        </Text>
      )}
      <InlineStack gap="600" wrap>
        <Text as="p">
          <Text as="span" tone="subdued">
            Last refresh:{" "}
          </Text>
          <span data-testid="overview-last-refresh">{refresh.lastRefreshAt ? formatDateTime(refresh.lastRefreshAt, timeZone) : "not yet"}</span>
        </Text>
        <Text as="p">
          <Text as="span" tone="subdued">
            Next refresh:{" "}
          </Text>
          <span data-testid="overview-next-refresh">
            {refresh.nextRefreshAt ? formatDateTime(refresh.nextRefreshAt, timeZone) : refresh.schedule === "weekly" ? "being scheduled" : "none scheduled (refreshes run only when you ask)"}
          </span>
        </Text>
      </InlineStack>
    </BlockStack>
  );
}

const WRITE_BACK_STEPS: Readonly<Record<string, string>> = {
  pending: "starting",
  reading: "reading your customers' current tags in Shopify",
  writing: "writing tags",
  "waiting-bulk": "waiting for Shopify to apply the tag changes",
  segments: "updating Shopify customer segments",
};

/** One sentence on what the last full pass did, or would have done in dry-run mode. */
export function lastPassText(last: FinishedWriteBack<When>, timeZone: string): string {
  const when = last.finishedAt ? ` (${formatDateTime(last.finishedAt, timeZone)})` : "";
  const what = last.kind === "rollback" ? "Last rollback" : last.mode === "live" ? "Last write-back" : "Last dry run";
  if (last.status === "failed") return `${what}${when} failed: ${last.error ?? "no reason recorded"}. See Jobs to retry.`;
  const tags = `${formatCount(last.tagsAdded)} tags added, ${formatCount(last.tagsRemoved)} removed`;
  const capped = last.capped > 0 ? `; ${formatCount(last.capped)} skipped (they would pass Shopify's 250 tags)` : "";
  const failed = last.failed > 0 ? `; ${formatCount(last.failed)} failed` : "";
  return last.mode === "live"
    ? `${what}${when}: ${formatCount(last.customersChanged)} customers changed in Shopify (${tags})${capped}${failed}.`
    : // A dry run plans per customer; its tag counts are those of written tags, so none (0, 0) is no news.
      `${what}${when}: ${formatCount(last.customersChanged)} customers would change${last.tagsAdded + last.tagsRemoved > 0 ? ` (${tags})` : ""}${capped}. Nothing was written; each segment's page previews and applies its own tags.`;
}

function WriteBackStatus({ writeBack, timeZone }: Pick<StatusCardProps, "writeBack" | "timeZone">) {
  const mode = WRITE_BACK_MODES[writeBack.mode] ?? { label: writeBack.mode, tone: undefined, explanation: "" };
  const a = writeBack.active;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center" wrap>
        <span data-testid="overview-writeback-mode">
          <Badge tone={mode.tone}>{`Mode: ${mode.label}`}</Badge>
        </span>
        <RemixLink to="/app/settings">Change in Settings</RemixLink>
      </InlineStack>
      <Text as="p" tone="subdued">
        {mode.explanation}
      </Text>
      {a && (
        <ProgressLine
          id="writeback-progress-label"
          testId="overview-writeback-progress"
          fraction={a.fraction}
          label={`${a.mode === "live" ? "Writing tags" : "Planning tags (dry run)"}: ${WRITE_BACK_STEPS[a.status] ?? a.status}${
            a.tagChanges > 0 ? ` · ${formatCount(a.tagChangesSettled)} of ${formatCount(a.tagChanges)} tag changes` : ""
          }${a.customersChanged > 0 ? ` for ${formatCount(a.customersChanged)} customers` : ""}`}
        />
      )}
      {!a && writeBack.last && (
        <Text as="p" tone={writeBack.last.status === "failed" ? "critical" : undefined}>
          <span data-testid="overview-writeback-last">{lastPassText(writeBack.last, timeZone)}</span>
        </Text>
      )}
    </BlockStack>
  );
}

export function StatusCard(props: StatusCardProps) {
  return (
    <Card>
      <div data-testid="overview-status">
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Status
          </Text>
          <Row title="Order sync" testId="overview-status-sync">
            <BackfillStatus backfill={props.backfill} timeZone={props.timeZone} />
          </Row>
          <Divider />
          <Row title="Segment refresh" testId="overview-status-refresh">
            <RefreshStatus refresh={props.refresh} timeZone={props.timeZone} />
          </Row>
          <Divider />
          <Row title="Tag write-back" testId="overview-status-writeback">
            <WriteBackStatus writeBack={props.writeBack} timeZone={props.timeZone} />
          </Row>
        </BlockStack>
      </div>
    </Card>
  );
}
