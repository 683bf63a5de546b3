import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appProxySignature, signedAppProxyRequest, signedAppProxyUrl } from "../../simulator/app-proxy";
import { smallShop, TEST_DOMAIN, TEST_SECRET } from "./fixtures";

const shopify = shopifyApi({ apiKey: "test-api-key", apiSecretKey: TEST_SECRET, apiVersion: ApiVersion.October26, hostName: "app.segmint.test", isEmbeddedApp: true, logger: { level: 0 } });
const now = (): number => Math.floor(Date.now() / 1000);

describe("app proxy signing", () => {
  it("produces URLs that @shopify/shopify-api's appProxy validation accepts", async () => {
    const url = signedAppProxyUrl("/recommendations?product_id=123&extra=1&extra=2", { appUrl: "https://app.segmint.test", apiSecret: TEST_SECRET, shopDomain: TEST_DOMAIN, loggedInCustomerId: 7001, timestamp: now() });
    expect(url.pathname).toBe("/proxy/recommendations");
    expect(url.searchParams.get("path_prefix")).toBe("/apps/rfm");
    expect(url.searchParams.get("logged_in_customer_id")).toBe("7001");
    expect(await shopify.utils.validateHmac(url.searchParams, { signator: "appProxy" })).toBe(true);
  });

  it("matches the reference's worked message format (sorted k=v, no separator, repeated keys joined by ',')", () => {
    const params = new URLSearchParams("shop=demo.myshopify.com&extra=1&extra=2&logged_in_customer_id=&path_prefix=%2Fapps%2Frfm&timestamp=1795346454");
    // message: "extra=1,2logged_in_customer_id=path_prefix=/apps/rfmshop=demo.myshopify.comtimestamp=1795346454"
    const expected = "extra=1,2logged_in_customer_id=path_prefix=/apps/rfmshop=demo.myshopify.comtimestamp=1795346454";
    expect(appProxySignature(params, "s3cret")).toBe(createHmac("sha256", "s3cret").update(expected).digest("hex"));
  });

  it("is rejected by shopify-api when tampered with, signed with another secret, or stale", async () => {
    const base = { appUrl: "https://app.segmint.test", apiSecret: TEST_SECRET, shopDomain: TEST_DOMAIN, timestamp: now() };
    const tampered = signedAppProxyUrl("/recommendations?product_id=1", base);
    tampered.searchParams.set("product_id", "2");
    expect(await shopify.utils.validateHmac(tampered.searchParams, { signator: "appProxy" })).toBe(false);
    const wrongSecret = signedAppProxyUrl("/x", { ...base, apiSecret: "other" });
    expect(await shopify.utils.validateHmac(wrongSecret.searchParams, { signator: "appProxy" })).toBe(false);
    const stale = signedAppProxyUrl("/x", { ...base, timestamp: now() - 3600 });
    await expect(shopify.utils.validateHmac(stale.searchParams, { signator: "appProxy" })).rejects.toThrow(/timestamp/i);
  });

  it("logged-out visitors get an empty logged_in_customer_id; the simulator signs with its clock", async () => {
    const request = signedAppProxyRequest("/recommendations", { appUrl: "https://app.segmint.test", apiSecret: TEST_SECRET, shopDomain: TEST_DOMAIN });
    expect(new URL(request.url).searchParams.get("logged_in_customer_id")).toBe("");
    const { sim, clock } = smallShop();
    const url = sim.appProxyUrl(TEST_DOMAIN, "/recommendations", { loggedInCustomerId: 42 });
    expect(url.searchParams.get("timestamp")).toBe(String(Math.floor(clock.now() / 1000)));
  });
});
