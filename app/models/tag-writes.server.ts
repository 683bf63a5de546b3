// TagWrite rows: the history of the Segmint tags written to (or, in dry-run, planned for) customers.
import type { Db } from "../db.server";

/** Tags Segmint currently believes it has on the customer: its successful live writes replayed in order. */
export async function liveTagsOf(db: Db, shopId: number, customerId: number): Promise<Set<string>> {
  const writes = await db.tagWrite.findMany({
    where: { shopId, customerId, mode: "live", result: "ok" },
    orderBy: { id: "asc" },
    select: { tag: true, action: true },
  });
  const tags = new Set<string>();
  for (const w of writes) {
    if (w.action === "add") tags.add(w.tag);
    else tags.delete(w.tag);
  }
  return tags;
}
