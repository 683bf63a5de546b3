// Customer segments (the ShopifyQL subset of ../segment-query.ts) as GraphQL views, and the
// segment root fields: segments, filters, value suggestions, members and membership.
import { GraphQLError } from "graphql";
import { iso } from "../clock";
import { connection, sortByKey } from "../connections";
import type { ResolverContext } from "../context";
import { gid } from "../ids";
import { moneyV2 } from "../money";
import type { SearchFields } from "../search-query";
import { matchesSegment, parseSegmentQuery, RFM_GROUPS, SEGMENT_FILTERS, SegmentQueryError } from "../segment-query";
import { customerStats, type CustomerRecord, type SegmentRecord } from "../state";
import { connArgs, resolveGidOfType, rootConnection, type Args, type View } from "./common";

const segmentSearch: SearchFields<SegmentRecord> = {
  id: { kind: "id", get: (s) => s.id },
  name: { kind: "string", get: (s) => s.name },
};

export function segmentView(segment: SegmentRecord): View {
  return {
    __typename: "Segment",
    id: gid("Segment", segment.id),
    name: segment.name,
    query: segment.query,
    creationDate: iso(segment.createdAt),
    lastEditDate: iso(segment.updatedAt),
  };
}

function customerSegmentMemberView(ctx: ResolverContext, customer: CustomerRecord): View {
  const stats = customerStats(ctx.shop, customer.id);
  return {
    __typename: "CustomerSegmentMember",
    id: gid("CustomerSegmentMember", customer.id),
    displayName: customer.label,
    firstName: null,
    lastName: null,
    defaultEmailAddress: null,
    defaultPhoneNumber: null,
    defaultAddress: null,
    note: customer.note,
    amountSpent: moneyV2(stats.amountSpentCents, ctx.shop.settings.currencyCode),
    numberOfOrders: String(stats.numberOfOrders),
    lastOrderId: stats.lastOrder ? gid("Order", stats.lastOrder.id) : null,
  };
}

/** Root fields: `segments`, `segment`, `segmentFilters`, `segmentValueSuggestions`, `customerSegmentMembers`, `customerSegmentMembership`. */
export function segmentQueries(ctx: ResolverContext): View {
  const shop = ctx.shop;
  return {
    segments: (args: Args) =>
      rootConnection(
        ctx,
        "segments",
        () => shop.segments.values(),
        args,
        { ID: (s) => s.id, CREATION_DATE: (s) => s.createdAt, LAST_EDIT_DATE: (s) => s.updatedAt },
        "CREATION_DATE",
        (s) => s.id,
        segmentSearch,
        segmentView,
        true,
      ),
    segment: (args: Args) => {
      const id = resolveGidOfType(args.id, "Segment");
      const segment = id === null ? undefined : shop.segments.get(id);
      return segment ? segmentView(segment) : null;
    },
    segmentFilters: (args: Args) =>
      connection(
        SEGMENT_FILTERS.map((f, i) => ({ ...f, id: i + 1 })),
        connArgs(args),
        { key: (f) => [0, f.id], node: (f) => ({ __typename: f.typename, queryName: f.queryName, localizedName: f.localizedName, multiValue: f.multiValue, minRange: null, maxRange: null }), unbounded: false },
      ),
    segmentValueSuggestions: (args: Args) => {
      // Only enum filters have suggestions here; rfm_group values are the CustomerRfmGroup enum.
      const values =
        args.filterQueryName === "rfm_group"
          ? RFM_GROUPS.map((g) => ({ queryName: g, localizedValue: g.charAt(0) + g.slice(1).toLowerCase().replace(/_/g, " ") }))
          : args.filterQueryName === "customer_account_status"
            ? ["ENABLED", "DISABLED", "INVITED", "DECLINED"].map((v) => ({ queryName: v, localizedValue: v.charAt(0) + v.slice(1).toLowerCase() }))
            : [];
      const search = typeof args.search === "string" ? args.search.toLowerCase() : "";
      const matched = values.filter((v) => v.localizedValue.toLowerCase().includes(search)).map((v, i) => ({ ...v, id: i + 1 }));
      return connection(matched, connArgs(args), { key: (v) => [0, v.id], node: (v) => ({ queryName: v.queryName, localizedValue: v.localizedValue }), unbounded: false });
    },
    customerSegmentMembers: (args: Args) => {
      let query: string | null = typeof args.query === "string" ? args.query : null;
      if (query === null && typeof args.segmentId === "string") {
        const segmentId = resolveGidOfType(args.segmentId, "Segment");
        const segment = segmentId === null ? undefined : shop.segments.get(segmentId);
        if (!segment) throw new GraphQLError("Segment does not exist", { extensions: { code: "NOT_FOUND" } });
        query = segment.query;
      }
      if (query === null) throw new GraphQLError("One of query, segmentId or queryId is required", { extensions: { code: "BAD_REQUEST" } });
      let expr;
      try {
        expr = parseSegmentQuery(query);
      } catch (error) {
        throw new GraphQLError(error instanceof SegmentQueryError ? error.message : String(error), { extensions: { code: "INVALID_SEGMENT_QUERY" } });
      }
      const segCtx = { shop, now: ctx.now, rfmGroups: ctx.rfmGroups };
      const members = sortByKey(shop.customers.values(), (c) => [0, c.id]).filter((c) => matchesSegment(expr, c, segCtx));
      const conn = connection(members, connArgs(args), { key: (c) => [0, c.id], node: (c) => customerSegmentMemberView(ctx, c), unbounded: false, maxPageSize: 1000 });
      return { ...conn, totalCount: members.length };
    },
    customerSegmentMembership: (args: Args) => {
      const customerId = resolveGidOfType(args.customerId, "Customer");
      const customer = customerId === null ? undefined : shop.customers.get(customerId);
      const segmentIds = Array.isArray(args.segmentIds) ? args.segmentIds.map(String) : [];
      const segCtx = { shop, now: ctx.now, rfmGroups: ctx.rfmGroups };
      return {
        memberships: segmentIds.map((segmentGid) => {
          const segId = resolveGidOfType(segmentGid, "Segment");
          const segment = segId === null ? undefined : shop.segments.get(segId);
          const isMember = Boolean(customer && segment && matchesSegment(parseSegmentQuery(segment.query), customer, segCtx));
          return { segmentId: segmentGid, isMember };
        }),
      };
    },
  };
}
