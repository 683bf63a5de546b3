// The steps every bulk-export SyncRun shares (the orders backfill, the products export): start the
// bulk query, poll it while Shopify works, fail the run if Shopify gave up, download the result.
// What is done with the completed export is each caller's own.
import os from "node:os";
import path from "node:path";
import type { Db } from "../db.server";
import { assertNoUserErrors, type AdminClient } from "../shopify/admin-client.server";
import { BULK_OPERATION_STATUS, RUN_BULK_QUERY } from "../shopify/graphql";
import { downloadBulkResult } from "../shopify/bulk-results.server";

export type SyncStep = { done: true } | { done: false; pollAfterMs: number };

interface BulkOperation {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
  errorCode: string | null;
  createdAt: string;
  objectCount: string;
  url: string | null;
}

/** A completed bulk operation: `total` is its objectCount, `url` null when it exported nothing. */
export interface CompletedBulkExport {
  createdAt: string;
  total: number;
  url: string | null;
}

/**
 * Start → poll for the run: starts `query` when the run has no bulk operation yet, records the
 * progress while it runs, marks the run failed when it ended otherwise than COMPLETED. Returns
 * `{ step }` for the caller to return as is, or `{ completed }` once the export is ready.
 */
export async function stepBulkExport(
  db: Db,
  admin: AdminClient,
  run: { id: number; bulkOperationId: string | null },
  query: string,
): Promise<{ step: SyncStep } | { completed: CompletedBulkExport }> {
  if (!run.bulkOperationId) {
    const data = await admin.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string; code?: string | null; field?: string[] | null }[] } }>(
      RUN_BULK_QUERY,
      { query },
    );
    const payload = assertNoUserErrors("bulkOperationRunQuery", data.bulkOperationRunQuery);
    await db.syncRun.update({ where: { id: run.id }, data: { status: "running", bulkOperationId: payload.bulkOperation?.id ?? null } });
    return { step: { done: false, pollAfterMs: 1000 } };
  }

  const { bulkOperation: op } = await admin.request<{ bulkOperation: BulkOperation | null }>(BULK_OPERATION_STATUS, { id: run.bulkOperationId });
  if (!op) throw new Error(`bulk operation ${run.bulkOperationId} not found`);
  const total = Number(op.objectCount);
  if (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING") {
    await db.syncRun.update({ where: { id: run.id }, data: { rowsTotal: Number.isFinite(total) ? total : null } });
    // Every 1 s: one status query (cost 1) a second is far inside the rate limit, and an export that is
    // done waits half as long for the ingest (the bulk_operations/finish webhook wakes it sooner).
    return { step: { done: false, pollAfterMs: 1000 } };
  }
  if (op.status !== "COMPLETED") {
    await db.syncRun.update({
      where: { id: run.id },
      data: { status: "failed", error: `bulk operation ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`, finishedAt: new Date() },
    });
    return { step: { done: true } };
  }
  return { completed: { createdAt: op.createdAt, total, url: op.url } };
}

/** Downloads a completed export's JSONL into `workDir` (default: a folder under the OS's temp). */
export function downloadBulkExport(url: string, workDir: string | undefined): Promise<string> {
  return downloadBulkResult(url, workDir ?? path.join(os.tmpdir(), "segmint-backfill"));
}
