// Products in the simulator: stock behind availableForSale, products/* webhooks signed like the
// others (REST payloads as of 2026-10), the control routes, and the products bulk export with the
// app's own query document.
import "@shopify/shopify-api/adapters/web-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productsBulkQuery } from "../../app/shopify/graphql";
import { validateBulkQuery } from "../../simulator/bulk";
import { FakeClock } from "../../simulator/clock";
import { adminSchema } from "../../simulator/schema";
import { startSimulatorServer, type SimulatorServer } from "../../simulator/server";
import { ShopifySimulator } from "../../simulator/simulator";
import { TEST_SECRET } from "./fixtures";

const DOMAIN = "products.myshopify.com";
const VARIANT_FIELDS = "availableForSale inventoryPolicy inventoryQuantity inventoryItem { tracked }";

function simulator() {
  const sim = new ShopifySimulator({ clock: new FakeClock("2026-11-01T09:00:00Z"), apiSecret: TEST_SECRET, appUrl: "https://app.segmint.test", webhooks: { transport: async () => new Response(null, { status: 200 }) } });
  return { sim, shop: sim.createShop({ domain: DOMAIN }) };
}

async function variantOf(sim: ShopifySimulator, productId: number) {
  const res = await sim.graphql(DOMAIN, `query P($id: ID!) { product(id: $id) { status variants(first: 5) { nodes { ${VARIANT_FIELDS} } } } }`, { id: `gid://shopify/Product/${productId}` });
  const data = res.data as { product: { status: string; variants: { nodes: Array<{ availableForSale: boolean; inventoryPolicy: string; inventoryQuantity: number; inventoryItem: { tracked: boolean } }> } } };
  return { status: data.product.status, ...data.product.variants.nodes[0]! };
}

