// The offline demo's transport seam: Admin API requests for *.myshopify.com go to the local
// Shopify simulator instead. Everything above the fetch (the @shopify/shopify-api client, our
// GraphQL documents, throttling and error handling) is the production code path.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { isLocalUrl } from "../config.server";

export function installSimulatorTransport(simulatorUrl: string, appUrl: string): void {
  if (!isLocalUrl(simulatorUrl) || !isLocalUrl(appUrl)) {
    throw new Error("the Shopify simulator transport is for local demos only (app and simulator URLs must be local)");
  }
  const target = new URL(simulatorUrl);
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.hostname.endsWith(".myshopify.com")) {
      // The simulator serves many shops: it reads the shop from this header.
      const headers = new Headers(init?.headers);
      headers.set("X-Shopify-Simulator-Shop", url.hostname);
      url.protocol = target.protocol;
      url.host = target.host;
      return realFetch(url, { ...init, headers });
    }
    return realFetch(input, init);
  });
}
