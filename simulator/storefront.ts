// The demo's storefront (docs/theme-extension.md): what Shopify's online store does for Segmint's
// theme app extension, offline. A minimal theme (a layout, a home, a product and a cart page) whose
// app blocks are the extension's own Liquid (extensions/segmint-widget/blocks, its snippets and its
// locales through the `t` filter), rendered with liquidjs; the blocks' assets served from the
// extension's assets/ folder as Shopify's CDN would (`asset_url`); and the app proxy:
// /apps/segmint/* is forwarded to the app's /proxy/* signed as Shopify signs it (simulator/app-proxy.ts),
// with the demo's logged-in customer when one is chosen (`?customer=<Shopify customer id>` on any
// page, kept in a cookie; `?customer=` signs out). Product data are the simulator's (Shopify's) own.
// Demo switches in the query: `segmint=off` renders the pages without the blocks (the Lighthouse
// bench's baseline); a block setting's id (`products=6`, `layout=carousel`, `show_price=false`,
// `heading=…`) sets it for both blocks, as the theme editor would; a `/fr` path prefix renders the
// French locale.
import fs from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Liquid } from "liquidjs";
import { signedAppProxyUrl } from "./app-proxy";
import type { ShopifySimulator } from "./simulator";
import type { ProductRecord } from "./state";

export const DEFAULT_EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../extensions/segmint-widget");
/** The app proxy's storefront prefix (shopify.app.toml `[app_proxy] prefix/subpath`). */
export const PROXY_PREFIX = "/apps/segmint";
const LOCALES = ["en", "fr"] as const;
type Locale = (typeof LOCALES)[number];
const CUSTOMER_COOKIE = "segmint_demo_customer";
const CART_COOKIE = "segmint_demo_cart";
const MAX_CART_PRODUCTS = 20;
const PROXY_TIMEOUT_MS = 15_000;

export interface StorefrontOptions {
  simulator: ShopifySimulator;
  shopDomain: string;
  /** The app's URL (its /proxy route receives the signed requests). */
  appUrl: string;
  /** The app's client secret: Shopify signs proxied requests with it. */
  apiSecret: string;
  /** 0 (default) picks a free port. */
  port?: number;
  extensionDir?: string;
}

