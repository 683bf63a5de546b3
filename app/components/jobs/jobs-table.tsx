// The Jobs page's table: one row per background job, newest first, with the failure's reason
// and a Retry button for failed jobs (posts intent=retry, jobId to the page's action).
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, IndexTable, InlineError, Text } from "@shopify/polaris";
import { formatCount, formatDateTime } from "../format";
import { jobStatusLabel, jobTypeLabel } from "./job-labels";

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

export function JobsTable({ jobs, timeZone }: { jobs: readonly JobRowView[]; timeZone: string }) {
  return (
    <div data-testid="jobs-table">
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
          // A queued job with an error is waiting to try again after a failed attempt.
          const reason = job.status === "failed" || (job.status === "queued" && job.lastError) ? job.lastError : null;
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
                {reason ? (
                  <div style={{ maxWidth: "28rem", whiteSpace: "normal", overflowWrap: "anywhere" }} data-testid={`job-reason-${job.id}`}>
                    <Text as="span" tone={job.status === "failed" ? "critical" : "subdued"}>
                      {job.status === "queued" ? `Last attempt failed: ${reason}` : reason}
                    </Text>
                  </div>
                ) : (
                  "—"
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>{job.status === "failed" ? <RetryButton jobId={job.id} label={label} /> : null}</IndexTable.Cell>
            </IndexTable.Row>
          );
        })}
      </IndexTable>
    </div>
  );
}
