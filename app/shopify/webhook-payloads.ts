// Webhook payloads, validated per topic. Parsing also minimises: zod drops every field not listed,
// so names, emails, phones and addresses never reach the inbox or the database.
import { z } from "zod";

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const money = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).transform(String);
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a timestamp");

const lineItem = z.object({
  id,
  product_id: id.nullable().optional().default(null),
  variant_id: id.nullable().optional().default(null),
  quantity: z.number().int(),
  price: money,
});

const refund = z.object({
  id,
  order_id: id.optional(),
  created_at: timestamp,
  processed_at: timestamp.nullable().optional(),
  refund_line_items: z
    .array(z.object({ line_item_id: id, quantity: z.number().int().nonnegative(), subtotal: money.optional() }))
    .default([]),
  transactions: z.array(z.object({ kind: z.string(), status: z.string().optional(), amount: money })).default([]),
});

export const orderPayload = z.object({
  id,
  created_at: timestamp,
  updated_at: timestamp,
  processed_at: timestamp.nullable().optional(),
  cancelled_at: timestamp.nullable().optional().default(null),
  test: z.boolean().default(false),
  currency: z.string().length(3),
  total_price: money,
  current_total_price: money.optional(),
  customer: z.object({ id }).nullable().optional().default(null),
  line_items: z.array(lineItem),
  refunds: z.array(refund).default([]),
});
export type OrderPayload = z.infer<typeof orderPayload>;

export const refundPayload = refund.extend({ order_id: id });
export type RefundPayload = z.infer<typeof refundPayload>;

export const customerPayload = z.object({
  id,
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
  tags: z.string().optional(),
});
export type CustomerPayload = z.infer<typeof customerPayload>;

export const customerDeletePayload = z.object({ id });

// products/create|update: the REST Product, reduced to what the storefront widget shows and what
// decides whether it may show it. Since API 2024-07 variants carry no `inventory_management`
// (tracking moved to the inventory item); an older payload version's value is still read.
const productVariant = z.object({
  id,
  price: money,
  inventory_policy: z.enum(["deny", "continue"]).optional(),
  inventory_quantity: z.number().int().nullable().optional(),
  inventory_management: z.string().nullable().optional(),
});
export const productPayload = z.object({
  id,
  handle: z.string().min(1),
  title: z.string(),
  status: z.enum(["active", "archived", "draft", "unlisted"]),
  updated_at: timestamp,
  variants: z.array(productVariant).default([]),
  image: z.object({ src: z.string().url(), alt: z.string().nullable().optional() }).nullable().optional().default(null),
});
export type ProductPayload = z.infer<typeof productPayload>;

export const productDeletePayload = z.object({ id });

export const appUninstalledPayload = z.object({}).passthrough().transform(() => ({}));
export const scopesUpdatePayload = z.object({ current: z.array(z.string()), previous: z.array(z.string()).optional() });

export const bulkFinishPayload = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/BulkOperation/"),
  status: z.string(),
  error_code: z.string().nullable().optional(),
  type: z.string().optional(),
});

export const customersDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_requested: z.array(id).default([]),
  data_request: z.object({ id }).optional(),
});
export const customersRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_to_redact: z.array(id).default([]),
});
export const shopRedactPayload = z.object({ shop_domain: z.string() });

/** Every topic Segmint subscribes to (shopify.app.toml), with the schema its payload must meet. */
export const webhookPayloads = {
  "orders/create": orderPayload,
  "orders/updated": orderPayload,
  "orders/paid": orderPayload,
  "orders/cancelled": orderPayload,
  "refunds/create": refundPayload,
  "customers/create": customerPayload,
  "customers/update": customerPayload,
  "customers/delete": customerDeletePayload,
  "products/create": productPayload,
  "products/update": productPayload,
  "products/delete": productDeletePayload,
  "app/uninstalled": appUninstalledPayload,
  "app/scopes_update": scopesUpdatePayload,
  "bulk_operations/finish": bulkFinishPayload,
  "customers/data_request": customersDataRequestPayload,
  "customers/redact": customersRedactPayload,
  "shop/redact": shopRedactPayload,
} as const;

export type WebhookTopic = keyof typeof webhookPayloads;

// The wire says "orders/create"; @shopify/shopify-api reports it as "ORDERS_CREATE".
const topicsByLibraryName = new Map<string, WebhookTopic>(
  (Object.keys(webhookPayloads) as WebhookTopic[]).map((t) => [t.toUpperCase().replace(/\//g, "_"), t]),
);

/** Our topic name for what the library or the wire calls it, or null when we don't subscribe to it. */
export function webhookTopic(name: string): WebhookTopic | null {
  if (Object.hasOwn(webhookPayloads, name)) return name as WebhookTopic;
  return topicsByLibraryName.get(name.toUpperCase()) ?? null;
}
