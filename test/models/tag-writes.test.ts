// The tags Segmint believes a customer carries (customers/update echo detection): only its
// successful live writes count — not dry-run plans, pending, failed or skipped writes.
import { afterAll, beforeAll, expect, it } from "vitest";
import { liveTagsOf } from "../../app/models/tag-writes.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

describeEachDatabase("liveTagsOf", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.drop());

  it("replays only successful live writes, in order", async () => {
    const shop = await t.db.shop.create({ data: { domain: "tags.myshopify.com" } });
    const customer = await t.db.customer.create({ data: { shopId: shop.id, shopifyId: "1" } });
    const write = (tag: string, action: string, mode: string, result: string) =>
      t.db.tagWrite.create({ data: { shopId: shop.id, customerId: customer.id, tag, action, mode, result } });
    await write("segmint:loyal", "add", "live", "ok");
    await write("segmint:at-risk", "add", "live", "failed");
    await write("segmint:new", "add", "dry-run", "planned");
    await write("segmint:champions", "add", "live", "pending");
    await write("segmint:whales", "add", "live", "skipped-cap");
    expect([...(await liveTagsOf(t.db, shop.id, customer.id))]).toEqual(["segmint:loyal"]);
    await write("segmint:loyal", "remove", "live", "ok");
    await write("segmint:at-risk", "add", "live", "ok");
    expect([...(await liveTagsOf(t.db, shop.id, customer.id))]).toEqual(["segmint:at-risk"]);
  });
});
