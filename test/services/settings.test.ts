// The Settings page's service on both databases: per-field messages for a bad tag prefix, write-
// back mode, time zone and schedule (the schedule's from refresh-schedule), nothing saved when
// any field is refused, and a good form saved with the next weekly slot booked in the new zone;
// the anomalies' switches: risk assessments refused until the write_orders scope is granted, VIP
// tags starting a full write-back pass when turned on or off (not with write-back off).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { isValidTagPrefix } from "../../app/domain/tag-prefix";
import {
  RISK_SCOPE_MESSAGE,
  saveSettings,
  settingsView,
  TAG_PREFIX_MESSAGE,
  TIME_ZONE_MESSAGE,
  WRITE_BACK_MODE_MESSAGE,
  type SettingsInput,
} from "../../app/services/settings.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

// Thursday 15 January 2026, 12:00 UTC.
const NOW = new Date("2026-01-15T12:00:00Z");

const GOOD: SettingsInput = { tagPrefix: "segmint", writeBackMode: "dry-run", shopifySegments: "on", timeZone: "UTC", schedule: "weekly", weekday: "1", hour: "3" };

describe("tag prefix rule", () => {
  it("takes 1–20 letters, digits, dashes and underscores only", () => {
    for (const ok of ["s", "segmint", "SEG_mint-2", "a".repeat(20)]) expect(isValidTagPrefix(ok), ok).toBe(true);
    for (const bad of ["", "a".repeat(21), "seg mint", "seg:mint", "seg,mint", "ségmint", "seg/mint"]) expect(isValidTagPrefix(bad), bad).toBe(false);
  });
});

