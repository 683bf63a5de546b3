import type { LoaderFunctionArgs } from "@remix-run/node";

// Storefront requests arrive signed through Shopify's app proxy (https://{shop}/apps/segmint/*);
// the one path served is /recommendations (proxy.recommendations.tsx). Any other is not found,
// without reading the signature: nothing is answered there either way.
export function loader(_args: LoaderFunctionArgs) {
  return Response.json({ error: "Not found: the app proxy serves /recommendations only." }, { status: 404, headers: { "Cache-Control": "no-store" } });
}
