// The Model page: the algorithm and K the shop's refreshes use, the newest completed run's stored
// curves, the run history, "run now" and rolling the tags back to an earlier run. Loaders read
// stored JSON only (metrics through parseRunMetrics, plots through parseRunPlots); actions
// validate with zod and queue work (a refresh, a write-back pass), never run it.
import { z } from "zod";
import type { SegmentDiagnostics } from "../analytics/index";
import { db as defaultDb, type Db } from "../db.server";
import type { RunHistoryEntry } from "../domain/run-history";
import { parseRunMetrics } from "../domain/run-metrics";
import { parseRunPlots, plotsForDisplay, segmentNamesOfModel, type RunPlots } from "../domain/run-plots";
import { latestRunWithPlots, runHistoryPage, runsWithRows } from "../models/run-history.server";
import { latestCompletedRun, runById, RUNS_KEPT_WITH_ROWS, type StoredRun } from "../models/segment-runs.server";
import { shopById, updateShopSettings } from "../models/shops.server";
import { JOB } from "../queue/job-types";
import { singletonState } from "../queue/queue.server";
import { requestRefresh, type RefreshRequest } from "./refresh-schedule.server";
import { fieldErrorsOf, type FieldErrors } from "./form-errors.server";
import { rollbackTags } from "./write-back.server";

export const MODEL_ALGORITHMS = ["hybrid", "rfm", "kmeans", "dbscan"] as const;
export type ModelAlgorithm = (typeof MODEL_ALGORITHMS)[number];
export const K_MIN = 2;
export const K_MAX = 12;
export const RUN_HISTORY_PAGE_SIZE = 10;

/** Algorithms whose K the merchant may set (the others find their groups themselves). */
export function algorithmUsesK(algorithm: string): boolean {
  return algorithm === "kmeans" || algorithm === "hybrid";
}

export const ALGORITHM_MESSAGE = "Choose an algorithm: Hybrid, RFM groups, K-means or DBSCAN.";
export const K_MESSAGE = `K must be a whole number from ${K_MIN} to ${K_MAX}, or Automatic.`;

const modelSettingsSchema = z.object({
  algorithm: z.enum(MODEL_ALGORITHMS, { error: ALGORITHM_MESSAGE }),
  k: z
    .string({ error: K_MESSAGE })
    .trim()
    .refine((v) => v === "auto" || (/^\d+$/.test(v) && Number(v) >= K_MIN && Number(v) <= K_MAX), { error: K_MESSAGE })
    .transform((v) => (v === "auto" ? null : Number(v))),
});

export interface ModelSettings {
  readonly algorithm: ModelAlgorithm;
  /** null: chosen by the K rule (silhouette + elbow). */
  readonly k: number | null;
}

export type SaveModelResult = { readonly ok: true; readonly settings: ModelSettings; readonly message: string } | { readonly ok: false; readonly errors: FieldErrors<"algorithm" | "k"> };

const ALGORITHM_NAMES: Record<ModelAlgorithm, string> = { hybrid: "Hybrid", rfm: "RFM groups", kmeans: "K-means", dbscan: "DBSCAN" };

/**
 * Saves the algorithm and K the next refreshes use. K is read only for the algorithms that take
 * one; for RFM and DBSCAN the stored K is left as it was (it applies again if the merchant
 * switches back).
 */
export async function saveModelSettings(db: Db, shopId: number, input: { algorithm?: unknown; k?: unknown }): Promise<SaveModelResult> {
  const usesK = typeof input.algorithm === "string" && algorithmUsesK(input.algorithm);
  const parsed = modelSettingsSchema.safeParse({ algorithm: input.algorithm, k: usesK ? input.k : "auto" });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf<"algorithm" | "k">(parsed.error) };
  const { algorithm, k } = parsed.data;
  const shop = await updateShopSettings(db, shopId, usesK ? { algorithm, clusterCount: k } : { algorithm });
  const settings: ModelSettings = { algorithm, k: shop.clusterCount };
  const kWords = !usesK ? "" : settings.k === null ? " with K chosen automatically" : ` with K = ${settings.k}`;
  return { ok: true, settings, message: `Saved. The next run uses ${ALGORITHM_NAMES[algorithm]}${kWords}.` };
}