describeEachDatabase("settings service", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let n = 0;
  const newShop = async () => (await db.shop.create({ data: { domain: `st${++n}-${provider}.myshopify.com`, timezone: "UTC" } })).id;
  const shopRow = (id: number) => db.shop.findUniqueOrThrow({ where: { id } });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    db = t.db;
  }, 120_000);
  afterAll(async () => t?.drop());

  it("refuses a bad prefix, mode and time zone with a message for each, and saves nothing", async () => {
    const id = await newShop();
    const before = await shopRow(id);
    for (const tagPrefix of ["", "seg mint", "segmint:", "a".repeat(21)]) {
      const result = await saveSettings(db, id, { ...GOOD, tagPrefix }, NOW);
      expect(result, tagPrefix).toEqual({ ok: false, errors: { tagPrefix: TAG_PREFIX_MESSAGE } });
    }
    const all = await saveSettings(db, id, { ...GOOD, tagPrefix: "bad prefix", writeBackMode: "write-everything", timeZone: "Mars/Olympus", hour: "3" }, NOW);
    expect(all).toEqual({ ok: false, errors: { tagPrefix: TAG_PREFIX_MESSAGE, writeBackMode: WRITE_BACK_MODE_MESSAGE, timeZone: TIME_ZONE_MESSAGE } });
    expect(TIME_ZONE_MESSAGE).toMatch(/Europe\/London/);
    expect(await shopRow(id)).toEqual(before);
  });

  it("refuses a bad hour or weekday with refresh-schedule's own messages, and saves nothing (not even the valid fields)", async () => {
    const id = await newShop();
    const before = await shopRow(id);
    const result = await saveSettings(db, id, { ...GOOD, tagPrefix: "new-prefix", hour: "24", weekday: "Funday" }, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.hour).toBe("Choose an hour from 0 (midnight) to 23 (11 pm), in your store's time zone.");
      expect(result.errors.weekday).toBe("Choose a day of the week, Sunday to Saturday.");
    }
    expect(await shopRow(id)).toEqual(before);
  });

  it("saves every field, books the next slot in the new time zone, and says the tags move to a new prefix", async () => {
    const id = await newShop();
    const result = await saveSettings(db, id, { tagPrefix: "vip_seg", writeBackMode: "live", timeZone: "Asia/Kolkata", schedule: "weekly", weekday: "5", hour: "22" }, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message).toBe('Settings saved. The next write-back moves Segmint\'s tags from "segmint:" to "vip_seg:".');
    const row = await shopRow(id);
    expect(row).toMatchObject({ tagPrefix: "vip_seg", writeBackMode: "live", shopifySegments: false, timezone: "Asia/Kolkata", refreshSchedule: "weekly", refreshWeekday: 5, refreshHour: 22 });
    // Friday 16 January 2026, 22:00 in Kolkata (UTC+5:30).
    expect(row.nextRefreshAt?.toISOString()).toBe("2026-01-16T16:30:00.000Z");
    expect(result.settings.refresh).toMatchObject({ schedule: "weekly", weekday: 5, hour: 22, timeZone: "Asia/Kolkata" });
  });

  it("a manual schedule clears the booked slot; an unchanged prefix says nothing about tags moving", async () => {
    const id = await newShop();
    await saveSettings(db, id, GOOD, NOW);
    expect((await shopRow(id)).nextRefreshAt).not.toBeNull();
    const result = await saveSettings(db, id, { ...GOOD, schedule: "manual" }, NOW);
    expect(result).toMatchObject({ ok: true, message: "Settings saved." });
    expect((await shopRow(id)).nextRefreshAt).toBeNull();
    expect((await settingsView(db, id))?.refresh.schedule).toBe("manual");
    expect((await settingsView(db, id))?.shopifySegments).toBe(true);
  });

  it("the anomalies' switches are off by default; risk assessments are refused until write_orders is granted, then saved", async () => {
    const id = await newShop();
    expect(await settingsView(db, id)).toMatchObject({ vipTags: false, riskAssessments: false, orderAccessGranted: false });
    await db.shop.update({ where: { id }, data: { scopes: "read_orders,read_customers,write_customers" } });
    const before = await shopRow(id);
    const refused = await saveSettings(db, id, { ...GOOD, tagPrefix: "other", vipTags: "on", riskAssessments: "on" }, NOW);
    expect(refused).toEqual({ ok: false, errors: { riskAssessments: RISK_SCOPE_MESSAGE } });
    expect(RISK_SCOPE_MESSAGE).toMatch(/Grant order access/);
    expect(await shopRow(id)).toEqual(before);

    // the merchant granted it (app/scopes_update wrote the shop's scopes)
    await db.shop.update({ where: { id }, data: { scopes: "read_orders,read_customers,write_customers,write_orders" } });
    const saved = await saveSettings(db, id, { ...GOOD, riskAssessments: "on" }, NOW);
    expect(saved).toMatchObject({ ok: true, settings: { riskAssessments: true, vipTags: false, orderAccessGranted: true } });
    expect(await shopRow(id)).toMatchObject({ riskAssessments: true, vipTags: false });

    // a scope revoked later does not block the other settings; unticking turns it off
    await db.shop.update({ where: { id }, data: { scopes: "read_orders" } });
    expect(await saveSettings(db, id, { ...GOOD, riskAssessments: "on", schedule: "manual" }, NOW)).toMatchObject({ ok: true });
    expect(await saveSettings(db, id, GOOD, NOW)).toMatchObject({ ok: true, settings: { riskAssessments: false } });
  });

  it("turning risk assessments on queues the orders already flagged and not yet assessed (dismissed and assessed ones left out)", async () => {
    const id = await newShop();
    await db.shop.update({ where: { id }, data: { scopes: "read_orders,write_orders" } });
    const flag = (subjectKey: string, extra: object = {}) =>
      db.anomaly.create({ data: { shopId: id, kind: "order", subjectKey, score: 0.9, category: "review", reasons: "[]", ...extra } });
    const open = await flag("101");
    await flag("102", { status: "dismissed" });
    await flag("103", { riskAssessedAt: NOW, riskAssessment: "HIGH" });
    const confirmed = await flag("104", { status: "confirmed" });
    const saved = await saveSettings(db, id, { ...GOOD, riskAssessments: "on" }, NOW);
    expect(saved).toMatchObject({ ok: true, message: "Settings saved. Risk assessments are being written to Shopify for the 2 orders flagged now." });
    const jobs = await db.job.findMany({ where: { shopId: id, type: "assess-order-risk" } });
    expect(jobs.map((j) => JSON.parse(j.payload))).toEqual([{ anomalyIds: [open.id, confirmed.id] }]);
    // saved again while on: nothing queued twice
    expect(await saveSettings(db, id, { ...GOOD, riskAssessments: "on" }, NOW)).toMatchObject({ ok: true, message: "Settings saved." });
    expect(await db.job.count({ where: { shopId: id, type: "assess-order-risk" } })).toBe(1);
  });

  it("turning VIP tags on or off starts a full write-back pass (none with write-back off, none when unchanged)", async () => {
    const id = await newShop();
    await db.segmentRun.create({ data: { shopId: id, algorithm: "hybrid", asOf: NOW, status: "completed", customerCount: 0 } });
    const passes = () => db.writeBack.findMany({ where: { shopId: id }, orderBy: { id: "asc" }, select: { kind: true, mode: true } });

    const on = await saveSettings(db, id, { ...GOOD, writeBackMode: "live", vipTags: "on" }, NOW);
    expect(on).toMatchObject({ ok: true, settings: { vipTags: true }, message: 'Settings saved. A write-back has started: your whales get the "segmint:vip" tag.' });
    expect(await passes()).toEqual([{ kind: "refresh", mode: "live" }]);

    expect(await saveSettings(db, id, { ...GOOD, writeBackMode: "live", vipTags: "on" }, NOW)).toMatchObject({ ok: true, message: "Settings saved." });
    expect(await passes()).toHaveLength(1);

    const dry = await saveSettings(db, id, { ...GOOD, writeBackMode: "dry-run" }, NOW);
    expect(dry).toMatchObject({ ok: true, settings: { vipTags: false }, message: 'Settings saved. A dry run of the write-back has started: it plans the removal of the "segmint:vip" tags without writing them.' });
    expect(await passes()).toEqual([{ kind: "refresh", mode: "live" }, { kind: "refresh", mode: "dry-run" }]);

    expect(await saveSettings(db, id, { ...GOOD, writeBackMode: "off", vipTags: "on" }, NOW)).toMatchObject({ ok: true, message: "Settings saved.", settings: { vipTags: true } });
    expect(await passes()).toHaveLength(2);
  });
});
