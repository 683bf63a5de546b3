// Read side of the Admin API: the query root and the "views" that present state records as
// GraphQL objects. A view holds plain values or functions `(args) => value`; graphql.ts calls
// them. A field missing from a view is an unsupported field and fails loudly (see graphql.ts).
import { GraphQLError } from "graphql";
import { iso } from "./clock.js";
import { connection, sortByKey, sortedById, type ConnectionArgs, type SortValue } from "./connections.js";
import type { BulkOperationRecord, ResolverContext, WebhookSubscriptionRecord } from "./context.js";
import { gid, parseGid } from "./ids.js";
import { formatCents, moneyBag, moneyV2, type MoneyBag } from "./money.js";
import { compileSearch, type SearchFields } from "./search-query.js";
import { matchesSegment, parseSegmentQuery, RFM_GROUPS, SEGMENT_FILTERS, SegmentQueryError } from "./segment-query.js";
import {
  customerStats,
  financialStatus,
  orderTotals,
  refundedQuantity,
  type CustomerRecord,
  type LineItemRecord,
  type OrderRecord,
  type ProductRecord,
  type RefundRecord,
  type SegmentRecord,
  type ShopState,
  type VariantRecord,
} from "./state.js";

export type View = Record<string, unknown>;
type Args = Record<string, unknown>;

// ---- helpers ---------------------------------------------------------------------------------

