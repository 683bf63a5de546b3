// The inbox write on its own (the request's one INSERT): once per event, stored in Prisma's own
// formats, no drain queued by the request; a shop deleted by another process (shop/redact in a
// worker) gets a new row on its next delivery. And the inbox dispatcher: one drain per shop with
// new events, a start-up sweep of what a crash left, nothing dispatched twice.
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sqliteFileOf } from "../../app/db.server";
import type { IncomingWebhook } from "../../app/models/webhook-events.server";
import { closeWebhookInboxWriter, webhookInboxWriter } from "../../app/models/webhook-inbox-writer.server";
import { JOB } from "../../app/queue/job-types";
import { inboxDispatchPass } from "../../app/services/inbox-dispatch.server";
import { recordWebhook } from "../../app/services/webhook-inbox.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

const event = (eventId: string, shopDomain: string, triggeredAt: Date | null = null): IncomingWebhook => ({
  shopDomain,
  topic: "orders/create",
  eventId,
  webhookId: `w-${eventId}`,
  apiVersion: "2026-10",
  triggeredAt,
  payload: { id: "1" },
});

describeEachDatabase("webhook inbox", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    if (t) await closeWebhookInboxWriter(t.db);
    await t?.drop();
  });

  const drains = (shop: string) => t.db.job.count({ where: { type: JOB.processWebhooks, status: "queued", shop: { domain: shop } } });

  it("stores an event once, readable through Prisma, and queues no drain itself", async () => {
    const shop = `inbox-${provider}.myshopify.com`;
    const triggered = new Date("2026-11-01T10:00:00.123Z");
    const before = Date.now();
    expect(await recordWebhook(t.db, event("e1", shop, triggered))).toBe(true);
    expect(await recordWebhook(t.db, event("e1", shop))).toBe(false);
    expect(await recordWebhook(t.db, event("e2", shop))).toBe(true);
    const rows = await t.db.webhookEvent.findMany({ where: { shop: { domain: shop } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.eventId, r.webhookId, r.topic, r.apiVersion, r.status, r.payload])).toEqual([
      ["e1", "w-e1", "orders/create", "2026-10", "received", '{"id":"1"}'],
      ["e2", "w-e2", "orders/create", "2026-10", "received", '{"id":"1"}'],
    ]);
    expect(rows[0]!.triggeredAt).toEqual(triggered);
    expect(rows[1]!.triggeredAt).toBeNull();
    expect(rows[0]!.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows[0]!.receivedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const shopRow = await t.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(shopRow.installState).toBe("installed");
    expect(shopRow.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await drains(shop)).toBe(0);
  });

  it("recovers when the shop row was deleted by another process", async () => {
    const shop = `redacted-${provider}.myshopify.com`;
    await recordWebhook(t.db, event("a", shop)); // creates the shop row
    const before = await t.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await t.db.shop.delete({ where: { id: before.id } }); // as shop/redact in a worker would
    expect(await recordWebhook(t.db, event("b", shop))).toBe(true);
    const after = await t.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(after.id).not.toBe(before.id);
    expect(await t.db.webhookEvent.count({ where: { shopId: after.id } })).toBe(1);
  });

  it("deliveries written together share a commit, and a row that fails fails only its own request", async () => {
    const shop = `batch-${provider}.myshopify.com`;
    await t.db.shop.create({ data: { domain: shop } }); // a known shop: the batch's one statement (PostgreSQL), not the first-delivery path
    const writer = webhookInboxWriter(t.db);
    const row = (eventId: string) => ({ ...event(eventId, shop), payload: "{}" });
    const broken = { ...row("bad"), apiVersion: null as unknown as string }; // NOT NULL: the batch's transaction fails
    const results = await Promise.allSettled([writer.write(row("g1")), writer.write(broken), writer.write(row("g2")), writer.write(row("g1"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : null))).toEqual([true, null, true, false]);
    const stored = await t.db.webhookEvent.findMany({ where: { shop: { domain: shop } }, orderBy: { id: "asc" }, select: { eventId: true } });
    expect(stored.map((r) => r.eventId)).toEqual(["g1", "g2"]);
  });

  it.runIf(provider === "sqlite")("waits for a write lock held by another connection without holding the event loop, then writes", async () => {
    const shop = `locked-${provider}.myshopify.com`;
    const writer = webhookInboxWriter(t.db);
    await writer.write({ ...event("before", shop), payload: "{}" }); // the shop row exists
    const other = new Database(sqliteFileOf(t.db)!);
    other.exec("BEGIN IMMEDIATE"); // as the job thread's transaction would
    const writing = writer.write({ ...event("while-locked", shop), payload: "{}" });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await new Promise((r) => setTimeout(r, 60));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5); // timers ran while the write waited
    expect(await t.db.webhookEvent.count({ where: { eventId: "while-locked" } })).toBe(0);
    other.exec("COMMIT");
    other.close();
    expect(await writing).toBe(true);
    expect(await t.db.webhookEvent.count({ where: { eventId: "while-locked" } })).toBe(1);
  });

  it("the dispatcher sweeps what is waiting, queues one drain per shop, and dispatches each event once", async () => {
    const [a, b] = [`dispatch-a-${provider}.myshopify.com`, `dispatch-b-${provider}.myshopify.com`];
    await recordWebhook(t.db, event("a1", a));
    await recordWebhook(t.db, event("a2", a));
    // The start-up sweep: every shop with a 'received' event, the earlier tests' shops included.
    const pass = inboxDispatchPass(t.db, 0);
    const swept = await pass();
    const ids = async (...domains: string[]) =>
      (await t.db.shop.findMany({ where: { domain: { in: domains } }, select: { id: true } })).map((s) => s.id).sort((x, y) => x - y);
    expect(swept.sort((x, y) => x - y)).toEqual(await ids(a, `inbox-${provider}.myshopify.com`, `redacted-${provider}.myshopify.com`, `batch-${provider}.myshopify.com`, `locked-${provider}.myshopify.com`));
    expect(await drains(a)).toBe(1);
    expect(await pass()).toEqual([]); // nothing new: nothing dispatched again
    await recordWebhook(t.db, event("b1", b));
    await recordWebhook(t.db, event("a3", a));
    expect((await pass()).sort((x, y) => x - y)).toEqual(await ids(a, b));
    expect(await drains(a)).toBe(1); // the singleton was still waiting
    expect(await drains(b)).toBe(1);
  });

  it("with a look-back, an event that commits after a higher id is still dispatched (PostgreSQL's case)", async () => {
    const shop = `late-${provider}.myshopify.com`;
    await recordWebhook(t.db, event("late-0", shop));
    const shopId = (await t.db.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
    const highest = await t.db.webhookEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    // A row far above the rest, already processed: the first pass's high-water mark.
    const filler = await t.db.webhookEvent.create({ data: { ...highest, id: highest.id + 1000, eventId: "filler", status: "processed" } });
    const pass = inboxDispatchPass(t.db, 10_000);
    await pass(1_000);
    // An event whose id is below that mark but that was not visible to the pass: committed late.
    await recordWebhook(t.db, event("late-1", shop));
    const late = await t.db.webhookEvent.findFirstOrThrow({ where: { shopId, eventId: "late-1" } });
    await t.db.webhookEvent.update({ where: { id: late.id }, data: { id: filler.id - 1 } });
    expect(await pass(2_000)).toEqual([shopId]);
    expect(await pass(3_000)).toEqual([]); // seen once, not again
    // Past the look-back the scan starts at the mark: nothing below it is read again.
    expect(await pass(20_000)).toEqual([]);
  });
});
