// One segment's tags from the admin (docs/write-back.md, "One segment from the admin"): a preview
// is a dry-run write-back pass over the segment's customers in the latest completed run (their
// real tags are read from Shopify and the plan is stored as "planned" TagWrite rows, by the same
// planner as every pass); apply is a live pass with the same scope, allowed only while the
// preview still describes the store's latest run.
import type { Db } from "../db.server";
import {
  applyBlockedReason,
  isPassFinished,
  type SegmentPassStatus,
  type SegmentPassSummary,
  type SegmentWriteBackSampleRow,
  type SegmentWriteBackView,
} from "../domain/segment-write-back";
import { segmentTags } from "../domain/tags";
import { latestCompletedRun, runModel } from "../models/segment-runs.server";
import { shopById } from "../models/shops.server";
import { latestSegmentPass, sampleTagWrites, segmentPassRunning, tagWriteCounts, writeBackById, type WriteBackRow } from "../models/write-backs.server";
import { startWriteBack } from "./write-back.server";

export type { SegmentWriteBackView } from "../domain/segment-write-back";

export type SegmentWriteBackOutcome = { ok: true; writeBackId: number } | { ok: false; message: string };

const SAMPLE_CUSTOMERS = 10;

/** Starts a preview of the segment's tag changes (a dry-run pass; the write-back job performs it). */
export async function previewSegmentWriteBack(db: Db, shopId: number, segmentKey: string): Promise<SegmentWriteBackOutcome> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.installState !== "installed") return { ok: false, message: "Segmint is finishing its installation for this store: try again in a minute." };
  const run = await latestCompletedRun(db, shopId);
  if (!run) return { ok: false, message: "There are no segments yet: the first refresh has not finished." };
  const model = await runModel(db, shopId, run.id);
  if (!model?.segments.some((s) => s.id === segmentKey)) return { ok: false, message: `Segment "${segmentKey}" is not in the latest run of this store.` };
  if (await segmentPassRunning(db, shopId, segmentKey)) return { ok: false, message: "A write-back of this segment is already running: wait for it to finish." };
  const id = await startWriteBack(db, shopId, { kind: "segment", segmentKey, mode: "dry-run", runId: run.id, shop });
  if (id === null) return { ok: false, message: "The preview could not be started: try again." };
  return { ok: true, writeBackId: id };
}

/**
 * Applies a finished preview: a live pass over the same segment of the same run. It reads the
 * customers' tags again, so it writes the previewed changes (less whatever changed in Shopify
 * meanwhile: the diff is always against the actual tags). Refused when the preview is not this
 * shop's and segment's, is unfinished, the segments were refreshed since, or write-back is off.
 * In dry-run mode the merchant's press is the consent: this segment's tags are written live now.
 */
export async function applySegmentWriteBack(db: Db, shopId: number, segmentKey: string, previewId: number): Promise<SegmentWriteBackOutcome> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.installState !== "installed") return { ok: false, message: "Segmint is finishing its installation for this store: try again in a minute." };
  const preview = await writeBackById(db, shopId, previewId);
  if (!preview || preview.kind !== "segment" || preview.mode !== "dry-run" || preview.segmentKey !== segmentKey) {
    return { ok: false, message: `Preview ${previewId} not found for this segment in this store.` };
  }
  const [latest, running, apply] = await Promise.all([
    latestCompletedRun(db, shopId),
    segmentPassRunning(db, shopId, segmentKey),
    latestSegmentPass(db, shopId, segmentKey, "live", preview.id),
  ]);
  const blocked = applyBlockedReason({ preview, latestRunId: latest?.id ?? null, shopMode: shop.writeBackMode, segmentPassRunning: running, apply });
  if (blocked) return { ok: false, message: blocked };
  const id = await startWriteBack(db, shopId, { kind: "segment", segmentKey, mode: "live", runId: preview.runId, shop });
  if (id === null) return { ok: false, message: "The write-back could not be started: try again." };
  return { ok: true, writeBackId: id };
}

/** The segment's latest preview and the apply that followed it, for the segment detail page. */
export async function segmentWriteBackView(db: Db, shopId: number, segmentKey: string): Promise<SegmentWriteBackView> {
  const shop = await shopById(db, shopId);
  if (!shop) throw new Error(`shop ${shopId} not found`);
  const run = await latestCompletedRun(db, shopId);
  const model = run ? await runModel(db, shopId, run.id) : null;
  const tag = segmentTags(shop.tagPrefix, (model?.segments ?? []).map((s) => ({ key: s.id, name: s.name }))).get(segmentKey) ?? null;
  const previewRow = await latestSegmentPass(db, shopId, segmentKey, "dry-run");
  const applyRow = previewRow ? await latestSegmentPass(db, shopId, segmentKey, "live", previewRow.id) : null;
  const [preview, apply, sample] = await Promise.all([
    previewRow ? summaryOf(db, shopId, previewRow) : null,
    applyRow ? summaryOf(db, shopId, applyRow) : null,
    previewRow && previewRow.status === "completed" ? sampleOf(db, shopId, previewRow.id) : [],
  ]);
  const running = [previewRow, applyRow].some((r) => r !== null && !isPassFinished(r.status));
  const shopMode = shop.writeBackMode as SegmentWriteBackView["shopMode"];
  const previewBlocked = !run ? "There are no segments yet: the first refresh has not finished." : tag === null ? "This segment is not in the latest run." : running ? "A write-back of this segment is running." : null;
  const applyBlocked = applyBlockedReason({ preview: previewRow, latestRunId: run?.id ?? null, shopMode, segmentPassRunning: running, apply: applyRow });
  return {
    segmentKey,
    tag,
    shopDomain: shop.domain,
    timeZone: shop.timezone,
    shopMode,
    latestRunId: run?.id ?? null,
    preview,
    sample,
    apply,
    canPreview: previewBlocked === null,
    previewBlocked,
    canApply: applyBlocked === null,
    applyBlocked,
    running,
  };
}

async function summaryOf(db: Db, shopId: number, row: WriteBackRow): Promise<SegmentPassSummary> {
  const counts = await tagWriteCounts(db, shopId, row.id);
  const count = (action: string | null, results: readonly string[]) =>
    counts.filter((c) => (action === null || c.action === action) && results.includes(c.result)).reduce((n, c) => n + c.count, 0);
  // A preview's tags are "planned"; an apply's are pending until written, then ok or failed.
  const planned = row.mode === "live" ? ["pending", "ok", "failed"] : ["planned"];
  const total = count(null, planned);
  return {
    id: row.id,
    status: row.status as SegmentPassStatus,
    runId: row.runId,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    customersChanged: row.customersChanged,
    tagsToAdd: count("add", planned),
    tagsToRemove: count("remove", planned),
    capped: row.capped,
    tagsAdded: row.tagsAdded,
    tagsRemoved: row.tagsRemoved,
    failed: row.failed,
    progress: row.mode === "live" && row.status === "writing" ? { done: total - count(null, ["pending"]), total } : null,
  };
}

async function sampleOf(db: Db, shopId: number, writeBackId: number): Promise<SegmentWriteBackSampleRow[]> {
  const rows = await sampleTagWrites(db, shopId, writeBackId, ["planned"], SAMPLE_CUSTOMERS);
  const out: { shopifyId: string; add: string[]; remove: string[] }[] = [];
  for (const r of rows) {
    let last = out[out.length - 1];
    if (!last || last.shopifyId !== r.customer.shopifyId) {
      last = { shopifyId: r.customer.shopifyId, add: [], remove: [] };
      out.push(last);
    }
    (r.action === "add" ? last.add : last.remove).push(r.tag);
  }
  return out;
}
