// Shopify's own RFM groups, computed by the simulator (not by Segmint's core) for seeded shops.
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../simulator/clock";
import { groupOf, quintileScores } from "../../simulator/rfm-groups";
import { ShopifySimulator } from "../../simulator/simulator";
import { gidOf, smallShop, TEST_DOMAIN } from "./fixtures";

const DAY = 86_400_000;

describe("scores and groups", () => {
  it("scores 1–5 as NTILE(5) from worst to best: exact fifths, ties split by customer id", () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quintileScores([10, 20, 30, 40, 50], ids.slice(0, 5), 1)).toEqual([1, 2, 3, 4, 5]);
    expect(quintileScores([10, 20, 30, 40, 50], ids.slice(0, 5), -1)).toEqual([5, 4, 3, 2, 1]); // recency: fewer days is better
    // Six one-order customers span scores 1–3 (by id), as NTILE splits a tie.
    expect(quintileScores([1, 1, 1, 1, 1, 1, 2, 3, 9, 9], ids, 1)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScores([1, 1, 1, 1, 1, 1, 2, 3, 9, 9], [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 1)).toEqual([3, 3, 2, 2, 1, 1, 4, 4, 5, 5]);
    // n mod 5 = 2: the first two fifths get one customer more.
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7], ids.slice(0, 7), 1)).toEqual([1, 1, 2, 2, 3, 4, 5]);
  });

  it("maps every R × FM cell to one of the 10 purchase groups, following the CustomerRfmGroup descriptions", () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) seen.add(groupOf(r, fm));
    expect([...seen].sort()).toEqual(["ACTIVE", "ALMOST_LOST", "AT_RISK", "CHAMPIONS", "DORMANT", "LOYAL", "NEEDS_ATTENTION", "NEW", "PREVIOUSLY_LOYAL", "PROMISING"]);
    expect([groupOf(5, 5), groupOf(5, 1), groupOf(4, 4), groupOf(3, 2), groupOf(4, 1), groupOf(1, 5), groupOf(2, 3), groupOf(2, 1), groupOf(1, 2)]).toEqual([
      "CHAMPIONS",
      "NEW",
      "LOYAL",
      "NEEDS_ATTENTION",
      "PROMISING",
      "PREVIOUSLY_LOYAL",
      "AT_RISK",
      "ALMOST_LOST",
      "DORMANT",
    ]);
  });
});

describe("computed groups in a shop", () => {
  it("are null unless turned on (tests set them with setRfmGroup)", async () => {
    const { sim, customers } = smallShop();
    const res = await sim.graphql(TEST_DOMAIN, "query R($id: ID!) { customer(id: $id) { statistics { rfmGroup } } }", { id: gidOf("Customer", customers[0]?.id ?? 0) });
    expect(res.data).toEqual({ customer: { statistics: { rfmGroup: null } } });
  });

  it("score the shop's customers from their orders, PROSPECTS without any; setRfmGroup wins; a new order moves the customer", async () => {
    const clock = new FakeClock("2026-03-01T12:00:00Z");
    const sim = new ShopifySimulator({ clock, webhooks: { transport: () => Promise.resolve(new Response(null, { status: 200 })) } });
    const domain = "rfm.myshopify.com";
    const shop = sim.createShop({ domain, computeRfmGroups: true });
    const variantId = shop.createProduct({ title: "Mug", priceCents: 100 }).variants[0]?.id ?? 0;
    // Customer k (1…10) places k orders of k mugs on day k: R, F and M all grow with k.
    const buyers = Array.from({ length: 10 }, () => shop.createCustomer());
    const prospect = shop.createCustomer();
    buyers.forEach((customer, i) => {
      clock.advance(DAY);
      for (let j = 0; j <= i; j++) shop.createOrder({ customerId: customer.id, lines: [{ variantId, quantity: i + 1 }] });
    });
    clock.advance(DAY);
    const rfmOf = async (id: number) => ((await sim.graphql(domain, "query R($id: ID!) { customer(id: $id) { statistics { rfmGroup } } }", { id: gidOf("Customer", id) })).data as { customer: { statistics: { rfmGroup: string | null } } }).customer.statistics.rfmGroup;
    const groups = await Promise.all(buyers.map((c) => rfmOf(c.id)));
    // Fifths of two: k = 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5 on every dimension.
    expect(groups).toEqual(["DORMANT", "DORMANT", "ALMOST_LOST", "ALMOST_LOST", "NEEDS_ATTENTION", "NEEDS_ATTENTION", "LOYAL", "LOYAL", "CHAMPIONS", "CHAMPIONS"]);
    expect(await rfmOf(prospect.id)).toBe("PROSPECTS");
    const champions = await sim.graphql(domain, "query M($q: String!) { customerSegmentMembers(first: 10, query: $q) { totalCount } }", { q: "rfm_group = CHAMPIONS" });
    expect((champions.data as { customerSegmentMembers: { totalCount: number } }).customerSegmentMembers.totalCount).toBe(2);

    sim.setRfmGroup(domain, buyers[0]?.id ?? 0, "AT_RISK");
    expect(await rfmOf(buyers[0]?.id ?? 0)).toBe("AT_RISK");
    sim.setRfmGroup(domain, buyers[0]?.id ?? 0, null);
    // Customer 1 buys one mug today: the most recent (R 5), still the fewest orders and least spend → NEW.
    shop.createOrder({ customerId: buyers[0]?.id ?? 0, lines: [{ variantId, quantity: 1 }] });
    expect(await rfmOf(buyers[0]?.id ?? 0)).toBe("NEW");
    expect(sim.rfmGroupOf(domain, buyers[9]?.id ?? 0)).toBe("CHAMPIONS");
  });
});
