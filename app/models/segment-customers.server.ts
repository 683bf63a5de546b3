// The customers of one segment in one run of a shop, as the admin's table and the CSV export read
// them: every query is shop-scoped (through the run: a run of another shop matches nothing) and
// starts from the (runId, segmentKey) index. One portable SQL
// text for SQLite and PostgreSQL (quoted identifiers, explicit NULL ordering, LIKE … ESCAPE).
import type { Prisma } from "@prisma/client";
import { sqlOf, type Db } from "../db.server";
import type { SegmentCustomerRow, SegmentCustomerSort, SortDirection } from "../domain/segment-customers";

/** Rows per page of the admin table: the most a page may ask for. */
export const MAX_SEGMENT_PAGE = 50;

export interface SegmentCustomerQuery {
  readonly sort: SegmentCustomerSort;
  readonly direction: SortDirection;
  /** Shopify customer id or its first digits (prefix match); empty/undefined: every customer. */
  readonly search?: string;
  /** 0-based row offset. */
  readonly offset: number;
  /** 1..MAX_SEGMENT_PAGE. */
  readonly limit: number;
}

interface RawRow {
  id: number | bigint;
  shopifyId: string;
  segmentKey: string;
  recencyDays: number | bigint | null;
  frequency: number | bigint;
  monetaryMilli: number | bigint | string;
  rScore: number | bigint;
  fScore: number | bigint;
  mScore: number | bigint;
  rfmGroup: string;
  outlier: boolean | number | bigint;
  explanation: string;
}

const ROW_COLUMNS = `cs."id", cs."segmentKey", cs."recencyDays", cs."frequency", cs."monetaryMilli", cs."rScore", cs."fScore", cs."mScore", cs."rfmGroup", cs."outlier", cs."explanation"`;

function toRow(r: RawRow): SegmentCustomerRow {
  return {
    rowId: Number(r.id),
    shopifyCustomerId: r.shopifyId,
    segmentKey: r.segmentKey,
    recencyDays: r.recencyDays === null ? null : Number(r.recencyDays),
    frequency: Number(r.frequency),
    monetaryMilli: Number(r.monetaryMilli),
    rScore: Number(r.rScore),
    fScore: Number(r.fScore),
    mScore: Number(r.mScore),
    rfmGroup: r.rfmGroup,
    outlier: r.outlier === true || Number(r.outlier) === 1,
    explanation: r.explanation,
  };
}

/** LIKE pattern of a prefix, its wildcards escaped (with ESCAPE '\'). */
function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * ORDER BY for a sort: the column, NULLs (recency of non-buyers) always last, then the row id in
 * the same direction so pages never overlap. Customer ids are digit strings: by length, then text,
 * which is numeric order.
 */
function orderBy(sort: SegmentCustomerSort, direction: SortDirection): string {
  const dir = direction === "asc" ? "ASC" : "DESC";
  switch (sort) {
    case "monetary":
      return `cs."monetaryMilli" ${dir}, cs."id" ${dir}`;
    case "frequency":
      return `cs."frequency" ${dir}, cs."id" ${dir}`;
    case "recency":
      return `(cs."recencyDays" IS NULL) ASC, cs."recencyDays" ${dir}, cs."id" ${dir}`;
    case "customer":
      return `LENGTH(c."shopifyId") ${dir}, c."shopifyId" ${dir}, cs."id" ${dir}`;
  }
}

/**
 * The run id, if the run is the shop's (else NULL: no row matches). Scoping through the run rather
 * than `cs.shopId` keeps every read on the (runId, segmentKey) index alone: the index has no
 * shopId, so a shopId test would fetch each of the segment's table rows (a count of 60,000 rows
 * becomes 60,000 lookups instead of an index-only scan).
 */
function runOfShop(db: Db, shopId: number, runId: number): Prisma.Sql {
  const { sql } = sqlOf(db);
  return sql`(SELECT r."id" FROM "SegmentRun" r WHERE r."id" = ${runId} AND r."shopId" = ${shopId})`;
}

/**
 * The customers of the shop whose id starts with `search`. Customer ids are digit strings, so a
 * digit prefix is the range [prefix, prefix + ":") (":" sorts right after "9"), which the
 * (shopId, shopifyId) index reads directly; anything else falls back to LIKE.
 */
function searchFilter(db: Db, search: string): Prisma.Sql {
  const { sql } = sqlOf(db);
  return /^\d+$/.test(search) ? sql`c."shopifyId" >= ${search} AND c."shopifyId" < ${`${search}:`}` : sql`c."shopifyId" LIKE ${prefixPattern(search)} ESCAPE '\\'`;
}

