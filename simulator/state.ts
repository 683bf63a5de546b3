// In-memory Shopify shop: the records the app can see through the Admin API and webhooks.
// Records are plain data; derived values (order totals, a customer's order count) are computed
// from them so they can never drift apart. Every change bumps `updatedAt` and the shop's
// `version` (used to invalidate sorted-index caches) and emits a ShopEvent for webhooks.
import type { Clock } from "./clock";
import { IdSequence, type GidType } from "./ids";
import type { Cents } from "./money";

export type CustomerState = "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";

export interface CustomerRecord {
  id: number;
  createdAt: number;
  updatedAt: number;
  tags: string[];
  state: CustomerState;
  note: string | null;
  /** Synthetic label ("Customer 17850"): the simulator never holds real names or emails. */
  label: string;
  countryCode: string | null;
  /** The customer's id in the data it was seeded from (the CSV's CustomerID), or null. */
  sourceId: string | null;
}

export interface LineItemRecord {
  id: number;
  productId: number | null;
  variantId: number | null;
  sku: string | null;
  title: string;
  quantity: number;
  unitPriceCents: Cents;
}

export interface RefundLineItemRecord {
  id: number;
  lineItemId: number;
  quantity: number;
  subtotalCents: Cents;
}

export interface TransactionRecord {
  id: number;
  kind: "SALE" | "REFUND";
  amountCents: Cents;
  createdAt: number;
}

export interface RefundRecord {
  id: number;
  /** null only for the seeder's standalone refunds (Shopify has no order-less refunds). */
  orderId: number | null;
  createdAt: number;
  note: string | null;
  lineItems: RefundLineItemRecord[];
  transactions: TransactionRecord[];
  /** Part of the refunded amount not tied to a line (Shopify: order adjustment / discrepancy). */
  adjustmentCents: Cents;
}

export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";

export interface OrderRecord {
  id: number;
  number: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  customerId: number | null;
  test: boolean;
  tags: string[];
  countryCode: string | null;
  lineItems: LineItemRecord[];
  refunds: RefundRecord[];
  saleTransactionId: number;
}

/** An app's order risk assessment (orderRiskAssessmentCreate), kept so tests can read it back. */
export interface RiskAssessmentRecord {
  orderId: number;
  riskLevel: string;
  facts: Array<{ description: string; sentiment: string }>;
  createdAt: number;
}

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT";

export type InventoryPolicy = "DENY" | "CONTINUE";

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  priceCents: Cents;
  /** Whether Shopify tracks this variant's stock (InventoryItem.tracked); untracked variants can always be sold. */
  tracked: boolean;
  /** Units available to sell (ProductVariant.inventoryQuantity; meaningful when tracked). */
  inventoryQuantity: number;
  /** CONTINUE: sold when out of stock too. */
  inventoryPolicy: InventoryPolicy;
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  status: ProductStatus;
  createdAt: number;
  updatedAt: number;
  tags: string[];
  imageUrl: string | null;
  mediaId: number;
  variants: VariantRecord[];
}

export interface SegmentRecord {
  id: number;
  name: string;
  query: string;
  createdAt: number;
  updatedAt: number;
}

export type WebhookTopic =
  | "orders/create"
  | "orders/updated"
  | "orders/paid"
  | "orders/cancelled"
  | "refunds/create"
  | "customers/create"
  | "customers/update"
  | "customers/delete"
  | "products/create"
  | "products/update"
  | "products/delete"
  | "app/uninstalled"
  | "app/scopes_update"
  | "bulk_operations/finish"
  | "customers/data_request"
  | "customers/redact"
  | "shop/redact";

/** A change in the shop that Shopify would announce with a webhook. */
export type ShopEvent =
  | { topic: "orders/create" | "orders/updated" | "orders/paid" | "orders/cancelled"; order: OrderRecord }
  | { topic: "refunds/create"; order: OrderRecord; refund: RefundRecord }
  | { topic: "customers/create" | "customers/update"; customer: CustomerRecord }
  | { topic: "customers/delete"; customerId: number }
  | { topic: "products/create" | "products/update"; product: ProductRecord }
  | { topic: "products/delete"; productId: number };

export interface ShopSettings {
  domain: string;
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  /** Shopify's plan name; "Standard" drives the default throttle (2,000 / 100 per s). */
  planDisplayName: string;
  partnerDevelopment: boolean;
  shopifyPlus: boolean;
}

