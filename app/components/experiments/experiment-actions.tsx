// Stop and Archive on an experiment's page. Stopping ends the holdout (its tag is removed from the
// held-out customers at the next write-back), so it asks first: "Stop experiment" opens a
// confirmation (?confirm=stop, works without JavaScript) that posts intent=stop. Archive (only
// once stopped or completed) hides it from the list; its results stay readable.
import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { ExperimentSummary } from "../../domain/experiment";
import { formatDay } from "../format";

export const STOP_INTENT = "stop";
export const ARCHIVE_INTENT = "archive";

export function canStop(status: ExperimentSummary["status"]): boolean {
  return status === "running" || status === "completed";
}

export function canArchive(status: ExperimentSummary["status"]): boolean {
  return status === "stopped" || status === "completed";
}

export function ExperimentActions({ summary, confirmStop, pageHref }: { summary: ExperimentSummary; confirmStop: boolean; pageHref: string }) {
  const navigation = useNavigation();
  const posting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const stoppable = canStop(summary.status);
  const archivable = canArchive(summary.status);
  if (!stoppable && !archivable) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {stoppable ? "End the experiment" : "Archive"}
        </Text>
        {stoppable && confirmStop ? (
          <div data-testid="experiment-stop-confirm" id="stop">
            <Banner tone="warning" title={`Stop "${summary.name}"?`}>
              <BlockStack gap="300">
                <Text as="p">
                  {`Stopping ends the holdout: Segmint removes the tag ${summary.holdoutTag} from the held-out customers at the next write-back, so your campaigns reach them again. ` +
                    `The results stay as of the day you stop${summary.status === "running" ? `; the planned horizon was ${formatDay(summary.endsOn)}, and a result read before it is less certain` : ""}. This cannot be undone.`}
                </Text>
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value={STOP_INTENT} />
                  <InlineStack gap="300" blockAlign="center">
                    <div data-testid="experiment-stop-submit">
                      <Button submit variant="primary" tone="critical" loading={posting === STOP_INTENT}>
                        Stop experiment
                      </Button>
                    </div>
                    <Button url={pageHref} variant="plain">
                      Cancel
                    </Button>
                  </InlineStack>
                </Form>
              </BlockStack>
            </Banner>
          </div>
        ) : (
          <InlineStack gap="300" blockAlign="center">
            {stoppable && (
              <div data-testid="experiment-stop">
                <Button url={`${pageHref}?confirm=stop#stop`} tone="critical">
                  Stop experiment
                </Button>
              </div>
            )}
            {archivable && (
              <Form method="post">
                <input type="hidden" name="intent" value={ARCHIVE_INTENT} />
                <div data-testid="experiment-archive">
                  <Button submit loading={posting === ARCHIVE_INTENT}>
                    Archive
                  </Button>
                </div>
              </Form>
            )}
          </InlineStack>
        )}
        <Text as="p" tone="subdued">
          {stoppable
            ? summary.status === "completed"
              ? "The horizon has passed: the result above is final. Stop the experiment to release the held-out customers, then archive it."
              : "Stop only when you must: the result is most reliable at the planned horizon."
            : "Archived experiments leave the list (they stay under Archived) and keep their results."}
        </Text>
      </BlockStack>
    </Card>
  );
}
