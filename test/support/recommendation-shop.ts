// A small shop for the recommendations' tests (training, the storefront service, the app proxy):
// 40 products in 8 themes of 5, 400 orders over 200 days from 40 customers (1 in 10 a guest), each
// order 2–4 products of one theme and, 3 times in 10, one product of any theme; every order also has
// a custom line (no product) and 1 in 20 a product line refunded in full. Ten cancelled orders hold
// the one product (`cancelledOnly`) that no real basket holds. Every product has a Product row
// (ACTIVE, available, GBP); products with an even index have an image. Ids are Shopify-like
// numbers from `base`, so two shops seeded with different bases share no id.
import { createRng } from "../../app/analytics";
import type { Db } from "../../app/db.server";

const DAY = 86_400_000;
export const FIRST_DAY = Date.UTC(2026, 0, 1, 12);
export const THEMES = 8;
export const THEME_SIZE = 5;
const ORDERS = 400;
const CUSTOMERS = 40;

export interface SeededRecommendationShop {
  readonly id: number;
  readonly domain: string;
  /** Product ids, theme by theme (theme t: products[t*5 … t*5+4]). */
  readonly products: readonly string[];
  /** Only ever in cancelled orders. */
  readonly cancelledOnly: string;
  /** Shopify customer ids. */
  readonly customers: readonly string[];
  /** Placed orders (cancelled ones not counted). */
  readonly orders: number;
}

export const themeOf = (shop: SeededRecommendationShop, productId: string): number => Math.floor(shop.products.indexOf(productId) / THEME_SIZE);

export async function seedRecommendationShop(db: Db, domain: string, base: number, seed = 7): Promise<SeededRecommendationShop> {
  const shop = await db.shop.create({ data: { domain } });
  const products = Array.from({ length: THEMES * THEME_SIZE }, (_, i) => String(base + 1 + i));
  const cancelledOnly = String(base + 1 + products.length);
  await db.product.createMany({
    data: [...products, cancelledOnly].map((id, i) => ({
      shopId: shop.id,
      shopifyId: id,
      handle: `product-${id}`,
      title: `Product ${id}`,
      status: "ACTIVE",
      priceMilli: BigInt(500 + i * 250),
      currency: "GBP",
      imageUrl: i % 2 === 0 ? `https://cdn.example.test/${id}.png` : null,
      imageAlt: i % 4 === 0 ? `Photo of product ${id}` : null,
      available: true,
    })),
  });
  const customers = Array.from({ length: CUSTOMERS }, (_, c) => String(base * 100 + c + 1));
  const customerRows = new Map<string, number>();
  for (const c of customers) customerRows.set(c, (await db.customer.create({ data: { shopId: shop.id, shopifyId: c } })).id);

  const rng = createRng(seed);
  const pick = (n: number) => Math.floor(rng() * n);
  let lineNo = 0;
  const line = (productId: string | null, quantity: number, refundedQuantity = 0) => ({ shopId: shop.id, shopifyId: `l${++lineNo}`, productId, quantity, refundedQuantity, unitPriceMilli: 1000n });
  const order = async (k: number, items: readonly (string | null)[], options: { cancelled?: boolean; refundFirst?: boolean } = {}) => {
    const at = new Date(FIRST_DAY + Math.floor(k / 2) * DAY);
    const customer = rng() < 0.1 ? null : customers[pick(customers.length)]!;
    const lines = items.map((id) => line(id, 1 + pick(3)));
    if (options.refundFirst) lines[0] = { ...lines[0]!, refundedQuantity: lines[0]!.quantity };
    await db.order.create({
      data: {
        shopId: shop.id,
        shopifyId: `${base}${options.cancelled ? "9" : "1"}${String(k).padStart(4, "0")}`,
        customerId: customer === null ? null : customerRows.get(customer)!,
        processedAt: at,
        shopifyUpdatedAt: at,
        currency: "GBP",
        grossMilli: 10_000n,
        netMilli: 10_000n,
        cancelledAt: options.cancelled ? new Date(at.getTime() + 3_600_000) : null,
        lines: { create: lines },
      },
    });
  };
  for (let k = 0; k < ORDERS; k++) {
    const theme = pick(THEMES);
    const size = 2 + pick(3);
    const items = new Set<string>();
    while (items.size < size) items.add(products[theme * THEME_SIZE + pick(THEME_SIZE)]!);
    if (rng() < 0.3) items.add(products[pick(products.length)]!);
    // The refunded line is an extra product: the basket keeps the theme's products.
    const refund = rng() < 0.05;
    await order(k, [...(refund ? [products[pick(products.length)]!] : []), ...items, null], { refundFirst: refund });
  }
  for (let k = 0; k < 10; k++) await order(k * 40, [cancelledOnly, products[0]!], { cancelled: true });
  return { id: shop.id, domain, products, cancelledOnly, customers, orders: ORDERS };
}
