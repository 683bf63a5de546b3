// products/create|update payloads no longer say whether a variant's stock is tracked (API 2024-07
// moved that to the inventory item): when no variant of the payload is sellable by its own
// quantity or policy, the drain asks Shopify which variants are available for sale.
export const PRODUCT_AVAILABILITY = `#graphql
  query ProductAvailability($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product { id variants(first: 100) { nodes { availableForSale } } }
    }
  }`;
