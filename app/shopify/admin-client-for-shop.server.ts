// An Admin API client for background work on a shop (no request around it): the shop's offline
// session through @shopify/shopify-app-remix, wrapped by createAdminClient. Kept apart from
// admin-client.server.ts because it needs the app object (shopify.server.ts, configured from the
// environment at load), which the client itself and its tests do not.
import { unauthenticated } from "../shopify.server";
import { createAdminClient, type AdminClient } from "./admin-client.server";

export async function adminClientFor(shopDomain: string): Promise<AdminClient> {
  const { admin } = await unauthenticated.admin(shopDomain);
  return createAdminClient(admin.graphql);
}