export interface Storefront {
  /** e.g. "http://127.0.0.1:3001" */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface SettingSchema {
  type: string;
  id: string;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  options?: { value: string }[];
}

interface BlockSchema {
  name: string;
  javascript?: string;
  stylesheet?: string;
  enabled_on?: { templates?: string[] };
  settings?: SettingSchema[];
}

type Template = "index" | "product" | "cart";

/** Where the demo theme places the app blocks, as a merchant would in the theme editor. */
const PLACEMENTS: Record<Template, { info: string[]; below: string[] }> = {
  product: { info: ["frequently-bought-together"], below: ["recommended-for-you"] },
  cart: { info: [], below: ["recommended-for-you"] },
  index: { info: [], below: ["recommended-for-you"] },
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A block file split as Shopify does: the Liquid it renders, and its `{% schema %}` JSON. */
export function splitBlock(source: string, file: string): { liquid: string; schema: BlockSchema } {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error(`${file}: no {% schema %} tag`);
  return { liquid: source.slice(0, match.index) + source.slice(match.index + match[0].length), schema: JSON.parse(match[1] as string) as BlockSchema };
}

/** A block's settings: the schema's defaults, then the query's values for the ids it names (checked as the theme editor would). */
export function blockSettings(schema: BlockSchema, query: URLSearchParams): Record<string, string | number | boolean> {
  const settings: Record<string, string | number | boolean> = {};
  for (const s of schema.settings ?? []) {
    const given = query.get(s.id);
    if (given === null) {
      settings[s.id] = s.default ?? (s.type === "checkbox" ? false : "");
      continue;
    }
    if (s.type === "range") {
      const n = Number(given);
      if (!Number.isInteger(n) || n < (s.min ?? -Infinity) || n > (s.max ?? Infinity)) throw new HttpError(400, `${s.id} must be a whole number from ${s.min} to ${s.max}, got ${JSON.stringify(given)}`);
      settings[s.id] = n;
    } else if (s.type === "checkbox") {
      if (given !== "true" && given !== "false") throw new HttpError(400, `${s.id} must be true or false, got ${JSON.stringify(given)}`);
      settings[s.id] = given === "true";
    } else if (s.type === "select") {
      const values = (s.options ?? []).map((o) => o.value);
      if (!values.includes(given)) throw new HttpError(400, `${s.id} must be one of ${values.join(", ")}, got ${JSON.stringify(given)}`);
      settings[s.id] = given;
    } else {
      if (given.length > 100) throw new HttpError(400, `${s.id} is longer than 100 characters`);
      settings[s.id] = given;
    }
  }
  return settings;
}

type Translations = Record<string, unknown>;

function lookup(tree: Translations, key: string): string | null {
  let node: unknown = tree;
  for (const part of key.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : null;
}

/** A Liquid engine for one locale: Shopify's filters the blocks and the demo theme use, the extension's snippets as partials. */
function liquidEngine(extensionDir: string, locale: Locale, assetVersion: (file: string) => string, currency: string): Liquid {
  const engine = new Liquid({ root: path.join(extensionDir, "snippets"), extname: ".liquid", cache: false, strictFilters: true, ownPropertyOnly: true });
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(extensionDir, "locales", file), "utf8")) as Translations;
  const fallback = read("en.default.json");
  const own = locale === "en" ? fallback : read(`${locale}.json`);
  // Shopify's `t`: the key in the shopper's locale, else the default locale; `{{ name }}` placeholders
  // filled from the filter's named arguments (liquidjs passes them as [name, value] pairs).
  engine.registerFilter("t", (key: string, ...args: unknown[]) => {
    const text = lookup(own, key) ?? lookup(fallback, key);
    if (text === null) return `translation missing: ${locale}.${key}`;
    const named = new Map(args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length === 2).map(([k, v]) => [k, String(v)]));
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => named.get(name) ?? all);
  });
  engine.registerFilter("asset_url", (file: string) => `/assets/${encodeURIComponent(file)}?v=${assetVersion(file)}`);
  const money = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency });
  engine.registerFilter("money", (cents: number) => money.format(cents / 100));
  return engine;
}

const LAYOUT = `<!doctype html>
<html lang="{{ request.locale.iso_code }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title }} – {{ shop.name }}</title>
<meta name="description" content="{{ shop.name }}: Segmint's offline demo storefront.">
<link rel="icon" href="data:,">
<style>
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:#1f4fa8}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.site-header,.site-footer,main{max-width:1100px;margin:0 auto;padding:1rem}
.site-header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ddd}
.site-header__shop{font-weight:700;font-size:1.125rem;color:inherit;text-decoration:none}
.site-header nav{display:flex;gap:1rem;align-items:center}
.demo-note{font-size:.875rem;color:#555}
.product{display:grid;gap:2rem}
@media (min-width:750px){.product{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.product__media{width:100%;aspect-ratio:1;border-radius:8px;background:#eef0f3;display:block;object-fit:cover}
.product h1{font-size:1.75rem;line-height:1.25;margin:0 0 .5rem}
.price{font-size:1.25rem;margin:0 0 1rem}
button{font:inherit;padding:.75rem 1.5rem;border-radius:6px;border:0;background:#1a1a1a;color:#fff;cursor:pointer;min-height:44px}
.product-list{list-style:none;padding:0;display:grid;gap:.5rem 1rem;grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
.site-footer{border-top:1px solid #ddd;color:#555;font-size:.875rem}
</style>
{%- for file in block_stylesheets %}
<link rel="stylesheet" href="{{ file | asset_url }}">
{%- endfor %}
{%- for file in block_scripts %}
<script src="{{ file | asset_url }}" defer></script>
{%- endfor %}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <a class="site-header__shop" href="{{ routes.root_url }}">{{ shop.name | escape }}</a>
  <nav aria-label="Store">
    <a href="{{ routes.cart_url }}">Cart ({{ cart.item_count }})</a>
    {%- if customer %}
    <span class="demo-note">Signed in as customer {{ customer.id }} (demo) · <a href="?customer=">Sign out</a></span>
    {%- endif %}
  </nav>
</header>
<main id="main">
{{ content_for_layout }}
</main>
<footer class="site-footer">
  <p>Segmint's offline demo storefront: the theme app extension's blocks, rendered from their own Liquid, served through a signed app proxy. Add <code>?customer=&lt;customer id&gt;</code> to any page to shop as a known customer.</p>
</footer>
</body>
</html>`;