export interface OrderLineInput {
  variantId?: number;
  /** A custom line item's SKU (no variant: postage, fees, manual lines). */
  sku?: string | null;
  /** Defaults to the variant's price. */
  unitPriceCents?: Cents;
  quantity: number;
  title?: string;
}

export interface CreateOrderInput {
  customerId?: number | null;
  lines: OrderLineInput[];
  processedAt?: number;
  test?: boolean;
  tags?: string[];
  countryCode?: string | null;
  /** Explicit id/number (the seeder maps InvoiceNo); otherwise the next free ones. */
  id?: number;
  number?: number;
  name?: string;
}

export interface RefundLineInput {
  lineItemId: number;
  quantity: number;
}

export class ShopState {
  readonly ids = new IdSequence();
  readonly customers = new Map<number, CustomerRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly products = new Map<number, ProductRecord>();
  readonly variants = new Map<number, VariantRecord>();
  readonly refunds = new Map<number, RefundRecord>();
  /** line item id → order id, built lazily (only node(id:) lookups need it; seeding stays fast). */
  private lineItemIndex: { version: number; map: Map<number, number> } | null = null;
  readonly segments = new Map<number, SegmentRecord>();
  /** Order risk assessments written by the app, oldest first. */
  readonly riskAssessments: RiskAssessmentRecord[] = [];
  /** Orders of each customer, in insertion order. */
  readonly ordersByCustomer = new Map<number, number[]>();
  /** Seeder-only: refunds that could not be attached to any order (see docs/simulator.md). */
  readonly standaloneRefunds: RefundRecord[] = [];
  readonly createdAt: number;
  /** Bumped on every change; caches of sorted views key on it. */
  version = 0;
  /** Bumped when orders, refunds or cancellations change (not tags): the RFM groups' cache key. */
  salesVersion = 0;
  installed = true;
  scopes: string[];
  private nextOrderNumber = 1001;
  private listeners: Array<(event: ShopEvent) => void> = [];

  constructor(
    readonly settings: ShopSettings,
    readonly clock: Clock,
    scopes: string[],
  ) {
    this.createdAt = clock.now();
    this.scopes = [...scopes];
  }

  get domain(): string {
    return this.settings.domain;
  }

