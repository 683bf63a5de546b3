// Products sync: the inner bulk query exporting every product with what the storefront widget shows
// (run by RUN_BULK_QUERY after the orders export; docs/sync.md, "Products").

/**
 * The inner bulk query (validated against the 2026-10 schema and Shopify's bulk rules by
 * test/simulator/products.test.ts).
 * Two connections (products, variants): JSONL has one Product per line and each ProductVariant on
 * its own line with `__parentId` = the product's GID, in no guaranteed order. A product is
 * available when some variant is `availableForSale`; its price is `priceRangeV2.minVariantPrice`
 * (the lowest variant price, in the shop's currency); its image the featured media's preview.
 */
export function productsBulkQuery(): string {
  return `#graphql
  {
    products(sortKey: ID) {
      edges { node {
        id handle title status updatedAt
        priceRangeV2 { minVariantPrice { amount currencyCode } }
        featuredMedia { preview { image { url altText } } }
        variants { edges { node { id availableForSale } } }
      } }
    }
  }`;
}
