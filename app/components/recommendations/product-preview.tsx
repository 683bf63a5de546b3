// "What a shopper sees": pick a product (by title or id, or from a rule), then the storefront
// blocks' lists as a guest on its page gets them from the app proxy, each product with why it is
// there (the rule, the recommender's link, or — in "Recommended for you" only — the store's best
// sellers: "Frequently bought together" is never padded with them), and the viewed product's
// strong neighbours a shopper is not shown, with the reason.
import { Form, Link as RemixLink } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Link, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import {
  BLOCK_TITLE, HIDDEN_WORDS, hiddenReason, percentWords, productName,
  type ModelView, type PreviewItem, type PreviewList, type PreviewView, type ProductRef, type RecommendationsPageView,
} from "../../domain/recommendation";
import { formatCount } from "../format";
import { PAGE_URL, productAdminUrl, recommendationsHref, type PageState } from "./view";

/** Why an item is in a list, in words. */
export function whySentence(item: PreviewItem, viewed: ProductRef, thresholds: ModelView["thresholds"]): string {
  const why = item.why;
  if (why.kind === "rule") return why.rules[0]!.sentence;
  if (why.kind === "model") {
    const bar = thresholds
      ? ` (a rule needs at least ${formatCount(thresholds.minCount)} orders, ${percentWords(thresholds.minSupport)} of all baskets, and ${percentWords(thresholds.minConfidence)} confidence)`
      : "";
    return `The recommender links it to ${productName(viewed)} from the baskets of similar products (score ${why.score.toFixed(3)}); the two are bought together too rarely for a rule${bar}.`;
  }
  return `Popular in the store: filled in from your best sellers, as nothing is linked more closely to ${productName(viewed)}.`;
}

const IMAGE_PX = 64;

function ItemImage({ item }: { item: PreviewItem }) {
  const box = { width: IMAGE_PX, height: IMAGE_PX, flex: "none", borderRadius: "var(--p-border-radius-200)", background: "var(--p-color-bg-surface-secondary)", objectFit: "cover" as const };
  // No image: a neutral box of the same size, as the storefront block draws.
  return item.image ? <img src={item.image.url} alt={item.image.alt} width={IMAGE_PX} height={IMAGE_PX} style={box} loading="lazy" /> : <div style={box} aria-hidden="true" />;
}

function ListCard({ list, viewed, thresholds, state }: { list: PreviewList; viewed: ProductRef; thresholds: ModelView["thresholds"]; state: PageState }) {
  const title = BLOCK_TITLE[list.block];
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="300">
        <Text as="h4" variant="headingSm">
          {title}
        </Text>
        {list.items.length === 0 ? (
          <div data-testid={`recommendations-preview-empty-${list.block}`}>
            <Text as="p" tone="subdued">
              {list.block === "together"
                ? "Nothing a shopper can be shown is bought together with this product: on its page the block hides itself rather than fill up with best sellers."
                : "Nothing to show: on this product's page the block hides itself."}
            </Text>
          </div>
        ) : (
          <ol aria-label={title} data-testid={`recommendations-preview-${list.block}`} style={{ margin: 0, padding: 0, listStyle: "none" }}>
            {list.items.map((item, i) => (
              <li key={item.id} data-product={item.id} data-why={item.why.kind} style={{ borderTop: i > 0 ? "1px solid var(--p-color-border-secondary)" : undefined, padding: "var(--p-space-200) 0" }}>
                <InlineStack gap="300" wrap={false} blockAlign="start">
                  <ItemImage item={item} />
                  <BlockStack gap="100">
                    <Text as="p" fontWeight="semibold">
                      {`${i + 1}. ${item.title}`}
                    </Text>
                    <Text as="p" tone="subdued">
                      {[item.price ?? "no price", `#${item.id}`].join(" · ")}
                    </Text>
                    <div data-testid="recommendations-preview-why">
                      <Text as="p" variant="bodySm">
                        {whySentence(item, viewed, thresholds)}
                      </Text>
                    </div>
                    <RemixLink to={recommendationsHref({ ...state, product: item.id }, "preview")} aria-label={`Preview its page: ${item.title}`}>
                      <Text as="span" variant="bodySm">
                        Preview its page
                      </Text>
                    </RemixLink>
                  </BlockStack>
                </InlineStack>
              </li>
            ))}
          </ol>
        )}
      </BlockStack>
    </Box>
  );
}

