// Every GraphQL document Segmint sends, one per file. test/shopify/graphql-documents.test.ts
// validates each of them (and the inner bulk query strings) against Shopify's 2026-10 schema.
export { RUN_BULK_QUERY } from "./run-bulk-query";
export { ordersBulkQuery } from "./bulk-orders-export";
export { productsBulkQuery } from "./bulk-products-export";
export { PRODUCT_AVAILABILITY } from "./product-availability";
export { BULK_OPERATION_STATUS } from "./bulk-operation-status";
export { ORDERS_UPDATED_SINCE } from "./orders-updated-since";
export { SHOP_INFO } from "./shop-info";
export { ORDER_LINE_ITEMS } from "./order-line-items";
export {
  customerTagsBulkQuery,
  CUSTOMER_TAGS_BY_ID,
  CUSTOMER_TAGS_ADD,
  CUSTOMER_TAGS_REMOVE,
  BULK_INNER_TAGS_ADD,
  BULK_INNER_TAGS_REMOVE,
  STAGE_BULK_VARIABLES,
  RUN_BULK_MUTATION,
} from "./customer-tags";
export { SEGMENT_CREATE, SEGMENT_UPDATE, SEGMENT_DELETE } from "./segments";
export { PRODUCT_TITLES } from "./product-titles";
export { ORDER_RISK_ASSESSMENT_CREATE } from "./order-risk-assessment";
