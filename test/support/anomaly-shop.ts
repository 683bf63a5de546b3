// A small shop for the anomaly services' tests (detection, webhook scoring, privacy): ten weeks of
// ordinary orders (6 a day from 60 customers, each ordering every 10 days, 1–3 lines of 12
// products at their usual prices and quantities 1–4), a campaign day with 40 extra orders from new
// customers, two planted extreme orders (5,000 × product 9003, 3,000 × product 9007) and a test
// order that must be left out. Products other than 9007 are in the Product table.
import type { Db } from "../../app/db.server";

const DAY = 86_400_000;
/** Saturday noon in London (BST): "today" of the tests; the store days are judged up to Friday. */
const NOW = new Date("2030-06-01T12:00:00Z");
const HISTORY_DAYS = 70;
const ORDERS_A_DAY = 6;
const CUSTOMERS = 60;
const PRODUCTS = 12;
export const SPIKE_DAYS_AGO = 10;
const SPIKE_EXTRA = 40;

export const productId = (p: number) => String(9001 + p);
const priceMilli = (p: number) => (1 + (p % 6)) * 850;
const dayText = (at: Date) => at.toISOString().slice(0, 10); // noon-ish UTC in June: the same day in London

export interface SeededAnomalyShop {
  readonly id: number;
  readonly domain: string;
  readonly now: Date;
  readonly todayText: string;
  /** Purchases stored (the test order not counted). */
  readonly purchases: number;
  readonly extremeOrderId: string;
  readonly extremeOrderDay: string;
  readonly secondExtremeOrderId: string;
  readonly testOrderId: string;
  /** Ordinary orders (Shopify ids), oldest first. */
  readonly ordinaryOrderIds: readonly string[];
  /** The ordinary customers (Shopify ids). */
  readonly ordinaryCustomerIds: readonly string[];
  readonly spikeDay: string;
  readonly spikeOrders: number;
}

export interface SeedLine {
  readonly product: number;
  readonly quantity: number;
  readonly unitPriceMilli?: number;
}

/** Stores one order of `customerRowId` (null: a guest) with these lines; gross = the lines' sum. */
export async function addOrder(db: Db, shopId: number, shopifyId: string, customerRowId: number | null, at: Date, lines: readonly SeedLine[], extra: { test?: boolean } = {}): Promise<number> {
  const priced = lines.map((l) => ({ ...l, unitPriceMilli: l.unitPriceMilli ?? priceMilli(l.product) }));
  const gross = BigInt(priced.reduce((s, l) => s + l.quantity * l.unitPriceMilli, 0));
  const order = await db.order.create({
    data: {
      shopId,
      shopifyId,
      customerId: customerRowId,
      processedAt: at,
      shopifyUpdatedAt: at,
      currency: "GBP",
      grossMilli: gross,
      netMilli: gross,
      test: extra.test ?? false,
      lines: { create: priced.map((l, j) => ({ shopId, shopifyId: `${shopifyId}-${j}`, productId: productId(l.product), quantity: l.quantity, unitPriceMilli: BigInt(l.unitPriceMilli) })) },
    },
  });
  return order.id;
}

export async function seedAnomalyShop(db: Db, domain: string): Promise<SeededAnomalyShop> {
  const shop = await db.shop.create({ data: { domain, timezone: "Europe/London" } });
  for (let p = 0; p < PRODUCTS; p++) {
    if (productId(p) === "9007") continue;
    await db.product.create({ data: { shopId: shop.id, shopifyId: productId(p), handle: `p-${p}`, title: p === 2 ? "MEDIUM CERAMIC TOP STORAGE JAR" : `Product ${p}`, status: "ACTIVE" } });
  }
  const customerRows = new Map<string, number>();
  const customer = async (shopifyId: string) => {
    let id = customerRows.get(shopifyId);
    if (id === undefined) customerRows.set(shopifyId, (id = (await db.customer.create({ data: { shopId: shop.id, shopifyId } })).id));
    return id;
  };
  const ordinaryOrderIds: string[] = [];
  let k = 0;
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
    const day = NOW.getTime() - daysAgo * DAY;
    for (let i = 0; i < ORDERS_A_DAY; i++, k++) {
      const lines = Array.from({ length: 1 + (k % 3) }, (_, j) => ({ product: (k * 5 + j * 3) % PRODUCTS, quantity: 1 + ((k + j * 2) % 4) }));
      const id = String(50_000 + k);
      await addOrder(db, shop.id, id, await customer(String(7001 + (k % CUSTOMERS))), new Date(day - 3 * 3_600_000 + i * 2 * 3_600_000), lines);
      ordinaryOrderIds.push(id);
    }
  }
  const spikeAt = NOW.getTime() - SPIKE_DAYS_AGO * DAY;
  for (let i = 0; i < SPIKE_EXTRA; i++) {
    await addOrder(db, shop.id, String(60_000 + i), await customer(String(7101 + i)), new Date(spikeAt - 2 * 3_600_000 + i * 5 * 60_000), [{ product: i % PRODUCTS, quantity: 1 + (i % 4) }]);
  }
  const extremeAt = new Date(NOW.getTime() - 20 * DAY - 2 * 3_600_000);
  await addOrder(db, shop.id, "8888", await customer("7005"), extremeAt, [{ product: 2, quantity: 5000 }]);
  await addOrder(db, shop.id, "8889", await customer("7012"), new Date(NOW.getTime() - 15 * DAY - 1 * 3_600_000), [{ product: 6, quantity: 3000 }]);
  await addOrder(db, shop.id, "8890", await customer("7020"), new Date(NOW.getTime() - 5 * DAY), [{ product: 0, quantity: 90_000 }], { test: true });
  return {
    id: shop.id,
    domain,
    now: NOW,
    todayText: dayText(NOW),
    purchases: HISTORY_DAYS * ORDERS_A_DAY + SPIKE_EXTRA + 2,
    extremeOrderId: "8888",
    extremeOrderDay: dayText(extremeAt),
    secondExtremeOrderId: "8889",
    testOrderId: "8890",
    ordinaryOrderIds,
    ordinaryCustomerIds: Array.from({ length: CUSTOMERS }, (_, c) => String(7001 + c)),
    spikeDay: dayText(new Date(spikeAt)),
    spikeOrders: ORDERS_A_DAY + SPIKE_EXTRA,
  };
}
