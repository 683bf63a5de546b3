// The storefront's lists on both databases: the core's scoring rule over the stored lists (the
// service scores nothing itself), only ACTIVE and available products of the shop, never a basket
// item, a logged-in customer's own history and their segment's popular products in "for you" (only
// there: "together" is never padded with best sellers, so a product without neighbours gets an empty
// one), another shop's ids giving nothing of the other shop; the JSON's fields; the query's parsing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { basketsFromOrders, customerHistories, recommendFromNeighbours, type Neighbour } from "../../app/analytics";
import type { Db } from "../../app/db.server";
import { shopAnomalyOrders } from "../../app/models/anomaly-orders.server";
import { customerProductCounts, latestRecommendationModel } from "../../app/models/recommendations.server";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { parseStorefrontQuery, storefrontCacheControl, storefrontRecommendations, type StorefrontQuery } from "../../app/services/recommendations.server";
import { trainRecommendations } from "../../app/services/train-recommendations.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { seedRecommendationShop, themeOf, type SeededRecommendationShop } from "../support/recommendation-shop";

vi.mock("../../app/logger.server", () => {
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return { logger: () => log };
});

const AS_OF = new Date("2026-07-25T12:00:00Z");
const query = (q: Partial<StorefrontQuery>): StorefrontQuery => ({ context: "product", block: "together", productId: null, cart: [], customerId: null, limit: 4, ...q });

/** What the core's rule answers over the shop's stored rows: the service must answer exactly this. */
async function expectedIds(db: Db, shopId: number, q: StorefrontQuery): Promise<string[]> {
  const model = (await latestRecommendationModel(db, shopId))!;
  const basket = [...new Set([...(q.productId ? [q.productId] : []), ...q.cart])];
  const rows = await db.productRecommendation.findMany({ where: { shopId, modelId: model.id, productId: { in: basket } } });
  const lists = new Map(rows.map((r) => [r.productId, JSON.parse(r.neighbours) as Neighbour[]]));
  const sellable = new Set((await db.product.findMany({ where: { shopId, status: "ACTIVE", available: true } })).map((p) => p.shopifyId));
  const personal = q.block === "for-you" && q.customerId !== null ? await db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: q.customerId } } }) : null;
  const history = personal === null ? null : await customerProductCounts(db, shopId, personal.shopifyId);
  const segment = personal === null ? null : ((await db.customerSegment.findFirst({ where: { runId: model.runId!, customerId: personal.id } }))?.segmentKey ?? null);
  // Only "for you" fills from the popular products; "together" lists what was bought with the basket, or nothing.
  const fallback = q.block === "together" ? [] : ((segment !== null ? model.popularity[segment] : undefined) ?? model.popularity.all!);
  return recommendFromNeighbours(lists, { basket, history, limit: q.limit, isAllowed: (id) => sellable.has(id), fallback }, 0.1).map((r) => r.productId);
}

