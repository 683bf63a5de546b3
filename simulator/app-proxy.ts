// App proxy requests as Shopify forwards them (reference §6.1): the storefront path
// /{prefix}/{subpath}/rest?x=1 becomes {appUrl}{proxyUrl}/rest?x=1&shop=…&logged_in_customer_id=…
// &path_prefix=/apps/rfm&timestamp=…&signature=hex(HMAC-SHA256(secret, sorted "k=v" pairs, no separator)).
import { createHmac } from "node:crypto";

export interface AppProxyOptions {
  appUrl: string;
  apiSecret: string;
  shopDomain: string;
  /** Path of the proxy on the app (toml `[app_proxy] url`), default "/proxy". */
  proxyPath?: string;
  /** Storefront prefix, default "/apps/rfm" (`prefix` + `subpath`). */
  pathPrefix?: string;
  /** Numeric customer id, or null/undefined when nobody is logged in (sent as an empty value). */
  loggedInCustomerId?: number | string | null;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/**
 * Shopify's signature: all params except `signature`, repeated keys joined with ",", sorted by
 * key (code-point order), concatenated as key=value with no separator, HMAC-SHA256 hex.
 */
export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${(grouped.get(key) ?? []).join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

/** The signed URL the app receives for a storefront request to `storefrontPath` (e.g. "/recommendations?product_id=1"). */
export function signedAppProxyUrl(storefrontPath: string, options: AppProxyOptions): URL {
  const [path = "", query = ""] = storefrontPath.split("?", 2);
  const url = new URL(`${options.appUrl.replace(/\/$/, "")}${options.proxyPath ?? "/proxy"}${path.startsWith("/") || path === "" ? path : `/${path}`}`);
  const params = new URLSearchParams(query);
  params.set("shop", options.shopDomain);
  params.set("logged_in_customer_id", options.loggedInCustomerId == null ? "" : String(options.loggedInCustomerId));
  params.set("path_prefix", options.pathPrefix ?? "/apps/rfm");
  params.set("timestamp", String(options.timestamp ?? Math.floor(Date.now() / 1000)));
  params.set("signature", appProxySignature(params, options.apiSecret));
  url.search = params.toString();
  return url;
}

/** A GET Request as the app would receive it through the proxy. */
export function signedAppProxyRequest(storefrontPath: string, options: AppProxyOptions, init: RequestInit = {}): Request {
  return new Request(signedAppProxyUrl(storefrontPath, options), { method: "GET", ...init });
}
