// The Model page's reads of SegmentRun: one page of a shop's runs (newest first), which of them
// still keep their customer rows (a rollback needs them), and the newest completed run with its
// stored plots and model. Every query is scoped by shop.
import type { Db } from "../db.server";
import { oldestRunKeepingRows, RUN_FIELDS, type StoredRun } from "./segment-runs.server";

/** One page of the shop's runs, newest first, and how many runs the shop has. */
export async function runHistoryPage(db: Db, shopId: number, skip: number, take: number): Promise<{ rows: StoredRun[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.segmentRun.findMany({ where: { shopId }, orderBy: { id: "desc" }, skip, take, select: RUN_FIELDS }),
    db.segmentRun.count({ where: { shopId } }),
  ]);
  return { rows, total };
}

/**
 * Which of these completed runs of the shop keep their customer rows under the retention rule
 * (older runs are pruned, keeping their metrics). A run the rule drops but the prune after the
 * latest refresh has not reached yet counts as dropped; rollbackTags checks the rows themselves.
 */
export async function runsWithRows(db: Db, shopId: number, runIds: readonly number[]): Promise<Set<number>> {
  const oldestKept = await oldestRunKeepingRows(db, shopId);
  return new Set(runIds.filter((id) => id >= oldestKept));
}

export interface RunWithPlots {
  readonly id: number;
  readonly algorithm: string;
  readonly metrics: string;
  readonly plots: string | null;
  readonly model: string | null;
  readonly asOf: Date;
  readonly finishedAt: Date | null;
}

/** The shop's newest completed run with its stored plots and model (JSON), or null. */
export async function latestRunWithPlots(db: Db, shopId: number): Promise<RunWithPlots | null> {
  return db.segmentRun.findFirst({
    where: { shopId, status: "completed" },
    orderBy: { id: "desc" },
    select: { id: true, algorithm: true, metrics: true, plots: true, model: true, asOf: true, finishedAt: true },
  });
}
