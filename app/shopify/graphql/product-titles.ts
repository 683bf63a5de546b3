// Product titles for the anomalies' reasons ("74,215 × MEDIUM CERAMIC TOP STORAGE JAR …"): only
// the products a flagged reason names, up to 250 ids per call (Shopify's limit for `nodes`).
export const PRODUCT_TITLES = `#graphql
  query ProductTitles($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product { id title }
    }
  }`;
