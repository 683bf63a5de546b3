import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

describeEachDatabase("PrismaSessionStorage", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.drop());

  it("round-trips an offline and an online session", async () => {
    const storage = new PrismaSessionStorage(t.db);
    await storage.isReady();
    const offline = new Session({
      id: "offline_demo.myshopify.com",
      shop: "demo.myshopify.com",
      state: "state-1",
      isOnline: false,
      scope: "read_orders,read_customers",
      accessToken: "shpat_token",
      refreshToken: "shprt_refresh",
      refreshTokenExpires: new Date("2027-01-01T00:00:00Z"),
    });
    const online = new Session({
      id: "demo.myshopify.com_42",
      shop: "demo.myshopify.com",
      state: "state-2",
      isOnline: true,
      scope: "read_orders",
      accessToken: "shpua_token",
      expires: new Date("2026-12-01T10:00:00Z"),
      onlineAccessInfo: {
        expires_in: 86400,
        associated_user_scope: "read_orders",
        associated_user: { id: 42, first_name: "A", last_name: "B", email: "a@example.com", email_verified: true, account_owner: true, locale: "en", collaborator: false },
      },
    });
    expect(await storage.storeSession(offline)).toBe(true);
    expect(await storage.storeSession(online)).toBe(true);

    const back = await storage.loadSession(offline.id);
    expect(back?.toPropertyArray(true)).toEqual(offline.toPropertyArray(true));
    const backOnline = await storage.loadSession(online.id);
    expect(backOnline?.onlineAccessInfo?.associated_user.id).toBe(42);
    expect(backOnline?.expires?.toISOString()).toBe("2026-12-01T10:00:00.000Z");

    expect((await storage.findSessionsByShop("demo.myshopify.com")).map((s) => s.id).sort()).toEqual([online.id, offline.id].sort());
    expect(await storage.deleteSession(online.id)).toBe(true);
    expect(await storage.loadSession(online.id)).toBeUndefined();
    expect(await storage.deleteSessions([offline.id])).toBe(true);
    expect(await t.db.session.count()).toBe(0);
  });
});
