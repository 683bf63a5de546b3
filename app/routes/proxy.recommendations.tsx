// GET /proxy/recommendations — the storefront widget's list (https://{shop}/apps/segmint/recommendations,
// forwarded and signed by Shopify's app proxy; contract in docs/storefront.md): a bad, tampered or
// stale signature and bad parameters are 400 JSON in plain words; a shop not installed or not trained
// yet gets an empty list. A logged-in customer's answer is never cached, a guest's for five minutes.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseStorefrontQuery, storefrontCacheControl, storefrontRecommendations } from "../services/recommendations.server";
import { authenticate } from "../shopify.server";

const badRequest = (error: string) => Response.json({ error }, { status: 400, headers: { "Cache-Control": "no-store" } });

export async function loader({ request }: LoaderFunctionArgs) {
  let shop: string | undefined;
  try {
    shop = (await authenticate.public.appProxy(request)).session?.shop;
  } catch (error) {
    if (error instanceof Response && error.status === 400) return badRequest("This request's signature is missing, wrong or too old: storefront requests must come through the store's app proxy.");
    throw error;
  }
  const parsed = parseStorefrontQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return badRequest(parsed.error);
  const { query } = parsed;
  const headers = { "Cache-Control": storefrontCacheControl(query) };
  // No offline session: the app is not installed in this shop (or not any more).
  if (shop === undefined) return Response.json({ context: query.context, block: query.block, products: [] }, { headers });
  return Response.json(await storefrontRecommendations(shop, query), { headers });
}
