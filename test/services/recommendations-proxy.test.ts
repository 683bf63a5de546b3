// The app proxy's /recommendations route on both databases, with requests signed as Shopify signs
// them (simulator/app-proxy.ts): a valid signature is answered; a tampered, stale, foreign-secret
// or duplicated-parameter request is a 400 in plain words; repeated cart values are joined as the
// signature joins them; bad parameters are a 400; a shop without an offline session gets []; a
// logged-in customer's answer is never public; other proxy paths are 404.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { refreshSegments } from "../../app/services/refresh-segments.server";
import { trainRecommendations } from "../../app/services/train-recommendations.server";
import { appProxySignature, signedAppProxyRequest, signedAppProxyUrl, type AppProxyOptions } from "../../simulator/app-proxy";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { seedRecommendationShop, themeOf, type SeededRecommendationShop } from "../support/recommendation-shop";

vi.mock("../../app/logger.server", () => {
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return { logger: () => log };
});

const SECRET = "test-secret";
const APP_URL = "http://localhost:3000";
const AS_OF = new Date("2026-07-25T12:00:00Z");

type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response;

describeEachDatabase("app proxy /recommendations", (provider) => {
  let t: TestDatabase;
  let shop: SeededRecommendationShop;
  let other: SeededRecommendationShop;
  let loader: Loader;
  let notFound: Loader;
  const signing = (o: Partial<AppProxyOptions> = {}): AppProxyOptions => ({ appUrl: APP_URL, apiSecret: SECRET, shopDomain: shop.domain, pathPrefix: "/apps/segmint", ...o });
  const call = async (request: Request) => {
    const response = await loader({ request, params: {}, context: {} });
    return { status: response.status, cache: response.headers.get("Cache-Control"), type: response.headers.get("Content-Type"), body: (await response.json()) as { products?: { id: string }[]; error?: string; context?: string; block?: string } };
  };
  const get = (path: string, o: Partial<AppProxyOptions> = {}) => call(signedAppProxyRequest(path, signing(o)));
  /** A URL signed over exactly these parameters (repeats included), as Shopify would sign them. */
  const signedRaw = (path: string, pairs: [string, string][]) => {
    const params = new URLSearchParams(pairs);
    params.append("signature", appProxySignature(params, SECRET));
    return new Request(`${APP_URL}/proxy${path}?${params.toString()}`);
  };
  const base = (): [string, string][] => [["shop", shop.domain], ["logged_in_customer_id", ""], ["path_prefix", "/apps/segmint"], ["timestamp", String(Math.floor(Date.now() / 1000))]];

  beforeAll(async () => {
    vi.stubEnv("SHOPIFY_API_KEY", "test-key");
    vi.stubEnv("SHOPIFY_API_SECRET", SECRET);
    vi.stubEnv("SHOPIFY_APP_URL", APP_URL);
    vi.stubEnv("LOG_LEVEL", "error");
    t = await createTestDatabase(provider);
    globalThis.__segmintDb = t.db; // the routes' services and the session storage
    vi.resetModules();
    loader = (await import("../../app/routes/proxy.recommendations")).loader as Loader;
    notFound = (await import("../../app/routes/proxy.$")).loader as Loader;
    shop = await seedRecommendationShop(t.db, `proxy-${provider}.myshopify.com`, 7000);
    other = await seedRecommendationShop(t.db, `proxy-other-${provider}.myshopify.com`, 8000, 11);
    for (const s of [shop, other]) {
      await refreshSegments(t.db, s.id, { reason: "backfill", asOf: AS_OF });
      await trainRecommendations(t.db, s.id, { evaluate: false });
      await t.db.session.create({ data: { id: `offline_${s.domain}`, shop: s.domain, state: "installed", isOnline: false, accessToken: "token", scope: "read_orders,read_products" } });
    }
  }, 180_000);
  afterAll(async () => {
    globalThis.__segmintDb = undefined;
    vi.unstubAllEnvs();
    await t?.drop();
  });

  it("a signed request is answered with the product's list as JSON, cacheable for a guest", async () => {
    const productId = shop.products[12]!;
    const answer = await get(`/recommendations?product_id=${productId}&limit=3`);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.cache).toBe("public, max-age=300");
    expect(answer.body.context).toBe("product");
    expect(answer.body.block).toBe("together");
    expect(answer.body.products).toHaveLength(3);
    expect(answer.body.products!.every((p) => themeOf(shop, p.id) === themeOf(shop, productId) && p.id !== productId)).toBe(true);
    expect(answer.body.products![0]).toMatchObject({ handle: expect.any(String), title: expect.any(String), price: expect.stringMatching(/^£\d+\.\d\d$/), url: expect.stringMatching(/^\/products\//) });
  });

  it("a tampered, stale, foreign-secret or unsigned request is a 400 in plain words", async () => {
    const tampered = signedAppProxyUrl(`/recommendations?product_id=${shop.products[0]}`, signing());
    tampered.searchParams.set("product_id", shop.products[1]!);
    const staleBy91 = signedAppProxyRequest(`/recommendations?product_id=${shop.products[0]}`, signing({ timestamp: Math.floor(Date.now() / 1000) - 91 }));
    const future = signedAppProxyRequest(`/recommendations?product_id=${shop.products[0]}`, signing({ timestamp: Math.floor(Date.now() / 1000) + 300 }));
    const foreign = signedAppProxyRequest(`/recommendations?product_id=${shop.products[0]}`, signing({ apiSecret: "another-app" }));
    const otherShop = signedAppProxyUrl(`/recommendations?product_id=${shop.products[0]}`, signing());
    otherShop.searchParams.set("shop", other.domain);
    const unsigned = new Request(`${APP_URL}/proxy/recommendations?product_id=${shop.products[0]}&shop=${shop.domain}&timestamp=${Math.floor(Date.now() / 1000)}`);
    for (const request of [new Request(tampered), staleBy91, future, foreign, new Request(otherShop), unsigned]) {
      const answer = await call(request);
      expect(answer.status, request.url).toBe(400);
      expect(answer.body.error).toMatch(/signature is missing, wrong or too old/);
      expect(answer.cache).toBe("no-store");
    }
    // Just inside the window is still fine.
    expect((await call(signedAppProxyRequest(`/recommendations?product_id=${shop.products[0]}`, signing({ timestamp: Math.floor(Date.now() / 1000) - 80 })))).status).toBe(200);
  });

  it("a repeated signature, shop or timestamp is refused even when signed; repeated cart values are joined", async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const repeatedShop = signedRaw("/recommendations", [...base(), ["shop", shop.domain]]);
    const repeatedTimestamp = signedRaw("/recommendations", [...base(), ["timestamp", now]]);
    for (const request of [repeatedShop, repeatedTimestamp]) expect((await call(request)).status, request.url).toBe(400);
    const valid = signedAppProxyUrl(`/recommendations?product_id=${shop.products[0]}`, signing());
    valid.searchParams.append("signature", valid.searchParams.get("signature")!);
    expect((await call(new Request(valid))).status).toBe(400);

    const mates = shop.products.slice(0, 5);
    const cart = signedRaw("/recommendations", [...base(), ["context", "cart"], ["cart", mates[0]!], ["cart", `${mates[1]},${mates[2]}`], ["limit", "10"]]);
    const answer = await call(cart);
    expect(answer.status).toBe(200);
    const got = answer.body.products!.map((p) => p.id);
    expect(got).toHaveLength(10);
    expect(got.some((id) => mates.slice(0, 3).includes(id))).toBe(false);
    expect(got.slice(0, 2).sort()).toEqual(mates.slice(3).sort());
  });

  it("bad parameters are a 400 that says what is wrong", async () => {
    const cases: [string, RegExp][] = [
      ["/recommendations?product_id=1&limit=50", /limit must be a whole number from 1 to 10/],
      ["/recommendations?context=product", /product_id is required when context is product/],
      ["/recommendations?product_id=abc", /product_id must be a Shopify product id/],
      ["/recommendations?product_id=1&product_id=2", /product_id was given more than once/],
      ["/recommendations?context=search", /context must be product, cart or home/],
    ];
    for (const [path, message] of cases) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatch(message);
    }
  });

  it("a logged-in customer's answer is private and not stored, in either block; theirs is personal", async () => {
    const customer = shop.customers[5]!;
    for (const path of [`/recommendations?product_id=${shop.products[0]}`, `/recommendations?product_id=${shop.products[0]}&block=for-you`, "/recommendations?context=home", "/recommendations?context=cart&cart=1"]) {
      const answer = await get(path, { loggedInCustomerId: customer });
      expect(answer.status, path).toBe(200);
      expect(answer.cache, path).toBe("private, no-store");
    }
    const theirs = await get("/recommendations?context=home&limit=10", { loggedInCustomerId: customer });
    const guest = await get("/recommendations?context=home&limit=10");
    expect(theirs.body.products!.map((p) => p.id)).not.toEqual(guest.body.products!.map((p) => p.id));
    expect(guest.cache).toBe("public, max-age=300");
  });

  it("another shop's product ids give nothing of the other shop; a shop without a session gets []", async () => {
    const answer = await get(`/recommendations?context=cart&cart=${other.products.slice(0, 3).join(",")}&limit=10`);
    expect(answer.body.products!.length).toBe(10);
    expect(answer.body.products!.every((p) => shop.products.includes(p.id))).toBe(true);
    const unknown = await get(`/recommendations?product_id=${shop.products[0]}`, { shopDomain: "not-installed.myshopify.com" });
    expect(unknown).toMatchObject({ status: 200, body: { context: "product", block: "together", products: [] } });
  });

  it("never answers a draft, unavailable or deleted product", async () => {
    const productId = shop.products[30]!;
    const first = (await get(`/recommendations?product_id=${productId}&limit=10`)).body.products!.map((p) => p.id);
    await t.db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: first[0]! } }, data: { status: "DRAFT" } });
    await t.db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: first[1]! } }, data: { available: false } });
    await t.db.product.delete({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: first[2]! } } });
    const after = (await get(`/recommendations?product_id=${productId}&limit=10`)).body.products!.map((p) => p.id);
    expect(after).toHaveLength(10);
    expect(after.filter((id) => first.slice(0, 3).includes(id))).toEqual([]);
    expect(after.slice(0, 7)).toEqual(first.slice(3));
  });

  it("every other proxy path is a 404", async () => {
    const response = await notFound({ request: signedAppProxyRequest("/admin/secrets", signing()), params: { "*": "admin/secrets" }, context: {} });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/serves \/recommendations only/);
  });
});
