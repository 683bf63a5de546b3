// The lines of one order beyond the first page (reconciliation of very large orders).
export const ORDER_LINE_ITEMS = `#graphql
  query OrderLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 250, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id quantity currentQuantity product { id } variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } }
      }
    }
  }`;
