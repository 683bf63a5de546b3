// A subset of ShopifyQL segment queries, enough for the filters Segmint writes and reads:
//   customer_tags CONTAINS 'rfm:champions'        customer_tags NOT CONTAINS 'x'
//   amount_spent >= 100     number_of_orders > 2   last_order_date >= -90d | 2026-01-01
//   rfm_group = CHAMPIONS   customer_account_status = 'ENABLED'   customer_added_date <= -30d
// combined with AND / OR / NOT and parentheses. An unknown filter is an error, as in Shopify.
import type { RfmGroupLookup } from "./context";
import type { CustomerRecord, ShopState } from "./state";
import { customerStats } from "./state";

export interface SegmentContext {
  shop: ShopState;
  now: number;
  rfmGroups: RfmGroupLookup;
}

type Op = "=" | "!=" | ">" | ">=" | "<" | "<=" | "CONTAINS" | "NOT CONTAINS";
type Expr = { kind: "cond"; filter: string; op: Op; value: string } | { kind: "and" | "or"; parts: Expr[] } | { kind: "not"; part: Expr };

export const SEGMENT_FILTERS: ReadonlyArray<{ queryName: string; localizedName: string; typename: string; multiValue: boolean }> = [
  { queryName: "customer_tags", localizedName: "Customer tags", typename: "SegmentStringFilter", multiValue: true },
  { queryName: "amount_spent", localizedName: "Amount spent", typename: "SegmentFloatFilter", multiValue: false },
  { queryName: "number_of_orders", localizedName: "Number of orders", typename: "SegmentIntegerFilter", multiValue: false },
  { queryName: "last_order_date", localizedName: "Last order date", typename: "SegmentDateFilter", multiValue: false },
  { queryName: "customer_added_date", localizedName: "Customer added date", typename: "SegmentDateFilter", multiValue: false },
  { queryName: "rfm_group", localizedName: "RFM group", typename: "SegmentEnumFilter", multiValue: false },
  { queryName: "customer_account_status", localizedName: "Customer account status", typename: "SegmentEnumFilter", multiValue: false },
];

export const RFM_GROUPS = ["ACTIVE", "ALMOST_LOST", "AT_RISK", "CHAMPIONS", "DORMANT", "LOYAL", "NEEDS_ATTENTION", "NEW", "PREVIOUSLY_LOYAL", "PROMISING", "PROSPECTS"] as const;

export class SegmentQueryError extends Error {}

