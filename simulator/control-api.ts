// A small control API under /_sim/ for the demo and black-box tests (server mode):
//   GET  /_sim/shops                                   shops, tokens, counts
//   POST /_sim/shops/{domain}/orders                   {customerId?, lines:[{variantId, quantity}]}
//   POST /_sim/shops/{domain}/orders/{id}/cancel       {reason?}
//   POST /_sim/shops/{domain}/orders/{id}/refund       {lines:[{lineItemId, quantity}]}
//   POST /_sim/shops/{domain}/customers                {tags?}
//   POST /_sim/shops/{domain}/products                 {title, priceCents, status?, sku?, imageUrl?, tracked?, inventoryQuantity?,
//                                                      inventoryPolicy?: "DENY"|"CONTINUE"} → {id, variantId} (products/create)
//   POST /_sim/shops/{domain}/products/{id}            {title?, handle?, status?, priceCents?, imageUrl?} (products/update)
//   POST /_sim/shops/{domain}/products/{id}/inventory  {quantity?, tracked?, policy?: "DENY"|"CONTINUE", variantId?} (products/update)
//   POST /_sim/shops/{domain}/products/{id}/delete     (products/delete)
//   GET  /_sim/shops/{domain}/customers                JSON lines (application/x-ndjson), one per customer by id:
//                                                      {"id":"gid://shopify/Customer/…","customerId":"<CSV id>"|null,"tags":[…]}
//   GET  /_sim/shops/{domain}/segments                 {segments:[{id, name, query}]} (Shopify customer segments, by id)
//   GET  /_sim/shops/{domain}/calls                    {total, byOperation:{name: n}, throttled, httpErrors,
//                                                      bulkOperations:[{id, type, status, errorCode, rootField, objectCount, createdAt, completedAt}]}
//                                                      Admin API requests by operation name (root field when anonymous), whatever the outcome
//   POST /_sim/shops/{domain}/calls/reset              counts from zero; earlier bulk operations no longer listed
//   POST /_sim/shops/{domain}/faults                   {status, count?, retryAfter?} | {throttle} | {userError} | {bulk}
//                                                      | {bulkLineError: {customerId? | lineNumber?, message?, kind?: "errors"|"userErrors", code?, field?, times?}}
//        bulkLineError: lines of the next bulk mutation(s) whose `id` variable is that customer (GID or REST id) and/or whose
//        __lineNumber matches fail `times` times (default 1): kind "errors" (default) → the line is {"errors":[{message,
//        extensions:{code}}],"__lineNumber":n} and does not run; "userErrors" → the mutation answers that userError and
//        changes nothing. The operation still COMPLETES (and bulk_operations/finish is sent).
//   POST /_sim/shops/{domain}/uninstall | /scopes {scopes} | /compliance {topic, customerId?}
//   GET  /_sim/shops/{domain}/app-proxy?path=/recommendations&customerId=1   → { url }
//   POST /_sim/webhooks/flush                          chaos options → deliveries summary
//   GET  /_sim/webhooks/deliveries
//   POST /_sim/tick
// Ids in bodies are numeric (the REST ids) or GIDs.
import type { ShopifySimulator } from "./simulator";
import { json } from "./simulator";
import { gid, parseGid } from "./ids";
import type { ChaosOptions, Delivery } from "./webhooks";
import type { HttpFaultStatus } from "./faults";
import type { CancelReason, InventoryPolicy, ProductStatus } from "./state";

const PRODUCT_STATUSES: readonly ProductStatus[] = ["ACTIVE", "ARCHIVED", "DRAFT"];

function productStatus(value: unknown): ProductStatus | undefined {
  if (value === undefined) return undefined;
  const status = String(value).toUpperCase() as ProductStatus;
  if (!PRODUCT_STATUSES.includes(status)) throw new Error(`status must be one of ${PRODUCT_STATUSES.join(", ")}, got ${JSON.stringify(value)}`);
  return status;
}

function inventoryPolicy(value: unknown): InventoryPolicy | undefined {
  if (value === undefined) return undefined;
  const policy = String(value).toUpperCase();
  if (policy !== "DENY" && policy !== "CONTINUE") throw new Error(`inventory policy must be DENY or CONTINUE, got ${JSON.stringify(value)}`);
  return policy;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return value;
}

function numericId(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string") return parseGid(value)?.id ?? (Number.isFinite(Number(value)) ? Number(value) : null);
  return null;
}

