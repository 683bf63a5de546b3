// The association rules: antecedent → consequent with their measures, sortable by each measure
// (?sort&dir), searched by product title or id (?q), 25 a page (?page); each product links to its
// preview. Above the table, the three measures in plain words.
import { Form, Link as RemixLink, useNavigate, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, IndexTable, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { KeyboardScrollable } from "../keyboard-scroll";
import { NumericCell } from "../numeric-cell";
import { formatCount } from "../format";
import { MEASURE_WORDS, type ProductRef, type RuleSort, type RulesPageView } from "../../domain/recommendation";
import { formatConfidence, formatLift, formatSupport, PAGE_URL, recommendationsHref, type PageState } from "./view";
import { PageLinks } from "../page-links";

/** Heading index → sort key (null: not sortable). */
const SORT_COLUMNS: readonly (RuleSort | null)[] = [null, null, "count", "support", "confidence", "lift", null];

/** A product in a table cell: its title linking to its preview, and its id. */
export function ProductCell({ product, state }: { product: ProductRef; state: PageState }) {
  return (
    <BlockStack gap="025">
      <RemixLink to={recommendationsHref({ ...state, product: product.id }, "preview")} data-testid="recommendations-rule-product" data-product={product.id} aria-label={`Preview ${product.title ?? `product ${product.id}`}`}>
        {product.title ?? `Product ${product.id}`}
      </RemixLink>
      <Text as="span" variant="bodySm" tone="subdued">
        {`#${product.id}${product.title === null ? " · not in the catalogue" : ""}`}
      </Text>
    </BlockStack>
  );
}

export function MeasuresLegend() {
  return (
    <div data-testid="recommendations-measures">
      <List type="bullet">
        {(["support", "confidence", "lift"] as const).map((m) => (
          <List.Item key={m}>
            <Text as="span" fontWeight="semibold">
              {`${MEASURE_WORDS[m].label}: `}
            </Text>
            {MEASURE_WORDS[m].words}
          </List.Item>
        ))}
      </List>
    </div>
  );
}

export function RulesTable({ rules, product, find }: { rules: RulesPageView; product: string | null; find: string }) {
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [query, setQuery] = useState(rules.search);
  const loading = navigation.state === "loading" && navigation.location?.pathname === PAGE_URL;
  const { rows, total, page, pageCount, pageSize, sort, direction, search } = rules;
  const state: PageState = { search, sort, direction, page, product, find };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <Card padding="0">
      <div data-testid="recommendations-rules" id="rules">
        <div style={{ padding: "var(--p-space-400)" }}>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Bought together: the rules
            </Text>
            <Text as="p">Each rule reads: shoppers whose basket holds the first product(s) also buy the second. The measures:</Text>
            <MeasuresLegend />
            <Form method="get" action={PAGE_URL} role="search" aria-label="Search rules by product">
              {sort !== "count" && <input type="hidden" name="sort" value={sort} />}
              {direction === "asc" && <input type="hidden" name="dir" value={direction} />}
              {product && <input type="hidden" name="product" value={product} />}
              {find && <input type="hidden" name="find" value={find} />}
              <InlineStack gap="200" blockAlign="end" wrap>
                <div style={{ flex: "1 1 16rem", maxWidth: "28rem" }}>
                  <TextField label="Product title or id" name="q" value={query} onChange={setQuery} autoComplete="off" placeholder="e.g. heart, or 7001" clearButton onClearButtonClick={() => setQuery("")} />
                </div>
                <span data-testid="recommendations-rules-search">
                  <Button submit>Search</Button>
                </span>
                {search && (
                  <RemixLink to={recommendationsHref({ ...state, search: "", page: 1 }, "rules")} data-testid="recommendations-rules-clear">
                    Show all rules
                  </RemixLink>
                )}
              </InlineStack>
            </Form>
            <div data-testid="recommendations-rules-count">
              <Text as="p" tone="subdued">
                {total === 0
                  ? search
                    ? `No rule names a product whose title contains “${search}” or whose id is ${search}.`
                    : "No rule passed the thresholds: too few orders hold the same products together yet. Rules appear as more orders come in; Frequently bought together still works from the model's links, and Recommended for you also from your best sellers."
                  : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} rules${search ? ` naming “${search}”` : ""}.${rules.searchCapped ? " Many products match: only the first 200 by title were searched; type more of the title to narrow it." : ""}`}
              </Text>
            </div>
          </BlockStack>
        </div>
        {rows.length > 0 && (
          <KeyboardScrollable label="Rules">
            <IndexTable
              resourceName={{ singular: "rule", plural: "rules" }}
              itemCount={rows.length}
              selectable={false}
              loading={loading}
              sortable={SORT_COLUMNS.map((s) => s !== null)}
              sortColumnIndex={SORT_COLUMNS.indexOf(sort)}
              sortDirection={direction === "asc" ? "ascending" : "descending"}
              defaultSortDirection="descending"
              onSort={(index, dir) => {
                const next = SORT_COLUMNS[index];
                if (next) navigate(recommendationsHref({ ...state, page: 1, sort: next, direction: dir === "ascending" ? "asc" : "desc" }, "rules"), { preventScrollReset: true });
              }}
              headings={[
                { title: "Shoppers with" },
                { title: "Also buy" },
                { title: "Orders", alignment: "end" },
                { title: "Support", alignment: "end" },
                { title: "Confidence", alignment: "end" },
                { title: "Lift", alignment: "end" },
                { title: "In words" },
              ]}
            >
              {rows.map((r, i) => (
                <IndexTable.Row id={String(r.id)} key={r.id} position={i}>
                  <IndexTable.Cell>
                    <BlockStack gap="100">
                      {r.antecedent.map((p) => (
                        <ProductCell key={p.id} product={p} state={state} />
                      ))}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <ProductCell product={r.consequent} state={state} />
                  </IndexTable.Cell>
                  <NumericCell>
                    <span data-testid="recommendations-rule-count">{formatCount(r.count)}</span>
                  </NumericCell>
                  <NumericCell>{formatSupport(r.support)}</NumericCell>
                  <NumericCell>{formatConfidence(r.confidence)}</NumericCell>
                  <NumericCell>
                    <span data-testid="recommendations-rule-lift">{formatLift(r.lift)}</span>
                  </NumericCell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", minWidth: "18rem", maxWidth: "32rem" }} data-testid="recommendations-rule-words">
                      <Text as="span" variant="bodySm">
                        {r.sentence}
                      </Text>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </KeyboardScrollable>
        )}
        {pageCount > 1 && (
          <div style={{ padding: "var(--p-space-300)", display: "flex", justifyContent: "center" }} data-testid="recommendations-rules-pagination">
            <PageLinks
              page={page}
              hasNext={page < pageCount}
              hrefFor={(p) => recommendationsHref({ ...state, page: p }, "rules")}
              label={`Page ${formatCount(page)} of ${formatCount(pageCount)}`}
              accessibilityLabels={{ previous: "Previous page of rules", next: "Next page of rules" }}
            />
          </div>
        )}
      </div>
    </Card>
  );
}
