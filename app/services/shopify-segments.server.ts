// Shopify customer segments, one per Segmint segment (`customer_tags CONTAINS '<tag>'`), so the
// merchant finds Segmint's segments in Shopify Email, discounts and Flow; and one per running
// holdout experiment, "segment minus holdout" (`… AND customer_tags NOT CONTAINS '<holdout tag>'`),
// so every marketing tool leaves the control group out the same way. Created, renamed and deleted
// as the run's segments and the running experiments change; the links are kept in ShopifySegment
// rows (an experiment's under `experiment:<id>`, which no segment id can be).
import type { Db } from "../db.server";
import { deleteShopifySegmentLink, saveShopifySegmentLink, shopifySegmentLinks } from "../models/shopify-segments.server";
import { assertNoUserErrors, UserErrorsError, type AdminClient } from "../shopify/admin-client.server";
import { SEGMENT_CREATE, SEGMENT_DELETE, SEGMENT_UPDATE } from "../shopify/graphql";

export interface SegmentToSync {
  /** The Segmint segment's stable id, or `experiment:<id>` for an experiment's segment. */
  readonly key: string;
  /** The Segmint segment's name ("All customers" for an experiment over every customer). */
  readonly name: string;
  /** Its customer tag, e.g. "segmint:at-risk"; null = every customer (an experiment's segment only). */
  readonly tag: string | null;
  /** An experiment's "segment minus holdout": the customers carrying this holdout tag are left out. */
  readonly holdout?: { readonly slug: string; readonly tag: string };
}

/** The link key of an experiment's Shopify segment (segment ids never contain a colon). */
export function experimentSegmentKey(experimentId: number): string {
  return `experiment:${experimentId}`;
}

/** The Shopify segment's name: recognisably Segmint's, next to the merchant's own segments. */
export function shopifySegmentName(segmentName: string, holdoutSlug?: string): string {
  return holdoutSlug === undefined ? `Segmint · ${segmentName}` : `Segmint · ${segmentName} without holdout ${holdoutSlug}`;
}

/** A ShopifyQL string literal (quotes and backslashes escaped). */
const quoted = (tag: string) => `'${tag.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * ShopifyQL for "customers carrying the tag", or for an experiment "… and not carrying the
 * holdout tag" (every customer without the holdout tag when `tag` is null).
 */
export function shopifySegmentQuery(tag: string | null, withoutTag?: string): string {
  const carrying = tag === null ? null : `customer_tags CONTAINS ${quoted(tag)}`;
  if (withoutTag === undefined) {
    if (carrying === null) throw new Error("a segment query needs a tag to include or to leave out");
    return carrying;
  }
  const without = `customer_tags NOT CONTAINS ${quoted(withoutTag)}`;
  return carrying === null ? without : `${carrying} AND ${without}`;
}

export interface SegmentSyncOutcome {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

type Payload = { segment?: { id: string; name: string; query: string } | null; deletedSegmentId?: string | null; userErrors: { field?: string[] | null; message: string }[] };

/** Brings the shop's Segmint-owned Shopify segments to `segments`. */
export async function syncShopifySegments(db: Db, admin: AdminClient, shopId: number, segments: readonly SegmentToSync[]): Promise<SegmentSyncOutcome> {
  const links = new Map((await shopifySegmentLinks(db, shopId)).map((l) => [l.segmentKey, l]));
  let created = 0;
  let updated = 0;
  let deleted = 0;
  const wanted = new Set(segments.map((s) => s.key));
  // Deletions first: a segment that gave its name to another one frees it.
  for (const link of links.values()) {
    if (wanted.has(link.segmentKey)) continue;
    const data = await admin.request<{ segmentDelete: Payload }>(SEGMENT_DELETE, { id: link.shopifyId });
    // Already deleted by the merchant: the link is stale either way.
    if (data.segmentDelete.userErrors.length > 0 && !data.segmentDelete.userErrors.some((e) => /not (be )?found|does not exist/i.test(e.message))) {
      throw new UserErrorsError("segmentDelete", data.segmentDelete.userErrors);
    }
    await deleteShopifySegmentLink(db, shopId, link.segmentKey);
    deleted++;
  }
  for (const s of segments) {
    const name = shopifySegmentName(s.name, s.holdout?.slug);
    const query = shopifySegmentQuery(s.tag, s.holdout?.tag);
    const link = links.get(s.key);
    // A name suffixed at creation (the merchant had one like it) counts as the same name.
    if (link && (link.name === name || link.name.startsWith(`${name} (`)) && link.query === query) continue;
    if (link) {
      const data = await admin.request<{ segmentUpdate: Payload }>(SEGMENT_UPDATE, { id: link.shopifyId, name, query });
      if (!data.segmentUpdate.userErrors.some((e) => /not (be )?found|does not exist/i.test(e.message))) {
        const segment = assertNoUserErrors("segmentUpdate", data.segmentUpdate).segment!;
        await saveShopifySegmentLink(db, shopId, { segmentKey: s.key, shopifyId: segment.id, name, query });
        updated++;
        continue;
      }
      // The merchant deleted it in Shopify: create it again below.
    }
    const segment = await createSegment(admin, name, query);
    await saveShopifySegmentLink(db, shopId, { segmentKey: s.key, shopifyId: segment.id, name: segment.name, query });
    created++;
  }
  return { created, updated, deleted };
}

/** segmentCreate; a name the merchant already uses gets " (2)", " (3)"… */
async function createSegment(admin: AdminClient, name: string, query: string): Promise<{ id: string; name: string }> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name} (${n})`;
    const data = await admin.request<{ segmentCreate: Payload }>(SEGMENT_CREATE, { name: candidate, query });
    const taken = data.segmentCreate.userErrors.some((e) => /taken|already|unique/i.test(e.message));
    if (taken && n < 5) continue;
    return assertNoUserErrors("segmentCreate", data.segmentCreate).segment!;
  }
}
