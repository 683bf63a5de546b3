// Starts a bulk query (the inner query is a string: ordersBulkQuery() for the backfill,
// customerTagsBulkQuery() for the write-back's read of Shopify's tags).

export const RUN_BULK_QUERY = `#graphql
  mutation RunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status type createdAt }
      userErrors { field message code }
    }
  }`;