/**
 * A search starts from the matching customers (index range) and looks each one up in the run's
 * rows by the (runId, customerId) index, instead of joining every row of the segment to its
 * customer and testing the id afterwards (~100 ms → ~0.1 ms for a 30k-customer segment, SQLite;
 * bench/results/admin.md). CROSS JOIN fixes that order for SQLite's planner; PostgreSQL plans it
 * as an ordinary join.
 */
function searchedRows(db: Db, shopId: number, runId: number, segmentKey: string, search: string): Prisma.Sql {
  const { sql } = sqlOf(db);
  return sql`"Customer" c CROSS JOIN "CustomerSegment" cs
    WHERE c."shopId" = ${shopId} AND ${searchFilter(db, search)}
      AND cs."customerId" = c."id" AND cs."runId" = ${runOfShop(db, shopId, runId)} AND cs."segmentKey" = ${segmentKey}`;
}

/** One page of a segment's customers in a run of the shop, sorted and optionally filtered by customer id. */
export async function segmentCustomersPage(db: Db, shopId: number, runId: number, segmentKey: string, query: SegmentCustomerQuery): Promise<SegmentCustomerRow[]> {
  if (!(Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= MAX_SEGMENT_PAGE)) throw new RangeError(`limit must be 1..${MAX_SEGMENT_PAGE}, got ${query.limit}`);
  if (!(Number.isInteger(query.offset) && query.offset >= 0)) throw new RangeError(`offset must be a non-negative integer, got ${query.offset}`);
  const { sql, raw } = sqlOf(db);
  const order = raw(orderBy(query.sort, query.direction));
  // The page's 50 row ids are picked first, sorting only (id, sort key) records: the sorter never
  // carries the long columns (explanation) of the rows it skips. Then those 50 rows are read in full.
  const pick = query.search
    ? sql`SELECT cs."id" FROM ${searchedRows(db, shopId, runId, segmentKey, query.search)}
          ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset}`
    : query.sort === "customer"
    ? sql`SELECT cs."id"
          FROM "CustomerSegment" cs JOIN "Customer" c ON c."id" = cs."customerId" AND c."shopId" = ${shopId}
          WHERE cs."runId" = ${runOfShop(db, shopId, runId)} AND cs."segmentKey" = ${segmentKey}
          ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset}`
    : sql`SELECT cs."id"
          FROM "CustomerSegment" cs
          WHERE cs."runId" = ${runOfShop(db, shopId, runId)} AND cs."segmentKey" = ${segmentKey}
          ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset}`;
  const rows = await db.$queryRaw<RawRow[]>(sql`
    SELECT ${raw(ROW_COLUMNS)}, c."shopifyId"
    FROM (${pick}) p
    JOIN "CustomerSegment" cs ON cs."id" = p."id"
    JOIN "Customer" c ON c."id" = cs."customerId" AND c."shopId" = ${shopId}
    ORDER BY ${order}`);
  return rows.map(toRow);
}

/** How many customers of the segment (matching the search, if any) the run of the shop holds. */
export async function countSegmentCustomers(db: Db, shopId: number, runId: number, segmentKey: string, search?: string): Promise<number> {
  const { sql } = sqlOf(db);
  const rows = search
    ? await db.$queryRaw<{ n: number | bigint }[]>(sql`SELECT COUNT(*) AS n FROM ${searchedRows(db, shopId, runId, segmentKey, search)}`)
    : await db.$queryRaw<{ n: number | bigint }[]>(sql`
        SELECT COUNT(*) AS n FROM "CustomerSegment" cs WHERE cs."runId" = ${runOfShop(db, shopId, runId)} AND cs."segmentKey" = ${segmentKey}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The segment's customers after row id `afterRowId`, in row-id order, `limit` at a time: the
 * export's keyset pages (each page one indexed range read, so memory holds one page).
 */
export async function segmentCustomersAfter(db: Db, shopId: number, runId: number, segmentKey: string, afterRowId: number, limit: number): Promise<SegmentCustomerRow[]> {
  const { sql, raw } = sqlOf(db);
  const rows = await db.$queryRaw<RawRow[]>(sql`
    SELECT ${raw(ROW_COLUMNS)}, c."shopifyId"
    FROM "CustomerSegment" cs JOIN "Customer" c ON c."id" = cs."customerId" AND c."shopId" = ${shopId}
    WHERE cs."runId" = ${runOfShop(db, shopId, runId)} AND cs."segmentKey" = ${segmentKey} AND cs."id" > ${afterRowId}
    ORDER BY cs."id" ASC LIMIT ${limit}`);
  return rows.map(toRow);
}
