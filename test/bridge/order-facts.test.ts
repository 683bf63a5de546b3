// The bridge on both databases: a small shop inserted by hand (a day boundary that differs between
// UTC and the shop's zone, a DST change, a discount, a refund, a restock-only refund, a cancelled
// order, a cancellation record, a test order, a guest order, and another shop's orders interleaved
// with it) streamed as TransactionRows, then as RFM features; and the batch bounding what is held.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { streamTransactionRows } from "../../app/models/order-facts.server";
import { segmentShop, shopFeatures } from "../../app/services/segment-shop.server";
import { featureRows, type TransactionRow } from "../../app/analytics";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

interface OrderSpec {
  shopifyId: string;
  customer: string | null;
  processedAt: string;
  cancelledAt?: string;
  test?: boolean;
  /** Defaults to Σ quantity × unit price. */
  grossMilli?: number;
  lines: [productId: string | null, quantity: number, unitPriceMilli: number][];
  refunds?: [processedAt: string, amountMilli: number][];
}

async function insertShop(db: Db, domain: string, timezone: string, orders: OrderSpec[]): Promise<number> {
  const shop = await db.shop.create({ data: { domain, timezone } });
  const customers = new Map<string, number>();
  for (const o of orders) {
    if (o.customer !== null && !customers.has(o.customer)) {
      customers.set(o.customer, (await db.customer.create({ data: { shopId: shop.id, shopifyId: o.customer } })).id);
    }
  }
  return insertOrders(db, shop.id, customers, orders);
}

async function insertOrders(db: Db, shopId: number, customers: Map<string, number>, orders: OrderSpec[]): Promise<number> {
  for (const o of orders) {
    const gross = BigInt(o.grossMilli ?? o.lines.reduce((s, [, q, p]) => s + q * p, 0));
    const refunded = (o.refunds ?? []).reduce((s, [, a]) => s + BigInt(a), 0n);
    const order = await db.order.create({
      data: {
        shopId,
        shopifyId: o.shopifyId,
        customerId: o.customer === null ? null : customers.get(o.customer)!,
        processedAt: new Date(o.processedAt),
        shopifyUpdatedAt: new Date(o.cancelledAt ?? o.processedAt),
        currency: "USD",
        grossMilli: gross,
        netMilli: gross - refunded,
        cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
        test: o.test ?? false,
      },
    });
    await db.orderLine.createMany({
      data: o.lines.map(([productId, quantity, unitPriceMilli], i) => ({ shopId, orderId: order.id, shopifyId: `${o.shopifyId}-${i}`, productId, quantity, unitPriceMilli: BigInt(unitPriceMilli) })),
    });
    await db.refund.createMany({
      data: (o.refunds ?? []).map(([at, amount], i) => ({ shopId, orderId: order.id, shopifyId: `${o.shopifyId}-r${i}`, processedAt: new Date(at), amountMilli: BigInt(amount) })),
    });
  }
  return shopId;
}

async function allRows(db: Db, shopId: number, batchSize?: number): Promise<TransactionRow[]> {
  const out: TransactionRow[] = [];
  for await (const rows of streamTransactionRows(db, shopId, batchSize === undefined ? {} : { batchSize })) out.push(...rows);
  return out;
}

/** A Db whose order.findMany calls are recorded: what was asked, how many orders and lines came back. */
function recordingDb(db: Db): { db: Db; calls: { take: number | undefined; orders: number; lines: number }[] } {
  const calls: { take: number | undefined; orders: number; lines: number }[] = [];
  const order = new Proxy(db.order, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop !== "findMany" || typeof value !== "function") return value;
      return async (args: { take?: number }) => {
        const rows = (await (value as (a: unknown) => Promise<{ lines?: unknown[] }[]>).call(target, args));
        calls.push({ take: args.take, orders: rows.length, lines: rows.reduce((s, r) => s + (r.lines?.length ?? 0), 0) });
        return rows;
      };
    },
  });
  return { db: new Proxy(db, { get: (target, prop) => (prop === "order" ? order : Reflect.get(target, prop)) }), calls };
}

