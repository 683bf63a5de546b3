// A labelled progress bar: the label says the figures in words ("1,234 of 5,000 records"), the
// bar is tied to it for screen readers. Without a fraction, a spinner says "working".
import { BlockStack, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";

export function ProgressLine({ id, label, fraction, testId }: { id: string; label: string; fraction: number | null; testId: string }) {
  return (
    <div data-testid={testId} data-progress={fraction === null ? "" : fraction.toFixed(3)}>
      <BlockStack gap="150">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          {fraction === null && <Spinner size="small" accessibilityLabel="Working" />}
          <Text as="p" id={id}>
            {label}
          </Text>
        </InlineStack>
        {fraction !== null && <ProgressBar progress={Math.round(fraction * 100)} size="small" ariaLabelledBy={id} />}
      </BlockStack>
    </div>
  );
}
