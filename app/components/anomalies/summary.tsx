// The Anomalies page's side card: when the model was fitted and on how many orders, and the
// merchant's feedback per kind (what share of the reviewed flags were real).
import { BlockStack, Card, Text } from "@shopify/polaris";
import { formatCount, formatDateTime, formatDay } from "../format";
import { ANOMALY_KINDS, type AnomaliesPageView } from "../../domain/anomaly";
import { feedbackSentence, KIND_LABEL } from "./view";

export function modelSentence(model: NonNullable<AnomaliesPageView["model"]>, timeZone: string): string {
  return `Fitted ${formatDateTime(model.fittedAt, timeZone)} on ${formatCount(model.orderCount)} orders, as of ${formatDay(model.asOf)}. New orders are scored with it as they arrive; the next refresh fits it again.`;
}

export function AnomaliesSummary({ view }: { view: Pick<AnomaliesPageView, "model" | "counts" | "timeZone"> }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          The model
        </Text>
        <div data-testid="anomalies-model">
          <Text as="p">{view.model ? modelSentence(view.model, view.timeZone) : "Not fitted yet: Segmint fits it at the next refresh of your segments."}</Text>
        </div>
        <Text as="h2" variant="headingMd">
          Your feedback
        </Text>
        <BlockStack gap="100">
          {ANOMALY_KINDS.map((kind) => (
            <div key={kind} data-testid={`anomalies-feedback-${kind}`}>
              <Text as="p">
                <Text as="span" fontWeight="semibold">
                  {`${KIND_LABEL[kind]}: `}
                </Text>
                {feedbackSentence(view.counts[kind]) ?? "none reviewed yet"}
              </Text>
            </div>
          ))}
        </BlockStack>
        <Text as="p" tone="subdued">
          Confirm a flag that was a real problem (or a real VIP), dismiss a false alarm. Your verdicts are kept when the model is fitted again.
        </Text>
      </BlockStack>
    </Card>
  );
}