const PRODUCT = `<div class="product">
  {%- if product.featured_image %}
  <img class="product__media" src="{{ product.featured_image.src }}" alt="{{ product.featured_image.alt | escape }}" width="800" height="800">
  {%- else %}
  <div class="product__media" role="img" aria-label="{{ product.title | escape }}"></div>
  {%- endif %}
  <div class="product__info">
    <h1>{{ product.title | escape }}</h1>
    <p class="price">{{ product.price | money }}</p>
    <form method="post" action="{{ routes.cart_add_url }}">
      <input type="hidden" name="id" value="{{ product.id }}">
      <button type="submit">Add to cart</button>
    </form>
    {{ blocks_info }}
  </div>
</div>
{{ blocks_below }}`;

const HOME = `<h1>{{ shop.name | escape }}</h1>
<p>A few of the store's products:</p>
<ul class="product-list">
  {%- for p in products %}
  <li><a href="{{ p.url }}">{{ p.title | escape }}</a></li>
  {%- endfor %}
</ul>
{{ blocks_below }}`;

const CART = `<h1>Your cart</h1>
{%- if cart.item_count == 0 %}
<p>Your cart is empty.</p>
{%- else %}
<ul>
  {%- for item in cart.items %}
  <li><a href="{{ item.url }}">{{ item.title | escape }}</a> · {{ item.price | money }}</li>
  {%- endfor %}
</ul>
<form method="post" action="{{ routes.cart_clear_url }}"><button type="submit">Empty the cart</button></form>
{%- endif %}
{{ blocks_below }}`;

const ASSET_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".wasm": "application/wasm",
};

function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string | string[]>): void {
  let payload = typeof body === "string" ? Buffer.from(body) : body;
  const type = String(headers["content-type"] ?? "");
  // As Shopify's CDN does: text compressed when the browser accepts it.
  if (/gzip/.test(String(req.headers["accept-encoding"] ?? "")) && /text|javascript|json|svg/.test(type) && payload.length > 512) {
    payload = gzipSync(payload);
    headers = { ...headers, "content-encoding": "gzip", vary: "Accept-Encoding" };
  }
  res.writeHead(status, { ...headers, "content-length": String(payload.length) });
  res.end(req.method === "HEAD" ? undefined : payload);
}

