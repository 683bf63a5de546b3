// WriteBack rows: one pass bringing the customers' Segmint tags in Shopify to a run's segments.
import type { Db } from "../db.server";

export type WriteBackKind = "refresh" | "live" | "rollback";
export type WriteBackMode = "off" | "dry-run" | "live";

export interface NewWriteBack {
  readonly runId: number;
  readonly kind: WriteBackKind;
  readonly mode: WriteBackMode;
  /** Shopify customer ids this pass is limited to (live assignment); absent = every customer. */
  readonly customerIds?: readonly string[];
}

export async function createWriteBack(db: Db, shopId: number, w: NewWriteBack): Promise<number> {
  const row = await db.writeBack.create({
    data: { shopId, runId: w.runId, kind: w.kind, mode: w.mode, scope: w.customerIds ? JSON.stringify(w.customerIds) : null },
    select: { id: true },
  });
  return row.id;
}

/** The write-back pass waiting for this bulk operation (its tag read or a bulk mutation), if any. */
export async function writeBackWaitingFor(db: Db, shopId: number, bulkOperationId: string): Promise<number | null> {
  const row = await db.writeBack.findFirst({
    where: { shopId, status: { notIn: ["completed", "failed"] }, OR: [{ bulkOperationId }, { snapshotOperationId: bulkOperationId }] },
    select: { id: true },
  });
  return row?.id ?? null;
}