describe("products in the simulator", () => {
  it("a variant is available for sale when the product is active and the variant untracked, sold on backorder, or in stock", async () => {
    const { sim, shop } = simulator();
    const p = shop.createProduct({ title: "Mug", priceCents: 850 });
    expect(await variantOf(sim, p.id)).toEqual({ status: "ACTIVE", availableForSale: true, inventoryPolicy: "DENY", inventoryQuantity: 0, inventoryItem: { tracked: false } });
    shop.setInventory(p.id, { tracked: true, quantity: 0 });
    expect(await variantOf(sim, p.id)).toMatchObject({ availableForSale: false, inventoryItem: { tracked: true } });
    shop.setInventory(p.id, { policy: "CONTINUE" });
    expect(await variantOf(sim, p.id)).toMatchObject({ availableForSale: true, inventoryPolicy: "CONTINUE" });
    shop.setInventory(p.id, { policy: "DENY", quantity: 2 });
    expect(await variantOf(sim, p.id)).toMatchObject({ availableForSale: true, inventoryQuantity: 2 });
    shop.updateProduct(p.id, { status: "DRAFT" });
    expect(await variantOf(sim, p.id)).toMatchObject({ status: "DRAFT", availableForSale: false });
  });

  it("sends products/create, products/update and products/delete, signed, with the REST product (no inventory_management since 2024-07)", async () => {
    const { sim, shop } = simulator();
    const silent = shop.createProduct({ title: "Catalogue item", priceCents: 100, silent: true });
    const p = shop.createProduct({ title: "Tea Towel", priceCents: 450, tracked: true, inventoryQuantity: 7 });
    shop.updateProduct(p.id, { title: "Tea Towel (linen)", priceCents: 500 });
    shop.setInventory(p.id, { quantity: 0 });
    shop.deleteProduct(p.id);
    const sent = await sim.flushWebhooks();
    expect(sent.map((d) => d.topic)).toEqual(["products/create", "products/update", "products/update", "products/delete"]);
    expect(sent.every((d) => d.headers["x-shopify-hmac-sha256"] === getHmac(d.body, TEST_SECRET) && d.url === "https://app.segmint.test/webhooks/products")).toBe(true);
    const [created, renamed, soldOut, deleted] = sent.map((d) => JSON.parse(d.body) as Record<string, unknown>);
    expect(created).toMatchObject({ id: p.id, handle: "tea-towel", title: "Tea Towel", status: "active", image: { src: expect.stringContaining("tea-towel") }, variants: [{ price: "4.50", inventory_policy: "deny", inventory_quantity: 7 }] });
    expect((created!.variants as Array<Record<string, unknown>>)[0]).not.toHaveProperty("inventory_management");
    expect(renamed).toMatchObject({ title: "Tea Towel (linen)", variants: [{ price: "5.00" }] });
    expect(Date.parse(String(soldOut!.updated_at))).toBeGreaterThan(Date.parse(String(renamed!.updated_at)));
    expect(soldOut).toMatchObject({ variants: [{ inventory_quantity: 0 }] });
    expect(deleted).toEqual({ id: p.id });
    expect(sent.some((d) => d.body.includes(String(silent.id)))).toBe(false);
    expect(await sim.graphql(DOMAIN, `{ product(id: "gid://shopify/Product/${p.id}") { id } }`)).toMatchObject({ data: { product: null } });
  });

  it("exports products with the app's bulk query: one line per product, variants under it, availability and image", async () => {
    expect(validate(adminSchema(), parse(productsBulkQuery())).map((e) => e.message)).toEqual([]);
    expect(validateBulkQuery(productsBulkQuery())).toBeNull();
    const { sim, shop } = simulator();
    const a = shop.createProduct({ title: "Lamp", priceCents: 3000, tracked: true, inventoryQuantity: 0 });
    const b = shop.createProduct({ title: "Card", priceCents: 99, imageUrl: null });
    const run = await sim.graphql(DOMAIN, "mutation R($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: productsBulkQuery() });
    const id = (run.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
    sim.runBulkOperations();
    const url = ((await sim.graphql(DOMAIN, "query S($id: ID!) { bulkOperation(id: $id) { url } }", { id })).data as { bulkOperation: { url: string } }).bulkOperation.url;
    const lines = sim.readBulkResult(url).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const product = (p: { id: number }) => lines.find((l) => l.id === `gid://shopify/Product/${p.id}`);
    expect(product(a)).toMatchObject({ handle: "lamp", title: "Lamp", status: "ACTIVE", priceRangeV2: { minVariantPrice: { amount: "30.00", currencyCode: "GBP" } }, featuredMedia: { preview: { image: { url: expect.stringContaining("lamp"), altText: "Lamp" } } } });
    expect(product(b)).toMatchObject({ featuredMedia: null });
    expect(lines.filter((l) => l.__parentId).map((l) => [l.__parentId, l.availableForSale])).toEqual(
      expect.arrayContaining([[`gid://shopify/Product/${a.id}`, false], [`gid://shopify/Product/${b.id}`, true]]),
    );
    expect(lines).toHaveLength(4);
  });
});

describe("products through the control API", () => {
  let server: SimulatorServer;
  const bodies: Array<{ topic: string; body: string }> = [];
  beforeAll(async () => {
    server = await startSimulatorServer({ apiSecret: TEST_SECRET, shops: [{ domain: DOMAIN }], webhooks: { transport: async (request) => (bodies.push({ topic: request.headers.get("x-shopify-topic") ?? "", body: await request.text() }), new Response(null, { status: 200 })) } });
  });
  afterAll(async () => server?.close());
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/_sim/shops/${DOMAIN}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("creates, updates, restocks and deletes a product, each with its webhook; refuses a bad status in plain words", async () => {
    const created = await post("/products", { title: "Apron", priceCents: 1200, tracked: true, inventoryQuantity: 1 });
    expect(created.status).toBe(201);
    const id = Number(created.body.id);
    expect((await post(`/products/${id}`, { status: "archived", priceCents: 1000 })).status).toBe(200);
    expect((await post(`/products/${id}/inventory`, { quantity: 0, policy: "CONTINUE" })).status).toBe(200);
    expect(await post(`/products/${id}`, { status: "hidden" })).toEqual({ status: 422, body: { errors: 'status must be one of ACTIVE, ARCHIVED, DRAFT, got "hidden"' } });
    expect((await post(`/products/${id}/delete`, {})).status).toBe(200);
    await server.simulator.flushWebhooks();
    expect(bodies.map((b) => b.topic)).toEqual(["products/create", "products/update", "products/update", "products/delete"]);
    expect(JSON.parse(bodies[2]!.body)).toMatchObject({ status: "archived", variants: [{ price: "10.00", inventory_quantity: 0, inventory_policy: "continue" }] });
    expect(server.simulator.shop(DOMAIN).products.has(id)).toBe(false);
  });
});
