// Relay connections as Shopify serves them: `first`/`last` (max 250, one of them required
// outside bulk operations), `after`/`before` opaque cursors, `reverse`, `edges`/`nodes`/`pageInfo`.
// Cursors are keyset cursors (sort value + id) like Shopify's, so a page boundary stays correct
// when records are inserted or updated between page requests.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export type SortValue = number | string;

export interface ConnectionOptions<T> {
  /** (sortValue, id) for keyset cursors; the list passed in must already be in that order. */
  key(item: T): [SortValue, number];
  node(item: T): unknown;
  /** Bulk operations ignore pagination arguments and return everything. */
  unbounded: boolean;
  /** A window over the result (bulk operations process the root connection in chunks). */
  window?: { offset: number; limit: number } | undefined;
  /** 250 for most connections; customerSegmentMembers allows 1000. */
  maxPageSize?: number;
}

export const MAX_PAGE_SIZE = 250;

export function connection<T>(sortedAscending: readonly T[], args: ConnectionArgs, options: ConnectionOptions<T>): Record<string, unknown> {
  const ordered = args.reverse ? [...sortedAscending].reverse() : sortedAscending;
  const direction = args.reverse ? -1 : 1;
  let start = 0;
  let end = ordered.length;
  if (!options.unbounded) {
    validatePaging(args, options.maxPageSize ?? MAX_PAGE_SIZE);
    if (args.after) {
      const cursor = decodeCursor(args.after);
      const index = ordered.findIndex((item) => compareKey(options.key(item), cursor) * direction > 0);
      start = index === -1 ? ordered.length : index;
    }
    if (args.before) {
      const cursor = decodeCursor(args.before);
      const index = ordered.findIndex((item) => compareKey(options.key(item), cursor) * direction >= 0);
      end = index === -1 ? ordered.length : index;
    }
  }
  let pageStart = start;
  let pageEnd = Math.max(start, end);
  if (!options.unbounded) {
    if (args.first != null) pageEnd = Math.min(pageEnd, pageStart + args.first);
    if (args.last != null) pageStart = Math.max(pageStart, pageEnd - args.last);
  } else if (options.window) {
    pageStart = Math.min(ordered.length, options.window.offset);
    pageEnd = Math.min(ordered.length, pageStart + options.window.limit);
  }
  const page = ordered.slice(pageStart, pageEnd);
  const edges = page.map((item) => new Edge(item, options.key, options.node(item)));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: new PageInfo(pageEnd < ordered.length, pageStart > 0, edges[0], edges[edges.length - 1]),
  };
}

/**
 * Cursors are encoded only when selected: bulk exports build an edge for every line item and
 * never read its cursor. Prototype getters, so `"cursor" in edge` holds for graphql-js.
 */
class Edge<T> {
  constructor(
    private readonly item: T,
    private readonly keyOf: (item: T) => [SortValue, number],
    readonly node: unknown,
  ) {}
  get cursor(): string {
    return encodeCursor(this.keyOf(this.item));
  }
}

class PageInfo {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly first: { readonly cursor: string } | undefined,
    private readonly last: { readonly cursor: string } | undefined,
  ) {}
  get startCursor(): string | null {
    return this.first ? this.first.cursor : null;
  }
  get endCursor(): string | null {
    return this.last ? this.last.cursor : null;
  }
}

function validatePaging(args: ConnectionArgs, max: number): void {
  if (args.first == null && args.last == null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value == null) continue;
    if (value < 0) throw new GraphQLError(`${name} must be a non-negative integer`, { extensions: { code: "BAD_REQUEST" } });
    if (value > max) {
      throw new GraphQLError(`The ${name} argument must be less than or equal to ${max}.`, { extensions: { code: "BAD_REQUEST" } });
    }
  }
}

export function encodeCursor(key: [SortValue, number]): string {
  return Buffer.from(JSON.stringify({ last_id: key[1], last_value: key[0] })).toString("base64");
}

function decodeCursor(cursor: string): [SortValue, number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "last_id" in parsed && "last_value" in parsed) {
      const { last_id: id, last_value: value } = parsed as { last_id: unknown; last_value: unknown };
      if (typeof id === "number" && (typeof value === "number" || typeof value === "string")) return [value, id];
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

function compareKey(a: [SortValue, number], b: [SortValue, number]): number {
  if (a[0] < b[0]) return -1;
  if (a[0] > b[0]) return 1;
  return a[1] - b[1];
}

/** `items` itself when already ordered by id (the usual case for line items, refunds…), else a sorted copy. */
export function sortedById<T extends { id: number }>(items: readonly T[]): readonly T[] {
  for (let i = 1; i < items.length; i++) if ((items[i - 1] as T).id >= (items[i] as T).id) return sortByKey(items, (item) => [0, item.id]);
  return items;
}

export function sortByKey<T>(items: Iterable<T>, key: (item: T) => [SortValue, number]): T[] {
  return [...items].sort((x, y) => compareKey(key(x), key(y)));
}