function connArgs(args: Args): ConnectionArgs {
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
function rootConnection<T>(
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
function listConnection<T extends { id: number }>(ctx: ResolverContext, items: readonly T[], args: Args, node: (item: T) => View): View {
  return connection(sortedById(items), connArgs(args), { key: (i) => [0, i.id], node, unbounded: ctx.bulkWindow !== null });
}

function resolveGidOfType(value: unknown, type: string): number | null {
  if (typeof value !== "string") return null;
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}

// ---- search fields -------------------------------------------------------------------------

const orderSearch: SearchFields<OrderRecord> = {
  created_at: { kind: "date", get: (o) => o.createdAt },
  updated_at: { kind: "date", get: (o) => o.updatedAt },
  processed_at: { kind: "date", get: (o) => o.processedAt },
  id: { kind: "id", get: (o) => o.id },
  name: { kind: "string", get: (o) => o.name },
  customer_id: { kind: "id", get: (o) => o.customerId },
  financial_status: { kind: "string", get: (o) => financialStatus(o).toLowerCase() },
  status: { kind: "string", get: (o) => (o.cancelledAt !== null ? "cancelled" : "open") },
  tag: { kind: "tags", get: (o) => o.tags },
  test: { kind: "boolean", get: (o) => o.test },
};

const customerSearch: SearchFields<CustomerRecord> = {
  created_at: { kind: "date", get: (c) => c.createdAt },
  updated_at: { kind: "date", get: (c) => c.updatedAt },
  id: { kind: "id", get: (c) => c.id },
  tag: { kind: "tags", get: (c) => c.tags },
  state: { kind: "string", get: (c) => c.state.toLowerCase() },
  country: { kind: "string", get: (c) => c.countryCode },
};

const productSearch: SearchFields<ProductRecord> = {
  created_at: { kind: "date", get: (p) => p.createdAt },
  updated_at: { kind: "date", get: (p) => p.updatedAt },
  id: { kind: "id", get: (p) => p.id },
  handle: { kind: "string", get: (p) => p.handle },
  title: { kind: "string", get: (p) => p.title },
  status: { kind: "string", get: (p) => p.status.toLowerCase() },
  tag: { kind: "tags", get: (p) => p.tags },
  sku: { kind: "string", get: (p) => p.variants[0]?.sku ?? null },
};

const bulkSearch: SearchFields<BulkOperationRecord> = {
  created_at: { kind: "date", get: (b) => b.createdAt },
  id: { kind: "id", get: (b) => b.id },
  status: { kind: "string", get: (b) => b.status.toLowerCase() },
  operation_type: { kind: "string", get: (b) => b.type.toLowerCase() },
};

const segmentSearch: SearchFields<SegmentRecord> = {
  id: { kind: "id", get: (s) => s.id },
  name: { kind: "string", get: (s) => s.name },
};

const subscriptionSearch: SearchFields<WebhookSubscriptionRecord> = {
  id: { kind: "id", get: (s) => s.id },
  topic: { kind: "string", get: (s) => s.topic.toLowerCase() },
};

// ---- views -------------------------------------------------------------------------------------

export function shopView(ctx: ResolverContext): View {
  const s = ctx.shop.settings;
  return {
    __typename: "Shop",
    id: gid("Shop", shopNumericId(ctx.shop)),
    name: s.name,
    myshopifyDomain: s.domain,
    currencyCode: s.currencyCode,
    ianaTimezone: s.ianaTimezone,
    email: `shop@${s.domain}`,
    contactEmail: `shop@${s.domain}`,
    createdAt: iso(ctx.shop.createdAt),
    plan: { publicDisplayName: s.planDisplayName, displayName: s.planDisplayName, partnerDevelopment: s.partnerDevelopment, shopifyPlus: s.shopifyPlus },
    primaryDomain: { host: s.domain, url: `https://${s.domain}`, sslEnabled: true, id: gid("Shop", shopNumericId(ctx.shop)) },
    enabledPresentmentCurrencies: [s.currencyCode],
    timezoneAbbreviation: s.ianaTimezone === "Europe/London" ? "GMT" : "UTC",
  };
}

export function shopNumericId(shop: ShopState): number {
  // Stable per domain so restarting the demo keeps the same shop id.
  let hash = 0;
  for (const ch of shop.domain) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return 60_000_000_000 + (hash % 1_000_000_000);
}

/**
 * Orders: a class with prototype getters, so nothing is computed unless selected and no
 * closures are allocated per order (bulk exports build one view per order of the shop).
 */
class OrderGql {
  readonly __typename = "Order";
  readonly #ctx: ResolverContext;
  readonly #o: OrderRecord;
  #totals: ReturnType<typeof orderTotals> | undefined;
  constructor(ctx: ResolverContext, order: OrderRecord) {
    this.#ctx = ctx;
    this.#o = order;
  }
  get #currency(): string {
    return this.#ctx.shop.settings.currencyCode;
  }
  #sums(): ReturnType<typeof orderTotals> {
    return (this.#totals ??= orderTotals(this.#o));
  }
  #money(cents: number): MoneyBag {
    return moneyBag(cents, this.#currency);
  }
  get id(): string {
    return gid("Order", this.#o.id);
  }
  get legacyResourceId(): string {
    return String(this.#o.id);
  }
  get name(): string {
    return this.#o.name;
  }
  get number(): number {
    return this.#o.number;
  }
  // Protected customer data is never held by the simulator: email/phone are always null.
  get email(): null {
    return null;
  }
  get phone(): null {
    return null;
  }
  get note(): null {
    return null;
  }
  get createdAt(): string {
    return iso(this.#o.createdAt);
  }
  get updatedAt(): string {
    return iso(this.#o.updatedAt);
  }
  get processedAt(): string {
    return iso(this.#o.processedAt);
  }
  get cancelledAt(): string | null {
    return this.#o.cancelledAt === null ? null : iso(this.#o.cancelledAt);
  }
  get cancelReason(): string | null {
    return this.#o.cancelReason;
  }
  get closed(): boolean {
    return this.#o.cancelledAt !== null;
  }
  get closedAt(): string | null {
    return this.#o.cancelledAt === null ? null : iso(this.#o.cancelledAt);
  }
  get confirmed(): boolean {
    return true;
  }
  get test(): boolean {
    return this.#o.test;
  }
  get tags(): string[] {
    return this.#o.tags;
  }
  get currencyCode(): string {
    return this.#currency;
  }
  get presentmentCurrencyCode(): string {
    return this.#currency;
  }
  get displayFinancialStatus(): string {
    return financialStatus(this.#o);
  }
  get displayFulfillmentStatus(): string {
    return "FULFILLED";
  }
  get fullyPaid(): boolean {
    return true;
  }
  get refundable(): boolean {
    return this.#sums().currentTotalCents > 0;
  }
  get sourceName(): string {
    return "web";
  }
  get currentSubtotalLineItemsQuantity(): number {
    return this.#sums().currentSubtotalQuantity;
  }
  get totalPriceSet(): MoneyBag {
    return this.#money(this.#sums().totalCents);
  }
  get originalTotalPriceSet(): MoneyBag {
    return this.#money(this.#sums().totalCents);
  }
  get subtotalPriceSet(): MoneyBag {
    return this.#money(this.#sums().totalCents);
  }
  get currentTotalPriceSet(): MoneyBag {
    return this.#money(this.#sums().currentTotalCents);
  }
  get currentSubtotalPriceSet(): MoneyBag {
    return this.#money(this.#sums().currentTotalCents);
  }
  get totalRefundedSet(): MoneyBag {
    return this.#money(this.#sums().refundedCents);
  }
  get totalDiscountsSet(): MoneyBag {
    return this.#money(0);
  }
  get currentTotalDiscountsSet(): MoneyBag {
    return this.#money(0);
  }
  get totalTaxSet(): MoneyBag {
    return this.#money(0);
  }
  get currentTotalTaxSet(): MoneyBag {
    return this.#money(0);
  }
  get totalShippingPriceSet(): MoneyBag {
    return this.#money(0);
  }
  get netPaymentSet(): MoneyBag {
    return this.#money(this.#sums().currentTotalCents);
  }
  get customer(): View | null {
    const order = this.#o;
    if (order.customerId === null) return null;
    const customer = this.#ctx.shop.customers.get(order.customerId);
    return customer ? customerView(this.#ctx, customer) : null;
  }
  lineItems(args: Args): View {
    const ctx = this.#ctx;
    const order = this.#o;
    return listConnection(ctx, order.lineItems, args, (line) => lineItemView(ctx, order, line));
  }
  // Order.refunds is a plain list (not a connection), limited by `first`.
  refunds(args: Args): View[] {
    const order = this.#o;
    const first = typeof args.first === "number" ? args.first : order.refunds.length;
    return order.refunds.slice(0, first).map((r) => refundView(this.#ctx, order, r));
  }
}

export function orderView(ctx: ResolverContext, order: OrderRecord): View {
  return new OrderGql(ctx, order) as unknown as View;
}

/**
 * Line items are ~96 % of a bulk export's objects, so their view is a class with prototype
 * getters (no per-object closures): graphql-js only evaluates the selected fields.
 */
class LineItemGql {
  readonly __typename = "LineItem";
  readonly #ctx: ResolverContext;
  readonly #order: OrderRecord;
  readonly #line: LineItemRecord;
  constructor(ctx: ResolverContext, order: OrderRecord, line: LineItemRecord) {
    this.#ctx = ctx;
    this.#order = order;
    this.#line = line;
  }
  #money(cents: number): ReturnType<typeof moneyBag> {
    return moneyBag(cents, this.#ctx.shop.settings.currencyCode);
  }
  get id(): string {
    return gid("LineItem", this.#line.id);
  }
  get name(): string {
    return this.#line.title;
  }
  get title(): string {
    return this.#line.title;
  }
  get sku(): string | null {
    return this.#line.sku;
  }
  get vendor(): null {
    return null;
  }
  get variantTitle(): null {
    return null;
  }
  get quantity(): number {
    return this.#line.quantity;
  }
  get currentQuantity(): number {
    return this.#line.quantity - refundedQuantity(this.#order, this.#line);
  }
  get refundableQuantity(): number {
    return this.currentQuantity;
  }
  get unfulfilledQuantity(): number {
    return 0;
  }
  get fulfillableQuantity(): number {
    return 0;
  }
  get isGiftCard(): boolean {
    return false;
  }
  get requiresShipping(): boolean {
    return true;
  }
  get taxable(): boolean {
    return true;
  }
  get product(): View | null {
    const product = this.#line.productId === null ? undefined : this.#ctx.shop.products.get(this.#line.productId);
    return product ? productView(this.#ctx, product) : null;
  }
  get variant(): View | null {
    const variant = this.#line.variantId === null ? undefined : this.#ctx.shop.variants.get(this.#line.variantId);
    return variant ? variantView(this.#ctx, variant) : null;
  }
  get originalUnitPriceSet(): ReturnType<typeof moneyBag> {
    return this.#money(this.#line.unitPriceCents);
  }
  get discountedUnitPriceSet(): ReturnType<typeof moneyBag> {
    return this.#money(this.#line.unitPriceCents);
  }
  get discountedUnitPriceAfterAllDiscountsSet(): ReturnType<typeof moneyBag> {
    return this.#money(this.#line.unitPriceCents);
  }
  get originalTotalSet(): ReturnType<typeof moneyBag> {
    return this.#money(this.#line.unitPriceCents * this.#line.quantity);
  }
  get discountedTotalSet(): ReturnType<typeof moneyBag> {
    return this.#money(this.#line.unitPriceCents * this.#line.quantity);
  }
  get totalDiscountSet(): ReturnType<typeof moneyBag> {
    return this.#money(0);
  }
  get originalUnitPrice(): string {
    return formatCents(this.#line.unitPriceCents);
  }
  get discountedUnitPrice(): string {
    return formatCents(this.#line.unitPriceCents);
  }
  get originalTotal(): string {
    return formatCents(this.#line.unitPriceCents * this.#line.quantity);
  }
  get discountedTotal(): string {
    return formatCents(this.#line.unitPriceCents * this.#line.quantity);
  }
}

export function lineItemView(ctx: ResolverContext, order: OrderRecord, line: LineItemRecord): View {
  return new LineItemGql(ctx, order, line) as unknown as View;
}

/** Product and variant GIDs recur on every line item that references them: formatted once per record. */
const recordGids = new WeakMap<ProductRecord | VariantRecord, string>();

function cachedGid(record: ProductRecord | VariantRecord, type: "Product" | "ProductVariant"): string {
  let value = recordGids.get(record);
  if (value === undefined) {
    value = gid(type, record.id);
    recordGids.set(record, value);
  }
  return value;
}

/** Referenced from every line item (`product { id }`): prototype getters, nothing eager. */
class ProductGql {
  readonly __typename = "Product";
  readonly #ctx: ResolverContext;
  readonly #p: ProductRecord;
  constructor(ctx: ResolverContext, product: ProductRecord) {
    this.#ctx = ctx;
    this.#p = product;
  }
  get id(): string {
    return cachedGid(this.#p, "Product");
  }
  get legacyResourceId(): string {
    return String(this.#p.id);
  }
  get title(): string {
    return this.#p.title;
  }
  get handle(): string {
    return this.#p.handle;
  }
  get status(): string {
    return this.#p.status;
  }
  get tags(): string[] {
    return this.#p.tags;
  }
  get vendor(): string {
    return this.#ctx.shop.settings.name;
  }
  get productType(): string {
    return "";
  }
  get createdAt(): string {
    return iso(this.#p.createdAt);
  }
  get updatedAt(): string {
    return iso(this.#p.updatedAt);
  }
  get publishedAt(): string | null {
    return this.#p.status === "ACTIVE" ? iso(this.#p.createdAt) : null;
  }
  // Shopify returns null for products not published to the online store.
  get onlineStoreUrl(): string | null {
    return this.#p.status === "ACTIVE" ? `https://${this.#ctx.shop.domain}/products/${this.#p.handle}` : null;
  }
  get totalVariants(): number {
    return this.#p.variants.length;
  }
  get hasOnlyDefaultVariant(): boolean {
    return this.#p.variants.length === 1;
  }
  get featuredImage(): View | null {
    const p = this.#p;
    return p.imageUrl ? { __typename: "Image", url: p.imageUrl, altText: p.title, src: p.imageUrl, originalSrc: p.imageUrl, width: 800, height: 800, id: gid("ProductImage", p.mediaId) } : null;
  }
  get featuredMedia(): View | null {
    const image = this.featuredImage;
    return image ? { __typename: "MediaImage", id: gid("MediaImage", this.#p.mediaId), alt: this.#p.title, mediaContentType: "IMAGE", status: "READY", image, preview: { image, status: "READY" } } : null;
  }
  get priceRangeV2(): View {
    const prices = this.#p.variants.map((v) => v.priceCents);
    const currency = this.#ctx.shop.settings.currencyCode;
    return { minVariantPrice: moneyV2(prices.length ? Math.min(...prices) : 0, currency), maxVariantPrice: moneyV2(prices.length ? Math.max(...prices) : 0, currency) };
  }
  variants(args: Args): View {
    return listConnection(this.#ctx, this.#p.variants, args, (v) => variantView(this.#ctx, v));
  }
}

export function refundView(ctx: ResolverContext, order: OrderRecord, refund: RefundRecord): View {
  const currency = ctx.shop.settings.currencyCode;
  const total = refund.transactions.reduce((sum, t) => sum + t.amountCents, 0);
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    legacyResourceId: String(refund.id),
    createdAt: iso(refund.createdAt),
    updatedAt: iso(refund.createdAt),
    processedAt: iso(refund.createdAt),
    note: refund.note,
    totalRefundedSet: moneyBag(total, currency),
    totalRefunded: moneyV2(total, currency),
    order: () => orderView(ctx, order),
    refundLineItems: (args: Args) =>
      listConnection(ctx, refund.lineItems, args, (rli) => {
        const line = order.lineItems.find((l) => l.id === rli.lineItemId);
        return {
          __typename: "RefundLineItem",
          id: gid("RefundLineItem", rli.id),
          quantity: rli.quantity,
          restockType: "NO_RESTOCK",
          restocked: false,
          lineItem: line ? lineItemView(ctx, order, line) : null,
          subtotalSet: moneyBag(rli.subtotalCents, currency),
          priceSet: moneyBag(line?.unitPriceCents ?? 0, currency),
          totalTaxSet: moneyBag(0, currency),
          subtotal: formatCents(rli.subtotalCents),
          price: formatCents(line?.unitPriceCents ?? 0),
          totalTax: "0.00",
        };
      }),
    transactions: (args: Args) =>
      listConnection(ctx, refund.transactions, args, (tx) => ({
        __typename: "OrderTransaction",
        id: gid("OrderTransaction", tx.id),
        kind: tx.kind,
        status: "SUCCESS",
        gateway: "manual",
        test: order.test,
        createdAt: iso(tx.createdAt),
        processedAt: iso(tx.createdAt),
        amountSet: moneyBag(tx.amountCents, currency),
        amount: formatCents(tx.amountCents),
      })),
  };
}

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

export function productView(ctx: ResolverContext, product: ProductRecord): View {
  return new ProductGql(ctx, product) as unknown as View;
}

/** Referenced from every line item (`variant { id }`): prototype getters, nothing eager. */
class VariantGql {
  readonly __typename = "ProductVariant";
  readonly #ctx: ResolverContext;
  readonly #v: VariantRecord;
  constructor(ctx: ResolverContext, variant: VariantRecord) {
    this.#ctx = ctx;
    this.#v = variant;
  }
  get #product(): ProductRecord | undefined {
    return this.#ctx.shop.products.get(this.#v.productId);
  }
  get id(): string {
    return cachedGid(this.#v, "ProductVariant");
  }
  get legacyResourceId(): string {
    return String(this.#v.id);
  }
  get title(): string {
    return this.#v.title;
  }
  get displayName(): string {
    return `${this.#product?.title ?? ""} - ${this.#v.title}`;
  }
  get sku(): string | null {
    return this.#v.sku;
  }
  get price(): string {
    return formatCents(this.#v.priceCents);
  }
  get availableForSale(): boolean {
    return this.#product?.status === "ACTIVE";
  }
  get createdAt(): string {
    return iso(this.#product?.createdAt ?? 0);
  }
  get updatedAt(): string {
    return iso(this.#product?.updatedAt ?? 0);
  }
  product(): View | null {
    const product = this.#product;
    return product ? productView(this.#ctx, product) : null;
  }
}

export function variantView(ctx: ResolverContext, variant: VariantRecord): View {
  return new VariantGql(ctx, variant) as unknown as View;
}

export function bulkOperationView(op: BulkOperationRecord): View {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    status: op.status,
    type: op.type,
    errorCode: op.errorCode,
    createdAt: iso(op.createdAt),
    completedAt: op.completedAt === null ? null : iso(op.completedAt),
    // UnsignedInt64 is serialised as a string by Shopify.
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null ? null : String(op.fileSize),
    url: op.url,
    partialDataUrl: op.partialDataUrl,
    query: op.query,
  };
}

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

function subscriptionView(sub: WebhookSubscriptionRecord): View {
  const topicEnum = sub.topic.toUpperCase().replace(/[/.]/g, "_");
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", sub.id),
    legacyResourceId: String(sub.id),
    topic: topicEnum,
    uri: sub.uri,
    callbackUrl: sub.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: sub.uri },
    includeFields: sub.includeFields,
    filter: sub.filter,
    name: sub.name,
    format: "JSON",
    metafieldNamespaces: [],
    apiVersion: { handle: "2026-10", displayName: "2026-10", supported: true },
    createdAt: iso(sub.createdAt),
    updatedAt: iso(sub.createdAt),
  };
}

function appInstallationView(ctx: ResolverContext): View {
  const app = ctx.app;
  return {
    __typename: "AppInstallation",
    id: gid("AppInstallation", app.installationId),
    accessScopes: ctx.shop.scopes.map((handle) => ({ handle, description: handle })),
    launchUrl: `https://admin.shopify.com/store/${ctx.shop.domain.replace(".myshopify.com", "")}/apps/${app.handle}`,
    uninstallUrl: null,
    activeSubscriptions: [],
    app: {
      __typename: "App",
      id: gid("App", app.appId),
      handle: app.handle,
      title: app.title,
      apiKey: app.apiKey,
      embedded: true,
      published: false,
      developerName: "Segmint",
    },
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

// ---- sort keys --------------------------------------------------------------------------------

const orderSortKeys: Record<string, (o: OrderRecord) => SortValue> = {
  ID: (o) => o.id,
  CREATED_AT: (o) => o.createdAt,
  UPDATED_AT: (o) => o.updatedAt,
  PROCESSED_AT: (o) => o.processedAt,
  ORDER_NUMBER: (o) => o.number,
};
const customerSortKeys: Record<string, (c: CustomerRecord) => SortValue> = {
  ID: (c) => c.id,
  CREATED_AT: (c) => c.createdAt,
  UPDATED_AT: (c) => c.updatedAt,
  NAME: (c) => c.label,
};
const productSortKeys: Record<string, (p: ProductRecord) => SortValue> = {
  ID: (p) => p.id,
  CREATED_AT: (p) => p.createdAt,
  UPDATED_AT: (p) => p.updatedAt,
  TITLE: (p) => p.title.toLowerCase(),
};

// ---- node lookup -----------------------------------------------------------------------------

export function nodeById(ctx: ResolverContext, id: unknown): View | null {
  if (typeof id !== "string") return null;
  const parsed = parseGid(id);
  if (!parsed) return null;
  const shop = ctx.shop;
  switch (parsed.type) {
    case "Order": {
      const order = shop.orders.get(parsed.id);
      return order ? orderView(ctx, order) : null;
    }
    case "Customer": {
      const customer = shop.customers.get(parsed.id);
      return customer ? customerView(ctx, customer) : null;
    }
    case "Product": {
      const product = shop.products.get(parsed.id);
      return product ? productView(ctx, product) : null;
    }
    case "ProductVariant": {
      const variant = shop.variants.get(parsed.id);
      return variant ? variantView(ctx, variant) : null;
    }
    case "LineItem": {
      const order = shop.orderOfLineItem(parsed.id);
      const line = order?.lineItems.find((l) => l.id === parsed.id);
      return order && line ? lineItemView(ctx, order, line) : null;
    }
    case "Refund": {
      const refund = shop.refunds.get(parsed.id);
      const order = refund?.orderId == null ? undefined : shop.orders.get(refund.orderId);
      return refund && order ? refundView(ctx, order, refund) : null;
    }
    case "BulkOperation": {
      const op = ctx.bulk.get(shop, parsed.id);
      return op ? bulkOperationView(op) : null;
    }
    case "Segment": {
      const segment = shop.segments.get(parsed.id);
      return segment ? segmentView(segment) : null;
    }
    case "WebhookSubscription": {
      const sub = ctx.subscriptions.find((s) => s.id === parsed.id);
      return sub ? subscriptionView(sub) : null;
    }
    default:
      return null;
  }
}

// ---- query root -----------------------------------------------------------------------------

export function queryRoot(ctx: ResolverContext): View {
  const shop = ctx.shop;
  return {
    shop: () => shopView(ctx),
    orders: (args: Args) => rootConnection(ctx, "orders", () => shop.orders.values(), args, orderSortKeys, "ID", (o) => o.id, orderSearch, (o) => orderView(ctx, o)),
    order: (args: Args) => {
      const id = resolveGidOfType(args.id, "Order");
      const order = id === null ? undefined : shop.orders.get(id);
      return order ? orderView(ctx, order) : null;
    },
    customers: (args: Args) =>
      rootConnection(ctx, "customers", () => shop.customers.values(), args, customerSortKeys, "ID", (c) => c.id, customerSearch, (c) => customerView(ctx, c)),
    customer: (args: Args) => {
      const id = resolveGidOfType(args.id, "Customer");
      const customer = id === null ? undefined : shop.customers.get(id);
      return customer ? customerView(ctx, customer) : null;
    },
    products: (args: Args) =>
      rootConnection(ctx, "products", () => shop.products.values(), args, productSortKeys, "ID", (p) => p.id, productSearch, (p) => productView(ctx, p)),
    product: (args: Args) => {
      const id = resolveGidOfType(args.id, "Product");
      const product = id === null ? undefined : shop.products.get(id);
      return product ? productView(ctx, product) : null;
    },
    node: (args: Args) => nodeById(ctx, args.id),
    nodes: (args: Args) => {
      const ids = Array.isArray(args.ids) ? args.ids : [];
      if (ids.length > 250) throw new GraphQLError("The ids argument accepts at most 250 ids.", { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
      return ids.map((id) => nodeById(ctx, id));
    },
    bulkOperation: (args: Args) => {
      const id = resolveGidOfType(args.id, "BulkOperation");
      const op = id === null ? null : ctx.bulk.get(shop, id);
      return op ? bulkOperationView(op) : null;
    },
    // Deprecated in 2026-01+ but still served: the most recent operation of that type.
    currentBulkOperation: (args: Args) => {
      const type = args.type === "MUTATION" ? "MUTATION" : "QUERY";
      const ops = ctx.bulk.list(shop).filter((op) => op.type === type);
      const latest = ops[ops.length - 1];
      return latest ? bulkOperationView(latest) : null;
    },
    bulkOperations: (args: Args) =>
      rootConnection(
        ctx,
        "bulkOperations",
        () => ctx.bulk.list(shop),
        args,
        {
          CREATED_AT: (b) => b.createdAt,
          COMPLETED_AT: (b) => b.completedAt ?? Number.MAX_SAFE_INTEGER,
          ID: (b) => b.id,
          STATUS: (b) => b.status,
        },
        "CREATED_AT",
        (b) => b.id,
        bulkSearch,
        (b) => bulkOperationView(b),
        true,
      ),
    currentAppInstallation: () => appInstallationView(ctx),
    appInstallation: (args: Args) => (args.id == null || resolveGidOfType(args.id, "AppInstallation") === ctx.app.installationId ? appInstallationView(ctx) : null),
    webhookSubscriptions: (args: Args) => {
      const topics = Array.isArray(args.topics) ? new Set(args.topics.map(String)) : null;
      const subs = ctx.subscriptions.filter((s) => !topics || topics.has(s.topic.toUpperCase().replace(/[/.]/g, "_")));
      return rootConnection(ctx, "webhookSubscriptions", () => subs, args, { ID: (s) => s.id, CREATED_AT: (s) => s.createdAt }, "CREATED_AT", (s) => s.id, subscriptionSearch, subscriptionView, true);
    },
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