function summary(d: Delivery): Record<string, unknown> {
  return { seq: d.seq, topic: d.topic, shop: d.shopDomain, url: d.url, webhookId: d.webhookId, eventId: d.eventId, kind: d.kind, corruption: d.corruption, outOfOrder: d.outOfOrder, status: d.status, error: d.error };
}

export async function handleControl(sim: ShopifySimulator, request: Request, url: URL): Promise<Response> {
  const parts = url.pathname.split("/").filter(Boolean).slice(1); // drop "_sim"
  const body = request.method === "POST" ? ((await request.json().catch(() => ({}))) as Record<string, unknown>) : {};
  try {
    if (parts[0] === "tick") {
      sim.tick();
      return json(200, { ok: true });
    }
    if (parts[0] === "webhooks" && parts[1] === "flush") return json(200, { deliveries: (await sim.flushWebhooks(body as ChaosOptions)).map(summary) });
    if (parts[0] === "webhooks" && parts[1] === "deliveries") return json(200, { deliveries: sim.webhooks.deliveries().map(summary) });
    if (parts[0] === "shops" && parts.length === 1) {
      return json(200, {
        shops: sim.shopDomains().map((domain) => {
          const shop = sim.shop(domain);
          return { domain, accessToken: sim.accessToken(domain), customers: shop.customers.size, orders: shop.orders.size, products: shop.products.size, installed: shop.installed };
        }),
      });
    }
    if (parts[0] === "shops" && parts[1]) {
      const domain = decodeURIComponent(parts[1]);
      const shop = sim.shop(domain);
      const [resource, id, action] = parts.slice(2);
      if (resource === "orders" && !id) {
        const lines = Array.isArray(body.lines) ? (body.lines as Array<Record<string, unknown>>) : [];
        const order = shop.createOrder({
          customerId: numericId(body.customerId),
          lines: lines.map((l) => ({ variantId: numericId(l.variantId) ?? undefined, quantity: Number(l.quantity ?? 1) })).map((l) => (l.variantId === undefined ? { quantity: l.quantity, unitPriceCents: 1000 } : { variantId: l.variantId, quantity: l.quantity })),
        });
        return json(201, { id: order.id, name: order.name });
      }
      if (resource === "orders" && id && action === "cancel") {
        const order = shop.cancelOrder(numericId(id) ?? 0, { reason: (body.reason as CancelReason | undefined) ?? "CUSTOMER" });
        return json(200, { id: order.id, cancelledAt: order.cancelledAt });
      }
      if (resource === "orders" && id && action === "refund") {
        const lines = Array.isArray(body.lines) ? (body.lines as Array<Record<string, unknown>>) : [];
        const refund = shop.refundOrder(numericId(id) ?? 0, { lines: lines.map((l) => ({ lineItemId: numericId(l.lineItemId) ?? 0, quantity: Number(l.quantity ?? 1) })) });
        return json(201, { id: refund.id });
      }
      if (resource === "customers" && !id && request.method === "GET") {
        const lines = [...shop.customers.values()].sort((a, b) => a.id - b.id).map((c) => JSON.stringify({ id: gid("Customer", c.id), customerId: c.sourceId, tags: c.tags }));
        return new Response(lines.length ? `${lines.join("\n")}\n` : "", { status: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8" } });
      }
      if (resource === "customers" && !id) {
        const customer = shop.createCustomer({ tags: Array.isArray(body.tags) ? body.tags.map(String) : [] });
        return json(201, { id: customer.id });
      }
      if (resource === "products" && !id && request.method === "POST") {
        if (typeof body.title !== "string" || !body.title.trim()) throw new Error("a product needs a title");
        const product = shop.createProduct({
          title: body.title,
          priceCents: optionalNumber(body.priceCents, "priceCents") ?? 0,
          ...(typeof body.handle === "string" ? { handle: body.handle } : {}),
          ...(body.status !== undefined ? { status: productStatus(body.status) } : {}),
          ...(typeof body.sku === "string" ? { sku: body.sku } : {}),
          ...(body.imageUrl === null || typeof body.imageUrl === "string" ? { imageUrl: body.imageUrl } : {}),
          ...(typeof body.tracked === "boolean" ? { tracked: body.tracked } : {}),
          ...(body.inventoryQuantity !== undefined ? { inventoryQuantity: optionalNumber(body.inventoryQuantity, "inventoryQuantity") } : {}),
          ...(body.inventoryPolicy !== undefined ? { inventoryPolicy: inventoryPolicy(body.inventoryPolicy) } : {}),
        });
        return json(201, { id: product.id, variantId: product.variants[0]?.id ?? null });
      }
      if (resource === "products" && id && !action && request.method === "POST") {
        const product = shop.updateProduct(numericId(id) ?? 0, {
          ...(typeof body.title === "string" ? { title: body.title } : {}),
          ...(typeof body.handle === "string" ? { handle: body.handle } : {}),
          ...(body.status !== undefined ? { status: productStatus(body.status) } : {}),
          ...(body.priceCents !== undefined ? { priceCents: optionalNumber(body.priceCents, "priceCents") } : {}),
          ...(body.imageUrl === null || typeof body.imageUrl === "string" ? { imageUrl: body.imageUrl } : {}),
        });
        return json(200, { id: product.id, updatedAt: product.updatedAt });
      }
      if (resource === "products" && id && action === "inventory") {
        const product = shop.setInventory(numericId(id) ?? 0, {
          ...(body.quantity !== undefined ? { quantity: optionalNumber(body.quantity, "quantity") } : {}),
          ...(typeof body.tracked === "boolean" ? { tracked: body.tracked } : {}),
          ...(body.policy !== undefined ? { policy: inventoryPolicy(body.policy) } : {}),
          ...(body.variantId !== undefined ? { variantId: numericId(body.variantId) ?? 0 } : {}),
        });
        return json(200, { id: product.id, updatedAt: product.updatedAt });
      }
      if (resource === "products" && id && action === "delete") {
        shop.deleteProduct(numericId(id) ?? 0);
        return json(200, { ok: true });
      }
      if (resource === "segments" && !id && request.method === "GET") {
        const segments = [...shop.segments.values()].sort((a, b) => a.id - b.id).map((s) => ({ id: gid("Segment", s.id), name: s.name, query: s.query }));
        return json(200, { segments });
      }
      if (resource === "calls" && !id && request.method === "GET") return json(200, sim.calls(domain));
      if (resource === "calls" && id === "reset" && request.method === "POST") {
        sim.resetCalls(domain);
        return json(200, { ok: true });
      }
      if (resource === "faults") {
        const faults = sim.faults(domain);
        if (typeof body.status === "number") faults.failNext(body.status as HttpFaultStatus, Number(body.count ?? 1), typeof body.retryAfter === "number" ? { retryAfter: body.retryAfter } : {});
        if (typeof body.throttle === "number") faults.throttleNext(body.throttle);
        if (typeof body.userError === "object" && body.userError !== null) faults.userErrorOnNextMutation(body.userError as { message: string });
        if (typeof body.bulk === "object" && body.bulk !== null) faults.failNextBulkOperation(body.bulk as object);
        if (typeof body.bulkLineError === "object" && body.bulkLineError !== null) {
          const line = body.bulkLineError as Record<string, unknown>;
          const customerId = line.customerId === undefined ? undefined : numericId(line.customerId);
          if (customerId === null) throw new Error(`bulkLineError.customerId must be a customer GID or numeric id, got ${JSON.stringify(line.customerId)}`);
          faults.bulkLineError({
            ...(customerId !== undefined ? { customerId } : {}),
            ...(typeof line.lineNumber === "number" ? { lineNumber: line.lineNumber } : {}),
            ...(typeof line.message === "string" ? { message: line.message } : {}),
            ...(line.kind === "errors" || line.kind === "userErrors" ? { kind: line.kind } : {}),
            ...(typeof line.code === "string" ? { code: line.code } : {}),
            ...(Array.isArray(line.field) ? { field: line.field.map(String) } : {}),
            ...(typeof line.times === "number" ? { times: line.times } : {}),
          });
        }
        return json(200, { pending: faults.pending });
      }
      if (resource === "uninstall") {
        sim.uninstall(domain);
        return json(200, { ok: true });
      }
      if (resource === "scopes") {
        sim.updateScopes(domain, Array.isArray(body.scopes) ? body.scopes.map(String) : []);
        return json(200, { ok: true });
      }
      if (resource === "compliance") {
        const topic = String(body.topic) as "customers/data_request" | "customers/redact" | "shop/redact";
        const customerId = numericId(body.customerId);
        sim.sendCompliance(domain, topic, customerId === null ? {} : { customerId });
        return json(200, { ok: true });
      }
      if (resource === "app-proxy") {
        const customerId = url.searchParams.get("customerId");
        return json(200, { url: sim.appProxyUrl(domain, url.searchParams.get("path") ?? "/", { loggedInCustomerId: customerId }).toString() });
      }
    }
    return json(404, { errors: "Unknown simulator control route" });
  } catch (error) {
    return json(422, { errors: error instanceof Error ? error.message : String(error) });
  }
}