describeEachDatabase("storefront recommendations", (provider) => {
  let t: TestDatabase;
  let shop: SeededRecommendationShop;
  let other: SeededRecommendationShop;
  const ids = async (q: Partial<StorefrontQuery>, s: SeededRecommendationShop = shop) => (await storefrontRecommendations(s.domain, query(q), t.db)).products.map((p) => p.id);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    shop = await seedRecommendationShop(t.db, `storefront-${provider}.myshopify.com`, 7000);
    other = await seedRecommendationShop(t.db, `storefront-other-${provider}.myshopify.com`, 8000, 11);
    for (const s of [shop, other]) {
      await refreshSegments(t.db, s.id, { reason: "backfill", asOf: AS_OF });
      await trainRecommendations(t.db, s.id, { evaluate: false });
    }
  }, 180_000);
  afterAll(async () => t?.drop());

  it("a product page's list is the core's rule over the stored lists: its theme's products first", async () => {
    for (const productId of [shop.products[0]!, shop.products[17]!, shop.products[39]!]) {
      const got = await ids({ productId, limit: 4 });
      expect(got).toEqual(await expectedIds(t.db, shop.id, query({ productId, limit: 4 })));
      expect(got).toHaveLength(4);
      expect(got.slice(0, 3).every((id) => themeOf(shop, id) === themeOf(shop, productId))).toBe(true);
    }
    const ten = await ids({ productId: shop.products[5]!, limit: 10 });
    expect(ten).toHaveLength(10);
    expect(new Set(ten).size).toBe(10);
  });

  it("never returns a product of the basket or the cart", async () => {
    const productId = shop.products[10]!;
    const mates = shop.products.filter((id) => themeOf(shop, id) === themeOf(shop, productId) && id !== productId);
    const q = query({ context: "cart", block: "together", productId: null, cart: [productId, ...mates.slice(0, 2)], limit: 10 });
    const got = (await storefrontRecommendations(shop.domain, q, t.db)).products.map((p) => p.id);
    expect(got).toEqual(await expectedIds(t.db, shop.id, q));
    expect(got.some((id) => q.cart.includes(id))).toBe(false);
    expect(got.slice(0, 2).sort()).toEqual(mates.slice(2).sort());
  });

  it("never returns a draft, archived, unavailable or deleted product, nor one only cancelled orders hold", async () => {
    const productId = shop.products[20]!;
    const before = await ids({ productId, limit: 10 });
    const [draft, archived, soldOut, deleted] = before as [string, string, string, string];
    await t.db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: draft } }, data: { status: "DRAFT" } });
    await t.db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: archived } }, data: { status: "ARCHIVED" } });
    await t.db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: soldOut } }, data: { available: false } });
    await t.db.product.delete({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: deleted } } });
    const gone = [draft, archived, soldOut, deleted];
    for (const q of [query({ productId, limit: 10 }), query({ context: "home", block: "for-you", limit: 10 }), query({ context: "home", block: "for-you", customerId: shop.customers[3]!, limit: 10 })]) {
      const got = (await storefrontRecommendations(shop.domain, q, t.db)).products.map((p) => p.id);
      expect(got).toEqual(await expectedIds(t.db, shop.id, q));
      expect(got).toHaveLength(10);
      expect(got.filter((id) => gone.includes(id) || id === shop.cancelledOnly)).toEqual([]);
    }
    await t.db.product.updateMany({ where: { shopId: shop.id, shopifyId: { in: [draft, archived] } }, data: { status: "ACTIVE" } });
    await t.db.product.updateMany({ where: { shopId: shop.id, shopifyId: soldOut }, data: { available: true } });
    expect(await ids({ productId, limit: 10 })).toContain(draft);
  });

  it("for you: a logged-in customer's own products and their segment's popular list; together ignores them", async () => {
    const customerId = shop.customers[7]!;
    const history = await customerProductCounts(t.db, shop.id, customerId);
    expect(history.size).toBeGreaterThan(0);
    // Their baskets as the training counts them (placed orders, product lines not refunded in full).
    expect(history).toEqual(customerHistories(basketsFromOrders((await shopAnomalyOrders(t.db, shop.id, { timeZone: "UTC" })).orders)).get(customerId));
    const home = query({ context: "home", block: "for-you", customerId, limit: 10 });
    const got = (await storefrontRecommendations(shop.domain, home, t.db)).products.map((p) => p.id);
    expect(got).toEqual(await expectedIds(t.db, shop.id, home));
    // Nothing in the basket: what they bought most comes first.
    const mostBought = [...history].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    expect(got[0]).toBe(mostBought);
    // A guest's home list is the store's popular products, in order, the unsellable skipped.
    const guest = await ids({ context: "home", block: "for-you", limit: 10 });
    const sellable = new Set((await t.db.product.findMany({ where: { shopId: shop.id, status: "ACTIVE", available: true } })).map((p) => p.shopifyId));
    expect(guest).toEqual((await latestRecommendationModel(t.db, shop.id))!.popularity.all!.filter((id) => sellable.has(id)).slice(0, 10));
    expect(got).not.toEqual(guest);
    const productId = shop.products[1]!;
    expect(await ids({ productId, block: "together", customerId })).toEqual(await ids({ productId, block: "together" }));
  });

  it("a product without neighbours: together is empty (no best seller fills it), for you still fills from the popular products", async () => {
    // Only cancelled orders hold it: no basket links it to anything.
    const productId = shop.cancelledOnly;
    const rows = await t.db.productRecommendation.findMany({ where: { shopId: shop.id, productId } });
    expect(rows.every((r) => (JSON.parse(r.neighbours) as Neighbour[]).length === 0)).toBe(true);
    expect(await ids({ productId, block: "together", limit: 10 })).toEqual([]);
    const forYou = await ids({ productId, block: "for-you", limit: 10 });
    expect(forYou).toEqual(await expectedIds(t.db, shop.id, query({ productId, block: "for-you", limit: 10 })));
    expect(forYou).toHaveLength(10);
    expect(forYou).not.toContain(productId);
  });

  it("another shop's product ids give nothing of the other shop", async () => {
    const basket = { productId: other.products[0]!, cart: other.products.slice(1, 4), context: "cart" as const, limit: 10 };
    // They have no neighbours here: nothing is bought together with them, and for you is this shop's popular products.
    expect(await ids({ ...basket, block: "together" })).toEqual([]);
    const got = await ids({ ...basket, block: "for-you" });
    expect(got).toHaveLength(10);
    expect(got.every((id) => shop.products.includes(id))).toBe(true);
    // The other shop's customer id means nothing here: no history of theirs is read.
    const stranger = await ids({ context: "home", block: "for-you", customerId: other.customers[0]!, limit: 10 });
    expect(stranger).toEqual(await ids({ context: "home", block: "for-you", limit: 10 }));
  });

  it("answers the product's handle, title, price in its currency, image or null, and storefront URL", async () => {
    await t.db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: shop.products[1]! } }, data: { currency: null } });
    const answer = await storefrontRecommendations(shop.domain, query({ context: "home", block: "for-you", limit: 10 }), t.db);
    expect(answer.context).toBe("home");
    expect(answer.block).toBe("for-you");
    for (const p of answer.products) {
      const i = shop.products.indexOf(p.id);
      expect(p.handle).toBe(`product-${p.id}`);
      expect(p.title).toBe(`Product ${p.id}`);
      expect(p.url).toBe(`/products/product-${p.id}`);
      expect(p.price).toBe(`£${((500 + i * 250) / 1000).toFixed(2)}`);
      if (i % 2 === 1) expect(p.image).toBeNull();
      else expect(p.image).toEqual({ url: `https://cdn.example.test/${p.id}.png`, alt: i % 4 === 0 ? `Photo of product ${p.id}` : `Product ${p.id}` });
    }
    expect(answer.products.some((p) => p.image === null) && answer.products.some((p) => p.image !== null)).toBe(true);
  });

  it("an unknown shop, an uninstalled shop and a shop without a model get an empty list", async () => {
    expect((await storefrontRecommendations("nobody.myshopify.com", query({ productId: shop.products[0]! }), t.db)).products).toEqual([]);
    const untrained = await t.db.shop.create({ data: { domain: `untrained-${provider}.myshopify.com` } });
    expect((await storefrontRecommendations(untrained.domain, query({ context: "home", block: "for-you" }), t.db)).products).toEqual([]);
    await t.db.shop.update({ where: { id: other.id }, data: { installState: "uninstalled" } });
    expect(await ids({ productId: other.products[0]! }, other)).toEqual([]);
    await t.db.shop.update({ where: { id: other.id }, data: { installState: "installed" } });
  });
});

