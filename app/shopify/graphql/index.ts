// Every GraphQL document Segmint sends, one per file. test/shopify/graphql-documents.test.ts
// validates each of them (and the inner bulk query strings) against Shopify's 2026-10 schema.
export { BULK_ORDERS_EXPORT, ordersBulkQuery } from "./bulk-orders-export";
export { BULK_OPERATION_STATUS } from "./bulk-operation-status";
export { ORDERS_UPDATED_SINCE } from "./orders-updated-since";
export { SHOP_INFO } from "./shop-info";
export { ORDER_LINE_ITEMS } from "./order-line-items";
