// Customers as GraphQL views (no PII: the simulator holds none) and the `customers` / `customer`
// root fields.
import { iso } from "../clock";
import type { SortValue } from "../connections";
import type { ResolverContext } from "../context";
import { gid } from "../ids";
import { moneyV2 } from "../money";
import type { SearchFields } from "../search-query";
import { customerStats, type CustomerRecord } from "../state";
import { resolveGidOfType, rootConnection, type Args, type View } from "./common";
import { orderSearch, orderSortKeys, orderView } from "./orders";

const customerSearch: SearchFields<CustomerRecord> = {
  created_at: { kind: "date", get: (c) => c.createdAt },
  updated_at: { kind: "date", get: (c) => c.updatedAt },
  id: { kind: "id", get: (c) => c.id },
  tag: { kind: "tags", get: (c) => c.tags },
  state: { kind: "string", get: (c) => c.state.toLowerCase() },
  country: { kind: "string", get: (c) => c.countryCode },
};

const customerSortKeys: Record<string, (c: CustomerRecord) => SortValue> = {
  ID: (c) => c.id,
  CREATED_AT: (c) => c.createdAt,
  UPDATED_AT: (c) => c.updatedAt,
  NAME: (c) => c.label,
};

export function customerView(ctx: ResolverContext, customer: CustomerRecord): View {
  const currency = ctx.shop.settings.currencyCode;
  const stats = (): ReturnType<typeof customerStats> => customerStats(ctx.shop, customer.id);
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: String(customer.id),
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    tags: customer.tags,
    state: customer.state,
    note: customer.note,
    displayName: customer.label,
    // No PII in the simulator: name/email/phone are absent, as for an app without Level 2 access.
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    defaultEmailAddress: null,
    defaultPhoneNumber: null,
    defaultAddress: null,
    verifiedEmail: false,
    taxExempt: false,
    locale: "en",
    canDelete: () => stats().numberOfOrders === 0,
    numberOfOrders: () => String(stats().numberOfOrders),
    amountSpent: () => moneyV2(stats().amountSpentCents, currency),
    lastOrder: () => {
      const last = stats().lastOrder;
      return last ? orderView(ctx, last) : null;
    },
    statistics: () => ({ rfmGroup: ctx.rfmGroups.get(customer.id) ?? null, predictedSpendTier: null }),
    orders: (args: Args) =>
      rootConnection(ctx, "Customer.orders", () => ctx.shop.customerOrders(customer.id), args, orderSortKeys, "ID", (o) => o.id, orderSearch, (o) => orderView(ctx, o), true),
  };
}

/** Root fields: `customers`, `customer`. */
export function customerQueries(ctx: ResolverContext): View {
  const shop = ctx.shop;
  return {
    customers: (args: Args) =>
      rootConnection(ctx, "customers", () => shop.customers.values(), args, customerSortKeys, "ID", (c) => c.id, customerSearch, (c) => customerView(ctx, c)),
    customer: (args: Args) => {
      const id = resolveGidOfType(args.id, "Customer");
      const customer = id === null ? undefined : shop.customers.get(id);
      return customer ? customerView(ctx, customer) : null;
    },
  };
}
