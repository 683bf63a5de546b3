// REST-shaped (snake_case) webhook bodies, as Shopify sends them for API version 2026-10.
// Only ids reach the app for customers: the simulator holds no names, emails or addresses.
import { iso } from "./clock";
import { gid } from "./ids";
import { formatCents, restMoneySet } from "./money";
import type { BulkOperationRecord } from "./context";
import { customerStats, financialStatus, orderTotals, refundedQuantity, type CustomerRecord, type OrderRecord, type ProductRecord, type RefundRecord, type ShopState } from "./state";

/** REST timestamps carry an offset ("2026-10-28T15:17:49+00:00"), unlike GraphQL's "Z". */
export function restTime(ms: number): string {
  return iso(ms).replace("Z", "+00:00");
}

export function orderPayload(shop: ShopState, order: OrderRecord): Record<string, unknown> {
  const currency = shop.settings.currencyCode;
  const totals = orderTotals(order);
  const customer = order.customerId === null ? null : shop.customers.get(order.customerId);
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    order_number: order.number,
    number: order.number - 1000,
    email: null,
    contact_email: null,
    created_at: restTime(order.createdAt),
    updated_at: restTime(order.updatedAt),
    processed_at: restTime(order.processedAt),
    cancelled_at: order.cancelledAt === null ? null : restTime(order.cancelledAt),
    cancel_reason: order.cancelReason === null ? null : order.cancelReason.toLowerCase(),
    closed_at: order.cancelledAt === null ? null : restTime(order.cancelledAt),
    test: order.test,
    tags: order.tags.join(", "),
    currency,
    presentment_currency: currency,
    financial_status: financialStatus(order).toLowerCase(),
    fulfillment_status: "fulfilled",
    source_name: "web",
    total_price: formatCents(totals.totalCents),
    subtotal_price: formatCents(totals.totalCents),
    current_total_price: formatCents(totals.currentTotalCents),
    current_subtotal_price: formatCents(totals.currentTotalCents),
    total_discounts: "0.00",
    total_tax: "0.00",
    total_price_set: restMoneySet(totals.totalCents, currency),
    current_total_price_set: restMoneySet(totals.currentTotalCents, currency),
    total_discounts_set: restMoneySet(0, currency),
    total_tax_set: restMoneySet(0, currency),
    customer: customer ? customerSummary(shop, customer) : null,
    line_items: order.lineItems.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid("LineItem", line.id),
      product_id: line.productId,
      variant_id: line.variantId,
      quantity: line.quantity,
      current_quantity: line.quantity - refundedQuantity(order, line),
      price: formatCents(line.unitPriceCents),
      price_set: restMoneySet(line.unitPriceCents, currency),
      sku: line.sku,
      title: line.title,
      name: line.title,
      total_discount: "0.00",
      gift_card: false,
      taxable: true,
    })),
    refunds: order.refunds.map((refund) => refundPayload(shop, order, refund)),
    shipping_address: null,
    billing_address: null,
  };
}

/** The `customer` object inside an order: Segmint only relies on its id. */
function customerSummary(shop: ShopState, customer: CustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    admin_graphql_api_id: gid("Customer", customer.id),
    email: null,
    first_name: null,
    last_name: null,
    state: customer.state.toLowerCase(),
    created_at: restTime(customer.createdAt),
    updated_at: restTime(customer.updatedAt),
    currency: shop.settings.currencyCode,
    tags: customer.tags.join(", "),
  };
}

export function refundPayload(shop: ShopState, order: OrderRecord, refund: RefundRecord): Record<string, unknown> {
  const currency = shop.settings.currencyCode;
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: order.id,
    created_at: restTime(refund.createdAt),
    processed_at: restTime(refund.createdAt),
    note: refund.note,
    user_id: null,
    restock: false,
    refund_line_items: refund.lineItems.map((rli) => {
      const line = order.lineItems.find((l) => l.id === rli.lineItemId);
      return {
        id: rli.id,
        line_item_id: rli.lineItemId,
        quantity: rli.quantity,
        restock_type: "no_restock",
        subtotal: formatCents(rli.subtotalCents),
        subtotal_set: restMoneySet(rli.subtotalCents, currency),
        total_tax: "0.00",
        total_tax_set: restMoneySet(0, currency),
        line_item: line ? { id: line.id, product_id: line.productId, variant_id: line.variantId, quantity: line.quantity, price: formatCents(line.unitPriceCents), sku: line.sku, title: line.title } : null,
      };
    }),
    transactions: refund.transactions.map((tx) => ({
      id: tx.id,
      admin_graphql_api_id: gid("OrderTransaction", tx.id),
      order_id: order.id,
      kind: tx.kind.toLowerCase(),
      status: "success",
      gateway: "manual",
      amount: formatCents(tx.amountCents),
      currency,
      created_at: restTime(tx.createdAt),
      processed_at: restTime(tx.createdAt),
      test: order.test,
    })),
    order_adjustments: refund.adjustmentCents
      ? [{ id: refund.id, order_id: order.id, refund_id: refund.id, kind: "refund_discrepancy", reason: "Refund discrepancy", amount: formatCents(-refund.adjustmentCents), tax_amount: "0.00" }]
      : [],
    duties: [],
    total_duties_set: restMoneySet(0, currency),
  };
}

