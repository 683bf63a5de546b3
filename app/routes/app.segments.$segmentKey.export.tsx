// /app/segments/:segmentKey/export — a resource route: the segment's customers as a CSV download,
// streamed from the database page by page (services/segment-export.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInstalledShop } from "../services/admin-shop.server";
import { openSegmentExport } from "../services/segment-export.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const shop = await requireInstalledShop(request);
  const out = await openSegmentExport(shop.id, params.segmentKey ?? "");
  if (!out) throw new Response("Segment not found in this store", { status: 404 });
  return new Response(out.body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${out.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
