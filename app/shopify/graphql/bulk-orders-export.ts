// Backfill: the inner bulk query exporting every order with its lines and refunds (run by RUN_BULK_QUERY).
// Level-1 data only: no email, name, phone or address is selected.

/**
 * The inner bulk query (validated by test/shopify/graphql-documents.test.ts like every document).
 * Two connections (orders, lineItems); `refunds` is a list and travels inline with its order.
 * JSONL: one Order per line, each LineItem on its own line with `__parentId` = the order's GID,
 * in no guaranteed order.
 */
export function ordersBulkQuery(): string {
  return `#graphql
  {
    orders(sortKey: CREATED_AT) {
      edges { node {
        id createdAt updatedAt processedAt cancelledAt test currencyCode
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { id }
        refunds { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
        lineItems { edges { node {
          id quantity currentQuantity product { id } variant { id }
          originalUnitPriceSet { shopMoney { amount currencyCode } }
        } } }
      } }
    }
  }`;
}