export function parseSegmentQuery(query: string): Expr {
  const tokens = query.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|>=|<=|!=|[=<>()]|[^\s=<>!()]+/g) ?? [];
  let pos = 0;
  const peekUpper = (): string | undefined => tokens[pos]?.toUpperCase();
  const known = new Set(SEGMENT_FILTERS.map((f) => f.queryName));

  function parseOr(): Expr {
    const parts = [parseAnd()];
    while (peekUpper() === "OR") {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as Expr) : { kind: "or", parts };
  }
  function parseAnd(): Expr {
    const parts = [parseUnary()];
    while (peekUpper() === "AND") {
      pos++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? (parts[0] as Expr) : { kind: "and", parts };
  }
  function parseUnary(): Expr {
    if (peekUpper() === "NOT") {
      pos++;
      return { kind: "not", part: parseUnary() };
    }
    if (tokens[pos] === "(") {
      pos++;
      const inner = parseOr();
      if (tokens[pos] !== ")") throw new SegmentQueryError(`Line 1: expected ')'`);
      pos++;
      return inner;
    }
    const filter = tokens[pos++];
    if (!filter) throw new SegmentQueryError("Line 1: unexpected end of query");
    if (!known.has(filter)) throw new SegmentQueryError(`Line 1: '${filter}' filter cannot be found.`);
    let op: Op;
    if (peekUpper() === "NOT" && tokens[pos + 1]?.toUpperCase() === "CONTAINS") {
      pos += 2;
      op = "NOT CONTAINS";
    } else if (peekUpper() === "CONTAINS") {
      pos++;
      op = "CONTAINS";
    } else {
      const raw = tokens[pos++];
      if (raw !== "=" && raw !== "!=" && raw !== ">" && raw !== ">=" && raw !== "<" && raw !== "<=") {
        throw new SegmentQueryError(`Line 1: '${filter}' needs a comparison operator, got '${raw ?? "end of query"}'`);
      }
      op = raw;
    }
    const rawValue = tokens[pos++];
    if (rawValue === undefined) throw new SegmentQueryError(`Line 1: '${filter}' needs a value`);
    const value = /^['"]/.test(rawValue) ? rawValue.slice(1, -1) : rawValue;
    return { kind: "cond", filter, op, value };
  }

  if (tokens.length === 0) throw new SegmentQueryError("Line 1: the query is empty");
  const expr = parseOr();
  if (pos < tokens.length) throw new SegmentQueryError(`Line 1: unexpected '${tokens[pos]}'`);
  return expr;
}

export function matchesSegment(expr: Expr, customer: CustomerRecord, ctx: SegmentContext): boolean {
  switch (expr.kind) {
    case "and":
      return expr.parts.every((p) => matchesSegment(p, customer, ctx));
    case "or":
      return expr.parts.some((p) => matchesSegment(p, customer, ctx));
    case "not":
      return !matchesSegment(expr.part, customer, ctx);
    case "cond":
      return matchCondition(expr, customer, ctx);
  }
}

function matchCondition(cond: { filter: string; op: Op; value: string }, customer: CustomerRecord, ctx: SegmentContext): boolean {
  switch (cond.filter) {
    case "customer_tags": {
      const has = customer.tags.some((t) => t.toLowerCase() === cond.value.toLowerCase());
      if (cond.op === "CONTAINS") return has;
      if (cond.op === "NOT CONTAINS") return !has;
      throw new SegmentQueryError(`Line 1: customer_tags supports CONTAINS / NOT CONTAINS`);
    }
    case "amount_spent":
      return compare(customerStats(ctx.shop, customer.id).amountSpentCents / 100, cond.op, Number(cond.value));
    case "number_of_orders":
      return compare(customerStats(ctx.shop, customer.id).numberOfOrders, cond.op, Number(cond.value));
    case "last_order_date": {
      const last = customerStats(ctx.shop, customer.id).lastOrder;
      return last !== null && compare(last.processedAt, cond.op, segmentDate(cond.value, ctx.now));
    }
    case "customer_added_date":
      return compare(customer.createdAt, cond.op, segmentDate(cond.value, ctx.now));
    case "rfm_group":
      return compare(ctx.rfmGroups.get(customer.id) ?? "", cond.op, cond.value.toUpperCase());
    case "customer_account_status":
      return compare(customer.state, cond.op, cond.value.toUpperCase());
    default:
      throw new SegmentQueryError(`Line 1: '${cond.filter}' filter cannot be found.`);
  }
}

function compare<V extends number | string>(actual: V, op: Op, wanted: V): boolean {
  switch (op) {
    case "=":
      return actual === wanted;
    case "!=":
      return actual !== wanted;
    case ">":
      return actual > wanted;
    case ">=":
      return actual >= wanted;
    case "<":
      return actual < wanted;
    case "<=":
      return actual <= wanted;
    default:
      throw new SegmentQueryError(`Line 1: operator ${op} is not valid here`);
  }
}

/** `-90d` (days ago), `today`, `yesterday` or an ISO date. */
function segmentDate(value: string, now: number): number {
  const rel = /^-(\d+)([dwmy])$/.exec(value);
  if (rel) {
    const days = { d: 1, w: 7, m: 30, y: 365 }[rel[2] as "d" | "w" | "m" | "y"] * Number(rel[1]);
    return now - days * 86_400_000;
  }
  if (value === "today") return now - (now % 86_400_000);
  if (value === "yesterday") return now - (now % 86_400_000) - 86_400_000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new SegmentQueryError(`Line 1: '${value}' is not a valid date`);
  return at;
}
