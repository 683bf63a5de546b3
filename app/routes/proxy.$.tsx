import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";

// Storefront requests arrive signed through Shopify's app proxy (https://{shop}/apps/segmint/*).
// Recommendations are served here once basket mining lands (the recommendations issue); until then the
// route verifies the signature and answers an empty list, so the theme block renders nothing.
export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.public.appProxy(request);
  return Response.json(
    { shop: session?.shop ?? null, recommendations: [] },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
