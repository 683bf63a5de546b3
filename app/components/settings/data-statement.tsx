// What Segmint stores about a store's customers and when it deletes it, in plain words (the
// privacy service, app/services/privacy.server.ts, and the uninstall path are the source).
import { BlockStack, Card, List, Text } from "@shopify/polaris";

export function DataStatement() {
  return (
    <Card>
      <div data-testid="settings-data-statement">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Your customers' data
          </Text>
          <Text as="p">Segmint stores only what it needs to segment customers:</Text>
          <List>
            <List.Item>Shopify customer ids (numbers), with when each customer was created.</List.Item>
            <List.Item>Order facts: dates, amounts, currency, refunds and cancellations, and the products and quantities on each order line.</List.Item>
            <List.Item>What Segmint works out from them: each run's segments, scores and explanations, and the history of the tags it planned or wrote.</List.Item>
          </List>
          <Text as="p">It never stores names, email addresses, phone numbers or postal addresses.</Text>
          <Text as="h3" variant="headingSm">
            What it deletes
          </Text>
          <List>
            <List.Item>When Shopify asks to erase a customer: their orders, segments, scores and tag history, at once.</List.Item>
            <List.Item>When you uninstall Segmint: every customer's segments and tag history, at once.</List.Item>
            <List.Item>When Shopify then asks to erase the store's data (48 hours after uninstalling): everything else, orders and customer ids included.</List.Item>
          </List>
        </BlockStack>
      </div>
    </Card>
  );
}
