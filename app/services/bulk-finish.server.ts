// bulk_operations/finish: wakes whichever pass started the operation — a write-back (its tag
// read or one of its bulk mutations) or, otherwise, the backfill's export.
import type { Db } from "../db.server";
import { writeBackWaitingFor } from "../models/write-backs.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";

export async function bulkOperationFinished(db: Db, shopId: number, bulkOperationId: string): Promise<void> {
  const writeBackId = await writeBackWaitingFor(db, shopId, bulkOperationId);
  if (writeBackId !== null) {
    await enqueue(db, { type: JOB.writeBack, shopId, payload: { writeBackId, bulkOperationId }, singletonKey: `${JOB.writeBack}:${writeBackId}`, wake: true });
    return;
  }
  await enqueue(db, { type: JOB.backfill, shopId, payload: { bulkOperationId }, singletonKey: JOB.backfill, wake: true });
}
