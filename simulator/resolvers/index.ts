// Read side of the Admin API: the query root and the "views" that present state records as
// GraphQL objects, one file per resource. A view holds plain values or functions `(args) => value`;
// graphql.ts and bulk-executor.ts call them. A field missing from a view is an unsupported field
// and fails loudly (see graphql.ts).
import { GraphQLError } from "graphql";
import type { ResolverContext } from "../context";
import { parseGid } from "../ids";
import { bulkOperationQueries, bulkOperationView } from "./bulk-operations";
import type { Args, View } from "./common";
import { customerQueries, customerView } from "./customers";
import { lineItemView, orderQueries, orderView, refundView } from "./orders";
import { productQueries, productView, variantView } from "./products";
import { segmentQueries, segmentView } from "./segments";
import { shopQueries, subscriptionView } from "./shop";

export type { View } from "./common";
export { bulkOperationView } from "./bulk-operations";
export { customerView } from "./customers";
export { lineItemView, orderView, refundView } from "./orders";
export { productView, variantView } from "./products";
export { segmentView } from "./segments";
export { shopNumericId, shopView } from "./shop";

export function nodeById(ctx: ResolverContext, id: unknown): View | null {
  if (typeof id !== "string") return null;
  const parsed = parseGid(id);
  if (!parsed) return null;
  const shop = ctx.shop;
  switch (parsed.type) {
    case "Order": {
      const order = shop.orders.get(parsed.id);
      return order ? orderView(ctx, order) : null;
    }
    case "Customer": {
      const customer = shop.customers.get(parsed.id);
      return customer ? customerView(ctx, customer) : null;
    }
    case "Product": {
      const product = shop.products.get(parsed.id);
      return product ? productView(ctx, product) : null;
    }
    case "ProductVariant": {
      const variant = shop.variants.get(parsed.id);
      return variant ? variantView(ctx, variant) : null;
    }
    case "LineItem": {
      const order = shop.orderOfLineItem(parsed.id);
      const line = order?.lineItems.find((l) => l.id === parsed.id);
      return order && line ? lineItemView(ctx, order, line) : null;
    }
    case "Refund": {
      const refund = shop.refunds.get(parsed.id);
      const order = refund?.orderId == null ? undefined : shop.orders.get(refund.orderId);
      return refund && order ? refundView(ctx, order, refund) : null;
    }
    case "BulkOperation": {
      const op = ctx.bulk.get(shop, parsed.id);
      return op ? bulkOperationView(op) : null;
    }
    case "Segment": {
      const segment = shop.segments.get(parsed.id);
      return segment ? segmentView(segment) : null;
    }
    case "WebhookSubscription": {
      const sub = ctx.subscriptions.find((s) => s.id === parsed.id);
      return sub ? subscriptionView(sub) : null;
    }
    default:
      return null;
  }
}

export function queryRoot(ctx: ResolverContext): View {
  return {
    ...shopQueries(ctx),
    ...orderQueries(ctx),
    ...customerQueries(ctx),
    ...productQueries(ctx),
    node: (args: Args) => nodeById(ctx, args.id),
    nodes: (args: Args) => {
      const ids = Array.isArray(args.ids) ? args.ids : [];
      if (ids.length > 250) throw new GraphQLError("The ids argument accepts at most 250 ids.", { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
      return ids.map((id) => nodeById(ctx, id));
    },
    ...bulkOperationQueries(ctx),
    ...segmentQueries(ctx),
  };
}
