// The Jobs page's table: one row per background job, newest first, with the failure's reason
// and a Retry button for failed jobs (posts intent=retry, jobId to the page's action).
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, IndexTable, InlineError, InlineStack, Text, useBreakpoints } from "@shopify/polaris";
import { formatCount, formatDateTime } from "../format";
import { jobStatusLabel, jobTypeLabel } from "./job-labels";
import { KeyboardScrollable } from "../keyboard-scroll";

export interface JobRowView {
  readonly id: number;
  readonly type: string;
  readonly status: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly lastError: string | null;
}

type RetryResult = { ok: true; message: string } | { ok?: false; errors: Record<string, string> };

function RetryButton({ jobId, label }: { jobId: number; label: string }) {
  const fetcher = useFetcher<RetryResult>();
  const busy = fetcher.state !== "idle";
  const error = fetcher.data && "errors" in fetcher.data ? Object.values(fetcher.data.errors)[0] : undefined;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="retry" />
      <input type="hidden" name="jobId" value={jobId} />
      <BlockStack gap="100">
        <div data-testid={`job-retry-${jobId}`}>
          <Button submit size="slim" loading={busy} accessibilityLabel={`Retry job #${jobId}: ${label}`}>
            Retry
          </Button>
        </div>
        {error && <InlineError message={error} fieldID={`job-retry-${jobId}`} />}
        {fetcher.data && "ok" in fetcher.data && fetcher.data.ok && (
          <Text as="span" tone="success" variant="bodySm">
            {fetcher.data.message}
          </Text>
        )}
      </BlockStack>
    </fetcher.Form>
  );
}

/** A failed job's reason, or a queued job's last failed attempt (it waits to try again). */
function reasonOf(job: JobRowView): string | null {
  if (job.status === "failed" && job.lastError) return job.lastError;
  if (job.status === "queued" && job.lastError) return `Last attempt failed: ${job.lastError}`;
  return null;
}

function Reason({ job }: { job: JobRowView }) {
  const reason = reasonOf(job);
  if (!reason) return <>—</>;
  return (
    <div style={{ maxWidth: "28rem", whiteSpace: "normal", overflowWrap: "anywhere" }} data-testid={`job-reason-${job.id}`}>
      <Text as="span" tone={job.status === "failed" ? "critical" : "subdued"}>
        {reason}
      </Text>
    </div>
  );
}

/** Phones (below 490 px): one stacked cell per job, as Polaris' condensed IndexTable expects. */
function CondensedRow({ job, timeZone }: { job: JobRowView; timeZone: string }) {
  const status = jobStatusLabel(job.status);
  const label = jobTypeLabel(job.type);
  return (
    <div data-testid={`job-row-${job.id}`} style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
      <BlockStack gap="150">
        <InlineStack gap="200" align="space-between" blockAlign="center">
          <Text as="span" fontWeight="semibold">
            {label} <Text as="span" tone="subdued">#{job.id}</Text>
          </Text>
          <Badge tone={status.tone}>{status.label}</Badge>
        </InlineStack>
        <Text as="span" tone="subdued" variant="bodySm">
          Scheduled for {formatDateTime(job.runAt, timeZone)} · attempt {formatCount(job.attempts)} of {formatCount(job.maxAttempts)}
          {job.finishedAt ? ` · finished ${formatDateTime(job.finishedAt, timeZone)}` : ""}
        </Text>
        {reasonOf(job) && <Reason job={job} />}
        {job.status === "failed" && <RetryButton jobId={job.id} label={label} />}
      </BlockStack>
    </div>
  );
}

export function JobsTable({ jobs, timeZone }: { jobs: readonly JobRowView[]; timeZone: string }) {
  const { smDown } = useBreakpoints();
  if (smDown) {
    return (
      <div data-testid="jobs-table">
        <KeyboardScrollable label="Background jobs">
          <IndexTable resourceName={{ singular: "job", plural: "jobs" }} itemCount={jobs.length} selectable={false} condensed headings={[{ title: "Job" }]}>
            {jobs.map((job, i) => (
              <IndexTable.Row id={String(job.id)} key={job.id} position={i}>
                <CondensedRow job={job} timeZone={timeZone} />
              </IndexTable.Row>
            ))}
          </IndexTable>
        </KeyboardScrollable>
      </div>
    );
  }
  return (
    <div data-testid="jobs-table">
      <KeyboardScrollable label="Background jobs">
        <IndexTable
          resourceName={{ singular: "job", plural: "jobs" }}
          itemCount={jobs.length}
          selectable={false}
          headings={[
            { title: "Job" },
            { title: "Status" },
            { title: "Attempts", alignment: "end" },
            { title: "Scheduled for" },
            { title: "Finished at" },
            { title: "Reason" },
            { title: "Action", hidden: true },
          ]}
        >
          {jobs.map((job, i) => {
            const status = jobStatusLabel(job.status);
            const label = jobTypeLabel(job.type);
            return (
              <IndexTable.Row id={String(job.id)} key={job.id} position={i}>
                <IndexTable.Cell>
                  <div data-testid={`job-row-${job.id}`}>
                    <Text as="span" fontWeight="semibold">
                      {label}
                    </Text>{" "}
                    <Text as="span" tone="subdued">
                      #{job.id}
                    </Text>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={status.tone}>{status.label}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(job.attempts)} of {formatCount(job.maxAttempts)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{formatDateTime(job.runAt, timeZone)}</IndexTable.Cell>
                <IndexTable.Cell>{job.finishedAt ? formatDateTime(job.finishedAt, timeZone) : "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Reason job={job} />
                </IndexTable.Cell>
                <IndexTable.Cell>{job.status === "failed" ? <RetryButton jobId={job.id} label={label} /> : null}</IndexTable.Cell>
              </IndexTable.Row>
            );
          })}
        </IndexTable>
      </KeyboardScrollable>
    </div>
  );
}
