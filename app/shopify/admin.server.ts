// An Admin API client for background work on a shop (no request around it): the shop's offline
// session through @shopify/shopify-app-remix, wrapped by createAdminClient.
import { unauthenticated } from "../shopify.server";
import { createAdminClient, type AdminClient } from "./admin-client.server";

export async function adminClientFor(shopDomain: string): Promise<AdminClient> {
  const { admin } = await unauthenticated.admin(shopDomain);
  return createAdminClient(admin.graphql);
}