function ProductPicker({ view, state }: { view: RecommendationsPageView; state: PageState }) {
  const [text, setText] = useState(view.productSearch?.text ?? "");
  const results = view.productSearch?.results ?? null;
  return (
    <BlockStack gap="200">
      <Form method="get" action={PAGE_URL} role="search" aria-label="Find a product to preview">
        {state.search && <input type="hidden" name="q" value={state.search} />}
        {state.sort && state.sort !== "count" && <input type="hidden" name="sort" value={state.sort} />}
        {state.direction === "asc" && <input type="hidden" name="dir" value="asc" />}
        <InlineStack gap="200" blockAlign="end" wrap>
          <div style={{ flex: "1 1 16rem", maxWidth: "28rem" }}>
            <TextField label="Find a product (title or id)" name="find" value={text} onChange={setText} autoComplete="off" placeholder="e.g. heart, or 7001" />
          </div>
          <span data-testid="recommendations-find">
            <Button submit>Find</Button>
          </span>
        </InlineStack>
      </Form>
      {results !== null && (
        <div data-testid="recommendations-find-results">
          {results.length === 0 ? (
            <Text as="p" tone="subdued">{`No product of this store has “${view.productSearch!.text}” in its title or as its id.`}</Text>
          ) : (
            <List type="bullet">
              {results.map((p) => {
                const hidden = hiddenReason(p);
                return (
                  <List.Item key={p.id}>
                    <RemixLink to={recommendationsHref({ ...state, product: p.id, find: "" }, "preview")} data-product={p.id}>
                      {productName(p)}
                    </RemixLink>
                    {` #${p.id}`}
                    {hidden && ` (${HIDDEN_WORDS[hidden]})`}
                  </List.Item>
                );
              })}
            </List>
          )}
        </div>
      )}
    </BlockStack>
  );
}

export function ProductPreview({ view, state }: { view: RecommendationsPageView; state: PageState }) {
  const preview: PreviewView | null = view.preview;
  const thresholds = view.model?.thresholds ?? null;
  return (
    <Card>
      <div id="preview" data-testid="recommendations-preview-card">
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              What a shopper sees
            </Text>
            <Text as="p" tone="subdued">
              {`Pick a product to see the storefront blocks on its page as a guest sees them (the first ${view.limit} products, the blocks' default), and why each product is there.`}
            </Text>
          </BlockStack>
          <ProductPicker view={view} state={state} />
          {preview?.kind === "not-found" && (
            <div data-testid="recommendations-preview-not-found">
              <Banner tone="warning" title="Product not found in this store">
                <p>{`No product #${preview.productId} is in this store's catalogue or in its model. Check the id, or find the product by its title above.`}</p>
              </Banner>
            </div>
          )}
          {preview?.kind === "product" && <PreviewBody preview={preview} view={view} state={state} thresholds={thresholds} />}
        </BlockStack>
      </div>
    </Card>
  );
}

function PreviewBody({ preview, view, state, thresholds }: { preview: Extract<PreviewView, { kind: "product" }>; view: RecommendationsPageView; state: PageState; thresholds: ModelView["thresholds"] }) {
  const { product } = preview;
  const hidden = hiddenReason(product);
  const together = preview.lists.find((l) => l.block === "together");
  const forYou = preview.lists.find((l) => l.block === "for-you");
  const togetherIds = together?.items.map((i) => i.id) ?? [];
  const forYouIds = forYou?.items.map((i) => i.id) ?? [];
  // For a guest the two blocks score the same basket; only "for you" then fills up from the best sellers.
  const startsSame = togetherIds.length > 0 && togetherIds.every((id, i) => forYouIds[i] === id);
  const filled = startsSame && forYouIds.length > togetherIds.length;
  return (
    <BlockStack gap="300">
      <div data-testid="recommendations-preview-product" data-product={product.id}>
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="h3" variant="headingSm">
            {`On the page of ${productName(product)} (#${product.id})`}
          </Text>
          {hidden && <Badge tone="warning">{HIDDEN_WORDS[hidden]}</Badge>}
          {product.title !== null && (
            <Link url={productAdminUrl(view.shopDomain, product.id)} target="_blank" accessibilityLabel={`Open in Shopify admin: ${productName(product)} (opens a new tab)`}>
              Open in Shopify admin
            </Link>
          )}
        </InlineStack>
      </div>
      {hidden && (
        <Text as="p" tone="caution">
          {hidden === "deleted"
            ? "This product is not in the store's catalogue any more, so no shopper opens its page; below is what the blocks would answer for it."
            : `This product is ${HIDDEN_WORDS[hidden]}, so shoppers do not see its page (or cannot buy it); below is what the blocks would show there.`}
        </Text>
      )}
      {!preview.known && (
        <div data-testid="recommendations-preview-unknown">
          <Text as="p">No order held this product before the last training, so the model has nothing linked to it: Frequently bought together is empty (the block hides on its page) and Recommended for you shows your best sellers.</Text>
        </div>
      )}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
        {preview.lists.map((list) => (
          <ListCard key={list.block} list={list} viewed={product} thresholds={thresholds} state={state} />
        ))}
      </InlineGrid>
      {startsSame && (
        <Text as="p" tone="subdued">
          {filled
            ? "For a guest, Recommended for you on a product page starts from the same product, so it begins with the same products, then fills up from your best sellers (Frequently bought together never does); a logged-in customer also gets products from their own past orders."
            : "For a guest, Recommended for you on a product page starts from the same product, so the lists agree; a logged-in customer also gets products from their own past orders."}
        </Text>
      )}
      {preview.leftOut.length > 0 && (
        <div data-testid="recommendations-preview-left-out">
          <BlockStack gap="100">
            <Text as="p">Linked to this product but not shown to shoppers:</Text>
            <List type="bullet">
              {preview.leftOut.map(({ product: p, reason }) => (
                <List.Item key={p.id}>{`${productName(p)} (#${p.id}): ${HIDDEN_WORDS[reason]}`}</List.Item>
              ))}
            </List>
          </BlockStack>
        </div>
      )}
    </BlockStack>
  );
}
