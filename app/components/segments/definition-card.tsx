// "What puts a customer here": the segment's rules with the model's cut-offs, the medians in one
// sentence, and the R/F/M score ranges of this store (the scores every customer row shows).
import { BlockStack, Card, DataTable, List, Text } from "@shopify/polaris";
import type { SegmentDefinitionText } from "../../domain/segment-definition";
import { KeyboardScrollable } from "../keyboard-scroll";

export function DefinitionCard({ summary, definition }: { summary: string; definition: SegmentDefinitionText }) {
  const scale = definition.scoreScale.map((r) => [String(r.score), r.recency ?? "—", r.frequency ?? "—", r.monetary ?? "—"]);
  return (
    <Card>
      <div data-testid="segment-definition">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            What puts a customer here
          </Text>
          <List type="bullet">
            {definition.rules.map((rule) => (
              <List.Item key={rule}>{rule}</List.Item>
            ))}
          </List>
          <Text as="p" tone="subdued" data-testid="segment-summary">
            {summary}
          </Text>
          <Text as="h3" variant="headingSm">
            Score ranges in this store
          </Text>
          <div data-testid="segment-score-scale">
            <KeyboardScrollable label="Score ranges">
              <DataTable
                columnContentTypes={["numeric", "text", "text", "text"]}
                headings={["Score", "Recency (last order)", "Frequency (orders)", "Monetary (net spend)"]}
                rows={scale}
              />
            </KeyboardScrollable>
          </div>
        </BlockStack>
      </div>
    </Card>
  );
}