export interface RunNowResult {
  readonly outcome: RefreshRequest;
  readonly message: string;
}

const RUN_NOW_MESSAGES: Record<RefreshRequest, string> = {
  queued: "Run queued. Segmint refreshes the segments in the background; the new run appears in the history when it completes.",
  "already-queued": "A run is already queued and starts shortly; no second run was added.",
  running: "A run is in progress; its results appear here when it completes.",
};

/** "Run now": queues a refresh unless one is waiting or running, and says which. */
export async function runModelNow(db: Db, shopId: number): Promise<RunNowResult> {
  const outcome = await requestRefresh(db, shopId);
  return { outcome, message: RUN_NOW_MESSAGES[outcome] };
}

export type RollbackResult =
  /** The run id is not a run of this shop (the route answers 404). */
  | { readonly kind: "not-found" }
  /** Refused with a reason the merchant can act on. */
  | { readonly kind: "refused"; readonly message: string }
  | { readonly kind: "queued"; readonly writeBackId: number; readonly message: string };

const runIdSchema = z.coerce.number({ error: "Choose a run to restore." }).int({ error: "Choose a run to restore." }).positive({ error: "Choose a run to restore." });

const ROLLBACK_MODE_WORDS: Record<string, string> = {
  live: "Segmint now puts back each customer's tag from that run in Shopify (only its own tags change).",
  "dry-run": "Write-back is in dry-run mode: Segmint plans the tag changes and shows them, and writes nothing to Shopify.",
  off: "Write-back is off: nothing is written to Shopify.",
};

function tooOld(runId: number): string {
  return `Run #${runId} is too old to restore: Segmint keeps customers' segments for its newest ${RUNS_KEPT_WITH_ROWS} runs only. Choose a newer run.`;
}

/** Whether a run can be restored, and why not (null: it can). */
function rollbackBlocker(run: { id: number; status: string; customerCount: number }, keepsRows: boolean, latestCompletedId: number | null): string | null {
  if (run.id === latestCompletedId) return `Run #${run.id} is the newest run: its tags are already the ones Segmint writes. Choose an earlier run.`;
  if (run.status !== "completed") return `Run #${run.id} did not complete (${run.status}), so it has no segments to restore. Choose a completed run.`;
  if (run.customerCount > 0 && !keepsRows) return tooOld(run.id);
  return null;
}

/** Restores the tags of an earlier completed run of this shop (a write-back pass, queued). */
export async function rollbackToRun(db: Db, shopId: number, rawRunId: unknown): Promise<RollbackResult> {
  const parsed = runIdSchema.safeParse(rawRunId);
  if (!parsed.success) return { kind: "not-found" };
  const run = await runById(db, shopId, parsed.data);
  if (!run) return { kind: "not-found" };
  const latest = await latestCompletedRun(db, shopId);
  const blocker = rollbackBlocker(run, (await runsWithRows(db, shopId, [run.id])).has(run.id), latest?.id ?? null);
  if (blocker) return { kind: "refused", message: blocker };
  let writeBackId: number | null;
  try {
    writeBackId = await rollbackTags(db, shopId, run.id);
  } catch (error) {
    // Pruned between the check and the pass: the same plain answer.
    return { kind: "refused", message: error instanceof Error && /too old/.test(error.message) ? tooOld(run.id) : `Run #${run.id} cannot be restored.` };
  }
  if (writeBackId === null) return { kind: "refused", message: "Nothing to restore: Segmint is not installed in this store." };
  const mode = (await shopById(db, shopId))?.writeBackMode ?? "dry-run";
  return { kind: "queued", writeBackId, message: `Rollback to run #${run.id} queued. ${ROLLBACK_MODE_WORDS[mode] ?? ""}`.trim() };
}

