// A segment's customers: server-side pages (?page), sortable columns (?sort&dir), search by
// Shopify customer id (?q); each row links to the customer in Shopify admin and to Segmint's
// history of them, and says why the customer is in this segment.
import { Form, Link as RemixLink, useNavigate, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, IndexTable, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SegmentCustomerSort, SegmentCustomersPage } from "../../domain/segment-customers";
import { customerAdminUrl, formatCount, formatDays, formatMoney } from "../format";
import { KeyboardScrollable } from "../keyboard-scroll";
import { NumericCell } from "../numeric-cell";
import { PageLinks } from "../page-links";

/** Heading index → sort key (null: not sortable). */
const SORT_COLUMNS: readonly (SegmentCustomerSort | null)[] = ["customer", "recency", "frequency", "monetary", null, null, null];

interface Props {
  readonly basePath: string;
  readonly customers: SegmentCustomersPage;
  readonly shopDomain: string;
  readonly currency: string;
  /** The search text as typed, and its problem if any. */
  readonly searchText: string;
  readonly searchError: string | undefined;
}

function hrefOf(basePath: string, c: { page: number; sort: SegmentCustomerSort; direction: "asc" | "desc"; search: string }): string {
  const p = new URLSearchParams();
  if (c.page > 1) p.set("page", String(c.page));
  if (c.sort !== "monetary") p.set("sort", c.sort);
  if (c.direction !== "desc") p.set("dir", c.direction);
  if (c.search) p.set("q", c.search);
  const qs = p.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

export function CustomersTable({ basePath, customers, shopDomain, currency, searchText, searchError }: Props) {
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [query, setQuery] = useState(searchText);
  const loading = navigation.state === "loading" && navigation.location?.pathname === basePath;
  const { rows, total, page, pageCount, pageSize, sort, direction, search } = customers;
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const sortIndex = SORT_COLUMNS.indexOf(sort);
  return (
    <Card padding="0">
      <div data-testid="segment-customers">
        <BlockStack gap="0">
          <div style={{ padding: "var(--p-space-400)" }}>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Customers in this segment
              </Text>
              <Form method="get" action={basePath} role="search" aria-label="Search customers by Shopify customer id">
                <input type="hidden" name="sort" value={sort} />
                <input type="hidden" name="dir" value={direction} />
                <InlineStack gap="200" blockAlign="end" wrap>
                  <div style={{ flex: "1 1 16rem", maxWidth: "28rem" }}>
                    <TextField
                      label="Shopify customer id"
                      name="q"
                      value={query}
                      onChange={setQuery}
                      autoComplete="off"
                      inputMode="numeric"
                      placeholder="e.g. 7012345678901, or its first digits"
                      error={searchError}
                      clearButton
                      onClearButtonClick={() => setQuery("")}
                    />
                  </div>
                  <span data-testid="segment-customers-search">
                    <Button submit>Search</Button>
                  </span>
                  {search && (
                    <RemixLink to={hrefOf(basePath, { page: 1, sort, direction, search: "" })} data-testid="segment-customers-clear">
                      Show all customers
                    </RemixLink>
                  )}
                </InlineStack>
              </Form>
              <Text as="p" tone="subdued" data-testid="segment-customers-count">
                {total === 0
                  ? search
                    ? `No customer of this segment has an id starting with ${search}.`
                    : "This segment has no customers in this run."
                  : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} customers${search ? ` whose id starts with ${search}` : ""}.`}
              </Text>
            </BlockStack>
          </div>
          <KeyboardScrollable label="Customers in this segment">
            <IndexTable
              resourceName={{ singular: "customer", plural: "customers" }}
              itemCount={rows.length}
              selectable={false}
              loading={loading}
              sortable={SORT_COLUMNS.map((s) => s !== null)}
              sortColumnIndex={sortIndex}
              sortDirection={direction === "asc" ? "ascending" : "descending"}
              defaultSortDirection="descending"
              onSort={(index, dir) => {
                const next = SORT_COLUMNS[index];
                if (next) navigate(hrefOf(basePath, { page: 1, sort: next, direction: dir === "ascending" ? "asc" : "desc", search }));
              }}
              emptyState={<div />}
              headings={[
                { title: "Shopify customer" },
                { title: "Days since last order", alignment: "end" },
                { title: "Orders", alignment: "end" },
                { title: `Net spend (${currency})`, alignment: "end" },
                { title: "R · F · M" },
                { title: "RFM group" },
                { title: "Why here" },
              ]}
            >
              {rows.map((r, i) => (
                <IndexTable.Row id={String(r.rowId)} key={r.rowId} position={i}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Link url={customerAdminUrl(shopDomain, r.shopifyCustomerId)} target="_top" accessibilityLabel={`Customer ${r.shopifyCustomerId} in Shopify admin`}>
                        <span data-testid="segment-customer-id">{r.shopifyCustomerId}</span>
                      </Link>
                      <RemixLink to={`/app/customers?id=${encodeURIComponent(r.shopifyCustomerId)}`} data-testid="segment-customer-history" aria-label={`Segment history of customer ${r.shopifyCustomerId}`}>
                        <Text as="span" variant="bodySm">
                          History
                        </Text>
                      </RemixLink>
                    </BlockStack>
                  </IndexTable.Cell>
                  <NumericCell>{r.recencyDays === null ? "No purchase" : formatDays(r.recencyDays)}</NumericCell>
                  <NumericCell>{formatCount(r.frequency)}</NumericCell>
                  <NumericCell>{formatMoney(r.monetaryMilli, currency)}</NumericCell>
                  <IndexTable.Cell>{r.frequency > 0 ? `${r.rScore} · ${r.fScore} · ${r.mScore}` : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{r.rfmGroup}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", minWidth: "18rem", maxWidth: "32rem" }} data-testid="segment-customer-why">
                      <Text as="span" variant="bodySm">
                        {r.explanation}
                      </Text>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </KeyboardScrollable>
          {pageCount > 1 && (
            <div style={{ padding: "var(--p-space-300)", display: "flex", justifyContent: "center" }} data-testid="segment-customers-pagination">
              <PageLinks
                page={page}
                hasNext={page < pageCount}
                hrefFor={(p) => hrefOf(basePath, { page: p, sort, direction, search })}
                label={`Page ${formatCount(page)} of ${formatCount(pageCount)}`}
              />
            </div>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