// New York: EST (UTC−5) until 2024-03-10 07:00Z, EDT (UTC−4) after.
const SHOP: OrderSpec[] = [
  // 23:30 EST on the 9th (the 10th in UTC), two lines.
  { shopifyId: "1001", customer: "501", processedAt: "2024-03-10T04:30:00Z", lines: [["p1", 2, 10_000], ["p2", 1, 5_500]], refunds: [["2024-03-12T03:00:00Z", 5_500]] },
  // A test order: never streamed.
  { shopifyId: "1002", customer: "501", processedAt: "2024-03-10T12:00:00Z", test: true, lines: [["p1", 9, 10_000]] },
  // 00:30 EDT on the 11th: with the offset from before the DST change it would be the 10th.
  { shopifyId: "1003", customer: "501", processedAt: "2024-03-11T04:30:00Z", lines: [["p3", 1, 12_000]] },
  // Guest order.
  { shopifyId: "1004", customer: null, processedAt: "2024-03-11T15:00:00Z", lines: [["p1", 1, 10_000]] },
  // Placed, later cancelled and refunded in full: still an order on its day; the refund gives the money back.
  { shopifyId: "1005", customer: "502", processedAt: "2024-03-05T15:00:00Z", cancelledAt: "2024-03-06T15:00:00Z", lines: [["p2", 2, 5_500]], refunds: [["2024-03-06T15:00:00Z", 11_000]] },
  // A cancellation record (cancelled at the instant it was processed, fully refunded): lines are returns, the refund is not counted again.
  { shopifyId: "1006", customer: "502", processedAt: "2024-03-07T12:00:00Z", cancelledAt: "2024-03-07T12:00:00Z", lines: [["p4", 1, 8_000]], refunds: [["2024-03-07T12:00:00Z", 8_000]] },
  // Discount 15.000 and shipping 5.000: the total paid is 90.000 for 100.000 of lines; a restock-only refund of 0.
  { shopifyId: "1007", customer: "503", processedAt: "2024-03-08T18:00:00Z", grossMilli: 90_000, lines: [["p5", 1, 100_000]], refunds: [["2024-03-09T18:00:00Z", 0]] },
  // An order without lines (order-level total only) and a line without a product.
  { shopifyId: "1008", customer: "503", processedAt: "2024-03-15T18:00:00Z", grossMilli: 7_000, lines: [] },
  { shopifyId: "1009", customer: "502", processedAt: "2024-03-16T18:00:00Z", lines: [[null, 3, 1_250]] },
];

// Another shop, same customer and product ids, whose orders get ids between this shop's.
const OTHER: OrderSpec[] = [
  { shopifyId: "1001", customer: "501", processedAt: "2024-03-10T04:30:00Z", lines: [["p1", 50, 10_000]], refunds: [["2024-03-12T03:00:00Z", 1_000]] },
  { shopifyId: "9001", customer: "599", processedAt: "2024-03-12T10:00:00Z", lines: [["p1", 1, 1_000]] },
];

// In order of processing time (the stream's order), rows of one order together.
const EXPECTED_ROWS: TransactionRow[] = [
  { customerId: "502", orderId: "1005", processedAt: "2024-03-05", productId: "p2", quantity: 2, unitPriceMilli: 5_500 },
  { customerId: "502", orderId: "1005", processedAt: "2024-03-06", amountMilli: -11_000 },
  { customerId: "502", orderId: "1006", processedAt: "2024-03-07", productId: "p4", quantity: -1, unitPriceMilli: 8_000 },
  { customerId: "503", orderId: "1007", processedAt: "2024-03-08", productId: "p5", quantity: 1, unitPriceMilli: 100_000 },
  { customerId: "503", orderId: "1007", processedAt: "2024-03-08", amountMilli: -10_000 },
  { customerId: "501", orderId: "1001", processedAt: "2024-03-09", productId: "p1", quantity: 2, unitPriceMilli: 10_000 },
  { customerId: "501", orderId: "1001", processedAt: "2024-03-09", productId: "p2", quantity: 1, unitPriceMilli: 5_500 },
  { customerId: "501", orderId: "1001", processedAt: "2024-03-11", amountMilli: -5_500 }, // 23:00 EDT on the 11th
  { customerId: "501", orderId: "1003", processedAt: "2024-03-11", productId: "p3", quantity: 1, unitPriceMilli: 12_000 },
  { customerId: null, orderId: "1004", processedAt: "2024-03-11", productId: "p1", quantity: 1, unitPriceMilli: 10_000 },
  { customerId: "503", orderId: "1008", processedAt: "2024-03-15", amountMilli: 7_000 },
  { customerId: "502", orderId: "1009", processedAt: "2024-03-16", productId: null, quantity: 3, unitPriceMilli: 1_250 },
];