/** Starts the demo storefront on 127.0.0.1. */
export async function startStorefront(options: StorefrontOptions): Promise<Storefront> {
  const extensionDir = options.extensionDir ?? DEFAULT_EXTENSION_DIR;
  const shop = options.simulator.shop(options.shopDomain);
  const assetVersion = (file: string) => {
    try {
      return String(Math.floor(fs.statSync(path.join(extensionDir, "assets", file)).mtimeMs));
    } catch {
      return "0";
    }
  };
  const engines = new Map(LOCALES.map((l) => [l, liquidEngine(extensionDir, l, assetVersion, shop.settings.currencyCode)]));
  let handles: { version: number; byHandle: Map<string, ProductRecord> } | null = null;
  const productByHandle = (handle: string): ProductRecord | undefined => {
    if (handles?.version !== shop.version) handles = { version: shop.version, byHandle: new Map([...shop.products.values()].map((p) => [p.handle, p])) };
    return handles.byHandle.get(handle);
  };

  const productDrop = (p: ProductRecord, root: string) => ({
    id: p.id,
    handle: p.handle,
    title: p.title,
    url: `${root}products/${p.handle}`,
    price: p.variants[0]?.priceCents ?? 0,
    featured_image: p.imageUrl ? { src: p.imageUrl, alt: p.title } : null,
  });

  async function renderPage(
    template: Template,
    context: { locale: Locale; root: string; query: URLSearchParams; customerId: string | null; cart: number[]; product?: ProductRecord },
  ): Promise<string> {
    const engine = engines.get(context.locale) as Liquid;
    const cartProducts = context.cart.map((id) => shop.products.get(id)).filter((p): p is ProductRecord => p !== undefined && p.status === "ACTIVE");
    const globals = {
      shop: { name: shop.settings.name, currency: shop.settings.currencyCode, domain: shop.domain },
      routes: { root_url: context.root, cart_url: `${context.root}cart`, cart_add_url: `${context.root}cart/add`, cart_clear_url: `${context.root}cart/clear` },
      request: { page_type: template, locale: { iso_code: context.locale }, design_mode: false },
      customer: context.customerId ? { id: Number(context.customerId) } : null,
      cart: {
        item_count: cartProducts.length,
        items: cartProducts.map((p) => ({ product_id: p.id, title: p.title, url: `${context.root}products/${p.handle}`, price: p.variants[0]?.priceCents ?? 0 })),
      },
      product: context.product ? productDrop(context.product, context.root) : null,
      template: { name: template },
    };
    const withBlocks = context.query.get("segmint") !== "off";
    const scripts = new Set<string>();
    const stylesheets = new Set<string>();
    const renderBlocks = async (names: string[]): Promise<string> => {
      if (!withBlocks) return "";
      const out: string[] = [];
      for (const name of names) {
        const file = path.join(extensionDir, "blocks", `${name}.liquid`);
        const { liquid, schema } = splitBlock(fs.readFileSync(file, "utf8"), file);
        if (!schema.enabled_on?.templates?.includes(template)) throw new Error(`${name}.liquid is not enabled on the ${template} template`);
        if (schema.javascript) scripts.add(schema.javascript);
        if (schema.stylesheet) stylesheets.add(schema.stylesheet);
        const id = `segmint-${name}`;
        const block = { id, type: `shopify://apps/segmint/blocks/${name}`, settings: blockSettings(schema, context.query), shopify_attributes: "" };
        // Shopify wraps each app block in a div of its own.
        out.push(`<div id="shopify-block-${id}" class="shopify-app-block">${await engine.parseAndRender(liquid, { block }, { globals })}</div>`);
      }
      return out.join("\n");
    };
    const blocks_info = await renderBlocks(PLACEMENTS[template].info);
    const blocks_below = await renderBlocks(PLACEMENTS[template].below);
    const source = { product: PRODUCT, index: HOME, cart: CART }[template];
    const products = template === "index" ? [...shop.products.values()].filter((p) => p.status === "ACTIVE").slice(0, 12).map((p) => productDrop(p, context.root)) : [];
    const page = await engine.parseAndRender(source, { blocks_info, blocks_below, products }, { globals });
    const title = { product: context.product?.title ?? "", cart: "Your cart", index: "Home" }[template];
    return engine.parseAndRender(LAYOUT, { content_for_layout: page, page_title: title, block_scripts: [...scripts], block_stylesheets: [...stylesheets] }, { globals });
  }

  /** The app proxy: /apps/segmint/<rest>?… → {appUrl}/proxy/<rest>?…&shop&logged_in_customer_id&path_prefix&timestamp&signature. */
  async function proxy(req: IncomingMessage, res: ServerResponse, rest: string, search: string, customerId: string | null): Promise<void> {
    const target = signedAppProxyUrl(`${rest}${search}`, { appUrl: options.appUrl, apiSecret: options.apiSecret, shopDomain: shop.domain, pathPrefix: PROXY_PREFIX, loggedInCustomerId: customerId });
    let response: Response;
    try {
      response = await fetch(target, { headers: { accept: String(req.headers.accept ?? "*/*") }, signal: AbortSignal.timeout(PROXY_TIMEOUT_MS) });
    } catch (error) {
      return send(req, res, 502, JSON.stringify({ error: `the app did not answer the proxied request: ${error instanceof Error ? error.message : String(error)}` }), { "content-type": "application/json" });
    }
    const headers: Record<string, string> = { "content-type": response.headers.get("content-type") ?? "application/octet-stream" };
    const cacheControl = response.headers.get("cache-control");
    if (cacheControl) headers["cache-control"] = cacheControl;
    send(req, res, response.status, Buffer.from(await response.arrayBuffer()), headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://storefront.local");
    let pathname = url.pathname;
    let locale: Locale = "en";
    const prefixed = /^\/(fr)(\/.*|)$/.exec(pathname);
    if (prefixed) {
      locale = prefixed[1] as Locale;
      pathname = prefixed[2] || "/";
    }
    const root = locale === "en" ? "/" : `/${locale}/`;
    const jar = cookies(req);
    const setCookies: string[] = [];
    let customerId = jar.get(CUSTOMER_COOKIE) || null;
    const chosen = url.searchParams.get("customer");
    if (chosen !== null && !pathname.startsWith(`${PROXY_PREFIX}/`)) {
      if (chosen !== "" && !(/^\d+$/.test(chosen) && shop.customers.has(Number(chosen)))) throw new HttpError(400, `there is no customer ${JSON.stringify(chosen)} in the demo store (use a Shopify customer id, e.g. one from the simulator's control API)`);
      customerId = chosen || null;
      setCookies.push(`${CUSTOMER_COOKIE}=${chosen}; Path=/; SameSite=Lax${chosen ? "" : "; Max-Age=0"}`);
    }
    const cart = (jar.get(CART_COOKIE) ?? "").split(",").filter((s) => /^\d+$/.test(s)).map(Number);
    const page = async (template: Template, product?: ProductRecord) => {
      const html = await renderPage(template, { locale, root, query: url.searchParams, customerId, cart, ...(product ? { product } : {}) });
      send(req, res, 200, html, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...(setCookies.length ? { "set-cookie": setCookies } : {}) });
    };
    const redirect = (to: string, cookie: string) => {
      res.writeHead(303, { location: to, "set-cookie": cookie });
      res.end();
    };

    if (pathname.startsWith(`${PROXY_PREFIX}/`)) return proxy(req, res, pathname.slice(PROXY_PREFIX.length), url.search, customerId);
    if (pathname.startsWith("/assets/")) {
      const file = decodeURIComponent(pathname.slice("/assets/".length));
      const type = ASSET_TYPES[path.extname(file)];
      const full = path.join(extensionDir, "assets", file);
      if (!/^[\w.-]+$/.test(file) || !type || !fs.existsSync(full)) throw new HttpError(404, `no asset ${file}`);
      return send(req, res, 200, fs.readFileSync(full), { "content-type": type, "cache-control": "public, max-age=31536000, immutable" });
    }
    if (req.method === "POST" && (pathname === "/cart/add" || pathname === "/cart/clear")) {
      if (pathname === "/cart/clear") return redirect(`${root}cart`, `${CART_COOKIE}=; Path=/; Max-Age=0`);
      const form = new URLSearchParams(await readBody(req));
      const id = Number(form.get("id"));
      if (!shop.products.get(id) || shop.products.get(id)?.status !== "ACTIVE") throw new HttpError(400, `no product ${JSON.stringify(form.get("id"))} for sale in the demo store`);
      const next = [...cart.filter((x) => x !== id), id].slice(-MAX_CART_PRODUCTS);
      return redirect(`${root}cart`, `${CART_COOKIE}=${next.join(",")}; Path=/; SameSite=Lax`);
    }
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, `${req.method} is not served here`);
    if (pathname === "/") return page("index");
    if (pathname === "/cart") return page("cart");
    const productPath = /^\/products\/([^/]+)\/?$/.exec(pathname);
    if (productPath) {
      const product = productByHandle(decodeURIComponent(productPath[1] as string));
      // Shopify's online store shows active products only.
      if (product?.status === "ACTIVE") return page("product", product);
    }
    throw new HttpError(404, `nothing at ${pathname}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent) return res.end();
      if (req.url?.includes(`${PROXY_PREFIX}/`)) return send(req, res, status, JSON.stringify({ error: message }), { "content-type": "application/json" });
      send(req, res, status, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}</title></head><body><main><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the store</a></p></main></body></html>`, { "content-type": "text/html; charset=utf-8" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new HttpError(413, "the form is too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
