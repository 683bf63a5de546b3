// Segmint's customer tags: the one place that says which tags a customer should carry and how
// that compares with the tags it has in Shopify. Pure (no I/O). docs/write-back.md.

/** Shopify's limit on the tags of one customer. */
export const MAX_TAGS_PER_CUSTOMER = 250;

/** "High-value champions" → "high-value-champions". Never empty. */
export function slugOf(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "segment" : slug;
}

/** Shopify compares tags without regard to case. */
const norm = (tag: string) => tag.trim().toLowerCase();

/** Whether a tag is in Segmint's namespace (`<prefix>:…`); every other tag is the merchant's. */
export function isSegmintTag(tag: string, prefix: string): boolean {
  return norm(tag).startsWith(`${prefix.toLowerCase()}:`);
}

export interface SegmentLabel {
  /** The segment's stable id (SegmentModel.segments[].id). */
  readonly key: string;
  readonly name: string;
}

/** The VIP tag of a whale customer (docs/write-back.md, "VIP tags"). */
export function vipTag(prefix: string): string {
  return `${prefix}:vip`;
}

/**
 * The tag of each segment: `<prefix>:<slug of its name>`; two segments whose names give the
 * same slug are told apart by a number (in the given order, so the answer is stable). The VIP
 * tag is reserved: a segment named "VIP" gets `<prefix>:vip-2`, so its Shopify segment never
 * counts the whales.
 */
export function segmentTags(prefix: string, segments: readonly SegmentLabel[]): Map<string, string> {
  const tags = new Map<string, string>();
  const used = new Set<string>([vipTag(prefix)]);
  for (const s of segments) {
    const base = `${prefix}:${slugOf(s.name)}`;
    let tag = base;
    for (let n = 2; used.has(tag); n++) tag = `${base}-${n}`;
    used.add(tag);
    tags.set(s.key, tag);
  }
  return tags;
}

/** What decides a customer's Segmint tags. */
export interface DesiredTagsInput {
  /** The tag of the customer's segment in the run being written, or null (not in the run). */
  readonly segmentTag: string | null;
  /**
   * The holdout tags (`<prefix>:holdout-<slug>`) of the running experiments that hold this
   * customer in their control arm; empty when none does (docs/write-back.md, "Holdouts").
   */
  readonly holdoutTags: readonly string[];
  /**
   * The VIP tag (`<prefix>:vip`) when the shop tags whales and this customer is a whale the
   * merchant did not dismiss; null otherwise (docs/write-back.md, "VIP tags").
   */
  readonly vipTag: string | null;
}

/**
 * The Segmint tags a customer should carry: the one rule of desired state. Its segment's tag,
 * then its holdout tags (in the given order, without repeats), then its VIP tag. A control member
 * keeps its holdout tag whatever its segment, and even outside the run: the experiment's cohort
 * was fixed when it started.
 */
export function desiredTags(input: DesiredTagsInput): string[] {
  const tags = input.segmentTag === null ? [] : [input.segmentTag];
  for (const tag of [...input.holdoutTags, ...(input.vipTag === null ? [] : [input.vipTag])]) if (!tags.includes(tag)) tags.push(tag);
  return tags;
}

export interface TagDiff {
  /** Segmint tags to add. */
  readonly add: string[];
  /** Segmint tags to remove (only ever tags in Segmint's namespace). */
  readonly remove: string[];
  /** True when the change would take the customer past Shopify's 250 tags: nothing is written. */
  readonly capped: boolean;
}

/**
 * The change that turns the tags a customer has in Shopify into the desired Segmint tags. The
 * merchant's own tags are never removed; a change that would leave the customer with more than
 * 250 tags is not made at all (`capped`), so the customer keeps a consistent set.
 */
export function tagDiff(actual: readonly string[], desired: readonly string[], prefix: string): TagDiff {
  const have = new Set(actual.map(norm));
  const want = new Set(desired.map(norm));
  const add = desired.filter((t, i) => !have.has(norm(t)) && desired.findIndex((d) => norm(d) === norm(t)) === i);
  const remove = actual.filter((t) => isSegmintTag(t, prefix) && !want.has(norm(t)));
  const after = have.size - remove.length + add.length;
  const changes = add.length > 0 || remove.length > 0;
  return { add, remove, capped: changes && after > MAX_TAGS_PER_CUSTOMER };
}

/** Whether the diff changes anything in Shopify. */
function isNoop(diff: TagDiff): boolean {
  return diff.add.length === 0 && diff.remove.length === 0;
}

/** One customer's tags as read from Shopify. */
export interface ShopifyCustomerTags {
  /** Shopify customer id (numeric string). */
  readonly id: string;
  readonly tags: readonly string[];
}

export interface PlannedChange extends TagDiff {
  readonly customerId: string;
}

export interface TagPlan {
  /** Customers whose Segmint tags change, in ascending id order (a deterministic file layout). */
  readonly changes: PlannedChange[];
  /** Customers the change would take past 250 tags: reported, not written. */
  readonly capped: PlannedChange[];
  /** Customers already carrying exactly their desired Segmint tags. */
  readonly unchanged: number;
}

/**
 * The write-back's plan: each customer read from Shopify against its desired tags.
 * `desiredOf` returns null for a customer Segmint does not manage (left alone).
 */
export function planTagChanges(customers: Iterable<ShopifyCustomerTags>, desiredOf: (customerId: string) => string[] | null, prefix: string): TagPlan {
  const changes: PlannedChange[] = [];
  const capped: PlannedChange[] = [];
  let unchanged = 0;
  for (const c of customers) {
    const desired = desiredOf(c.id);
    if (desired === null) continue;
    const diff = tagDiff(c.tags, desired, prefix);
    if (isNoop(diff)) unchanged++;
    else (diff.capped ? capped : changes).push({ customerId: c.id, ...diff });
  }
  const byId = (a: PlannedChange, b: PlannedChange) => (BigInt(a.customerId) < BigInt(b.customerId) ? -1 : BigInt(a.customerId) > BigInt(b.customerId) ? 1 : 0);
  changes.sort(byId);
  capped.sort(byId);
  return { changes, capped, unchanged };
}
