// The weekly refresh schedule on both databases: booking a shop's slot from its settings, the
// hourly pass's fan-out (due shops only, once each even with two passes at once), the on-demand
// request's answer, the settings' validation, install booking the first slot, and the app-wide
// pass booked once however often the queue starts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { JOB } from "../../app/queue/job-types";
import { nextWeeklyRun } from "../../app/queue/schedule";
import { bookScheduleRefreshes } from "../../app/queue/start.server";
import { onShopInstalled } from "../../app/services/install.server";
import { bookNextRefresh, enqueueDueRefreshes, refreshSettings, requestRefresh, updateRefreshSettings } from "../../app/services/refresh-schedule.server";
import { createTestDatabase, describeEachDatabase, type TestDatabase } from "../support/databases";

// Thursday 15 January 2026, 12:00 UTC.
const NOW = new Date("2026-01-15T12:00:00Z");
const HOUR_MS = 3_600_000;

describeEachDatabase("refresh schedule", (provider) => {
  let t: TestDatabase;
  let db: Db;
  let n = 0;
  const shop = async (data: { timezone?: string; refreshSchedule?: string; refreshWeekday?: number; refreshHour?: number; nextRefreshAt?: Date | null; installState?: string } = {}) =>
    (await db.shop.create({ data: { domain: `s${++n}-${provider}.myshopify.com`, ...data } })).id;
  const refreshJobs = (shopId: number) => db.job.findMany({ where: { shopId, type: JOB.refreshSegments }, orderBy: { id: "asc" } });
  const nextOf = async (shopId: number) => (await db.shop.findUniqueOrThrow({ where: { id: shopId } })).nextRefreshAt;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    db = t.db;
  });
  afterAll(async () => t?.drop());
  beforeEach(async () => {
    await db.job.deleteMany({});
    await db.shop.deleteMany({});
  });

  describe("bookNextRefresh", () => {
    it("books the shop's weekday and hour in its own zone (default Monday 03:00)", async () => {
      const london = await shop({ timezone: "Europe/London" });
      expect((await bookNextRefresh(db, london, NOW))?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
      const kolkata = await shop({ timezone: "Asia/Kolkata", refreshWeekday: 5, refreshHour: 22 });
      expect((await bookNextRefresh(db, kolkata, NOW))?.toISOString()).toBe("2026-01-16T16:30:00.000Z"); // Friday 22:00 IST
      expect((await nextOf(kolkata))?.toISOString()).toBe("2026-01-16T16:30:00.000Z");
    });

    it("clears the slot of a manual (or any non-weekly) schedule and of an uninstalled shop", async () => {
      for (const data of [{ refreshSchedule: "manual" }, { refreshSchedule: "daily" }, { installState: "uninstalled" }]) {
        const id = await shop({ ...data, nextRefreshAt: NOW });
        expect(await bookNextRefresh(db, id, NOW)).toBeNull();
        expect(await nextOf(id)).toBeNull();
      }
    });
  });

  describe("enqueueDueRefreshes (the hourly pass)", () => {
    it("queues a schedule refresh for each due weekly shop and books its next slot; leaves the others alone", async () => {
      const due = await shop({ timezone: "America/New_York", nextRefreshAt: new Date(NOW.getTime() - HOUR_MS) });
      const dueNow = await shop({ nextRefreshAt: NOW }); // at now exactly: due
      const later = await shop({ nextRefreshAt: new Date(NOW.getTime() + 60_000) });
      const manual = await shop({ refreshSchedule: "manual", nextRefreshAt: new Date(NOW.getTime() - HOUR_MS) });
      const gone = await shop({ installState: "uninstalled", nextRefreshAt: new Date(NOW.getTime() - HOUR_MS) });

      expect(await enqueueDueRefreshes(db, NOW)).toEqual({ due: 2, queued: 2, booked: 0 });
      for (const id of [due, dueNow]) {
        const jobs = await refreshJobs(id);
        expect(jobs).toHaveLength(1);
        expect(jobs[0]).toMatchObject({ status: "queued", singletonKey: JOB.refreshSegments, payload: '{"reason":"schedule"}' });
      }
      expect((await nextOf(due))?.toISOString()).toBe(nextWeeklyRun(NOW, "America/New_York", 1, 3).toISOString());
      expect((await nextOf(due))?.toISOString()).toBe("2026-01-19T08:00:00.000Z");
      expect((await nextOf(dueNow))?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
      for (const id of [later, manual, gone]) expect(await refreshJobs(id)).toHaveLength(0);
      expect((await nextOf(later))?.getTime()).toBe(NOW.getTime() + 60_000);

      // The next hour: only the shop whose slot came meanwhile; the two taken are booked a week on.
      expect(await enqueueDueRefreshes(db, new Date(NOW.getTime() + HOUR_MS))).toEqual({ due: 1, queued: 1, booked: 0 });
      expect(await refreshJobs(later)).toHaveLength(1);
      expect(await db.job.count({ where: { type: JOB.refreshSegments } })).toBe(3);
    });

    it("takes a due shop whose refresh is already waiting without queuing a second one", async () => {
      const id = await shop({ nextRefreshAt: NOW });
      await requestRefresh(db, id);
      expect(await enqueueDueRefreshes(db, NOW)).toEqual({ due: 1, queued: 0, booked: 0 });
      expect(await refreshJobs(id)).toHaveLength(1);
      expect((await nextOf(id))?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
    });

    it("books a weekly shop that has no slot yet, without refreshing it now", async () => {
      const id = await shop({ nextRefreshAt: null });
      expect(await enqueueDueRefreshes(db, NOW)).toEqual({ due: 0, queued: 0, booked: 1 });
      expect((await nextOf(id))?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
      expect(await refreshJobs(id)).toHaveLength(0);
    });

    it("two passes at once (two processes) queue each due shop once", async () => {
      const ids = await Promise.all(Array.from({ length: 6 }, () => shop({ nextRefreshAt: new Date(NOW.getTime() - HOUR_MS) })));
      const [a, b] = await Promise.all([enqueueDueRefreshes(db, NOW), enqueueDueRefreshes(db, NOW)]);
      expect(a.due + b.due).toBe(6);
      for (const id of ids) expect(await refreshJobs(id)).toHaveLength(1);
    });
  });

  describe("requestRefresh (on demand)", () => {
    it("queues an on-demand refresh, then says one is already queued, then that one is running", async () => {
      const id = await shop();
      expect(await requestRefresh(db, id)).toBe("queued");
      const jobs = await refreshJobs(id);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ status: "queued", payload: '{"reason":"on-demand"}', singletonKey: JOB.refreshSegments });
      expect(await requestRefresh(db, id)).toBe("already-queued");
      await db.job.update({ where: { id: jobs[0]!.id }, data: { status: "running" } });
      expect(await requestRefresh(db, id)).toBe("running");
      expect(await refreshJobs(id)).toHaveLength(1);
      await db.job.update({ where: { id: jobs[0]!.id }, data: { status: "succeeded" } });
      expect(await requestRefresh(db, id)).toBe("queued");
      expect(await refreshJobs(id)).toHaveLength(2);
    });

    it("does not move the weekly slot, and another shop's refresh does not count", async () => {
      const id = await shop({ nextRefreshAt: new Date("2026-01-19T03:00:00Z") });
      const other = await shop();
      await requestRefresh(db, other);
      expect(await requestRefresh(db, id)).toBe("queued");
      expect((await nextOf(id))?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
    });
  });

  describe("updateRefreshSettings", () => {
    it("saves the day, hour and schedule and rebooks the slot in the shop's zone", async () => {
      const id = await shop({ timezone: "Europe/London" });
      await bookNextRefresh(db, id, NOW);
      const r = await updateRefreshSettings(db, id, { weekday: "6", hour: 23, schedule: "weekly" }, NOW);
      expect(r).toEqual({
        ok: true,
        settings: { schedule: "weekly", weekday: 6, hour: 23, timeZone: "Europe/London", lastRefreshAt: null, nextRefreshAt: new Date("2026-01-17T23:00:00Z") },
      });
      // A field left out stays as it is.
      const hourOnly = await updateRefreshSettings(db, id, { hour: 5 }, NOW);
      expect(hourOnly.ok && hourOnly.settings).toMatchObject({ weekday: 6, hour: 5, nextRefreshAt: new Date("2026-01-17T05:00:00Z") });
    });

    it("manual clears the slot; weekly again books it", async () => {
      const id = await shop();
      await bookNextRefresh(db, id, NOW);
      const manual = await updateRefreshSettings(db, id, { schedule: "manual" }, NOW);
      expect(manual.ok && manual.settings).toMatchObject({ schedule: "manual", nextRefreshAt: null });
      expect(await enqueueDueRefreshes(db, new Date("2026-02-01T00:00:00Z"))).toEqual({ due: 0, queued: 0, booked: 0 });
      const weekly = await updateRefreshSettings(db, id, { schedule: "weekly" }, NOW);
      expect(weekly.ok && weekly.settings.nextRefreshAt?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
    });

    it("refuses values out of range with a message per field and saves nothing", async () => {
      const id = await shop();
      await bookNextRefresh(db, id, NOW);
      const r = await updateRefreshSettings(db, id, { weekday: 7, hour: "3.5", schedule: "daily" }, NOW);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.weekday).toBe("Choose a day of the week, Sunday to Saturday.");
      expect(r.errors.hour).toMatch(/^Choose an hour from 0 \(midnight\) to 23/);
      expect(r.errors.schedule).toMatch(/weekly, or only when you ask \(manual\)/);
      for (const bad of [{ weekday: -1 }, { weekday: "" }, { weekday: "monday" }, { hour: 24 }, { hour: -1 }]) {
        const again = await updateRefreshSettings(db, id, bad, NOW);
        expect(again.ok).toBe(false);
      }
      // One bad field refuses the whole change.
      expect((await updateRefreshSettings(db, id, { weekday: 2, hour: 99 }, NOW)).ok).toBe(false);
      expect(await refreshSettings(db, id)).toMatchObject({ schedule: "weekly", weekday: 1, hour: 3, nextRefreshAt: new Date("2026-01-19T03:00:00Z") });
    });

    it("shows a stored value other than weekly as manual", async () => {
      const id = await shop({ refreshSchedule: "daily" });
      expect((await refreshSettings(db, id)).schedule).toBe("manual");
    });
  });

  it("install books the first weekly slot (and a re-install books it again)", async () => {
    const id = await onShopInstalled(db, `installed-${provider}.myshopify.com`, "read_orders", NOW);
    expect((await nextOf(id))?.toISOString()).toBe("2026-01-19T03:00:00.000Z");
    await db.shop.update({ where: { id }, data: { installState: "uninstalled", nextRefreshAt: null } });
    const later = new Date("2026-01-20T12:00:00Z");
    expect(await onShopInstalled(db, `installed-${provider}.myshopify.com`, "read_orders", later)).toBe(id);
    expect((await nextOf(id))?.toISOString()).toBe("2026-01-26T03:00:00.000Z");
  });

  it("the app-wide hourly pass is booked once, however many processes start at once and however often", async () => {
    const added = await Promise.all(Array.from({ length: 5 }, () => bookScheduleRefreshes(db)));
    expect(added.filter(Boolean)).toHaveLength(1);
    expect(await bookScheduleRefreshes(db)).toBe(false); // a restart
    const jobs = await db.job.findMany({ where: { type: JOB.scheduleRefreshes } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ shopId: null, status: "queued", singletonKey: JOB.scheduleRefreshes });
  });
});
