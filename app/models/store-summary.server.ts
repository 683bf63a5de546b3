// What the admin overview shows about a shop's synced data. Every count is scoped by shop.
import type { Prisma } from "@prisma/client";
import { sqlOf, type Db } from "../db.server";
import type { FinishedWriteBack, WriteBackProgress } from "../domain/write-back-status";

export interface StoreSummary {
  customers: number;
  customersWithPurchase: number;
  orders: number;
  customerOrders: number;
  guestOrders: number;
  cancellationRecords: number;
  orderLines: number;
  refunds: number;
  lastSync: { kind: string; status: string; rowsDone: number; rowsTotal: number | null; finishedAt: Date | null } | null;
}

/** A placed order: the database form of app/domain/order.ts's `isCancellationRecord`, negated. */
export function placedOrder(db: Db): Prisma.OrderWhereInput {
  return { OR: [{ cancelledAt: null }, { cancelledAt: { gt: db.order.fields.processedAt } }] };
}

/**
 * Customers (not deleted) with at least one placed order. Raw SQL: Prisma's `orders: { some }`
 * filter took ~10 s on the demo store (4,372 customers, 20k orders); this walks the orders by
 * the (shopId, customerId) index once (~10 ms there).
 */
async function countCustomersWithPurchase(db: Db, shopId: number): Promise<number> {
  const { sql } = sqlOf(db);
  const rows = await db.$queryRaw<{ n: number | bigint }[]>(sql`
    SELECT COUNT(DISTINCT o."customerId") AS n
    FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
    WHERE o."shopId" = ${shopId} AND o."customerId" IS NOT NULL AND c."deletedAt" IS NULL
      AND (o."cancelledAt" IS NULL OR o."cancelledAt" > o."processedAt")`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The shop's counts. `orderLines: false` skips the line count (left 0): a full index count that
 * grows with the store (~200 ms at 530k lines), too slow for a page polled every 2 s.
 */
export async function storeSummary(db: Db, shopId: number, o: { orderLines?: boolean } = {}): Promise<StoreSummary> {
  const placed = placedOrder(db);
  const [customers, customersWithPurchase, orders, customerOrders, guestOrders, orderLines, refunds, lastSync] = await Promise.all([
    db.customer.count({ where: { shopId, deletedAt: null } }),
    countCustomersWithPurchase(db, shopId),
    db.order.count({ where: { shopId } }),
    db.order.count({ where: { shopId, customerId: { not: null }, ...placed } }),
    db.order.count({ where: { shopId, customerId: null, ...placed } }),
    o.orderLines === false ? 0 : db.orderLine.count({ where: { shopId } }),
    db.refund.count({ where: { shopId } }),
    db.syncRun.findFirst({
      where: { shopId },
      orderBy: { startedAt: "desc" },
      select: { kind: true, status: true, rowsDone: true, rowsTotal: true, finishedAt: true },
    }),
  ]);
  return {
    customers,
    customersWithPurchase,
    orders,
    customerOrders,
    guestOrders,
    cancellationRecords: orders - customerOrders - guestOrders,
    orderLines,
    refunds,
    lastSync,
  };
}

// The Overview's live part: what runs now (backfill, refresh, write-back) and the settings it
// names. Small indexed reads: the page polls them every 2 s while something runs.

export interface BackfillProgress {
  readonly status: string;
  readonly rowsDone: number;
  readonly rowsTotal: number | null;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export interface ShopActivity {
  readonly settings: {
    readonly writeBackMode: string;
    readonly refreshSchedule: string;
    readonly refreshWeekday: number;
    readonly refreshHour: number;
    readonly lastRefreshAt: Date | null;
    readonly nextRefreshAt: Date | null;
  };
  /** The shop's latest backfill (any status), or null before the first. */
  readonly backfill: BackfillProgress | null;
  /** A refresh in progress (the newest running SegmentRun), or null. */
  readonly runningRun: { readonly id: number; readonly startedAt: Date } | null;
  /** The newest finished run when it failed (later than the last completed one), or null. */
  readonly failedRun: { readonly id: number; readonly error: string | null; readonly finishedAt: Date | null } | null;
  /** How long the last completed refresh took (the running one's estimate), or null. */
  readonly lastCompletedDurationMs: number | null;
  /** The newest unfinished write-back pass other than live assignment's small ones, or null. */
  readonly writeBack: WriteBackProgress | null;
  /** The last full pass (after a refresh, or a rollback) that finished: what it changed or would change. */
  readonly lastFullPass: FinishedWriteBack | null;
}

const UNFINISHED_WRITE_BACK = { notIn: ["completed", "failed"] };

export async function shopActivity(db: Db, shopId: number): Promise<ShopActivity> {
  const [settings, backfill, runningRun, lastFinished, lastCompleted, writeBack, lastFullPass] = await Promise.all([
    db.shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { writeBackMode: true, refreshSchedule: true, refreshWeekday: true, refreshHour: true, lastRefreshAt: true, nextRefreshAt: true },
    }),
    db.syncRun.findFirst({
      where: { shopId, kind: "backfill" },
      orderBy: { id: "desc" },
      select: { status: true, rowsDone: true, rowsTotal: true, error: true, startedAt: true, finishedAt: true },
    }),
    db.segmentRun.findFirst({ where: { shopId, status: "running" }, orderBy: { id: "desc" }, select: { id: true, startedAt: true } }),
    db.segmentRun.findFirst({ where: { shopId, status: { in: ["completed", "failed"] } }, orderBy: { id: "desc" }, select: { id: true, status: true, error: true, finishedAt: true } }),
    db.segmentRun.findFirst({ where: { shopId, status: "completed" }, orderBy: { id: "desc" }, select: { durationMs: true } }),
    db.writeBack.findFirst({
      where: { shopId, kind: { not: "live" }, status: UNFINISHED_WRITE_BACK },
      orderBy: { id: "desc" },
      select: { id: true, kind: true, mode: true, status: true, segmentKey: true, customersChanged: true, tagsAdded: true, tagsRemoved: true, failed: true, startedAt: true },
    }),
    db.writeBack.findFirst({
      where: { shopId, kind: { in: ["refresh", "rollback"] }, status: { in: ["completed", "failed"] } },
      orderBy: { id: "desc" },
      select: { kind: true, mode: true, status: true, customersChanged: true, tagsAdded: true, tagsRemoved: true, capped: true, failed: true, error: true, finishedAt: true },
    }),
  ]);
  let tagChanges = 0;
  let tagChangesSettled = 0;
  if (writeBack) {
    const [all, pending] = await Promise.all([
      db.tagWrite.count({ where: { shopId, writeBackId: writeBack.id } }),
      db.tagWrite.count({ where: { shopId, writeBackId: writeBack.id, result: "pending" } }),
    ]);
    tagChanges = all;
    tagChangesSettled = all - pending;
  }
  return {
    settings,
    backfill,
    runningRun,
    failedRun: lastFinished?.status === "failed" ? { id: lastFinished.id, error: lastFinished.error, finishedAt: lastFinished.finishedAt } : null,
    lastCompletedDurationMs: lastCompleted?.durationMs ?? null,
    writeBack: writeBack ? { ...writeBack, tagChanges, tagChangesSettled } : null,
    lastFullPass,
  };
}

/** The stored run the Overview reads: the latest completed one, with its metrics and Shopify-RFM agreement (JSON). */
export interface OverviewRun {
  readonly id: number;
  readonly algorithm: string;
  readonly asOf: Date;
  readonly finishedAt: Date | null;
  readonly customerCount: number;
  readonly metrics: string;
  readonly shopifyRfm: string | null;
}

export async function latestOverviewRun(db: Db, shopId: number): Promise<OverviewRun | null> {
  return db.segmentRun.findFirst({
    where: { shopId, status: "completed" },
    orderBy: { id: "desc" },
    select: { id: true, algorithm: true, asOf: true, finishedAt: true, customerCount: true, metrics: true, shopifyRfm: true },
  });
}

/**
 * The metrics (JSON) of the run a completed run compares itself with: `runId` when given (the run
 * named as previous in its metrics), else the completed run before `beforeRunId`; null when none.
 */
export async function previousRunMetrics(db: Db, shopId: number, o: { runId: number | null; beforeRunId: number }): Promise<{ id: number; metrics: string } | null> {
  if (o.runId !== null) return db.segmentRun.findFirst({ where: { id: o.runId, shopId, status: "completed" }, select: { id: true, metrics: true } });
  return db.segmentRun.findFirst({ where: { shopId, status: "completed", id: { lt: o.beforeRunId } }, orderBy: { id: "desc" }, select: { id: true, metrics: true } });
}
