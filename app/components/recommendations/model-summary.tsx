// The Recommendations page's model cards: when the recommender was trained, on how many baskets
// and products, how many rules it holds, "Train now" (a real form POST that works without
// JavaScript), and the offline evaluation: a column chart of hit@10 and the figures as a table.
import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, Text } from "@shopify/polaris";
import { KeyboardScrollable } from "../keyboard-scroll";
import { formatCount, formatDateTime, formatDay } from "../format";
import { METHOD_LABEL, type ModelView, type RecommendationsPageView } from "../../domain/recommendation";
import { EvaluationChart } from "./evaluation-chart";
import { formatRate } from "./view";

export const TRAIN_INTENT = "train";

const seconds = (ms: number) => (ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 6000) / 10} min`);

/** "Trained 10 Dec 2011, 02:00 UTC on 16,766 baskets and 3,630 products (in 41 s); 1,234 rules." */
export function modelSentence(model: ModelView, timeZone: string): string {
  const took = model.trainMs === null ? "" : ` (in ${seconds(model.trainMs)})`;
  return `Trained ${formatDateTime(model.trainedAt, timeZone)} on ${formatCount(model.basketCount)} baskets and ${formatCount(model.productCount)} products${took}; ${formatCount(model.ruleCount)} ${model.ruleCount === 1 ? "rule" : "rules"}.`;
}

const TRAINING_WORDS: Record<"queued" | "running", string> = {
  queued: "A training is queued; it starts shortly.",
  running: "Training now: this page updates when the new model is ready.",
};

export function TrainButton({ training }: { training: RecommendationsPageView["training"] }) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === TRAIN_INTENT;
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={TRAIN_INTENT} />
      <span data-testid="recommendations-train">
        <Button submit loading={submitting} disabled={training !== null}>
          Train now
        </Button>
      </span>
    </Form>
  );
}

export function ModelCard({ model, training, timeZone }: Pick<RecommendationsPageView, "training" | "timeZone"> & { model: ModelView }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          The model
        </Text>
        <div data-testid="recommendations-model">
          <Text as="p">{modelSentence(model, timeZone)}</Text>
        </div>
        <Text as="p" tone="subdued">
          Segmint learns from your orders which products are bought together, at every refresh of your segments. Train now to learn from the orders that arrived since.
        </Text>
        {training && (
          <div data-testid="recommendations-training" role="status">
            <Text as="p">{TRAINING_WORDS[training]}</Text>
          </div>
        )}
        <TrainButton training={training} />
      </BlockStack>
    </Card>
  );
}

export function EvaluationCard({ model }: { model: ModelView }) {
  const e = model.evaluation;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          How well it recommends
        </Text>
        {e === null ? (
          <div data-testid="recommendations-no-evaluation">
            <Text as="p" tone="subdued">
              Not measured at this training: the test needs baskets both before and after a cutoff day (it trains on the earlier ones and asks for a product hidden from each later one).
            </Text>
          </div>
        ) : (
          <>
            <Text as="p">
              {`Tested on your own orders: trained on the ${formatCount(e.trainBaskets)} baskets before ${formatDay(e.cutoffDay)}, then each of ${formatCount(e.queries)} later baskets had one product hidden, and each method was asked for 10 products from the rest. Higher is better.`}
            </Text>
            <EvaluationChart evaluation={e} testId="recommendations-evaluation-chart" />
            <div data-testid="recommendations-evaluation-table">
              <KeyboardScrollable label="Evaluation figures">
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                  headings={["Method", "hit@5", "hit@10", "MRR@10"]}
                  rows={e.methods.map((m) => [METHOD_LABEL[m.method], formatRate(m.hit5), formatRate(m.hit10), m.mrr10.toFixed(3)])}
                />
              </KeyboardScrollable>
            </div>
            <Text as="p" tone="subdued">
              hit@10: the share of baskets whose hidden product was among the 10 recommended (hit@5: among the first 5). MRR@10: the average of 1 ÷ the hidden product&apos;s place in the list (0 when not in the top 10), so finding it nearer the top scores more. Popularity recommends the best sellers to everyone; co-occurrence, the products most often in the same baskets; item-kNN, the most similar products by their baskets.
            </Text>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
