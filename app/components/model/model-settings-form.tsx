// The algorithm and K form (posts intent=save) and the "Run now" button (intent=run-now). K is
// offered only for the algorithms that take one; the server validates either way.
import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, FormLayout, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { ALGORITHM_CHOICES, explanationOf, K_OPTIONS, usesK } from "./algorithms";

export interface ModelSettingsView {
  readonly algorithm: string;
  readonly k: number | null;
}

export interface ModelFormProps {
  readonly settings: ModelSettingsView;
  readonly errors?: Partial<Record<"algorithm" | "k", string>>;
  /** A refresh waiting or running now. */
  readonly refreshState: "queued" | "running" | null;
}

export function ModelSettingsForm({ settings, errors = {}, refreshState }: ModelFormProps) {
  const [algorithm, setAlgorithm] = useState(settings.algorithm);
  const [k, setK] = useState(settings.k === null ? "auto" : String(settings.k));
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const hybrid = algorithm === "hybrid";
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Algorithm and parameters
        </Text>
        <Form method="post" data-testid="model-form">
          <input type="hidden" name="intent" value="save" />
          <FormLayout>
            <div data-testid="model-algorithm">
              <Select
                label="Algorithm"
                name="algorithm"
                options={ALGORITHM_CHOICES.map((a) => ({ label: a.label, value: a.value }))}
                value={algorithm}
                onChange={setAlgorithm}
                helpText={explanationOf(algorithm)}
                error={errors.algorithm}
              />
            </div>
            {usesK(algorithm) ? (
              <div data-testid="model-k">
                <Select
                  label={hybrid ? "K (groups within each spend tier)" : "K (number of groups)"}
                  name="k"
                  options={K_OPTIONS}
                  value={k}
                  onChange={setK}
                  helpText={
                    hybrid
                      ? "Automatic picks 3 or 4 groups per tier from the silhouette and elbow curves. A number applies to every tier."
                      : "Automatic picks K from the silhouette and elbow curves below. A number from 2 to 12 fixes it."
                  }
                  error={errors.k}
                />
              </div>
            ) : (
              <Box data-testid="model-k-not-used">
                <Text as="p" tone="subdued">
                  {algorithm === "rfm" ? "RFM groups are fixed score ranges: there is no K to set." : "DBSCAN finds the number of groups itself: there is no K to set."}
                </Text>
              </Box>
            )}
            <InlineStack gap="200">
              <div data-testid="model-save">
                <Button submit variant="primary" loading={submitting === "save"}>
                  Save
                </Button>
              </div>
            </InlineStack>
          </FormLayout>
        </Form>
        <Text as="p" tone="subdued">
          Saved settings apply from the next run: the weekly refresh, or a run you start now.
        </Text>
        <Form method="post" data-testid="model-run-now-form">
          <input type="hidden" name="intent" value="run-now" />
          <BlockStack gap="200">
            {refreshState && (
              <Banner tone="info">
                <p data-testid="model-refresh-state">{refreshState === "running" ? "A run is in progress now." : "A run is queued and starts shortly."}</p>
              </Banner>
            )}
            <div data-testid="model-run-now">
              <Button submit loading={submitting === "run-now"} disabled={refreshState === "running"}>
                Run now
              </Button>
            </div>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
