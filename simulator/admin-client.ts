// An AdminClient for code outside the app process (the demo script, tests): the app's real
// client wrapper over a plain HTTP transport to the simulator, with the shop's access token.
import { createAdminClient, type AdminClient } from "../app/shopify/admin-client.server";
import type { SimulatorServer } from "./server";

export function simulatorAdmin(sim: SimulatorServer, domain: string): AdminClient {
  return createAdminClient(async (query, options) =>
    fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-access-token": sim.simulator.accessToken(domain),
        "x-shopify-simulator-shop": domain,
      },
      body: JSON.stringify({ query, variables: options?.variables ?? {} }),
    }),
  );
}
