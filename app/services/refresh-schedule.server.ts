// When a shop's segments are refreshed: weekly on the merchant's day and hour in the shop's time
// zone (Shop.refreshSchedule "weekly"), or only when asked (any other value: "manual"), plus
// on-demand runs. Shop.nextRefreshAt holds the booked weekly slot (null: none); the hourly
// app-wide `schedule-refreshes` pass queues the shops whose slot has come (docs/segments.md).
import type { Prisma } from "@prisma/client";
import type { Db } from "../db.server";
import { JOB } from "../queue/job-types";
import { enqueue, singletonState } from "../queue/queue.server";
import { nextWeeklyRun } from "../queue/schedule";

export const REFRESH_SCHEDULES = ["weekly", "manual"] as const;
export type RefreshSchedule = (typeof REFRESH_SCHEDULES)[number];

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

type Client = Db | Prisma.TransactionClient;

interface ScheduleFields {
  installState: string;
  refreshSchedule: string;
  timezone: string;
  refreshWeekday: number;
  refreshHour: number;
}
const SCHEDULE_FIELDS = { installState: true, refreshSchedule: true, timezone: true, refreshWeekday: true, refreshHour: true } as const;

/** The weekly slot after `now`, or null when the shop has none (manual schedule, uninstalled). */
function slotAfter(shop: ScheduleFields, now: Date): Date | null {
  if (shop.installState !== "installed" || shop.refreshSchedule !== "weekly") return null;
  return nextWeeklyRun(now, shop.timezone, shop.refreshWeekday, shop.refreshHour);
}

/** Books (or clears) the shop's next weekly refresh from its settings. Returns Shop.nextRefreshAt. */
export async function bookNextRefresh(db: Client, shopId: number, now = new Date()): Promise<Date | null> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: SCHEDULE_FIELDS });
  const nextRefreshAt = slotAfter(shop, now);
  await db.shop.update({ where: { id: shopId }, data: { nextRefreshAt } });
  return nextRefreshAt;
}

export interface DueRefreshes {
  /** Shops whose slot had come and that this pass took (a refresh queued unless one was waiting). */
  readonly due: number;
  /** Refresh jobs added (a shop with a refresh already waiting adds none). */
  readonly queued: number;
  /** Weekly shops without a booked slot (none yet, e.g. installed before schedules) now booked. */
  readonly booked: number;
}

/**
 * The hourly pass: queues `refresh-segments {reason: "schedule"}` for every installed weekly shop
 * whose Shop.nextRefreshAt is at or before `now`, and books its next slot. Each shop is taken by a
 * compare-and-set on nextRefreshAt in the transaction that queues its refresh, so two passes at
 * once (two processes) queue a shop once, and a crash leaves either both or neither.
 */
export async function enqueueDueRefreshes(db: Db, now = new Date()): Promise<DueRefreshes> {
  const shops = await db.shop.findMany({
    where: { installState: "installed", refreshSchedule: "weekly", OR: [{ nextRefreshAt: { lte: now } }, { nextRefreshAt: null }] },
    select: { id: true, nextRefreshAt: true, ...SCHEDULE_FIELDS },
    orderBy: { id: "asc" },
  });
  let due = 0;
  let queued = 0;
  let booked = 0;
  for (const shop of shops) {
    const next = slotAfter(shop, now);
    await db.$transaction(async (tx) => {
      const taken = await tx.shop.updateMany({ where: { id: shop.id, nextRefreshAt: shop.nextRefreshAt, refreshSchedule: "weekly" }, data: { nextRefreshAt: next } });
      if (taken.count !== 1) return; // another pass took it, or the merchant changed the schedule meanwhile
      if (shop.nextRefreshAt === null) {
        booked++;
        return;
      }
      due++;
      const id = await enqueue(tx, { type: JOB.refreshSegments, shopId: shop.id, singletonKey: JOB.refreshSegments, payload: { reason: "schedule" } });
      if (id !== null) queued++;
    });
  }
  return { due, queued, booked };
}

export type RefreshRequest = "queued" | "already-queued" | "running";

