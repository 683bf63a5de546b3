// The "New experiment" form: name, target (a segment or all customers, with sizes), share held
// out, metric and horizon. Two steps: "Check what it can detect" shows the design (the smallest
// lift this split can find, the balance check) for exactly these values, and only then "Start
// experiment" is offered. Presentational: the page owns the values and posts the two intents.
import { Banner, BlockStack, Button, Card, FormLayout, InlineGrid, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import { EXPERIMENT_METRICS, METRIC_LABEL, type ExperimentDesignView } from "../../domain/experiment";
import { slugOf } from "../../domain/tags";
import { formatCount } from "../format";
import { DesignCard } from "./design-card";

/** The form's fields, as the experiments service names them. */
export const EXPERIMENT_FORM_FIELDS = ["name", "segmentKey", "controlShare", "metric", "horizonDays"] as const;
export type ExperimentFormField = (typeof EXPERIMENT_FORM_FIELDS)[number];
export type ExperimentFormValues = Record<ExperimentFormField, string>;

export interface ExperimentFormOptions {
  readonly segments: readonly { readonly key: string; readonly name: string; readonly customers: number }[];
  readonly allCustomers: number;
  readonly currency: string;
  readonly writeBackMode: string;
  readonly defaults: ExperimentFormValues;
}

export const ALL_CUSTOMERS = "all";

export interface ExperimentFormProps {
  readonly options: ExperimentFormOptions;
  readonly values: ExperimentFormValues;
  readonly onChange: (field: ExperimentFormField, value: string) => void;
  readonly errors?: Partial<Record<ExperimentFormField | "form", string>>;
  /** The figures of the last check, and whether they are for the values now in the form. */
  readonly design: ExperimentDesignView | null;
  readonly designIsCurrent: boolean;
  readonly busy: "design" | "create" | null;
  readonly onCheck: () => void;
  readonly onStart: () => void;
}

/** Two value sets are the same draft (what the design was computed for). */
export function sameDraft(a: ExperimentFormValues, b: ExperimentFormValues | null | undefined): boolean {
  return Boolean(b) && EXPERIMENT_FORM_FIELDS.every((f) => a[f].trim() === (b as ExperimentFormValues)[f].trim());
}

export function targetOptions(options: ExperimentFormOptions): { label: string; value: string }[] {
  return [
    { label: `All customers (${formatCount(options.allCustomers)})`, value: ALL_CUSTOMERS },
    ...options.segments.map((s) => ({ label: `${s.name} (${formatCount(s.customers)} customers)`, value: s.key })),
  ];
}

export function WriteBackNotice({ writeBackMode }: { writeBackMode: string }) {
  if (writeBackMode === "live") return null;
  return (
    <div data-testid="experiment-write-back-notice">
      <Banner tone="warning" title="The holdout tag will not be written to Shopify">
        <p>
          Write-back is {writeBackMode === "off" ? "off" : "in dry-run mode"}, so Segmint does not tag the held-out customers in Shopify, and your marketing tools cannot
          exclude them yet. The experiment measures a campaign only if the held-out customers do not get it. <Link url="/app/settings">Switch write-back to live in Settings</Link>.
        </p>
      </Banner>
    </div>
  );
}

export function ExperimentForm({ options, values, onChange, errors = {}, design, designIsCurrent, busy, onCheck, onStart }: ExperimentFormProps) {
  const slug = values.name.trim() ? slugOf(values.name) : "…";
  return (
    <BlockStack gap="400">
      <WriteBackNotice writeBackMode={options.writeBackMode} />
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            New experiment
          </Text>
          {errors.form && (
            <Banner tone="critical">
              <p>{errors.form}</p>
            </Banner>
          )}
          <form
            noValidate
            data-testid="experiment-form"
            onSubmit={(e) => {
              // Enter in a field checks the figures; starting is always the explicit button.
              e.preventDefault();
              onCheck();
            }}
          >
            <FormLayout>
              <TextField
                label="Name"
                name="name"
                value={values.name}
                onChange={(v) => onChange("name", v)}
                autoComplete="off"
                maxLength={80}
                error={errors.name}
                helpText={`Held-out customers get the tag …:holdout-${slug} while it runs.`}
              />
              <Select
                label="Target customers"
                name="segmentKey"
                options={targetOptions(options)}
                value={values.segmentKey || ALL_CUSTOMERS}
                onChange={(v) => onChange("segmentKey", v)}
                error={errors.segmentKey}
                helpText="The customers your campaign is for, as in the latest segments. They are fixed when the experiment starts."
              />
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                <TextField
                  label="Held out"
                  name="controlShare"
                  type="number"
                  min={1}
                  max={50}
                  suffix="%"
                  value={values.controlShare}
                  onChange={(v) => onChange("controlShare", v)}
                  autoComplete="off"
                  error={errors.controlShare}
                  helpText="Share who do not get the campaign (1–50%)."
                />
                <Select
                  label="Metric"
                  name="metric"
                  options={EXPERIMENT_METRICS.map((m) => ({ label: METRIC_LABEL[m], value: m }))}
                  value={values.metric}
                  onChange={(v) => onChange("metric", v)}
                  error={errors.metric}
                />
                <TextField
                  label="Horizon"
                  name="horizonDays"
                  type="number"
                  min={7}
                  max={180}
                  suffix="days"
                  value={values.horizonDays}
                  onChange={(v) => onChange("horizonDays", v)}
                  autoComplete="off"
                  error={errors.horizonDays}
                  helpText="How long to measure (7–180 days)."
                />
              </InlineGrid>
              <InlineStack gap="300" blockAlign="center">
                <div data-testid="experiment-check">
                  <Button submit loading={busy === "design"}>
                    Check what it can detect
                  </Button>
                </div>
                <div data-testid="experiment-start">
                  <Button variant="primary" onClick={onStart} loading={busy === "create"} disabled={!design || !designIsCurrent}>
                    Start experiment
                  </Button>
                </div>
              </InlineStack>
              <Text as="p" tone="subdued">
                <span data-testid="experiment-start-hint">
                  {!design
                    ? "Check what it can detect first: the figures appear here before anything is saved."
                    : designIsCurrent
                      ? "Starting splits the customers now, stores these figures, and tags the held-out group in Shopify when write-back is live."
                      : "You changed the form since the check: check again to see the figures for these values."}
                </span>
              </Text>
            </FormLayout>
          </form>
        </BlockStack>
      </Card>
      {design && (
        <div data-testid={designIsCurrent ? "experiment-draft-design" : "experiment-draft-design-stale"} style={designIsCurrent ? undefined : { opacity: 0.6 }}>
          <DesignCard design={design} currency={options.currency} title={designIsCurrent ? "What this experiment can detect" : "What the previous values could detect"} />
        </div>
      )}
    </BlockStack>
  );
}