  onEvent(listener: (event: ShopEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private emit(event: ShopEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** A timestamp for a change that is strictly later than `previous` at second precision. */
  private changeTime(previous: number): number {
    return Math.max(this.clock.now(), previous + 1000);
  }

  private touch(): void {
    this.version++;
  }

  newId(type: GidType): number {
    return this.ids.take(type);
  }

  // ---- customers ----------------------------------------------------------------------------

  createCustomer(input: { id?: number; sourceId?: string | null; tags?: string[]; createdAt?: number; countryCode?: string | null; silent?: boolean } = {}): CustomerRecord {
    const id = input.id ?? this.newId("Customer");
    if (input.id !== undefined) this.ids.reserve("Customer", id);
    if (this.customers.has(id)) throw new Error(`Customer ${id} already exists`);
    const at = input.createdAt ?? this.clock.now();
    const customer: CustomerRecord = {
      id,
      createdAt: at,
      updatedAt: at,
      tags: normaliseTags(input.tags ?? []),
      state: "DISABLED",
      note: null,
      label: `Customer ${id}`,
      countryCode: input.countryCode ?? null,
      sourceId: input.sourceId ?? null,
    };
    this.customers.set(id, customer);
    this.touch();
    if (!input.silent) this.emit({ topic: "customers/create", customer });
    return customer;
  }

  requireCustomer(id: number): CustomerRecord {
    const customer = this.customers.get(id);
    if (!customer) throw new Error(`Customer ${id} not found in ${this.domain}`);
    return customer;
  }

  updateCustomer(id: number, patch: { tags?: string[]; note?: string | null; state?: CustomerState }): CustomerRecord {
    const customer = this.requireCustomer(id);
    if (patch.tags !== undefined) customer.tags = normaliseTags(patch.tags);
    if (patch.note !== undefined) customer.note = patch.note;
    if (patch.state !== undefined) customer.state = patch.state;
    customer.updatedAt = this.changeTime(customer.updatedAt);
    this.touch();
    // Shopify sends customers/update for any change, including tags written by the app itself.
    this.emit({ topic: "customers/update", customer });
    return customer;
  }

  /** tagsAdd semantics: append, case-insensitive de-duplication, no event if nothing changed. */
  addCustomerTags(id: number, tags: string[]): CustomerRecord {
    const customer = this.requireCustomer(id);
    const merged = normaliseTags([...customer.tags, ...tags]);
    if (sameTags(merged, customer.tags)) return customer;
    return this.updateCustomer(id, { tags: merged });
  }

  removeCustomerTags(id: number, tags: string[]): CustomerRecord {
    const customer = this.requireCustomer(id);
    const drop = new Set(tags.map((t) => t.trim().toLowerCase()));
    const kept = customer.tags.filter((t) => !drop.has(t.toLowerCase()));
    if (sameTags(kept, customer.tags)) return customer;
    return this.updateCustomer(id, { tags: kept });
  }

  deleteCustomer(id: number): void {
    this.requireCustomer(id);
    // Shopify refuses to delete customers who have orders.
    if ((this.ordersByCustomer.get(id) ?? []).length > 0) throw new Error(`Customer ${id} has orders and can't be deleted`);
    this.customers.delete(id);
    this.touch();
    this.emit({ topic: "customers/delete", customerId: id });
  }

  customerOrders(id: number): OrderRecord[] {
    const ids = this.ordersByCustomer.get(id) ?? [];
    const out: OrderRecord[] = [];
    for (const orderId of ids) {
      const order = this.orders.get(orderId);
      if (order) out.push(order);
    }
    return out;
  }

  // ---- products -----------------------------------------------------------------------------

  /**
   * Creates a product with one variant. Event: products/create, unless `silent` (the seeder's
   * catalogue, like its history, raises no webhooks). Variants are untracked by default (always
   * sellable); `tracked` with `inventoryQuantity` models stock.
   */
  createProduct(input: {
    id?: number;
    title: string;
    handle?: string;
    status?: ProductStatus;
    priceCents: Cents;
    sku?: string | null;
    variantId?: number;
    imageUrl?: string | null;
    createdAt?: number;
    tracked?: boolean;
    inventoryQuantity?: number;
    inventoryPolicy?: InventoryPolicy;
    silent?: boolean;
  }): ProductRecord {
    const id = input.id ?? this.newId("Product");
    if (input.id !== undefined) this.ids.reserve("Product", id);
    if (this.products.has(id)) throw new Error(`Product ${id} already exists`);
    const variantId = input.variantId ?? this.newId("ProductVariant");
    if (input.variantId !== undefined) this.ids.reserve("ProductVariant", variantId);
    const at = input.createdAt ?? this.clock.now();
    const handle = input.handle ?? slugify(input.title);
    const product: ProductRecord = {
      id,
      title: input.title,
      handle,
      status: input.status ?? "ACTIVE",
      createdAt: at,
      updatedAt: at,
      tags: [],
      imageUrl: input.imageUrl === undefined ? `https://cdn.shopify.com/s/files/1/0000/0001/products/${handle}.jpg` : input.imageUrl,
      mediaId: this.newId("MediaImage"),
      variants: [],
    };
    const variant: VariantRecord = {
      id: variantId,
      productId: id,
      title: "Default Title",
      sku: input.sku ?? null,
      priceCents: input.priceCents,
      tracked: input.tracked ?? false,
      inventoryQuantity: input.inventoryQuantity ?? 0,
      inventoryPolicy: input.inventoryPolicy ?? "DENY",
    };
    product.variants.push(variant);
    this.products.set(id, product);
    this.variants.set(variantId, variant);
    this.touch();
    if (!input.silent) this.emit({ topic: "products/create", product });
    return product;
  }

  requireProduct(id: number): ProductRecord {
    const product = this.products.get(id);
    if (!product) throw new Error(`Product ${id} not found in ${this.domain}`);
    return product;
  }

  /** The merchant edits a product (title, status, price of its variants, image). Event: products/update. */
  updateProduct(id: number, patch: { title?: string; handle?: string; status?: ProductStatus; priceCents?: Cents; imageUrl?: string | null }): ProductRecord {
    const product = this.requireProduct(id);
    if (patch.title !== undefined) product.title = patch.title;
    if (patch.handle !== undefined) product.handle = patch.handle;
    if (patch.status !== undefined) product.status = patch.status;
    if (patch.imageUrl !== undefined) product.imageUrl = patch.imageUrl;
    if (patch.priceCents !== undefined) for (const v of product.variants) v.priceCents = patch.priceCents;
    return this.productChanged(product);
  }

  /**
   * Stock of a product's variants (all of them, or the one given): quantity, tracking and the
   * out-of-stock policy. Shopify sends products/update when a variant's available quantity changes.
   */
  setInventory(productId: number, patch: { quantity?: number; tracked?: boolean; policy?: InventoryPolicy; variantId?: number }): ProductRecord {
    const product = this.requireProduct(productId);
    const variants = patch.variantId === undefined ? product.variants : product.variants.filter((v) => v.id === patch.variantId);
    if (variants.length === 0) throw new Error(`Variant ${patch.variantId} is not on product ${productId}`);
    for (const v of variants) {
      if (patch.quantity !== undefined) v.inventoryQuantity = patch.quantity;
      if (patch.tracked !== undefined) v.tracked = patch.tracked;
      if (patch.policy !== undefined) v.inventoryPolicy = patch.policy;
    }
    return this.productChanged(product);
  }

  private productChanged(product: ProductRecord): ProductRecord {
    product.updatedAt = this.changeTime(product.updatedAt);
    this.touch();
    this.emit({ topic: "products/update", product });
    return product;
  }

  /** Deletes a product and its variants (past line items keep their ids, as in Shopify). Event: products/delete. */
  deleteProduct(id: number): void {
    const product = this.requireProduct(id);
    for (const v of product.variants) this.variants.delete(v.id);
    this.products.delete(id);
    this.touch();
    this.emit({ topic: "products/delete", productId: id });
  }

  // ---- orders -------------------------------------------------------------------------------

  /**
   * Creates a paid order. Events: orders/create then orders/paid (Shopify sends both for an
   * order paid at checkout). `silent` is for the seeder: historical data raises no webhooks.
   */
  createOrder(input: CreateOrderInput, options: { silent?: boolean } = {}): OrderRecord {
    if (input.customerId != null) this.requireCustomer(input.customerId);
    const id = input.id ?? this.newId("Order");
    if (input.id !== undefined) this.ids.reserve("Order", id);
    if (this.orders.has(id)) throw new Error(`Order ${id} already exists`);
    const number = input.number ?? this.nextOrderNumber++;
    const now = this.clock.now();
    const processedAt = input.processedAt ?? now;
    // Imported (historical) orders are created at their processing time; live ones "now".
    const createdAt = options.silent ? processedAt : now;
    const order: OrderRecord = {
      id,
      number,
      name: input.name ?? `#${number}`,
      createdAt,
      updatedAt: createdAt,
      processedAt,
      cancelledAt: null,
      cancelReason: null,
      customerId: input.customerId ?? null,
      test: input.test ?? false,
      tags: normaliseTags(input.tags ?? []),
      countryCode: input.countryCode ?? null,
      lineItems: input.lines.map((line) => this.buildLine(line)),
      refunds: [],
      saleTransactionId: this.newId("OrderTransaction"),
    };
    this.orders.set(id, order);
    this.salesVersion++;
    if (order.customerId != null) {
      const list = this.ordersByCustomer.get(order.customerId);
      if (list) list.push(id);
      else this.ordersByCustomer.set(order.customerId, [id]);
    }
    this.touch();
    if (!options.silent) {
      this.emit({ topic: "orders/create", order });
      this.emit({ topic: "orders/paid", order });
    }
    return order;
  }

  private buildLine(line: OrderLineInput): LineItemRecord {
    const variant = line.variantId !== undefined ? this.variants.get(line.variantId) : undefined;
    if (line.variantId !== undefined && !variant) throw new Error(`Variant ${line.variantId} not found`);
    const product = variant ? this.products.get(variant.productId) : undefined;
    const price = line.unitPriceCents ?? variant?.priceCents;
    if (price === undefined) throw new Error("A line needs a variantId or a unitPriceCents");
    return {
      id: this.newId("LineItem"),
      productId: product?.id ?? null,
      variantId: variant?.id ?? null,
      sku: variant?.sku ?? line.sku ?? null,
      title: line.title ?? product?.title ?? "Custom item",
      quantity: line.quantity,
      unitPriceCents: price,
    };
  }

  orderOfLineItem(lineItemId: number): OrderRecord | undefined {
    if (!this.lineItemIndex || (this.lineItemIndex.version !== this.version && !this.lineItemIndex.map.has(lineItemId))) {
      const map = new Map<number, number>();
      for (const order of this.orders.values()) for (const line of order.lineItems) map.set(line.id, order.id);
      this.lineItemIndex = { version: this.version, map };
    }
    const orderId = this.lineItemIndex.map.get(lineItemId);
    return orderId === undefined ? undefined : this.orders.get(orderId);
  }

  requireOrder(id: number): OrderRecord {
    const order = this.orders.get(id);
    if (!order) throw new Error(`Order ${id} not found in ${this.domain}`);
    return order;
  }

  updateOrder(id: number, patch: { tags?: string[] }): OrderRecord {
    const order = this.requireOrder(id);
    if (patch.tags !== undefined) order.tags = normaliseTags(patch.tags);
    order.updatedAt = this.changeTime(order.updatedAt);
    this.touch();
    this.emit({ topic: "orders/updated", order });
    return order;
  }

  /**
   * Refunds line quantities (capped at what is still refundable) plus an optional amount not
   * tied to lines. Events: refunds/create, then orders/updated, as Shopify does.
   */
  refundOrder(
    orderId: number,
    input: { lines: RefundLineInput[]; adjustmentCents?: Cents; note?: string | null; at?: number; id?: number },
    options: { silent?: boolean } = {},
  ): RefundRecord {
    const order = this.requireOrder(orderId);
    const at = input.at ?? this.clock.now();
    const refund = this.buildRefund(order, input, at);
    order.refunds.push(refund);
    this.refunds.set(refund.id, refund);
    this.salesVersion++;
    order.updatedAt = options.silent ? Math.max(order.updatedAt, at) : this.changeTime(order.updatedAt);
    this.touch();
    if (!options.silent) {
      this.emit({ topic: "refunds/create", order, refund });
      this.emit({ topic: "orders/updated", order });
    }
    return refund;
  }

  private buildRefund(order: OrderRecord, input: { lines: RefundLineInput[]; adjustmentCents?: Cents; note?: string | null; id?: number }, at: number): RefundRecord {
    const id = input.id ?? this.newId("Refund");
    if (input.id !== undefined) this.ids.reserve("Refund", id);
    const lines: RefundLineItemRecord[] = [];
    let amount = 0;
    for (const request of input.lines) {
      const line = order.lineItems.find((l) => l.id === request.lineItemId);
      if (!line) throw new Error(`Line item ${request.lineItemId} is not on order ${order.id}`);
      const quantity = Math.min(request.quantity, refundableQuantity(order, line));
      if (quantity <= 0) continue;
      const subtotal = quantity * line.unitPriceCents;
      lines.push({ id: this.newId("RefundLineItem"), lineItemId: line.id, quantity, subtotalCents: subtotal });
      amount += subtotal;
    }
    const adjustment = Math.max(0, Math.min(input.adjustmentCents ?? 0, orderTotals(order).currentTotalCents - amount));
    amount += adjustment;
    return {
      id,
      orderId: order.id,
      createdAt: at,
      note: input.note ?? null,
      lineItems: lines,
      transactions: amount > 0 ? [{ id: this.newId("OrderTransaction"), kind: "REFUND", amountCents: amount, createdAt: at }] : [],
      adjustmentCents: adjustment,
    };
  }

  /**
   * Cancels an order and (by default) refunds what is left, like the admin's "Cancel order"
   * with "Refund payment". Events: refunds/create, orders/cancelled, orders/updated.
   */
  cancelOrder(orderId: number, input: { reason?: CancelReason; refund?: boolean; at?: number } = {}, options: { silent?: boolean } = {}): OrderRecord {
    const order = this.requireOrder(orderId);
    if (order.cancelledAt !== null) throw new Error(`Order ${orderId} is already cancelled`);
    const at = input.at ?? this.clock.now();
    if (input.refund !== false) {
      const lines = order.lineItems
        .map((line) => ({ lineItemId: line.id, quantity: refundableQuantity(order, line) }))
        .filter((l) => l.quantity > 0);
      if (lines.length > 0) this.refundOrder(orderId, { lines, at, note: "Order cancelled" }, options);
    }
    order.cancelledAt = at;
    order.cancelReason = input.reason ?? "CUSTOMER";
    this.salesVersion++;
    order.updatedAt = options.silent ? Math.max(order.updatedAt, at) : this.changeTime(order.updatedAt);
    this.touch();
    if (!options.silent) {
      this.emit({ topic: "orders/cancelled", order });
      this.emit({ topic: "orders/updated", order });
    }
    return order;
  }

  // ---- tags on orders/products (tagsAdd supports them too) ------------------------------------

  addTags(target: OrderRecord | ProductRecord, tags: string[]): void {
    const merged = normaliseTags([...target.tags, ...tags]);
    if (sameTags(merged, target.tags)) return;
    target.tags = merged;
    target.updatedAt = this.changeTime(target.updatedAt);
    this.touch();
    if ("lineItems" in target) this.emit({ topic: "orders/updated", order: target });
    else this.emit({ topic: "products/update", product: target });
  }

  removeTags(target: OrderRecord | ProductRecord, tags: string[]): void {
    const drop = new Set(tags.map((t) => t.trim().toLowerCase()));
    const kept = target.tags.filter((t) => !drop.has(t.toLowerCase()));
    if (sameTags(kept, target.tags)) return;
    target.tags = kept;
    target.updatedAt = this.changeTime(target.updatedAt);
    this.touch();
    if ("lineItems" in target) this.emit({ topic: "orders/updated", order: target });
    else this.emit({ topic: "products/update", product: target });
  }

  // ---- segments -----------------------------------------------------------------------------

  createSegment(name: string, query: string): SegmentRecord {
    const now = this.clock.now();
    const segment: SegmentRecord = { id: this.newId("Segment"), name, query, createdAt: now, updatedAt: now };
    this.segments.set(segment.id, segment);
    this.touch();
    return segment;
  }

  /** Inserts a refund record that belongs to no order (seeder only; invisible over GraphQL). */
  addStandaloneRefund(refund: RefundRecord): void {
    this.standaloneRefunds.push(refund);
  }
}

// ---- derived values ---------------------------------------------------------------------------

export function refundedQuantity(order: OrderRecord, line: LineItemRecord): number {
  let total = 0;
  for (const refund of order.refunds) for (const rli of refund.lineItems) if (rli.lineItemId === line.id) total += rli.quantity;
  return total;
}

export function refundableQuantity(order: OrderRecord, line: LineItemRecord): number {
  return Math.max(0, line.quantity - refundedQuantity(order, line));
}

export interface OrderTotals {
  totalCents: Cents;
  refundedCents: Cents;
  currentTotalCents: Cents;
  currentSubtotalQuantity: number;
}

export function orderTotals(order: OrderRecord): OrderTotals {
  let total = 0;
  let quantity = 0;
  for (const line of order.lineItems) {
    total += line.quantity * line.unitPriceCents;
    quantity += line.quantity;
  }
  let refunded = 0;
  let refundedQty = 0;
  for (const refund of order.refunds) {
    for (const tx of refund.transactions) if (tx.kind === "REFUND") refunded += tx.amountCents;
    for (const rli of refund.lineItems) refundedQty += rli.quantity;
  }
  return { totalCents: total, refundedCents: refunded, currentTotalCents: total - refunded, currentSubtotalQuantity: quantity - refundedQty };
}

export type FinancialStatus = "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED";

export function financialStatus(order: OrderRecord): FinancialStatus {
  const { totalCents, refundedCents } = orderTotals(order);
  if (refundedCents <= 0) return "PAID";
  return refundedCents >= totalCents ? "REFUNDED" : "PARTIALLY_REFUNDED";
}

export function customerStats(shop: ShopState, customerId: number): { numberOfOrders: number; amountSpentCents: Cents; lastOrder: OrderRecord | null } {
  let spent = 0;
  let last: OrderRecord | null = null;
  const orders = shop.customerOrders(customerId);
  for (const order of orders) {
    spent += orderTotals(order).currentTotalCents;
    if (!last || order.processedAt > last.processedAt || (order.processedAt === last.processedAt && order.id > last.id)) last = order;
  }
  return { numberOfOrders: orders.length, amountSpentCents: spent, lastOrder: last };
}

/**
 * ProductVariant.availableForSale: the product is active and the variant can be sold — its stock
 * is not tracked, it is sold when out of stock (CONTINUE), or it has units.
 */
export function variantAvailableForSale(product: ProductRecord, variant: VariantRecord): boolean {
  return product.status === "ACTIVE" && (!variant.tracked || variant.inventoryPolicy === "CONTINUE" || variant.inventoryQuantity > 0);
}

// ---- tags ------------------------------------------------------------------------------------

/** Shopify trims tags and treats them case-insensitively; the first spelling wins. */
export function normaliseTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    for (const part of raw.split(",")) {
      const tag = part.trim();
      if (!tag) continue;
      const key = tag.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(tag);
    }
  }
  return out;
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "product";
}
