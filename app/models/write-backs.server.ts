// WriteBack rows: one pass bringing the customers' Segmint tags in Shopify to a run's segments.
import type { Db } from "../db.server";

/**
 * refresh/rollback: every customer; experiment: every customer, after a holdout experiment started
 * or stopped (its control group's holdout tag); live: a few re-assigned customers; segment: one
 * segment's customers (admin preview/apply).
 */
export type WriteBackKind = "refresh" | "live" | "rollback" | "segment" | "experiment";

/** The passes over every customer, whose desired state is a whole run (plus the holdouts): one at a time per shop. */
export const FULL_PASS_KINDS: readonly WriteBackKind[] = ["refresh", "rollback", "experiment"];
export type WriteBackMode = "off" | "dry-run" | "live";

export interface NewWriteBack {
  readonly runId: number;
  readonly kind: WriteBackKind;
  readonly mode: WriteBackMode;
  /** Shopify customer ids this pass is limited to (live assignment); absent = every customer. */
  readonly customerIds?: readonly string[];
  /** Kind "segment": the segment whose customers the pass previews or applies. */
  readonly segmentKey?: string;
}

export async function createWriteBack(db: Db, shopId: number, w: NewWriteBack): Promise<number> {
  const row = await db.writeBack.create({
    data: { shopId, runId: w.runId, kind: w.kind, mode: w.mode, scope: w.customerIds ? JSON.stringify(w.customerIds) : null, segmentKey: w.segmentKey ?? null },
    select: { id: true },
  });
  return row.id;
}

/**
 * Ends the shop's unfinished full passes (refresh, rollback, experiment) and live segment passes
 * other than `keepId`: a newer full pass supersedes them, and an older plan must not be written
 * over a newer one. A segment preview (dry-run) is left to finish: it writes nothing, and applying
 * it is refused once a newer run exists — superseding it only failed the merchant's Preview when a
 * refresh's pass started just after it (a refresh queues its pass seconds after its run completes).
 */
export async function supersedeFullPasses(db: Db, shopId: number, keepId: number): Promise<number> {
  const { count } = await db.writeBack.updateMany({
    where: {
      shopId,
      id: { not: keepId },
      OR: [{ kind: { in: [...FULL_PASS_KINDS] } }, { kind: "segment", mode: "live" }],
      status: { notIn: ["completed", "failed"] },
    },
    data: { status: "failed", error: `superseded by write-back ${keepId}`, finishedAt: new Date() },
  });
  return count;
}

/** The write-back pass waiting for this bulk operation (its tag read or a bulk mutation), if any. */
export async function writeBackWaitingFor(db: Db, shopId: number, bulkOperationId: string): Promise<number | null> {
  const row = await db.writeBack.findFirst({
    where: { shopId, status: { notIn: ["completed", "failed"] }, OR: [{ bulkOperationId }, { snapshotOperationId: bulkOperationId }] },
    select: { id: true },
  });
  return row?.id ?? null;
}

export type WriteBackStatus = "pending" | "reading" | "writing" | "waiting-bulk" | "segments" | "completed" | "failed";

export async function writeBackById(db: Db, shopId: number, id: number) {
  return db.writeBack.findFirst({ where: { id, shopId } });
}

export type WriteBackRow = NonNullable<Awaited<ReturnType<typeof writeBackById>>>;

export interface WriteBackUpdate {
  readonly status?: WriteBackStatus;
  readonly snapshotOperationId?: string | null;
  readonly bulkOperationId?: string | null;
  readonly bulkPhase?: string | null;
  readonly customersChanged?: number;
  readonly capped?: number;
  readonly error?: string | null;
  readonly finishedAt?: Date | null;
  /** Added to the stored counters. */
  readonly increment?: { readonly tagsAdded?: number; readonly tagsRemoved?: number; readonly failed?: number; readonly requests?: number };
}

export async function updateWriteBack(db: Db, shopId: number, id: number, u: WriteBackUpdate): Promise<void> {
  const { increment, ...set } = u;
  const inc = Object.fromEntries(Object.entries(increment ?? {}).filter(([, v]) => v !== undefined && v !== 0).map(([k, v]) => [k, { increment: v }]));
  await db.writeBack.updateMany({ where: { id, shopId }, data: { ...set, ...inc } });
}

export interface NewTagWrite {
  readonly customerId: number;
  readonly tag: string;
  readonly action: "add" | "remove";
  /** pending: planned by a live pass, not yet written (the durable plan a restart resumes). */
  readonly result: "ok" | "planned" | "pending" | "failed" | "skipped-cap";
  readonly message?: string | null;
}

const RECORD_SLICE = 1000;

/** Records writes of one pass (its mode and run are the pass's). */
export async function recordTagWrites(db: Db, shopId: number, pass: { id: number; runId: number; mode: string }, writes: readonly NewTagWrite[]): Promise<void> {
  for (let i = 0; i < writes.length; i += RECORD_SLICE) {
    await db.tagWrite.createMany({
      data: writes.slice(i, i + RECORD_SLICE).map((w) => ({
        shopId,
        customerId: w.customerId,
        tag: w.tag,
        action: w.action,
        mode: pass.mode,
        runId: pass.runId,
        writeBackId: pass.id,
        result: w.result,
        message: w.message ?? null,
      })),
    });
  }
}

/** One customer's pending writes in a pass. */
export interface PendingCustomerWrites {
  readonly customerRowId: number;
  readonly shopifyId: string;
  readonly remove: { id: number; tag: string }[];
  readonly add: { id: number; tag: string }[];
}

