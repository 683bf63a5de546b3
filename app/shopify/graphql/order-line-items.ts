// The lines of one order beyond the first page (reconciliation of large orders); 50 lines keep
// the requested cost near 250 points, so a drained bucket refills for it in seconds.
export const ORDER_LINE_ITEMS = `#graphql
  query OrderLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 50, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id quantity currentQuantity product { id } variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } }
      }
    }
  }`;
