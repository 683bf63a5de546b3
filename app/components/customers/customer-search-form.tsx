// The lookup's search form: a GET form (the id lands in the address, so a lookup can be linked).
import { Form, useNavigation } from "@remix-run/react";
import { Button, InlineStack, TextField } from "@shopify/polaris";
import { useState } from "react";

export function CustomerSearchForm({ defaultValue, error }: { defaultValue: string; error: string | null }) {
  const [value, setValue] = useState(defaultValue);
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/app/customers";
  return (
    <Form method="get" action="/app/customers" role="search" aria-label="Find a customer">
      <InlineStack gap="200" blockAlign="end" wrap>
        <div style={{ flex: "1 1 16rem", minWidth: 0 }} data-testid="customer-search-field">
          <TextField
            label="Shopify customer id"
            name="id"
            id="customer-id"
            value={value}
            onChange={setValue}
            autoComplete="off"
            placeholder="7012345678 or gid://shopify/Customer/7012345678"
            helpText="The number at the end of the customer's address in Shopify admin."
            error={error ?? undefined}
          />
        </div>
        <div data-testid="customer-search-submit">
          <Button submit variant="primary" loading={searching}>
            Look up
          </Button>
        </div>
      </InlineStack>
    </Form>
  );
}
