// What the storefront widget shows (docs/storefront.md, "The proxy endpoint"): the stored neighbour
// lists of the products in view or in the cart, plus — for a logged-in customer in the "for you"
// block — their own products, scored by the core's one rule (recommendFromNeighbours), filled from
// the popular products (their segment's, else the store's); only ACTIVE, available products of this
// shop, never one already in the basket; then each product's handle, title, price and image.
import { z } from "zod";
import { DEFAULT_RECOMMENDER_OPTIONS, recommendFromNeighbours, type Neighbour } from "../analytics";
import { db as defaultDb, type Db } from "../db.server";
import { moneyFormatter } from "../domain/segment-definition";
import { productsByIds, type ProductRow } from "../models/products.server";
import { customerProductCounts, customerSegmentKey, latestModelForServing, parsePopularity, storedNeighbourLists, type PopularityLists } from "../models/recommendations.server";
import { findShop, shopCurrency } from "../models/shops.server";

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

// Parsed once per trained model (a model's rows never change; a new training gets a new id).
const MODELS_CACHED = 256;
const servingModels = new Map<number, ServingModel>();

function servingModel(id: number, popularityJson: string, paramsJson: string): ServingModel {
  let model = servingModels.get(id);
  if (model === undefined) {
    const params = JSON.parse(paramsJson) as { historyWeight?: unknown };
    model = {
      popularity: parsePopularity(popularityJson),
      historyWeight: typeof params.historyWeight === "number" && params.historyWeight >= 0 ? params.historyWeight : DEFAULT_RECOMMENDER_OPTIONS.historyWeight,
    };
    if (servingModels.size >= MODELS_CACHED) servingModels.delete(servingModels.keys().next().value!);
    servingModels.set(id, model);
  }
  return model;
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
  const shop = await findShop(db, shopDomain);
  if (!shop || shop.installState !== "installed") return empty;
  const stored = await latestModelForServing(db, shop.id);
  if (stored === null) return empty;
  const model = servingModel(stored.id, stored.popularity, stored.params);

  const basket = [...new Set([...(query.productId === null ? [] : [query.productId]), ...query.cart])];
  const personal = query.block === "for-you" && query.customerId !== null ? query.customerId : null;
  const [lists, history, segment] = await Promise.all([
    storedNeighbourLists(db, shop.id, stored.id, basket),
    personal === null ? null : customerProductCounts(db, shop.id, personal),
    personal === null || stored.runId === null ? null : customerSegmentKey(db, shop.id, stored.runId, personal),
  ]);
  const fallback = (segment !== null ? model.popularity[segment] : undefined) ?? model.popularity.all ?? [];

  // Every product the rule could pick, read once: whether it may be shown, and what to show.
  const inBasket = new Set(basket);
  const candidates = new Set<string>();
  const add = (id: string) => !inBasket.has(id) && candidates.add(id);
  for (const list of lists.values()) for (const n of list) add(n.id);
  for (const id of history?.keys() ?? []) add(id);
  for (const id of fallback) add(id);
  const rows = new Map((await productsByIds(db, shop.id, [...candidates])).filter(sellable).map((p) => [p.id, p]));

  const picked = recommendFromNeighbours(lists as ReadonlyMap<string, readonly Neighbour[]>, { basket, history, limit: query.limit, isAllowed: (id) => rows.has(id), fallback }, model.historyWeight);
  if (picked.length === 0) return empty;

  const shown = picked.map((r) => rows.get(r.productId)!);
  // A product synced without a currency is priced in the shop's (its latest order's) currency.
  const fallbackCurrency = shown.some((p) => p.currency === null && p.priceMilli !== null) ? await shopCurrency(db, shop.id) : null;
  const formats = new Map<string, (milli: number) => string>();
  const formatPrice = (milli: number, currency: string | null): string => {
    const code = currency ?? fallbackCurrency ?? "USD";
    let format = formats.get(code);
    if (format === undefined) formats.set(code, (format = moneyFormatter(code, "cents")));
    return format(milli);
  };
  return { ...empty, products: shown.map((p) => storefrontProduct(p, formatPrice)) };
}