export function customerPayload(shop: ShopState, customer: CustomerRecord): Record<string, unknown> {
  const stats = customerStats(shop, customer.id);
  return {
    id: customer.id,
    admin_graphql_api_id: gid("Customer", customer.id),
    email: null,
    first_name: null,
    last_name: null,
    phone: null,
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: false,
    tags: customer.tags.join(", "),
    currency: shop.settings.currencyCode,
    created_at: restTime(customer.createdAt),
    updated_at: restTime(customer.updatedAt),
    orders_count: stats.numberOfOrders,
    total_spent: formatCents(stats.amountSpentCents),
    last_order_id: stats.lastOrder?.id ?? null,
    default_address: null,
    addresses: [],
  };
}

/**
 * products/create and products/update: the REST Product. Since API 2024-07 the variants no longer
 * carry `inventory_management`, `fulfillment_service`, weights or `requires_shipping` (Shopify's
 * "Product Variant Field Cleanup": those live on the inventory item), so whether stock is tracked
 * is not in the payload; `inventory_policy` and `inventory_quantity` are.
 */
export function productPayload(shop: ShopState, product: ProductRecord): Record<string, unknown> {
  const image = product.imageUrl
    ? { id: product.mediaId, admin_graphql_api_id: gid("ProductImage", product.mediaId), product_id: product.id, position: 1, alt: product.title, width: 800, height: 800, src: product.imageUrl, variant_ids: [], created_at: restTime(product.createdAt), updated_at: restTime(product.updatedAt) }
    : null;
  return {
    id: product.id,
    admin_graphql_api_id: gid("Product", product.id),
    title: product.title,
    body_html: "",
    vendor: shop.settings.name,
    product_type: "",
    handle: product.handle,
    status: product.status.toLowerCase(),
    created_at: restTime(product.createdAt),
    updated_at: restTime(product.updatedAt),
    published_at: product.status === "ACTIVE" ? restTime(product.createdAt) : null,
    published_scope: "global",
    template_suffix: null,
    tags: product.tags.join(", "),
    has_variants_that_requires_components: false,
    variants: product.variants.map((v, i) => ({
      id: v.id,
      admin_graphql_api_id: gid("ProductVariant", v.id),
      product_id: product.id,
      title: v.title,
      price: formatCents(v.priceCents),
      compare_at_price: null,
      sku: v.sku ?? "",
      position: i + 1,
      inventory_policy: v.inventoryPolicy.toLowerCase(),
      inventory_quantity: v.inventoryQuantity,
      old_inventory_quantity: v.inventoryQuantity,
      inventory_item_id: v.id,
      option1: v.title,
      option2: null,
      option3: null,
      taxable: true,
      barcode: null,
      image_id: null,
      created_at: restTime(product.createdAt),
      updated_at: restTime(product.updatedAt),
    })),
    options: [{ id: product.id, product_id: product.id, name: "Title", position: 1, values: product.variants.map((v) => v.title) }],
    images: image ? [image] : [],
    image,
    media: image ? [{ id: product.mediaId, admin_graphql_api_id: gid("MediaImage", product.mediaId), media_content_type: "IMAGE", alt: product.title, position: 1, preview_image: { src: product.imageUrl, width: 800, height: 800, status: "READY" } }] : [],
  };
}

/** products/delete carries only the id. */
export function productDeletePayload(productId: number): Record<string, unknown> {
  return { id: productId };
}

export function shopPayload(shop: ShopState, shopId: number): Record<string, unknown> {
  const s = shop.settings;
  return {
    id: shopId,
    name: s.name,
    domain: s.domain,
    myshopify_domain: s.domain,
    email: `shop@${s.domain}`,
    currency: s.currencyCode,
    iana_timezone: s.ianaTimezone,
    plan_display_name: s.planDisplayName,
    plan_name: s.planDisplayName.toLowerCase(),
    created_at: restTime(shop.createdAt),
    updated_at: restTime(shop.createdAt),
  };
}

/** bulk_operations/finish: status and error_code are lowercase here (unlike GraphQL). */
export function bulkFinishPayload(op: BulkOperationRecord): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid("BulkOperation", op.id),
    completed_at: op.completedAt === null ? null : restTime(op.completedAt),
    created_at: restTime(op.createdAt),
    error_code: op.errorCode === null ? null : op.errorCode.toLowerCase(),
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}
