// Reconciliation: orders updated since a time, newest state, paginated. Page sizes keep the
// requested cost (Shopify's rule: connections cost by `first`) near 700 of the 1,000-point cap;
// lines beyond the first 10 come from ORDER_LINE_ITEMS.
export const ORDERS_UPDATED_SINCE = `#graphql
  query OrdersUpdatedSince($q: String!, $after: String) {
    orders(first: 10, after: $after, query: $q, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id createdAt updatedAt processedAt cancelledAt test currencyCode
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { id }
        refunds(first: 5) { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
        lineItems(first: 10) {
          pageInfo { hasNextPage endCursor }
          nodes { id quantity currentQuantity product { id } variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } }
        }
      }
    }
  }`;
