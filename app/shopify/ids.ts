// Shopify ids: Segmint stores the numeric tail of a GID ("gid://shopify/Order/123" → "123") as a
// string, exact and the same in GraphQL (GIDs) and REST webhook payloads (numbers).

/** The numeric tail of a GID ("gid://shopify/Order/123" → "123"); plain ids pass through. */
export function shopifyIdOf(gidOrId: string | number): string {
  const s = String(gidOrId);
  const tail = s.slice(s.lastIndexOf("/") + 1);
  if (!/^\d+$/.test(tail)) throw new Error(`not a Shopify id: "${s}"`);
  return tail;
}
