import { BlockStack, Card, Text } from "@shopify/polaris";

const numberFormat = new Intl.NumberFormat("en-US");

/** One headline number on a card: a label above, the value large below (`testId`: the value's id and the card's data-testid). */
export function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Card>
      <div data-testid={testId}>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm" tone="subdued">
            {label}
          </Text>
          <Text as="p" variant="heading2xl" id={testId}>
            {numberFormat.format(value)}
          </Text>
        </BlockStack>
      </div>
    </Card>
  );
}
