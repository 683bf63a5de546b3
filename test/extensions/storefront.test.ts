// The demo storefront (simulator/storefront.ts) over HTTP: the extension's blocks rendered from their
// own Liquid on the theme's pages, the signed app proxy, the demo customer switch, the cart, the
// blocks' assets. The app is a stand-in that checks Shopify's signature (storefront-fixture.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/support/app-process";
import { appProxySignature } from "../../simulator/app-proxy";
import { startStorefront } from "../../simulator/storefront";
import { CUSTOMER_ID, proxyProducts, SECRET, SHOP, startStoreWithApp, type StoreWithApp } from "./storefront-fixture";

let s: StoreWithApp;
beforeAll(async () => {
  s = await startStoreWithApp(6);
});
afterAll(async () => {
  await s?.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${s.storefront.url}${path}`, { redirect: "manual", ...init });
const html = async (path: string, init: RequestInit = {}) => {
  const res = await get(path, init);
  return { status: res.status, body: await res.text(), headers: res.headers };
};
const sections = (body: string) => [...body.matchAll(/<section[\s\S]*?<\/section>/g)].map((m) => m[0]);
const attr = (section: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(section)?.[1];

describe("demo storefront pages", () => {
  it("a product page renders both app blocks from the extension's Liquid, each in Shopify's app-block wrapper, with one skeleton card per product to show", async () => {
    const product = s.products[0]!;
    const { status, body } = await html(`/products/${product.handle}`);
    expect(status).toBe(200);
    expect(body).toContain(`<h1>${product.title}</h1>`);
    expect(body).toContain("£1.55");
    const [together, forYou] = sections(body);
    expect(attr(together!, "data-block")).toBe("together");
    expect(attr(together!, "data-context")).toBe("product");
    expect(attr(together!, "data-product-id")).toBe(String(product.id));
    expect(attr(together!, "data-url")).toBe("/apps/segmint/recommendations");
    expect(together).toContain(">Frequently bought together</h2>");
    expect(together!.match(/segmint-recs__item--skeleton/g)).toHaveLength(3); // the block's default
    expect(attr(forYou!, "data-block")).toBe("for-you");
    expect(attr(forYou!, "data-context")).toBe("product");
    expect(forYou!.match(/segmint-recs__item--skeleton/g)).toHaveLength(4);
    expect(body.match(/class="shopify-app-block"/g)).toHaveLength(2);
    // The schema's assets, once each: the stylesheet in the head, the script deferred.
    expect(body.match(/<link rel="stylesheet" href="\/assets\/segmint-recommendations\.css\?v=\d+">/g)).toHaveLength(1);
    expect(body.match(/<script src="\/assets\/segmint-recommendations\.js\?v=\d+" defer><\/script>/g)).toHaveLength(1);
  });

  it("block settings from the query as the theme editor sets them (products, layout, show price, heading); a bad value is refused in plain words", async () => {
    const { body } = await html(`/products/${s.products[0]!.handle}?products=6&layout=carousel&show_price=false&heading=${encodeURIComponent("Pairs well with <b>")}`);
    const [together] = sections(body);
    expect(together!.match(/segmint-recs__item--skeleton/g)).toHaveLength(6);
    expect(together).toContain("segmint-recs--carousel");
    expect(together).not.toContain("segmint-recs__price");
    expect(attr(together!, "data-show-price")).toBe("false");
    expect(together).toContain(">Pairs well with &lt;b&gt;</h2>");
    for (const [query, message] of [
      ["products=11", "products must be a whole number from 2 to 10"],
      ["layout=list", "layout must be one of grid, carousel"],
      ["show_price=yes", "show_price must be true or false"],
    ]) {
      const res = await html(`/products/${s.products[0]!.handle}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toContain(message);
    }
  });

  it("segmint=off renders the page without the blocks or their assets (the Lighthouse bench's baseline)", async () => {
    const { body } = await html(`/products/${s.products[0]!.handle}?segmint=off`);
    expect(body).toContain(`<h1>${s.products[0]!.title}</h1>`);
    expect(body).not.toContain("segmint-recs");
    expect(body).not.toContain("/assets/");
  });

  it("French under /fr: translated headings and a locale-aware proxy URL", async () => {
    const { status, body } = await html(`/fr/products/${s.products[0]!.handle}`);
    expect(status).toBe(200);
    expect(body).toContain('<html lang="fr">');
    const [together, forYou] = sections(body);
    expect(together).toContain(">Souvent achetés ensemble</h2>");
    expect(forYou).toContain(">Recommandés pour vous</h2>");
    expect(attr(together!, "data-url")).toBe("/fr/apps/segmint/recommendations");
    expect(together).toContain('aria-label="Chargement des recommandations de produits"');
  });

  it("home shows Recommended for you in the home context; draft and unknown products are not found", async () => {
    const home = await html("/");
    expect(home.status).toBe(200);
    const [forYou] = sections(home.body);
    expect(attr(forYou!, "data-context")).toBe("home");
    expect(attr(forYou!, "data-product-id")).toBe("");
    expect(sections(home.body)).toHaveLength(1);
    expect((await get("/products/draft-product")).status).toBe(404);
    expect((await get("/products/no-such-product")).status).toBe(404);
  });

  it("the cart: a product added by the form appears on the cart page, whose block sends the cart's product ids", async () => {
    const [a, b] = s.products;
    let cookie = "";
    for (const p of [a!, b!]) {
      const res = await get("/cart/add", { method: "POST", body: new URLSearchParams({ id: String(p.id) }), headers: { cookie } });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/cart");
      cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    }
    const { body } = await html("/cart", { headers: { cookie } });
    expect(body).toContain("Cart (2)");
    expect(body).toContain(`href="/products/${a!.handle}"`);
    const [forYou] = sections(body);
    expect(attr(forYou!, "data-context")).toBe("cart");
    expect(attr(forYou!, "data-cart")).toBe(`${a!.id},${b!.id}`);
    const bad = await get("/cart/add", { method: "POST", body: new URLSearchParams({ id: "123" }) });
    expect(bad.status).toBe(400);
  });

  it("serves the extension's assets (gzipped when accepted, cached for long) and nothing outside assets/", async () => {
    const js = await get("/assets/segmint-recommendations.js", { headers: { "accept-encoding": "gzip" } });
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect(await js.text()).toContain("data-segmint-recs");
    expect((await get("/assets/segmint-recommendations.css")).headers.get("content-type")).toContain("text/css");
    expect((await get("/assets/..%2Fblocks%2Frecommended-for-you.liquid")).status).toBe(404);
    expect((await get("/assets/no-such.js")).status).toBe(404);
  });
});

