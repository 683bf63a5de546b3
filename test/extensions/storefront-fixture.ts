// A small store and a stand-in for the app's /proxy/recommendations (the contract in
// docs/storefront.md) for the storefront and widget tests: it checks Shopify's signature as the
// app does (simulator/app-proxy.ts's algorithm) and answers from a table the test controls, so the
// widget is tested against every answer the real endpoint can give (products, an empty list, an
// error) without the demo's two-minute start.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createSimulator, type ShopifySimulator } from "../../simulator";
import { appProxySignature } from "../../simulator/app-proxy";
import { startStorefront, type Storefront } from "../../simulator/storefront";

export const SHOP = "widget-test.myshopify.com";
export const SECRET = "widget-test-secret";
export const CUSTOMER_ID = 7000000017850;

export interface ProxyProduct {
  id: string;
  handle: string;
  title: string;
  price: string;
  image: { url: string; alt: string } | null;
  url: string;
}

export interface FakeApp {
  url: string;
  /** Every request the app received, as received (signed URL). */
  requests: URL[];
  /** What the app answers for a product id (default: an empty list). */
  answers: Map<string, { status: number; products: ProxyProduct[] }>;
  close(): Promise<void>;
}

export async function startFakeApp(secret = SECRET): Promise<FakeApp> {
  const requests: URL[] = [];
  const answers = new Map<string, { status: number; products: ProxyProduct[] }>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app.local");
    requests.push(url);
    const json = (status: number, body: unknown, cache = "no-store") => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": cache });
      res.end(JSON.stringify(body));
    };
    const timestamp = Number(url.searchParams.get("timestamp"));
    if (url.searchParams.get("signature") !== appProxySignature(url.searchParams, secret) || Math.abs(Date.now() / 1000 - timestamp) > 90) return json(400, { error: "bad signature" });
    if (url.pathname !== "/proxy/recommendations") return json(404, { error: "not found" });
    const answer = answers.get(url.searchParams.get("product_id") ?? url.searchParams.get("context") ?? "") ?? { status: 200, products: [] };
    const personal = url.searchParams.get("logged_in_customer_id") !== "";
    json(answer.status, { context: url.searchParams.get("context"), block: url.searchParams.get("block"), products: answer.products }, personal ? "private, no-store" : "public, max-age=300");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface StoreProduct {
  id: number;
  handle: string;
  title: string;
}

/** A shop with `count` active products (handles product-1…, £1.55, £2.55, …), one draft, and one customer. */
export function seedStore(count: number): { simulator: ShopifySimulator; products: StoreProduct[] } {
  const simulator = createSimulator();
  const shop = simulator.createShop({ domain: SHOP, name: "Widget Test Store", currencyCode: "GBP" });
  const products: StoreProduct[] = [];
  for (let i = 1; i <= count; i++) {
    const p = shop.createProduct({ title: `Product ${i}`, handle: `product-${i}`, priceCents: 100 * i + 55, imageUrl: null });
    products.push({ id: p.id, handle: p.handle, title: p.title });
  }
  shop.createProduct({ title: "Draft product", handle: "draft-product", priceCents: 999, status: "DRAFT", imageUrl: null });
  shop.createCustomer({ id: CUSTOMER_ID });
  return { simulator, products };
}

/** A real image the browser decodes (an SVG square), wider than a card. */
const PHOTO = `data:image/svg+xml,${encodeURIComponent("<svg xmlns='http://www.w3.org/2000/svg' width='600' height='400'><rect width='600' height='400' fill='#8a6'/></svg>")}`;

/** The proxy's JSON for some of the store's products (prices as the endpoint formats them). */
export function proxyProducts(products: readonly StoreProduct[], options: { image?: boolean } = {}): ProxyProduct[] {
  return products.map((p, i) => ({
    id: String(p.id),
    handle: p.handle,
    title: p.title,
    price: `£${(i + 1).toFixed(2)}`,
    image: options.image ? { url: PHOTO, alt: `Photo of ${p.title}` } : null,
    url: `/products/${p.handle}`,
  }));
}

export interface StoreWithApp {
  app: FakeApp;
  storefront: Storefront;
  simulator: ShopifySimulator;
  products: StoreProduct[];
  close(): Promise<void>;
}

export async function startStoreWithApp(count = 12): Promise<StoreWithApp> {
  const app = await startFakeApp();
  const { simulator, products } = seedStore(count);
  const storefront = await startStorefront({ simulator, shopDomain: SHOP, appUrl: app.url, apiSecret: SECRET });
  return {
    app,
    storefront,
    simulator,
    products,
    close: async () => {
      await storefront.close();
      await app.close();
    },
  };
}
