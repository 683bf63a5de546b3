// A small, fully known shop for tests: 3 customers, 3 products, 4 orders (one guest, one
// partially refunded, one cancelled). Built with a FakeClock so every timestamp is known.
import { FakeClock } from "../../simulator/clock";
import { ShopifySimulator, type SimulatorOptions } from "../../simulator/simulator";
import type { CustomerRecord, OrderRecord, ProductRecord, ShopState } from "../../simulator/state";

export const TEST_DOMAIN = "segmint-test.myshopify.com";
export const TEST_SECRET = "test-api-secret";

export interface SmallShop {
  sim: ShopifySimulator;
  clock: FakeClock;
  shop: ShopState;
  customers: CustomerRecord[];
  products: ProductRecord[];
  orders: OrderRecord[];
}

export function smallShop(options: SimulatorOptions = {}): SmallShop {
  const clock = new FakeClock("2026-10-01T09:00:00Z");
    // Webhooks go nowhere by default (an app that answers 200); tests that check delivery pass a transport.
  const sim = new ShopifySimulator({
    clock,
    apiSecret: TEST_SECRET,
    apiKey: "test-api-key",
    appUrl: "https://app.segmint.test",
    ...options,
    webhooks: { transport: () => Promise.resolve(new Response(null, { status: 200 })), ...options.webhooks },
  });
  const shop = sim.createShop({ domain: TEST_DOMAIN, name: "Segmint Test" });
  const customers = [shop.createCustomer({ tags: ["wholesale"] }), shop.createCustomer(), shop.createCustomer()];
  const products = [
    shop.createProduct({ title: "White Hanging Heart T-Light Holder", priceCents: 255, sku: "85123A" }),
    shop.createProduct({ title: "Regency Cakestand 3 Tier", priceCents: 1275, sku: "22423" }),
    shop.createProduct({ title: "Draft Product", priceCents: 100, sku: "DRAFT", status: "DRAFT" }),
  ];
  const v = (i: number): number => products[i]?.variants[0]?.id ?? 0;
  const c = (i: number): number => customers[i]?.id ?? 0;
  clock.advance(60_000);
  const o1 = shop.createOrder({ customerId: c(0), lines: [{ variantId: v(0), quantity: 6 }, { variantId: v(1), quantity: 2 }] });
  clock.advance(60_000);
  const o2 = shop.createOrder({ customerId: c(0), lines: [{ variantId: v(1), quantity: 1 }] });
  clock.advance(60_000);
  const o3 = shop.createOrder({ customerId: null, lines: [{ variantId: v(0), quantity: 3 }] });
  clock.advance(60_000);
  const o4 = shop.createOrder({ customerId: c(1), lines: [{ variantId: v(0), quantity: 1 }] });
  clock.advance(60_000);
  shop.refundOrder(o1.id, { lines: [{ lineItemId: o1.lineItems[0]?.id ?? 0, quantity: 2 }] });
  clock.advance(60_000);
  shop.cancelOrder(o4.id, { reason: "CUSTOMER" });
  clock.advance(60_000);
  return { sim, clock, shop, customers, products, orders: [o1, o2, o3, o4] };
}

export function gidOf(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}
