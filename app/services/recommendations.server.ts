// What the storefront widget shows (docs/storefront.md, "The proxy endpoint"): the stored neighbour
// lists of the products in view or in the cart, plus — for a logged-in customer in the "for you"
// block — their own products, scored by the core's one rule (recommendFromNeighbours); the "for you"
// block is filled from the popular products (their segment's, else the store's); only ACTIVE, available products of this
// shop, never one already in the basket; then each product's handle, title, price and image.
import { z } from "zod";
import { DEFAULT_RECOMMENDER_OPTIONS, recommendFromNeighbours, type Neighbour } from "../analytics";
import { db as defaultDb, type Db } from "../db.server";
import { moneyFormatter } from "../domain/segment-definition";
import { productsByIds, type ProductRow } from "../models/products.server";
import { customerProductCounts, customerSegmentKey, modelServingData, parsePopularity, servingModelRef, storedNeighbourLists, type PopularityLists } from "../models/recommendations.server";
import { shopCurrency } from "../models/shops.server";

export const STOREFRONT_CONTEXTS = ["product", "cart", "home"] as const;
export type StorefrontContext = (typeof STOREFRONT_CONTEXTS)[number];
/** together: "Frequently bought together" (the basket only); for-you: "Recommended for you" (plus the customer's own history). */
export const STOREFRONT_BLOCKS = ["together", "for-you"] as const;
export type StorefrontBlock = (typeof STOREFRONT_BLOCKS)[number];

export interface StorefrontQuery {
  readonly context: StorefrontContext;
  readonly block: StorefrontBlock;
  /** The product in view (context product). */
  readonly productId: string | null;
  /** Products in the cart. */
  readonly cart: readonly string[];
  /** The logged-in customer (Shopify id), from the verified proxy request; null for a guest. */
  readonly customerId: string | null;
  readonly limit: number;
}

export interface StorefrontProduct {
  readonly id: string;
  readonly handle: string;
  readonly title: string;
  /** In the product's currency ("£2.55"); null when the product has no price. */
  readonly price: string | null;
  readonly image: { readonly url: string; readonly alt: string } | null;
  /** Storefront-relative: the shop's own domain serves it. */
  readonly url: string;
}

export interface StorefrontAnswer {
  readonly context: StorefrontContext;
  readonly block: StorefrontBlock;
  readonly products: StorefrontProduct[];
}

/** Products per list: 1–10 (Shopify's own recommendations stop at 10 too); the blocks default to 4. */
export const MAX_LIMIT = 10;
export const DEFAULT_LIMIT = 4;
/** Cart products a request may list (more is a 400: every one of them must be kept out of the list). */
export const MAX_CART = 50;

const shopifyId = /^[1-9]\d{0,19}$/;
const SINGLE_PARAMS = ["context", "block", "product_id", "limit"] as const;

const querySchema = z
  .object({
    context: z.enum(STOREFRONT_CONTEXTS, { error: "context must be product, cart or home" }).optional(),
    block: z.enum(STOREFRONT_BLOCKS, { error: "block must be together or for-you" }).optional(),
    product_id: z.string().regex(shopifyId, "product_id must be a Shopify product id (digits only)").optional(),
    cart: z
      .string()
      .transform((text) => text.split(",").map((id) => id.trim()).filter((id) => id !== ""))
      .pipe(z.array(z.string().regex(shopifyId, "cart must list Shopify product ids (digits only), separated by commas")).max(MAX_CART, `cart may list at most ${MAX_CART} products`))
      .optional(),
    limit: z.coerce.number({ error: `limit must be a whole number from 1 to ${MAX_LIMIT}` }).int(`limit must be a whole number from 1 to ${MAX_LIMIT}`).min(1, `limit must be a whole number from 1 to ${MAX_LIMIT}`).max(MAX_LIMIT, `limit must be a whole number from 1 to ${MAX_LIMIT}`).optional(),
    logged_in_customer_id: z.string().regex(/^(\d{1,20})?$/, "logged_in_customer_id must be a Shopify customer id or empty").optional(),
  })
  .refine((q) => q.context !== "product" || q.product_id !== undefined, { message: "product_id is required when context is product", path: ["product_id"] });

