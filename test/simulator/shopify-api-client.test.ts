// The app's production path: @shopify/shopify-api's own GraphQL client, with only the fetch
// swapped (in-process sim.fetch, or simulatorFetch to the HTTP server).
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, GraphqlQueryError, HttpResponseError, HttpInternalError, Session, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, describe, expect, it } from "vitest";
import { INNER_BULK_QUERIES, REFERENCE_OPERATIONS } from "../fixtures/graphql/reference-operations";
import { smallShop, TEST_DOMAIN, TEST_SECRET } from "./fixtures";
import { startSimulatorServer, type SimulatorServer } from "../../simulator/server";

const shopify = shopifyApi({ apiKey: "test-api-key", apiSecretKey: TEST_SECRET, apiVersion: ApiVersion.October26, hostName: "app.segmint.test", isEmbeddedApp: true, logger: { level: 0 } });

function client(accessToken: string): InstanceType<typeof shopify.clients.Graphql> {
  const session = new Session({ id: `offline_${TEST_DOMAIN}`, shop: TEST_DOMAIN, state: "", isOnline: false, accessToken });
  return new shopify.clients.Graphql({ session });
}

describe("@shopify/shopify-api against the in-process simulator", () => {
  it("runs documents and surfaces userErrors/THROTTLED/HTTP faults the way the real client does", async () => {
    const { sim } = smallShop();
    setAbstractFetchFunc(sim.fetch);
    const gql = client(sim.accessToken(TEST_DOMAIN));
    const shop = await gql.request(REFERENCE_OPERATIONS.ShopInfo);
    expect(shop.data?.shop?.myshopifyDomain).toBe(TEST_DOMAIN);
    expect(shop.extensions?.cost?.throttleStatus?.maximumAvailable).toBe(2000);

    // userErrors on demand: data, not an exception.
    sim.faults(TEST_DOMAIN).userErrorOnNextMutation({ field: ["tags"], message: "Tags is invalid" });
    const tagged = await gql.request(REFERENCE_OPERATIONS.AddTags, { variables: { id: "gid://shopify/Customer/1", tags: ["x"] } });
    expect(tagged.data?.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["tags"], message: "Tags is invalid" }] });

    // THROTTLED is HTTP 200 with errors → the client throws GraphqlQueryError (no retry).
    sim.faults(TEST_DOMAIN).throttleNext(1);
    const throttled = await gql.request("{ shop { id } }").catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(GraphqlQueryError);
    expect(JSON.stringify((throttled as GraphqlQueryError).body)).toContain("THROTTLED");

    // Invalid documents also throw GraphqlQueryError, carrying Shopify's error list.
    const invalid = await gql.request("{ shop { nope } }").catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(GraphqlQueryError);

    // HTTP faults: 401 / 402 / 423 → HttpResponseError; 500 → HttpInternalError; 503 retried when tries > 1.
    for (const status of [401, 402, 423] as const) {
      sim.faults(TEST_DOMAIN).failNext(status);
      const error = await gql.request("{ shop { id } }").catch((e: unknown) => e);
      expect(error, String(status)).toBeInstanceOf(HttpResponseError);
      expect((error as HttpResponseError).response.code).toBe(status);
    }
    sim.faults(TEST_DOMAIN).failNext(500);
    expect(await gql.request("{ shop { id } }").catch((e: unknown) => e)).toBeInstanceOf(HttpInternalError);
    sim.faults(TEST_DOMAIN).failNext(503, 1, { retryAfter: 0 });
    const retried = await gql.request("{ shop { id } }", { retries: 1 });
    expect(retried.data?.shop?.id).toMatch(/^gid:\/\/shopify\/Shop\//);
    expect(sim.faults(TEST_DOMAIN).pending.http).toBe(0);

    // A wrong token is a 401 like Shopify's.
    const stranger = await client("shpat_wrong").request("{ shop { id } }").catch((e: unknown) => e);
    expect((stranger as HttpResponseError).response.code).toBe(401);
  });
});

describe("HTTP server mode", () => {
  let server: SimulatorServer | undefined;
  afterAll(async () => server?.close());

  it("serves the Admin endpoint, bulk files and the control API on 127.0.0.1, with real timers and webhooks", async () => {
    const received: string[] = [];
    server = await startSimulatorServer({
      apiSecret: TEST_SECRET,
      shops: [{ domain: TEST_DOMAIN }],
      bulk: { minRunMs: 50 },
      tickMs: 20,
      webhooks: { transport: async (request) => (received.push(request.headers.get("x-shopify-topic") ?? ""), new Response(null, { status: 200 })) },
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    setAbstractFetchFunc(server.fetch);
    const gql = client(server.simulator.accessToken(TEST_DOMAIN));
    const created = await fetch(`${server.url}/_sim/shops/${TEST_DOMAIN}/customers`, { method: "POST", body: JSON.stringify({ tags: ["vip"] }) });
    expect(created.status).toBe(201);
    const run = await gql.request(REFERENCE_OPERATIONS.RunBulkQuery, { variables: { query: INNER_BULK_QUERIES.customersExport } });
    const id = run.data?.bulkOperationRunQuery?.bulkOperation?.id as string;
    let url: string | null = null;
    for (let i = 0; i < 100 && !url; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const status = await gql.request(REFERENCE_OPERATIONS.BulkOperationStatus, { variables: { id } });
      url = (status.data?.bulkOperation?.url as string | null) ?? null;
    }
    expect(url?.startsWith(server.url)).toBe(true);
    const body = await (await fetch(url ?? "")).text();
    expect(JSON.parse(body.trim())).toMatchObject({ tags: ["vip"], numberOfOrders: "0", defaultEmailAddress: null, statistics: { rfmGroup: null } });
    for (let i = 0; i < 50 && !received.includes("bulk_operations/finish"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(["customers/create", "bulk_operations/finish"]);
    const proxy = (await (await fetch(`${server.url}/_sim/shops/${TEST_DOMAIN}/app-proxy?path=/recommendations`)).json()) as { url: string };
    expect(await shopify.utils.validateHmac(new URL(proxy.url).searchParams, { signator: "appProxy" })).toBe(true);
  });
});
