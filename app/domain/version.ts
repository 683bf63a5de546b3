// Shopify's updated_at is the version of an order or customer: the stored copy gives way only to
// a newer one, which is what makes duplicate and out-of-order deliveries converge.

/** How the stored version compares with an incoming one. */
export type StoredVersion = "older" | "same" | "newer";

/** The one comparison of a stored version with an incoming one. */
export function storedVersion(stored: Date, incoming: Date): StoredVersion {
  const storedAt = stored.getTime();
  const incomingAt = incoming.getTime();
  if (storedAt < incomingAt) return "older";
  return storedAt > incomingAt ? "newer" : "same";
}