function paramsOf(json: string): { reason: string | null; k: string | null } {
  try {
    const p = JSON.parse(json) as Record<string, unknown>;
    return { reason: typeof p.reason === "string" ? p.reason : null, k: typeof p.k === "number" || typeof p.k === "string" ? String(p.k) : null };
  } catch {
    return { reason: null, k: null };
  }
}

/** K of a run in words, from its stored diagnostics (and, for hybrid, its cluster segments). */
function kOfRun(algorithm: string, metricsJson: string, requestedK: string | null): { k: string | null; silhouette: number | null } {
  const metrics = parseRunMetrics(metricsJson);
  const d = metrics.diagnostics;
  const silhouette = typeof d?.silhouette === "number" ? d.silhouette : null;
  if (typeof d?.k === "number") return { k: String(d.k), silhouette };
  if (algorithm === "hybrid") {
    const clusters = metrics.profiles.filter((p) => p.kind === "cluster").length;
    return { k: clusters > 0 ? `${clusters} across spend tiers` : requestedK, silhouette };
  }
  return { k: null, silhouette };
}

function historyEntry(row: StoredRun, keepsRows: boolean, latestCompletedId: number | null): RunHistoryEntry {
  const params = paramsOf(row.params);
  const { k, silhouette } = kOfRun(row.algorithm, row.metrics, params.k);
  return {
    id: row.id,
    startedAt: row.startedAt.toISOString(),
    reason: params.reason,
    algorithm: row.algorithm,
    k,
    silhouette,
    customers: row.customerCount,
    durationMs: row.durationMs,
    status: row.status,
    error: row.status === "failed" ? row.error : null,
    isLatest: row.id === latestCompletedId,
    rollbackBlocked: rollbackBlocker(row, keepsRows, latestCompletedId),
  };
}

export interface LatestRunView {
  readonly id: number;
  readonly algorithm: string;
  readonly finishedAt: string | null;
  readonly asOfDay: string | null;
  readonly customers: number;
  readonly diagnostics: SegmentDiagnostics | null;
  readonly plots: RunPlots;
  /** Segment names in model order (PCA points carry an index into it). */
  readonly segmentNames: readonly string[];
}

export interface ModelPageData {
  readonly settings: ModelSettings;
  readonly writeBackMode: string;
  /** A refresh waiting or running now (the "Run now" button says so), or null. */
  readonly refreshState: "queued" | "running" | null;
  readonly latestRun: LatestRunView | null;
  readonly history: {
    readonly entries: readonly RunHistoryEntry[];
    readonly page: number;
    readonly pageCount: number;
    readonly total: number;
  };
  /** The run the merchant asked to roll back to, awaiting confirmation (null: none asked). */
  readonly rollbackCandidate: (RunHistoryEntry & { readonly keepsRows: boolean }) | null;
}