describe("the storefront query", () => {
  const parse = (qs: string) => parseStorefrontQuery(new URLSearchParams(qs));

  it("defaults: a product page asks together for 4, a page without product for you; cart values split and joined", () => {
    expect(parse("product_id=123&logged_in_customer_id=")).toEqual({ ok: true, query: { context: "product", block: "together", productId: "123", cart: [], customerId: null, limit: 4 } });
    expect(parse("logged_in_customer_id=42")).toEqual({ ok: true, query: { context: "home", block: "for-you", productId: null, cart: [], customerId: "42", limit: 4 } });
    expect(parse("context=cart&cart=1,2&cart=3&cart=&limit=10")).toEqual({ ok: true, query: { context: "cart", block: "for-you", productId: null, cart: ["1", "2", "3"], customerId: null, limit: 10 } });
    expect(parse("context=product&product_id=9&block=for-you&limit=2")).toMatchObject({ ok: true, query: { block: "for-you", limit: 2 } });
  });

  it("refuses bad parameters in plain words", () => {
    const cases: [string, RegExp][] = [
      ["limit=0", /limit must be a whole number from 1 to 10/],
      ["limit=11", /limit must be a whole number from 1 to 10/],
      ["limit=2.5", /limit must be a whole number from 1 to 10/],
      ["limit=many", /limit must be a whole number from 1 to 10/],
      ["context=checkout", /context must be product, cart or home/],
      ["block=upsell", /block must be together or for-you/],
      ["context=product", /product_id is required when context is product/],
      ["product_id=gid://shopify/Product/1", /product_id must be a Shopify product id/],
      ["product_id=1&product_id=2", /product_id was given more than once/],
      ["limit=1&limit=2", /limit was given more than once/],
      ["cart=1,abc", /cart must list Shopify product ids/],
      [`cart=${Array.from({ length: 51 }, (_, i) => i + 1).join(",")}`, /cart may list at most 50 products/],
      ["logged_in_customer_id=alice", /logged_in_customer_id must be a Shopify customer id/],
    ];
    for (const [qs, message] of cases) {
      const result = parse(qs);
      expect(result.ok, qs).toBe(false);
      if (!result.ok) expect(result.error, qs).toMatch(message);
    }
  });

  it("a logged-in customer's answer is never cached; a guest's is public for five minutes", () => {
    expect(storefrontCacheControl({ customerId: "42" })).toBe("private, no-store");
    expect(storefrontCacheControl({ customerId: null })).toBe("public, max-age=300");
  });
});
