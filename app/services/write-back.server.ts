// Write-back: brings the customers' Segmint tags in Shopify to a run's segments (docs/write-back.md).
import type { Db } from "../db.server";
import { createWriteBack, type WriteBackKind } from "../models/write-backs.server";
import { latestCompletedRun } from "../models/segment-runs.server";
import { shopById } from "../models/shops.server";
import { enqueue } from "../queue/queue.server";
import { JOB } from "../queue/job-types";

export interface WriteBackRequest {
  readonly kind: WriteBackKind;
  /** The run whose segments are the desired state. Default: the shop's latest completed run. */
  readonly runId?: number;
  /** Live assignment: only these Shopify customer ids. */
  readonly customerIds?: readonly string[];
}

/**
 * Records a write-back pass and queues the job that performs it, in one transaction. Returns the
 * pass's id, or null when there is nothing to do (no completed run yet; a live pass while the
 * shop's write-back mode is off).
 */
export async function startWriteBack(db: Db, shopId: number, request: WriteBackRequest): Promise<number | null> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.installState !== "installed") return null;
  const mode = shop.writeBackMode as "off" | "dry-run" | "live";
  if (request.kind === "live" && mode === "off") return null;
  const runId = request.runId ?? (await latestCompletedRun(db, shopId))?.id;
  if (runId === undefined) return null;
  return db.$transaction(async (tx) => {
    const id = await createWriteBack(tx as Db, shopId, { runId, kind: request.kind, mode, ...(request.customerIds ? { customerIds: request.customerIds } : {}) });
    await enqueue(tx, { type: JOB.writeBack, shopId, payload: { writeBackId: id } });
    return id;
  });
}