/**
 * A proxy request's query (after its signature was verified) as a storefront query, or a message
 * in plain words for the 400. Repeated `cart=` values arrive joined with "," (Shopify signs them so);
 * any other parameter given twice is refused.
 */
export function parseStorefrontQuery(params: URLSearchParams): { ok: true; query: StorefrontQuery } | { ok: false; error: string } {
  for (const name of SINGLE_PARAMS) if (params.getAll(name).length > 1) return { ok: false, error: `${name} was given more than once` };
  const raw: Record<string, string> = {};
  for (const name of [...SINGLE_PARAMS, "logged_in_customer_id"]) {
    const value = params.get(name);
    if (value !== null) raw[name] = value;
  }
  const cart = params.getAll("cart");
  if (cart.length > 0) raw.cart = cart.join(",");
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => i.message).join("; ") };
  const q = parsed.data;
  const context = q.context ?? (q.product_id !== undefined ? "product" : "home");
  return {
    ok: true,
    query: {
      context,
      block: q.block ?? (context === "product" ? "together" : "for-you"),
      productId: q.product_id ?? null,
      cart: q.cart ?? [],
      customerId: q.logged_in_customer_id ? q.logged_in_customer_id : null,
      limit: q.limit ?? DEFAULT_LIMIT,
    },
  };
}

/**
 * Cache-Control of an answer: a logged-in customer's is theirs alone and never stored; a guest's
 * depends on the URL alone (no customer in it), so Shopify and browsers may keep it five minutes.
 */
export function storefrontCacheControl(query: Pick<StorefrontQuery, "customerId">): string {
  return query.customerId !== null ? "private, no-store" : "public, max-age=300";
}

interface ServingModel {
  readonly popularity: PopularityLists;
  readonly historyWeight: number;
}

// A trained model's rows never change (a new training is a new model id, never reused: AUTOINCREMENT
// and sequences), so what the storefront parses of them is kept per database and model id: its
// popularity and settings, and its hottest products' neighbour lists. Shop state, products and
// customers are read on every request.
const MODELS_CACHED = 64;
const LISTS_CACHED = 20_000;
const caches = new WeakMap<Db, { models: Map<number, ServingModel>; lists: Map<string, readonly Neighbour[]> }>();
function cachesOf(db: Db) {
  let c = caches.get(db);
  if (c === undefined) caches.set(db, (c = { models: new Map(), lists: new Map() }));
  return c;
}