describe("the demo storefront's app proxy", () => {
  it("forwards /apps/segmint/* to the app's /proxy/* signed as Shopify signs it, and passes the answer and its cache headers back", async () => {
    const [p, q, r] = s.products;
    s.app.answers.set(String(p!.id), { status: 200, products: proxyProducts([q!, r!]) });
    const res = await get(`/apps/segmint/recommendations?product_id=${p!.id}&block=together&context=product&limit=3`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(((await res.json()) as { products: { id: string }[] }).products.map((x) => x.id)).toEqual([String(q!.id), String(r!.id)]);
    const received = s.app.requests.at(-1)!;
    expect(received.pathname).toBe("/proxy/recommendations");
    expect(Object.fromEntries(received.searchParams)).toMatchObject({ product_id: String(p!.id), block: "together", context: "product", limit: "3", shop: "widget-test.myshopify.com", logged_in_customer_id: "", path_prefix: "/apps/segmint" });
    expect(received.searchParams.get("signature")).toBe(appProxySignature(received.searchParams, "widget-test-secret"));
  });

  it("a shopper's own signature or customer id in the query is replaced by the storefront's (nobody can pose as a customer)", async () => {
    await get(`/apps/segmint/recommendations?context=home&logged_in_customer_id=${CUSTOMER_ID}&signature=forged&shop=other.myshopify.com`);
    const received = s.app.requests.at(-1)!;
    expect(received.searchParams.getAll("logged_in_customer_id")).toEqual([""]);
    expect(received.searchParams.getAll("shop")).toEqual(["widget-test.myshopify.com"]);
    expect(received.searchParams.get("signature")).toBe(appProxySignature(received.searchParams, "widget-test-secret"));
  });

  it("?customer=<id> logs the demo customer in (a cookie): proxied requests carry logged_in_customer_id and come back private; ?customer= logs out; an unknown id is refused", async () => {
    const login = await get(`/?customer=${CUSTOMER_ID}`);
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toBe(`segmint_demo_customer=${CUSTOMER_ID}`);
    expect(await login.text()).toContain(`Signed in as customer ${CUSTOMER_ID}`);
    const res = await get("/apps/segmint/recommendations?context=home", { headers: { cookie } });
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(s.app.requests.at(-1)!.searchParams.get("logged_in_customer_id")).toBe(String(CUSTOMER_ID));
    const logout = await get("/?customer=", { headers: { cookie } });
    expect(logout.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await logout.text()).not.toContain("Signed in as");
    const unknown = await html("/?customer=42");
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain("there is no customer");
  });

  it("an app that does not answer is a 502 with a JSON error (the widget then hides)", async () => {
    const nobody = await freePort();
    const storefront = await startStorefront({ simulator: s.simulator, shopDomain: SHOP, appUrl: `http://127.0.0.1:${nobody}`, apiSecret: SECRET });
    try {
      const res = await fetch(`${storefront.url}/apps/segmint/recommendations?context=home`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: string }).error).toMatch(/the app did not answer/);
    } finally {
      await storefront.close();
    }
  });
});