describeEachDatabase("order facts: the database as the analytics core's input", (provider) => {
  let t: TestDatabase;
  let shopId: number;
  let otherId: number;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const db = t.db;
    shopId = (await db.shop.create({ data: { domain: "bridge.myshopify.com", timezone: "America/New_York" } })).id;
    otherId = (await db.shop.create({ data: { domain: "other.myshopify.com", timezone: "UTC" } })).id;
    const customers = new Map<number, Map<string, number>>([[shopId, new Map()], [otherId, new Map()]]);
    for (const [sid, specs] of [[shopId, SHOP], [otherId, OTHER]] as const) {
      for (const o of specs) {
        const m = customers.get(sid)!;
        if (o.customer !== null && !m.has(o.customer)) m.set(o.customer, (await db.customer.create({ data: { shopId: sid, shopifyId: o.customer } })).id);
      }
    }
    // Interleave the two shops' orders so that the other shop's ids fall inside this shop's batches.
    for (let i = 0; i < SHOP.length; i++) {
      await insertOrders(db, shopId, customers.get(shopId)!, [SHOP[i]!]);
      const other = OTHER[i];
      if (other) await insertOrders(db, otherId, customers.get(otherId)!, [other]);
    }
  });
  afterAll(async () => t?.drop());

  it("streams the shop's orders as transaction rows, days in the shop's zone", async () => {
    expect(await allRows(t.db, shopId)).toEqual(EXPECTED_ROWS);
  });

  it("gives the same rows whatever the batch size (test orders and other shops' ids inside batches)", async () => {
    for (const size of [1, 2, 3, 5, 100]) expect(await allRows(t.db, shopId, size)).toEqual(EXPECTED_ROWS);
  });

  it("scopes by shop: the other shop sees only its own orders, in its own zone", async () => {
    expect(await allRows(t.db, otherId, 1)).toEqual([
      { customerId: "501", orderId: "1001", processedAt: "2024-03-10", productId: "p1", quantity: 50, unitPriceMilli: 10_000 },
      { customerId: "501", orderId: "1001", processedAt: "2024-03-12", amountMilli: -1_000 },
      { customerId: "599", orderId: "9001", processedAt: "2024-03-12", productId: "p1", quantity: 1, unitPriceMilli: 1_000 },
    ]);
  });

  it("computes the RFM features the core gives for those rows", async () => {
    const { timeZone, features } = await shopFeatures(t.db, shopId, { asOf: new Date("2024-03-21T03:00:00Z") }); // 23:00 EDT on the 20th
    expect(timeZone).toBe("America/New_York");
    expect(features.asOf).toBe("2024-03-20");
    expect(features.stats).toEqual({ rows: 12, purchaseLines: 7, returnLines: 4, guestRows: 1, afterAsOfRows: 0 });
    expect(featureRows(features)).toEqual([
      // 502: the cancelled order counts (5th), its refund and the cancellation record are returns; 11.000 − 11.000 − 8.000 + 3.750.
      { customerId: "502", recencyDays: 4, frequency: 2, monetaryMilli: -4_250, tenureDays: 15, averageOrderValueMilli: -2_125, meanInterPurchaseDays: 11, valueDecayMilli: expect.any(Number) },
      // 503: 90.000 paid (the discount lowers it) + 7.000 order-level.
      { customerId: "503", recencyDays: 5, frequency: 2, monetaryMilli: 97_000, tenureDays: 12, averageOrderValueMilli: 48_500, meanInterPurchaseDays: 7, valueDecayMilli: expect.any(Number) },
      // 501: orders on the 9th and the 11th (UTC would say the 10th and the 11th); 20.000 + 5.500 + 12.000 − 5.500.
      { customerId: "501", recencyDays: 9, frequency: 2, monetaryMilli: 32_000, tenureDays: 11, averageOrderValueMilli: 16_000, meanInterPurchaseDays: 2, valueDecayMilli: expect.any(Number) },
    ]);
  });

  it("gives the same features through the refresh's whole-shop read (SQLite driver; raw SQL on PostgreSQL), whatever the batch size", async () => {
    const asOf = new Date("2024-03-21T03:00:00Z");
    const byId = (f: Awaited<ReturnType<typeof shopFeatures>>["features"]) => featureRows(f).sort((a, b) => a.customerId.localeCompare(b.customerId));
    const prisma = (await shopFeatures(t.db, shopId, { asOf })).features;
    for (const batchSize of [1, 2, 3, 100]) {
      const driver = (await shopFeatures(t.db, shopId, { asOf, driverRead: true, batchSize })).features;
      expect(driver.stats).toEqual(prisma.stats);
      expect(byId(driver)).toEqual(byId(prisma));
    }
    // The other shop's orders inside this shop's id ranges stay its own.
    const other = (await shopFeatures(t.db, otherId, { asOf, driverRead: true, batchSize: 1 })).features;
    expect(featureRows(other).map((r) => [r.customerId, r.frequency, r.monetaryMilli])).toEqual([["501", 1, 499_000], ["599", 1, 1_000]]);
  });

  it("reads stored negative quantities, and refuses a money value beyond 2^53 rather than rounding it, on either read", async () => {
    const asOf = new Date("2024-02-01T00:00:00Z");
    const signed = await insertShop(t.db, "signed.myshopify.com", "UTC", [
      { shopifyId: "1", customer: "7", processedAt: "2024-01-02T10:00:00Z", grossMilli: 1_000, lines: [["p", 3, 1_000], ["q", -2, 1_000]] },
    ]);
    for (const driverRead of [false, true]) {
      const { features } = await shopFeatures(t.db, signed, { asOf, driverRead });
      expect(features.stats).toMatchObject({ purchaseLines: 1, returnLines: 1 });
      expect(featureRows(features)).toMatchObject([{ customerId: "7", frequency: 1, monetaryMilli: 1_000 }]);
    }
    const huge = await insertShop(t.db, "huge.myshopify.com", "UTC", [
      { shopifyId: "1", customer: "8", processedAt: "2024-01-02T10:00:00Z", grossMilli: 1_000, lines: [["p", 1, 2 ** 53 + 2]] },
    ]);
    for (const driverRead of [false, true]) {
      await expect(shopFeatures(t.db, huge, { asOf, driverRead })).rejects.toThrow(/order 1: unit price exceeds 2\^53 milli/);
    }
  });

  it("excludes what is dated after the as-of day in the shop's zone", async () => {
    // 2024-03-11 22:00 EDT: order 1003 (the 11th) is in, the refund at 23:00 EDT on the 11th too; 1008 and 1009 are after.
    const { features } = await shopFeatures(t.db, shopId, { asOf: new Date("2024-03-12T02:00:00Z") });
    expect(features.asOf).toBe("2024-03-11");
    expect(features.stats.afterAsOfRows).toBe(2);
    expect(featureRows(features).find((r) => r.customerId === "501")).toMatchObject({ recencyDays: 0, frequency: 2, monetaryMilli: 32_000 });
  });

  it("segments the shop (the core through its index), with asOf and seed as parameters", async () => {
    const asOf = new Date("2024-03-21T03:00:00Z");
    const a = await segmentShop(t.db, shopId, { asOf, algorithm: "rfm" });
    const b = await segmentShop(t.db, shopId, { asOf, algorithm: "rfm" });
    expect(a.result).not.toBeNull();
    expect(a.features.customerIds).toEqual(["502", "503", "501"]);
    expect(Array.from(a.result!.segmentIndex)).toEqual(Array.from(b.result!.segmentIndex));
    expect(a.result!.model.segments.length).toBeGreaterThan(0);
  });

  it("returns no segmentation for a shop without purchases", async () => {
    const empty = await insertShop(t.db, "empty.myshopify.com", "UTC", [
      { shopifyId: "1", customer: "1", processedAt: "2024-01-01T00:00:00Z", cancelledAt: "2024-01-01T00:00:00Z", lines: [["p", 1, 1_000]] },
    ]);
    const r = await segmentShop(t.db, empty, { asOf: new Date("2024-02-01T00:00:00Z") });
    expect(r.result).toBeNull();
    expect(featureRows(r.features)).toMatchObject([{ customerId: "1", frequency: 0, monetaryMilli: -1_000 }]);
  });

  it("holds one batch at a time: each query takes at most batchSize orders, read only when asked for; ties in time neither lost nor repeated", async () => {
    const many = await insertShop(
      t.db,
      "many.myshopify.com",
      "UTC",
      Array.from({ length: 23 }, (_, i) => ({ shopifyId: String(2000 + i), customer: String(i % 5), processedAt: `2024-02-${String(1 + Math.floor(i / 3)).padStart(2, "0")}T12:00:00Z`, lines: [["p", 1, 1_000] as [string, number, number], ["q", 2, 500] as [string, number, number]] })),
    );
    const { db, calls } = recordingDb(t.db);
    const stream = streamTransactionRows(db, many, { batchSize: 4 });
    const first = await stream.next();
    // Lazy: one batch read, nothing ahead of the consumer.
    expect(calls).toEqual([{ take: 4, orders: 4, lines: 8 }]);
    expect(first.done).toBe(false);
    const batches: TransactionRow[][] = [first.value as TransactionRow[]];
    for await (const rows of stream) batches.push(rows);
    // ⌈23 / 4⌉ = 6 batches, then one empty query ends the stream; lines come with their batch only.
    expect(batches.map((b) => new Set(b.map((r) => r.orderId)).size)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(calls).toEqual([...Array.from({ length: 5 }, () => ({ take: 4, orders: 4, lines: 8 })), { take: 4, orders: 3, lines: 6 }, { take: 4, orders: 0, lines: 0 }]);
    // Three orders share each instant: the keyset's tie-break on id loses and repeats none.
    expect(batches.flat().map((r) => r.orderId)).toEqual(Array.from({ length: 23 }, (_, i) => String(2000 + i)).flatMap((id) => [id, id]));
  });

  it("refuses a batch size that is not a positive integer", async () => {
    await expect(allRows(t.db, shopId, 0)).rejects.toThrow(RangeError);
  });
});