/** Keeps a Map to `max` entries, the oldest inserted first out (callers re-insert on a hit: least recently used). */
function remember<K, V>(cache: Map<K, V>, key: K, value: V, max: number): V {
  cache.delete(key);
  if (cache.size >= max) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

async function servingModel(db: Db, shopId: number, modelId: number): Promise<ServingModel | null> {
  const servingModels = cachesOf(db).models;
  const cached = servingModels.get(modelId);
  if (cached !== undefined) return cached;
  const stored = await modelServingData(db, shopId, modelId);
  if (stored === null) return null; // replaced by a new training meanwhile
  const params = JSON.parse(stored.params) as { historyWeight?: unknown };
  const historyWeight = typeof params.historyWeight === "number" && params.historyWeight >= 0 ? params.historyWeight : DEFAULT_RECOMMENDER_OPTIONS.historyWeight;
  return remember(servingModels, modelId, { popularity: parsePopularity(stored.popularity), historyWeight }, MODELS_CACHED);
}

async function neighbourListsOf(db: Db, shopId: number, modelId: number, productIds: readonly string[]): Promise<Map<string, readonly Neighbour[]>> {
  const cachedLists = cachesOf(db).lists;
  const lists = new Map<string, readonly Neighbour[]>();
  const missing: string[] = [];
  for (const id of productIds) {
    const list = cachedLists.get(`${modelId}:${id}`);
    if (list === undefined) missing.push(id);
    else lists.set(id, remember(cachedLists, `${modelId}:${id}`, list, LISTS_CACHED));
  }
  if (missing.length === 0) return lists;
  const read = await storedNeighbourLists(db, shopId, modelId, missing);
  // A product without a stored list is remembered as such: it costs no query the next time.
  for (const id of missing) lists.set(id, remember(cachedLists, `${modelId}:${id}`, read.get(id) ?? [], LISTS_CACHED));
  return lists;
}

const sellable = (p: ProductRow) => p.status === "ACTIVE" && p.available;

function storefrontProduct(p: ProductRow, formatPrice: (milli: number, currency: string | null) => string): StorefrontProduct {
  return {
    id: p.id,
    handle: p.handle,
    title: p.title,
    price: p.priceMilli === null ? null : formatPrice(p.priceMilli, p.currency),
    image: p.imageUrl === null ? null : { url: p.imageUrl, alt: p.imageAlt ?? p.title },
    url: `/products/${encodeURIComponent(p.handle)}`,
  };
}

/** The storefront's list for one proxy request; an unknown or uninstalled shop, or one without a model yet, gets []. */
export async function storefrontRecommendations(shopDomain: string, query: StorefrontQuery, db: Db = defaultDb()): Promise<StorefrontAnswer> {
  const empty: StorefrontAnswer = { context: query.context, block: query.block, products: [] };
  const ref = await servingModelRef(db, shopDomain);
  if (ref === null || !ref.installed || ref.model === null) return empty;
  const { shopId } = ref;
  const model = await servingModel(db, shopId, ref.model.id);
  if (model === null) return empty;

  const basket = [...new Set([...(query.productId === null ? [] : [query.productId]), ...query.cart])];
  const personal = query.block === "for-you" ? query.customerId : null;
  const runId = ref.model.runId;
  const [lists, history, segment] = await Promise.all([
    neighbourListsOf(db, shopId, ref.model.id, basket),
    personal === null ? null : customerProductCounts(db, shopId, personal),
    personal === null || runId === null ? null : customerSegmentKey(db, shopId, runId, personal),
  ]);
  // "Frequently bought together" shows only products bought with this one: padding it with best
  // sellers would claim a link that isn't there, so with none the list is empty and the block hides.
  const fallback =
    query.block === "together" ? [] : ((segment !== null ? model.popularity[segment] : undefined) ?? model.popularity.all ?? []);
  const ask = (limit: number, isAllowed?: (id: string) => boolean) =>
    recommendFromNeighbours(lists, { basket, history, limit, isAllowed, fallback }, model.historyWeight);

  // Which products may be shown is read from the Product table in the rule's own order, a page at
  // a time, until `limit` of them are known to be sellable: the rule then picks among the known
  // ones, which are exactly the first `limit` sellable products of its ranking (a few rows read
  // instead of every candidate's hundred neighbours).
  const ranking = ask(Number.MAX_SAFE_INTEGER).map((r) => r.productId);
  const rows = new Map<string, ProductRow>();
  for (let read = 0, page = 2 * query.limit + 8; rows.size < query.limit && read < ranking.length; read += page, page *= 2) {
    for (const p of await productsByIds(db, shopId, ranking.slice(read, read + page))) if (sellable(p)) rows.set(p.id, p);
  }
  const picked = ask(query.limit, (id) => rows.has(id));
  if (picked.length === 0) return empty;

  const shown = picked.map((r) => rows.get(r.productId)!);
  // A product synced without a currency is priced in the shop's (its latest order's) currency.
  const fallbackCurrency = shown.some((p) => p.currency === null && p.priceMilli !== null) ? await shopCurrency(db, shopId) : null;
  const formats = new Map<string, (milli: number) => string>();
  const formatPrice = (milli: number, currency: string | null): string => {
    const code = currency ?? fallbackCurrency ?? "USD";
    let format = formats.get(code);
    if (format === undefined) formats.set(code, (format = moneyFormatter(code, "cents")));
    return format(milli);
  };
  return { ...empty, products: shown.map((p) => storefrontProduct(p, formatPrice)) };
}