/** A 1-based page number from the URL; anything else is page 1. */
export function pageOf(raw: string | null): number {
  const n = raw === null ? 1 : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export type ModelPageResult = { readonly kind: "ok"; readonly data: ModelPageData } | { readonly kind: "not-found"; readonly what: string };

/** Everything the Model page shows, from stored rows and JSON only. */
export async function modelPage(db: Db, shopId: number, options: { page?: number; confirmRollback?: string | null } = {}): Promise<ModelPageResult> {
  const shop = await shopById(db, shopId);
  if (!shop) return { kind: "not-found", what: "Store" };
  const page = Math.max(1, options.page ?? 1);
  const [history, latest, state] = await Promise.all([
    runHistoryPage(db, shopId, (page - 1) * RUN_HISTORY_PAGE_SIZE, RUN_HISTORY_PAGE_SIZE),
    latestRunWithPlots(db, shopId),
    singletonState(db, shopId, JOB.refreshSegments),
  ]);

  let candidate: ModelPageData["rollbackCandidate"] = null;
  let candidateRow: StoredRun | null = null;
  if (options.confirmRollback != null) {
    const id = runIdSchema.safeParse(options.confirmRollback);
    const run = id.success ? await runById(db, shopId, id.data) : null;
    if (!run) return { kind: "not-found", what: "Run" };
    candidateRow = run;
  }
  const completed = history.rows.filter((r) => r.status === "completed").map((r) => r.id);
  const keeping = await runsWithRows(db, shopId, candidateRow ? [...completed, candidateRow.id] : completed);
  const latestId = latest?.id ?? null;
  if (candidateRow) candidate = { ...historyEntry(candidateRow, keeping.has(candidateRow.id), latestId), keepsRows: keeping.has(candidateRow.id) };

  let latestRun: LatestRunView | null = null;
  if (latest) {
    const metrics = parseRunMetrics(latest.metrics);
    const fromModel = segmentNamesOfModel(latest.model);
    latestRun = {
      id: latest.id,
      algorithm: latest.algorithm,
      finishedAt: latest.finishedAt?.toISOString() ?? null,
      asOfDay: metrics.asOfDay,
      customers: metrics.customers,
      diagnostics: metrics.diagnostics,
      plots: plotsForDisplay(parseRunPlots(latest.plots)),
      // Profiles are built segment by segment in model order: the fallback for a run without a model.
      segmentNames: fromModel.length > 0 ? fromModel : metrics.profiles.map((p) => p.name),
    };
  }

  return {
    kind: "ok",
    data: {
      settings: { algorithm: (MODEL_ALGORITHMS as readonly string[]).includes(shop.algorithm) ? (shop.algorithm as ModelAlgorithm) : "hybrid", k: shop.clusterCount },
      writeBackMode: shop.writeBackMode,
      refreshState: state === "queued" || state === "running" ? state : null,
      latestRun,
      history: {
        entries: history.rows.map((r) => historyEntry(r, keeping.has(r.id), latestId)),
        page,
        pageCount: Math.max(1, Math.ceil(history.total / RUN_HISTORY_PAGE_SIZE)),
        total: history.total,
      },
      rollbackCandidate: candidate,
    },
  };
}

// ── The route's two entry points (default database) ──────────────────────────────────────────

export type ModelActionResult =
  | { readonly intent: "save"; readonly status: 200 | 400; readonly ok: boolean; readonly message?: string; readonly errors?: FieldErrors<"algorithm" | "k"> }
  | { readonly intent: "run-now"; readonly status: 200; readonly ok: true; readonly message: string; readonly outcome: RefreshRequest }
  | { readonly intent: "rollback"; readonly status: 200 | 409; readonly ok: boolean; readonly message: string }
  | { readonly intent: "not-found"; readonly status: 404; readonly what: string }
  | { readonly intent: "unknown"; readonly status: 400; readonly ok: false; readonly message: string };

/** The Model page's form posts: `intent` = save | run-now | rollback (with `runId`). */
export async function modelAction(shopId: number, form: FormData, db: Db = defaultDb()): Promise<ModelActionResult> {
  const intent = form.get("intent");
  if (intent === "save") {
    const saved = await saveModelSettings(db, shopId, { algorithm: form.get("algorithm") ?? undefined, k: form.get("k") ?? undefined });
    return saved.ok ? { intent, status: 200, ok: true, message: saved.message } : { intent, status: 400, ok: false, errors: saved.errors };
  }
  if (intent === "run-now") {
    const { outcome, message } = await runModelNow(db, shopId);
    return { intent, status: 200, ok: true, message, outcome };
  }
  if (intent === "rollback") {
    const result = await rollbackToRun(db, shopId, form.get("runId"));
    if (result.kind === "not-found") return { intent: "not-found", status: 404, what: "Run" };
    return result.kind === "refused" ? { intent, status: 409, ok: false, message: result.message } : { intent, status: 200, ok: true, message: result.message };
  }
  return { intent: "unknown", status: 400, ok: false, message: "Unknown action: reload the page and try again." };
}

/** The Model page's loader data from the request URL (`page`, `confirmRollback`). */
export async function loadModelPage(shopId: number, url: URL, db: Db = defaultDb()): Promise<ModelPageResult> {
  return modelPage(db, shopId, { page: pageOf(url.searchParams.get("page")), confirmRollback: url.searchParams.get("confirmRollback") });
}
