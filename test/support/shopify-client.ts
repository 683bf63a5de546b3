// The production GraphQL path in-process: @shopify/shopify-api's own client (what Remix's
// admin.graphql wraps, converting its result to a Response exactly like this), whose fetch is
// pointed at an in-process simulator.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { createAdminClient, type AdminClient, type AdminClientOptions, type GraphqlTransport } from "../../app/shopify/admin-client.server";
import type { ShopifySimulator } from "../../simulator/simulator";

export function shopifyTransport(sim: ShopifySimulator, domain: string, apiSecretKey = "test-secret"): GraphqlTransport {
  setAbstractFetchFunc(sim.fetch);
  const api = shopifyApi({
    apiKey: "test-key",
    apiSecretKey,
    apiVersion: ApiVersion.October26,
    hostName: "app.segmint.test",
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
  const session = new Session({ id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: sim.accessToken(domain) });
  const client = new api.clients.Graphql({ session });
  return async (query, options) => new Response(JSON.stringify(await client.request(query, { variables: options?.variables })));
}

/** An AdminClient whose sleeps advance the simulator's fake clock instead of real time. */
export function simulatedAdminClient(
  sim: ShopifySimulator,
  domain: string,
  advance: (ms: number) => void,
  o: AdminClientOptions = {},
): AdminClient & { slept: number[] } {
  const slept: number[] = [];
  const client = createAdminClient(shopifyTransport(sim, domain), {
    ...o,
    sleep: async (ms) => {
      slept.push(ms);
      advance(ms);
    },
  });
  return Object.assign(client, { slept });
}