/**
 * An on-demand refresh (the merchant's "refresh now"): queued unless one is already waiting or
 * running for the shop, which is what the answer says. The weekly slot is not moved.
 */
export async function requestRefresh(db: Db, shopId: number): Promise<RefreshRequest> {
  const state = await singletonState(db, shopId, JOB.refreshSegments);
  if (state === "running") return "running";
  if (state === "queued") return "already-queued";
  const id = await enqueue(db, { type: JOB.refreshSegments, shopId, singletonKey: JOB.refreshSegments, payload: { reason: "on-demand" } });
  return id === null ? "already-queued" : "queued";
}

export interface RefreshSettingsInput {
  /** 0 = Sunday … 6 = Saturday (a form's string is accepted). */
  readonly weekday?: number | string;
  /** 0–23, shop time (a form's string is accepted). */
  readonly hour?: number | string;
  readonly schedule?: string;
}

export interface RefreshSettings {
  readonly schedule: RefreshSchedule;
  readonly weekday: number;
  readonly hour: number;
  readonly timeZone: string;
  readonly lastRefreshAt: Date | null;
  readonly nextRefreshAt: Date | null;
}

export type RefreshSettingsResult =
  | { readonly ok: true; readonly settings: RefreshSettings }
  /** One message per field that was refused, in words for the merchant; nothing was saved. */
  | { readonly ok: false; readonly errors: Partial<Record<keyof RefreshSettingsInput, string>> };

/** A whole number from a number or a form's string, else null. */
function wholeNumber(value: number | string): number | null {
  const n = typeof value === "number" ? value : value.trim() === "" ? Number.NaN : Number(value);
  return Number.isInteger(n) ? n : null;
}

/** Treats any stored value other than "weekly" as manual (older rows may hold "daily"). */
function scheduleOf(stored: string): RefreshSchedule {
  return stored === "weekly" ? "weekly" : "manual";
}

/** The shop's refresh settings as the settings page shows them. */
export async function refreshSettings(db: Db, shopId: number): Promise<RefreshSettings> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { ...SCHEDULE_FIELDS, lastRefreshAt: true, nextRefreshAt: true } });
  return {
    schedule: scheduleOf(shop.refreshSchedule),
    weekday: shop.refreshWeekday,
    hour: shop.refreshHour,
    timeZone: shop.timezone,
    lastRefreshAt: shop.lastRefreshAt,
    nextRefreshAt: shop.nextRefreshAt,
  };
}

/**
 * Changes when the shop's segments refresh (fields left out stay as they are) and books the next
 * slot from the new settings, in one transaction. Invalid values are refused with a message per
 * field and nothing is saved.
 */
export async function updateRefreshSettings(db: Db, shopId: number, input: RefreshSettingsInput, now = new Date()): Promise<RefreshSettingsResult> {
  const errors: Partial<Record<keyof RefreshSettingsInput, string>> = {};
  const data: { refreshWeekday?: number; refreshHour?: number; refreshSchedule?: RefreshSchedule } = {};
  if (input.weekday !== undefined) {
    const weekday = wholeNumber(input.weekday);
    if (weekday === null || weekday < 0 || weekday > 6) errors.weekday = "Choose a day of the week, Sunday to Saturday.";
    else data.refreshWeekday = weekday;
  }
  if (input.hour !== undefined) {
    const hour = wholeNumber(input.hour);
    if (hour === null || hour < 0 || hour > 23) errors.hour = "Choose an hour from 0 (midnight) to 23 (11 pm), in your store's time zone.";
    else data.refreshHour = hour;
  }
  if (input.schedule !== undefined) {
    if ((REFRESH_SCHEDULES as readonly string[]).includes(input.schedule)) data.refreshSchedule = input.schedule as RefreshSchedule;
    else errors.schedule = "Choose how segments refresh: weekly, or only when you ask (manual).";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  await db.$transaction(async (tx) => {
    await tx.shop.update({ where: { id: shopId }, data });
    await bookNextRefresh(tx, shopId, now);
  });
  return { ok: true, settings: await refreshSettings(db, shopId) };
}
