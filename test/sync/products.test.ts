// Products sync through the production path, on both databases: the products export that follows
// the orders backfill (bulk query validated by the simulator against the real schema → JSONL →
// rows), and products/* webhooks signed by the simulator → the webhook handler, app/webhooks.server.ts (HMAC, schema,
// inbox) → process-webhooks drain. The widget must never see a deleted, draft or unavailable
// product; only newer state applies; another shop's rows are never touched.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../app/db.server";
import { processWebhooksJob } from "../../app/jobs/process-webhooks.server";
import { productsByIds, sellableProductIds } from "../../app/models/products.server";
import type { JobContext } from "../../app/queue/job-queue";
import { advanceShopSync, beginBackfill } from "../../app/services/backfill.server";
import { applyProductWebhook, beginProductSync, shopifyAvailability } from "../../app/services/product-sync.server";
import { acceptWebhook } from "../../app/services/webhook-inbox.server";
import { productPayload } from "../../app/shopify/webhook-payloads";
import { simulatorAdmin } from "../../simulator/admin-client";
import type { SimulatorServer } from "../../simulator/server";
import type { ProductRecord, ShopState } from "../../simulator/state";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";
import { startWriteBackSimulator } from "../support/write-back-harness";

const API_SECRET = "s"; // the write-back simulator's
const APP_URL = "http://127.0.0.1:9";

const drainContext = (db: Db, shopId: number): JobContext => ({ db, job: { id: 1, shopId, type: "process-webhooks", attempts: 1, maxAttempts: 5 }, heartbeat: async () => true });

// One simulator for the file: the app's configuration (the simulator's URL for the Admin client) is read once per process.
let sim: SimulatorServer;
const domains = { sqlite: { main: "products-sqlite.myshopify.com", other: "products-other-sqlite.myshopify.com" }, postgresql: { main: "products-pg.myshopify.com", other: "products-other-pg.myshopify.com" } };
beforeAll(async () => {
  sim = await startWriteBackSimulator(Object.values(domains).flatMap((d) => [{ domain: d.main }, { domain: d.other }]));
  vi.stubEnv("SHOPIFY_API_KEY", "test-key");
  vi.stubEnv("SHOPIFY_API_SECRET", API_SECRET);
  vi.stubEnv("SHOPIFY_APP_URL", APP_URL);
  vi.stubEnv("SEGMINT_SIMULATOR_URL", sim.url);
  vi.stubEnv("LOG_LEVEL", "error");
});
afterAll(async () => {
  globalThis.__segmintDb = undefined;
  vi.unstubAllEnvs();
  await sim?.close();
});

