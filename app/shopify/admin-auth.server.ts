// Authenticates an embedded-admin request. In production this is Shopify's session-token auth.
// The offline demo (SEGMINT_SIMULATOR_URL set, which config.server.ts only allows with a local
// app URL) has no Shopify admin around it, so it acts as the demo shop's offline session: this
// function and simulator-transport.server.ts are the only demo-specific code.
import { config } from "../config.server";
import { authenticate, unauthenticated } from "../shopify.server";

export type AdminContext = Pick<Awaited<ReturnType<typeof authenticate.admin>>, "admin" | "session">;

export async function requireAdmin(request: Request): Promise<AdminContext> {
  const cfg = config();
  if (cfg.SEGMINT_SIMULATOR_URL) return unauthenticated.admin(cfg.SEGMINT_DEMO_SHOP);
  return authenticate.admin(request);
}
