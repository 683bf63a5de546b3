// "Grant order access": asks Shopify, through App Bridge's Scopes API, for the optional
// write_orders scope that order risk assessments need. Shopify then tells Segmint (the
// app/scopes_update webhook), so the setting can be saved a few seconds later.
import { BlockStack, Button, Text } from "@shopify/polaris";
import { useState } from "react";

type Outcome = "idle" | "asking" | "granted" | "declined" | "unavailable";

const OUTCOME_TEXT: Record<Exclude<Outcome, "idle" | "asking">, string> = {
  granted: "Access granted. Tick the box and save.",
  declined: "Access was not granted, so risk assessments stay off.",
  unavailable: "Open Segmint from your Shopify admin to grant access (Apps › Segmint › Settings).",
};

/** App Bridge's Scopes API, read when the button is pressed: `useAppBridge()` throws while rendering where App Bridge is absent (the offline demo), which broke the page's hydration. */
interface ScopesApi {
  request(scopes: string[]): Promise<{ result: string }>;
}
const scopesApi = (): ScopesApi | undefined => (globalThis as { shopify?: { scopes?: ScopesApi } }).shopify?.scopes;

export function OrderAccessButton() {
  const [outcome, setOutcome] = useState<Outcome>("idle");

  async function request() {
    const scopes = scopesApi();
    if (scopes === undefined) {
      setOutcome("unavailable");
      return;
    }
    setOutcome("asking");
    try {
      const response = await scopes.request(["write_orders"]);
      setOutcome(response.result === "granted-all" ? "granted" : "declined");
    } catch {
      // outside the Shopify admin App Bridge is not there to ask
      setOutcome("unavailable");
    }
  }

  return (
    <BlockStack gap="100">
      <div data-testid="settings-grant-order-access">
        <Button onClick={() => void request()} loading={outcome === "asking"}>
          Grant order access
        </Button>
      </div>
      {outcome !== "idle" && outcome !== "asking" && (
        <Text as="p" tone={outcome === "granted" ? "success" : "subdued"}>
          <span role="status">{OUTCOME_TEXT[outcome]}</span>
        </Text>
      )}
    </BlockStack>
  );
}
