// What every resource's resolvers share: the View type, connection arguments, root and nested
// connections (sorting, search, bulk windows) and typed GID arguments.
import { GraphQLError } from "graphql";
import { connection, sortByKey, sortedById, type ConnectionArgs, type SortValue } from "../connections";
import type { ResolverContext } from "../context";
import { parseGid } from "../ids";
import { compileSearch, type SearchFields } from "../search-query";
import type { ShopState } from "../state";

export type View = Record<string, unknown>;
export type Args = Record<string, unknown>;

export function connArgs(args: Args): ConnectionArgs {
  return {
    first: typeof args.first === "number" ? args.first : null,
    last: typeof args.last === "number" ? args.last : null,
    after: typeof args.after === "string" ? args.after : null,
    before: typeof args.before === "string" ? args.before : null,
    reverse: args.reverse === true,
  };
}

function unsupportedSortKey(resource: string, sortKey: unknown): GraphQLError {
  return new GraphQLError(`Segmint simulator: sortKey ${String(sortKey)} on ${resource} is not implemented`, {
    extensions: { code: "SIMULATOR_UNSUPPORTED" },
  });
}

/** Sorted copies are cached per shop version: paging through 20k orders must not re-sort each page. */
const sortCache = new WeakMap<ShopState, Map<string, { version: number; items: unknown[] }>>();

function sortedCached<T>(shop: ShopState, cacheKey: string, items: () => Iterable<T>, key: (item: T) => [SortValue, number]): T[] {
  let perShop = sortCache.get(shop);
  if (!perShop) {
    perShop = new Map();
    sortCache.set(shop, perShop);
  }
  const hit = perShop.get(cacheKey);
  if (hit && hit.version === shop.version) return hit.items as T[];
  const sorted = sortByKey(items(), key);
  perShop.set(cacheKey, { version: shop.version, items: sorted });
  return sorted;
}

/** A root-level connection: bulk operations window it, nested ones are never windowed. */
export function rootConnection<T>(
  ctx: ResolverContext,
  resource: string,
  all: () => Iterable<T>,
  args: Args,
  sortKeys: Record<string, (item: T) => SortValue>,
  defaultSort: string,
  idOf: (item: T) => number,
  search: SearchFields<T>,
  node: (item: T) => View,
  nested = false,
): View {
  const sortKey = typeof args.sortKey === "string" ? args.sortKey : defaultSort;
  const sortValue = sortKeys[sortKey];
  if (!sortValue) throw unsupportedSortKey(resource, sortKey);
  const key = (item: T): [SortValue, number] => [sortValue(item), idOf(item)];
  const sorted = nested ? sortByKey(all(), key) : sortedCached(ctx.shop, `${resource}:${sortKey}`, all, key);
  const compiled = compileSearch(typeof args.query === "string" ? args.query : null, search);
  ctx.searchWarnings.push(...compiled.warnings);
  const filtered = compiled.ignored || !args.query ? sorted : sorted.filter((item) => compiled.matches(item));
  return connection(filtered, connArgs(args), {
    key,
    node,
    unbounded: ctx.bulkWindow !== null,
    window: nested ? undefined : (ctx.bulkWindow ?? undefined),
  });
}

/** Nested connections (order.lineItems, refund.transactions…) are ordered by id. */
export function listConnection<T extends { id: number }>(ctx: ResolverContext, items: readonly T[], args: Args, node: (item: T) => View): View {
  return connection(sortedById(items), connArgs(args), { key: (i) => [0, i.id], node, unbounded: ctx.bulkWindow !== null });
}

export function resolveGidOfType(value: unknown, type: string): number | null {
  if (typeof value !== "string") return null;
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}