/** Runs the shop's backfill job steps (orders, then products) to the end. */
async function syncShop(db: Db, domain: string, shopId: number): Promise<void> {
  const admin = simulatorAdmin(sim, domain);
  for (let steps = 0; ; steps++) {
    const step = await advanceShopSync({ db, admin, shopId });
    if (step.done) return;
    if (steps > 200) throw new Error("the sync did not finish in 200 steps");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A catalogue covering each case the widget must get right (silent: it exists before the app). */
function catalogue(store: ShopState) {
  const add = (input: Parameters<ShopState["createProduct"]>[0]) => store.createProduct({ silent: true, ...input });
  return {
    untracked: add({ title: "Untracked mug", priceCents: 850 }),
    inStock: add({ title: "Jar in stock", priceCents: 1250, tracked: true, inventoryQuantity: 4 }),
    soldOut: add({ title: "Sold-out lamp", priceCents: 3000, tracked: true, inventoryQuantity: 0 }),
    backorder: add({ title: "Back-ordered chair", priceCents: 9900, tracked: true, inventoryQuantity: 0, inventoryPolicy: "CONTINUE" }),
    draft: add({ title: "Draft vase", priceCents: 400, status: "DRAFT" }),
    archived: add({ title: "Archived tray", priceCents: 500, status: "ARCHIVED" }),
    noImage: add({ title: "Plain card", priceCents: 99, imageUrl: null }),
  };
}

describeEachDatabase("products sync", (provider) => {
  let t: TestDatabase;
  let store: ShopState;
  let other: ShopState;
  let shopId: number;
  let otherShopId: number;
  let products: ReturnType<typeof catalogue>;
  const { main: domain, other: otherDomain } = domains[provider];
  const id = (p: ProductRecord) => String(p.id);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    globalThis.__segmintDb = t.db;
    store = sim.simulator.shop(domain);
    other = sim.simulator.shop(otherDomain);
    products = catalogue(store);
    // The other shop's products get the same numeric ids (ids are per shop in the simulator): scoping is what keeps them apart.
    catalogue(other);
    const customer = store.createCustomer({ silent: true });
    store.createOrder({ customerId: customer.id, lines: [{ variantId: products.inStock.variants[0]!.id, quantity: 1 }] }, { silent: true });
    for (const d of [domain, otherDomain]) {
      await t.db.session.create({ data: { id: `offline_${d}`, shop: d, state: "installed", isOnline: false, accessToken: sim.simulator.accessToken(d), scope: "read_orders,read_customers,write_customers,read_products" } });
    }
    shopId = (await t.db.shop.create({ data: { domain } })).id;
    otherShopId = (await t.db.shop.create({ data: { domain: otherDomain } })).id;
    await beginBackfill(t.db, shopId);
    await syncShop(t.db, domain, shopId);
    await beginProductSync(t.db, otherShopId);
    await syncShop(t.db, otherDomain, otherShopId);
  }, 120_000);
  afterAll(async () => t?.drop());

  it("exports the products after the orders backfill: price, currency, image, status and availability per product", async () => {
    const runs = await t.db.syncRun.findMany({ where: { shopId }, orderBy: { id: "asc" }, select: { kind: true, status: true, rowsDone: true } });
    expect(runs).toEqual([
      { kind: "backfill", status: "completed", rowsDone: 2 },
      { kind: "products", status: "completed", rowsDone: 7 },
    ]);
    const rows = new Map((await productsByIds(t.db, shopId, Object.values(products).map(id))).map((r) => [r.id, r]));
    expect(rows.get(id(products.untracked))).toEqual({
      id: id(products.untracked),
      handle: "untracked-mug",
      title: "Untracked mug",
      status: "ACTIVE",
      priceMilli: 8_500,
      currency: "GBP",
      imageUrl: "https://cdn.shopify.com/s/files/1/0000/0001/products/untracked-mug.jpg",
      imageAlt: "Untracked mug",
      available: true,
    });
    expect(rows.get(id(products.noImage))).toMatchObject({ imageUrl: null, imageAlt: null, available: true });
    expect(Object.fromEntries(Object.entries(products).map(([k, p]) => [k, [rows.get(id(p))?.status, rows.get(id(p))?.available]]))).toEqual({
      untracked: ["ACTIVE", true],
      inStock: ["ACTIVE", true],
      soldOut: ["ACTIVE", false],
      backorder: ["ACTIVE", true],
      draft: ["DRAFT", false],
      archived: ["ARCHIVED", false],
      noImage: ["ACTIVE", true],
    });
    expect([...(await sellableProductIds(t.db, shopId))].sort()).toEqual([products.untracked, products.inStock, products.backorder, products.noImage].map(id).sort());
  });

  describe("webhooks", () => {
    beforeAll(async () => {
      vi.resetModules(); // the Shopify app object binds its session storage to the database it first sees
      const { receiveWebhook } = await import("../../app/webhooks.server");
      sim.simulator.webhooks.transport = (request) => receiveWebhook(request);
      await sim.simulator.flushWebhooks(); // nothing of the set-up is pending
    });
    const drain = () => processWebhooksJob.run({}, drainContext(t.db, shopId));
    const row = async (p: ProductRecord) => (await productsByIds(t.db, shopId, [id(p)]))[0];

    it("products/create through the route and the drain; availability asked of Shopify when the payload cannot tell", async () => {
      const created = store.createProduct({ title: "New untracked print", priceCents: 1500 }); // untracked, 0 units: the payload alone cannot tell
      const tracked = store.createProduct({ title: "New boxed set", priceCents: 2500, tracked: true, inventoryQuantity: 0 });
      const sent = await sim.simulator.flushWebhooks();
      expect(sent.map((d) => [d.topic, d.status])).toEqual([["products/create", 200], ["products/create", 200]]);
      await drain();
      expect(await row(created)).toMatchObject({ title: "New untracked print", priceMilli: 15_000, currency: "GBP", status: "ACTIVE", available: true });
      expect(await row(tracked)).toMatchObject({ available: false });
    });

    it("products/update: a newer state applies; stock to zero, draft and back; an older delivery is ignored", async () => {
      const p = products.inStock;
      store.setInventory(p.id, { quantity: 0 });
      await sim.simulator.flushWebhooks();
      await drain();
      expect(await row(p)).toMatchObject({ available: false });
      expect(await sellableProductIds(t.db, shopId)).not.toContain(id(p));

      store.setInventory(p.id, { quantity: 3 });
      store.updateProduct(p.id, { title: "Jar (new label)", priceCents: 1100, status: "DRAFT" });
      // Shopify does not keep order: hold both deliveries and hand them to the route newest first.
      const held: Request[] = [];
      const route = sim.simulator.webhooks.transport;
      sim.simulator.webhooks.transport = async (request) => {
        held.push(request);
        return new Response(null, { status: 200 });
      };
      await sim.simulator.flushWebhooks();
      sim.simulator.webhooks.transport = route;
      expect(held.map((r) => r.headers.get("x-shopify-topic"))).toEqual(["products/update", "products/update"]);
      for (const request of held.reverse()) expect((await route(request)).status).toBe(200);
      await drain();
      expect(await row(p)).toMatchObject({ title: "Jar (new label)", priceMilli: 11_000, status: "DRAFT", available: true });
      expect(await sellableProductIds(t.db, shopId)).not.toContain(id(p));
      const events = await t.db.webhookEvent.findMany({ where: { shopId, topic: "products/update" }, orderBy: { id: "desc" }, take: 2, select: { status: true } });
      expect(events.map((e) => e.status)).toEqual(["ignored", "processed"]); // the older state, delivered last, changed nothing
    });

    it("a duplicate delivery (same event id) is stored and applied once", async () => {
      store.updateProduct(products.backorder.id, { title: "Chair (made to order)" });
      const sent = await sim.simulator.flushWebhooks({ duplicateRate: 1 });
      expect(sent.map((d) => [d.kind, d.status])).toEqual([["original", 200], ["duplicate", 200]]);
      expect(await t.db.webhookEvent.count({ where: { shopId, eventId: sent[0]!.eventId } })).toBe(1);
      await drain();
      expect(await row(products.backorder)).toMatchObject({ title: "Chair (made to order)" });
    });

    it("products/delete removes the row; a late older update does not bring it back; the other shop's product stays", async () => {
      const p = products.untracked;
      store.updateProduct(p.id, { title: "Mug (last one)" });
      const [update] = await sim.simulator.flushWebhooks();
      store.deleteProduct(p.id);
      await sim.simulator.flushWebhooks();
      await drain();
      expect(await row(p)).toBeUndefined();
      // Shopify retries the update after the delete (same event: a duplicate), and a fresh
      // delivery of the update's payload under a new event id: neither resurrects the product.
      const late = JSON.parse(update!.body) as unknown;
      const result = await acceptWebhook(t.db, { shopDomain: domain, topic: "products/update", eventId: "late-update", webhookId: "late-update", apiVersion: "2026-10", triggeredAt: null, payload: late });
      expect(result).toEqual({ accepted: true, isNew: true });
      await drain();
      expect(await row(p)).toBeUndefined();
      expect(await t.db.webhookEvent.findFirstOrThrow({ where: { shopId, eventId: "late-update" }, select: { status: true } })).toEqual({ status: "ignored" });
      expect(await productsByIds(t.db, otherShopId, [id(p)])).toMatchObject([{ title: "Untracked mug", available: true }]);
    });

    it("refuses a bad products payload with a 400 and writes nothing", async () => {
      const before = { events: await t.db.webhookEvent.count(), products: await t.db.product.count() };
      const body = JSON.stringify({ id: 123, title: "No handle", status: "active", updated_at: "2026-01-01T00:00:00Z", variants: [] });
      const { sign } = await import("../../simulator/webhooks");
      const { receiveWebhook } = await import("../../app/webhooks.server");
      const post = (hmac: string) =>
        receiveWebhook(
          new Request(`${APP_URL}/webhooks/products`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json", "x-shopify-topic": "products/update", "x-shopify-hmac-sha256": hmac, "x-shopify-shop-domain": domain, "x-shopify-api-version": "2026-10", "x-shopify-webhook-id": "bad-1", "x-shopify-event-id": "bad-1" },
          }),
        );
      const bad = await post(sign(body, API_SECRET));
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/handle/);
      expect((await post(sign(body, "wrong"))).status).toBe(401);
      expect({ events: await t.db.webhookEvent.count(), products: await t.db.product.count() }).toEqual(before);
      expect(productPayload.safeParse({ ...JSON.parse(body), handle: "x", status: "hidden" }).success).toBe(false);
    });
  });

  it("a re-sync removes what Shopify deleted while no webhook came, and keeps what changed after its snapshot", async () => {
    const gone = products.archived;
    store.products.delete(gone.id); // deleted with no webhook delivered (Shopify does not guarantee delivery)
    await beginProductSync(t.db, shopId);
    const admin = simulatorAdmin(sim, domain);
    const { advanceProductSync } = await import("../../app/services/product-sync.server");
    // Start the export, then a product arrives by webhook before Shopify finishes: newer than the snapshot.
    expect((await advanceProductSync({ db: t.db, admin, shopId })).done).toBe(false);
    await t.db.product.create({ data: { shopId, shopifyId: "999999", handle: "arrived-meanwhile", title: "Arrived meanwhile", status: "ACTIVE", available: true, shopifyUpdatedAt: new Date(Date.now() + 60_000) } });
    while (!(await advanceProductSync({ db: t.db, admin, shopId })).done) await new Promise((r) => setTimeout(r, 20));
    expect(await productsByIds(t.db, shopId, [id(gone), "999999"])).toMatchObject([{ id: "999999", title: "Arrived meanwhile" }]);
    expect(await productsByIds(t.db, otherShopId, [id(gone)])).toHaveLength(1);
  }, 60_000);

  it("the availability lookup answers Shopify's availableForSale per product", async () => {
    const lookup = shopifyAvailability(async () => simulatorAdmin(sim, domain));
    const answers = await lookup([products.soldOut, products.backorder, products.noImage].map(id));
    expect(Object.fromEntries(answers)).toEqual({ [id(products.soldOut)]: false, [id(products.backorder)]: true, [id(products.noImage)]: true });
    // If Shopify cannot be asked, an undecidable product is stored as unavailable (never shown when unsure).
    const payload = productPayload.parse({ id: 424242, handle: "mystery", title: "Mystery", status: "active", updated_at: "2026-01-01T00:00:00Z", variants: [{ id: 1, price: "1.00", inventory_policy: "deny", inventory_quantity: 0 }] });
    const failing = async () => Promise.reject(new Error("Shopify unreachable"));
    expect(await applyProductWebhook(t.db, shopId, payload, failing)).toBe("inserted");
    expect((await productsByIds(t.db, shopId, ["424242"]))[0]).toMatchObject({ available: false, currency: "GBP" });
  });
});
