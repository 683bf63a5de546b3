// Orders, their line items and refunds as GraphQL views, and the `orders` / `order` root fields.
// Order.customer and Customer.orders make orders.ts and customers.ts import each other; both
// only call across at resolve time, never while the modules load.
import { iso } from "../clock";
import type { SortValue } from "../connections";
import type { ResolverContext } from "../context";
import { gid } from "../ids";
import { formatCents, moneyBag, moneyV2, type MoneyBag } from "../money";
import type { SearchFields } from "../search-query";
import { financialStatus, orderTotals, refundedQuantity, type LineItemRecord, type OrderRecord, type RefundRecord } from "../state";
import { listConnection, resolveGidOfType, rootConnection, type Args, type View } from "./common";
import { customerView } from "./customers";
import { productView, variantView } from "./products";

export const orderSearch: SearchFields<OrderRecord> = {
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

export const orderSortKeys: Record<string, (o: OrderRecord) => SortValue> = {
  ID: (o) => o.id,
  CREATED_AT: (o) => o.createdAt,
  UPDATED_AT: (o) => o.updatedAt,
  PROCESSED_AT: (o) => o.processedAt,
  ORDER_NUMBER: (o) => o.number,
};

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

/** Root fields: `orders`, `order`. */
export function orderQueries(ctx: ResolverContext): View {
  const shop = ctx.shop;
  return {
    orders: (args: Args) => rootConnection(ctx, "orders", () => shop.orders.values(), args, orderSortKeys, "ID", (o) => o.id, orderSearch, (o) => orderView(ctx, o)),
    order: (args: Args) => {
      const id = resolveGidOfType(args.id, "Order");
      const order = id === null ? undefined : shop.orders.get(id);
      return order ? orderView(ctx, order) : null;
    },
  };
}
