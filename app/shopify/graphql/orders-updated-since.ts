// Reconciliation: orders updated since a time, newest state, paginated (≤ 250 per page).
export const ORDERS_UPDATED_SINCE = `#graphql
  query OrdersUpdatedSince($q: String!, $after: String) {
    orders(first: 100, after: $after, query: $q, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id createdAt updatedAt processedAt cancelledAt test currencyCode
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { id }
        refunds(first: 20) { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
        lineItems(first: 100) {
          pageInfo { hasNextPage endCursor }
          nodes { id quantity currentQuantity product { id } variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } }
        }
      }
    }
  }`;