/** The pass's pending writes (of one action, if given), grouped by customer in customer-row order. */
export async function pendingTagWrites(db: Db, shopId: number, writeBackId: number, action?: "add" | "remove"): Promise<PendingCustomerWrites[]> {
  const rows = await db.tagWrite.findMany({
    where: { shopId, writeBackId, result: "pending", ...(action ? { action } : {}) },
    orderBy: [{ customerId: "asc" }, { id: "asc" }],
    select: { id: true, customerId: true, tag: true, action: true, customer: { select: { shopifyId: true } } },
  });
  const out: PendingCustomerWrites[] = [];
  for (const r of rows) {
    let last = out[out.length - 1];
    if (!last || last.customerRowId !== r.customerId) {
      last = { customerRowId: r.customerId, shopifyId: r.customer.shopifyId, remove: [], add: [] };
      out.push(last);
    }
    (r.action === "add" ? last.add : last.remove).push({ id: r.id, tag: r.tag });
  }
  return out;
}

export interface SettledWrites {
  readonly ids: readonly number[];
  readonly result: "ok" | "failed";
  readonly message?: string | null;
}

/** Marks every pending write of an action in the pass done (one statement; failures are settled after). */
export async function settleAllPending(db: Db, shopId: number, writeBackId: number, action: "add" | "remove"): Promise<void> {
  await db.tagWrite.updateMany({ where: { shopId, writeBackId, action, result: "pending" }, data: { result: "ok" } });
}

/** Fails the pending additions of these customers (their removal failed: they keep the old tag). */
export async function failPendingAdds(db: Db, shopId: number, writeBackId: number, customerRowIds: readonly number[], message: string): Promise<void> {
  for (let i = 0; i < customerRowIds.length; i += RECORD_SLICE) {
    await db.tagWrite.updateMany({
      where: { shopId, writeBackId, action: "add", result: "pending", customerId: { in: customerRowIds.slice(i, i + RECORD_SLICE) as number[] } },
      data: { result: "failed", message },
    });
  }
}

/** Marks pending writes done or failed. */
export async function settleTagWrites(db: Db, shopId: number, settled: readonly SettledWrites[]): Promise<void> {
  for (const s of settled) {
    for (let i = 0; i < s.ids.length; i += RECORD_SLICE) {
      await db.tagWrite.updateMany({ where: { shopId, id: { in: s.ids.slice(i, i + RECORD_SLICE) as number[] } }, data: { result: s.result, message: s.message ?? null } });
    }
  }
}

/** The shop's write-back passes, newest first (admin history, demo). */
export async function recentWriteBacks(db: Db, shopId: number, take = 20) {
  return db.writeBack.findMany({ where: { shopId }, orderBy: { id: "desc" }, take });
}

/** Customer row ids of those Shopify customer ids Segmint knows (read only; unknown ids are absent). */
export async function knownCustomerRows(db: Db, shopId: number, shopifyIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < shopifyIds.length; i += 500) {
    const rows = await db.customer.findMany({ where: { shopId, shopifyId: { in: shopifyIds.slice(i, i + 500) as string[] } }, select: { id: true, shopifyId: true } });
    for (const r of rows) out.set(r.shopifyId, r.id);
  }
  return out;
}

// ---- per-segment passes (the admin's preview and apply) ---------------------------------------

/** The newest pass of one segment in the given mode ("dry-run" = preview, "live" = apply), or null. */
export async function latestSegmentPass(db: Db, shopId: number, segmentKey: string, mode: "dry-run" | "live", afterId = 0) {
  return db.writeBack.findFirst({ where: { shopId, kind: "segment", segmentKey, mode, id: { gt: afterId } }, orderBy: { id: "desc" } });
}

/** Whether one of the segment's passes is still running (one at a time per segment). */
export async function segmentPassRunning(db: Db, shopId: number, segmentKey: string): Promise<boolean> {
  return (await db.writeBack.count({ where: { shopId, kind: "segment", segmentKey, status: { notIn: ["completed", "failed"] } } })) > 0;
}

/** A pass's writes counted by action and result (a preview's totals, an apply's progress). */
export async function tagWriteCounts(db: Db, shopId: number, writeBackId: number): Promise<{ action: string; result: string; count: number }[]> {
  const rows = await db.tagWrite.groupBy({ by: ["action", "result"], where: { shopId, writeBackId }, _count: { _all: true } });
  return rows.map((r) => ({ action: r.action, result: r.result, count: r._count._all }));
}

/** The writes of a pass's first `customers` customers (by customer row), with their Shopify ids. */
export async function sampleTagWrites(db: Db, shopId: number, writeBackId: number, results: readonly string[], customers = 10) {
  const first = await db.tagWrite.groupBy({
    by: ["customerId"],
    where: { shopId, writeBackId, result: { in: [...results] } },
    orderBy: { customerId: "asc" },
    take: customers,
  });
  if (first.length === 0) return [];
  return db.tagWrite.findMany({
    where: { shopId, writeBackId, result: { in: [...results] }, customerId: { in: first.map((r) => r.customerId) } },
    orderBy: [{ customerId: "asc" }, { id: "asc" }],
    select: { customerId: true, tag: true, action: true, result: true, customer: { select: { shopifyId: true } } },
  });
}

/** Shopify ids of one segment's customers in a run (index [runId, segmentKey]), in row order. */
export async function segmentMemberIds(db: Db, shopId: number, runId: number, segmentKey: string): Promise<string[]> {
  const rows = await db.customerSegment.findMany({
    where: { shopId, runId, segmentKey },
    orderBy: { id: "asc" },
    select: { customer: { select: { shopifyId: true } } },
  });
  return rows.map((r) => r.customer.shopifyId);
}

/** How many customers one segment has in a run. */
export async function segmentMemberCount(db: Db, shopId: number, runId: number, segmentKey: string): Promise<number> {
  return db.customerSegment.count({ where: { shopId, runId, segmentKey } });
}
