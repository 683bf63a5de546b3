// Write-back: brings the customers' Segmint tags in Shopify to a run's segments (docs/write-back.md).
//
// A pass (a WriteBack row) is a state machine the `write-back` job advances:
//   pending ─ full pass: a bulk query reads every customer's tags (and Shopify's RFM group) ─→ reading
//           ├ segment pass (admin preview/apply, one segment's customers): above the shop's bulk
//           │ threshold the same bulk query (only the segment's customers are planned), else by id
//           └ live pass (a few customers): their tags are read by id ─┐
//   reading ─ bulk_operations/finish wakes it: the read is planned ────┤
//   plan (pure, domain/tags): off → done · dry-run → "planned" rows, done · live → "pending" rows
//   writing ─ ≤ threshold customers: tagsRemove/tagsAdd per customer, 25 customers per commit
//           └ more: removals, then additions, as bulk mutations (≤ 20 MB per file), each woken by
//             its bulk_operations/finish; the result file is scanned line by line
//   segments (live mode, full passes): the Shopify customer segments follow the run and the
//             running experiments ("segment minus holdout") → completed
// Desired state (domain/tags `desiredTags`): the customer's segment tag in the run, plus the
// holdout tag of each running experiment holding it in the control arm (docs/write-back.md, "Holdouts"),
// plus the VIP tag of a whale the merchant did not dismiss when the shop tags whales ("VIP tags").
// The pending TagWrite rows are the durable plan: a restart resumes them and repeats at most one
// batch (per customer) or re-waits for the bulk operation in flight (bulk).
import os from "node:os";
import path from "node:path";
import { RFM_GROUPS, type SegmentModel } from "../analytics";
import type { Db } from "../db.server";
import { rfmAgreement, type AgreementInput } from "../domain/shopify-rfm";
import { holdoutTag } from "../domain/experiment";
import { desiredTags, planTagChanges, segmentTags, vipTag, type ShopifyCustomerTags, type TagPlan } from "../domain/tags";
import { vipCustomerIds } from "../models/anomalies.server";
import { runningExperimentTargets, runningHoldouts } from "../models/experiments.server";
import { latestCompletedRun, populatedSegmentKeys, runAssignments, runModel, setRunShopifyRfm, type RunAssignment } from "../models/segment-runs.server";
import { shopById } from "../models/shops.server";
import {
  createWriteBack,
  failPendingAdds,
  FULL_PASS_KINDS,
  knownCustomerRows,
  pendingTagWrites,
  recordTagWrites,
  settleAllPending,
  settleTagWrites,
  supersedeFullPasses,
  updateWriteBack,
  writeBackById,
  type NewTagWrite,
  type PendingCustomerWrites,
  type SettledWrites,
  segmentMemberCount,
  segmentMemberIds,
  type WriteBackKind,
  type WriteBackMode,
  type WriteBackRow,
} from "../models/write-backs.server";
import { decideFailure } from "../queue/errors.server";
import type { JobInfo } from "../queue/job-queue";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";
import { assertNoUserErrors, type AdminClient, type UserError } from "../shopify/admin-client.server";
import { downloadBulkResult, jsonLines } from "../shopify/bulk-results.server";
import {
  RUN_BULK_QUERY,
  BULK_INNER_TAGS_ADD,
  BULK_INNER_TAGS_REMOVE,
  BULK_OPERATION_STATUS,
  CUSTOMER_TAGS_ADD,
  CUSTOMER_TAGS_BY_ID,
  CUSTOMER_TAGS_REMOVE,
  customerTagsBulkQuery,
  RUN_BULK_MUTATION,
} from "../shopify/graphql";
import { shopifyIdOf } from "../shopify/ids";
import { uploadBulkVariables } from "../shopify/staged-upload.server";
import { logger } from "../logger.server";
import { experimentSegmentKey, syncShopifySegments, type SegmentToSync } from "./shopify-segments.server";

const log = () => logger("write-back");

/** The finish webhook wakes a waiting pass; this slow poll is only the safety net for a lost one. */
const FINISH_FALLBACK_MS = 60_000;
/** Shopify's staged-upload policy allows 20 MB per file (platform-updates §3); a margin below it. */
export const MAX_BULK_FILE_BYTES = 20 * 1024 * 1024 - 256 * 1024;
/** Customers per per-customer commit: at most this much work repeats after a crash. */
const CUSTOMER_BATCH = 25;
/** A pass records or settles up to one file's writes (≈100k rows) in one transaction. */
const LONG_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };
/** Ids per `nodes` read (live passes). */
const NODES_PAGE = 100;

export type WriteBackStep = { done: true } | { done: false; pollAfterMs: number };

export interface WriteBackRequest {
  readonly kind: WriteBackKind;
  /** The run whose segments are the desired state. Default: the shop's latest completed run. */
  readonly runId?: number;
  /** Live assignment: only these Shopify customer ids. */
  readonly customerIds?: readonly string[];
  /** Kind "segment": only this segment's customers in the run. */
  readonly segmentKey?: string;
  /** The pass's mode when not the shop's (a segment preview is a dry run, its apply is live). */
  readonly mode?: WriteBackMode;
  /** The shop's row when the caller has it already (saves a read on the live path). */
  readonly shop?: { readonly installState: string; readonly writeBackMode: string };
}

/**
 * Records a write-back pass and queues the job that performs it, in one transaction. Returns the
 * pass's id, or null when there is nothing to do (no completed run yet; a live pass while the
 * shop's write-back mode is off).
 */
export async function startWriteBack(db: Db, shopId: number, request: WriteBackRequest): Promise<number | null> {
  const shop = request.shop ?? (await shopById(db, shopId));
  if (!shop || shop.installState !== "installed") return null;
  const mode = request.mode ?? (shop.writeBackMode as WriteBackMode);
  if (request.kind === "live" && (mode === "off" || (request.customerIds?.length ?? 0) === 0)) return null;
  if (request.kind === "segment" && request.segmentKey === undefined) throw new Error("a segment pass needs its segment");
  const runId = request.runId ?? (await latestCompletedRun(db, shopId))?.id;
  if (runId === undefined) return null;
  return db.$transaction(async (tx) => {
    const id = await createWriteBack(tx as Db, shopId, {
      runId,
      kind: request.kind,
      mode,
      ...(request.customerIds ? { customerIds: request.customerIds } : {}),
      ...(request.segmentKey !== undefined ? { segmentKey: request.segmentKey } : {}),
    });
    if (FULL_PASS_KINDS.includes(request.kind)) await supersedeFullPasses(tx as Db, shopId, id);
    await enqueue(tx, { type: JOB.writeBack, shopId, payload: { writeBackId: id } });
    return id;
  });
}

/** Rollback: a full pass whose desired state is an earlier run's segments. */
export async function rollbackTags(db: Db, shopId: number, toRunId: number): Promise<number | null> {
  const run = await db.segmentRun.findFirst({ where: { id: toRunId, shopId, status: "completed" }, select: { id: true, customerCount: true } });
  if (!run) throw new Error(`run ${toRunId} is not a completed run of this shop`);
  // Older runs keep their metrics but not their customer rows (retention): nothing to restore.
  if (run.customerCount > 0 && (await db.customerSegment.count({ where: { shopId, runId: run.id } })) === 0) {
    throw new Error(`run ${toRunId} is too old to restore: only the newest runs keep their customers' segments`);
  }
  return startWriteBack(db, shopId, { kind: "rollback", runId: run.id });
}

export interface WriteBackDeps {
  readonly db: Db;
  readonly admin: AdminClient;
  readonly shopId: number;
  readonly writeBackId: number;
  /** Where bulk result files are kept while a pass needs them. */
  readonly workDir?: string;
  /** Resolves false when the job was cancelled meanwhile (stop early). */
  readonly heartbeat?: () => Promise<boolean>;
}

interface Pass {
  readonly deps: WriteBackDeps;
  readonly admin: AdminClient;
  readonly row: WriteBackRow;
  readonly prefix: string;
  readonly bulkThreshold: number;
  readonly shopifySegments: boolean;
  /** Shop.vipTags: whales carry `<prefix>:vip`. */
  readonly vipTags: boolean;
}

/** Advances one pass by one step. */
export async function advanceWriteBack(deps: WriteBackDeps): Promise<WriteBackStep> {
  const { db, shopId } = deps;
  const row = await writeBackById(db, shopId, deps.writeBackId);
  const shop = await shopById(db, shopId);
  if (!row || !shop || row.status === "completed" || row.status === "failed") return { done: true };
  let requests = 0;
  const admin: AdminClient = {
    request: (document, variables) => {
      requests++;
      return deps.admin.request(document, variables);
    },
    get throttle() {
      return deps.admin.throttle;
    },
  };
  const pass: Pass = { deps, admin, row, prefix: shop.tagPrefix, bulkThreshold: shop.bulkThreshold, shopifySegments: shop.shopifySegments, vipTags: shop.vipTags };
  try {
    switch (row.status) {
      case "pending":
        if (row.kind === "segment") return await startSegmentRead(pass);
        return row.scope === null ? await startRead(pass) : await readAndPlanScoped(pass);
      case "reading":
        return await finishRead(pass);
      case "writing":
        return await write(pass);
      case "segments":
        return await syncSegments(pass);
      default:
        throw new Error(`write-back ${row.id}: unknown status "${row.status}"`);
    }
  } finally {
    if (requests > 0) await updateWriteBack(db, shopId, row.id, { increment: { requests } });
  }
}

/** Marks the pass failed when the queue will not retry the job that advances it. */
export async function failWriteBackIfFinal(db: Db, shopId: number, writeBackId: number, error: unknown, job: Pick<JobInfo, "attempts" | "maxAttempts">): Promise<void> {
  const decision = decideFailure(error, job.attempts, job.maxAttempts);
  if (decision.retry) return;
  await updateWriteBack(db, shopId, writeBackId, { status: "failed", error: decision.reason, finishedAt: new Date() });
}

// ---- reading Shopify's tags -------------------------------------------------------------------

async function startRead(pass: Pass): Promise<WriteBackStep> {
  const data = await pass.admin.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: UserError[] } }>(RUN_BULK_QUERY, {
    query: customerTagsBulkQuery(),
  });
  const payload = data.bulkOperationRunQuery;
  if (payload.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED")) return { done: false, pollAfterMs: 15_000 };
  const op = assertNoUserErrors("bulkOperationRunQuery", payload).bulkOperation;
  if (!op) throw new Error("bulkOperationRunQuery returned no operation");
  await updateWriteBack(pass.deps.db, pass.deps.shopId, pass.row.id, { status: "reading", snapshotOperationId: op.id });
  return { done: false, pollAfterMs: FINISH_FALLBACK_MS };
}

interface BulkOperationState {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
  errorCode: string | null;
  url: string | null;
}

async function bulkOperation(pass: Pass, id: string): Promise<BulkOperationState> {
  const { bulkOperation: op } = await pass.admin.request<{ bulkOperation: BulkOperationState | null }>(BULK_OPERATION_STATUS, { id });
  if (!op) throw new Error(`bulk operation ${id} not found`);
  return op;
}

const isRunning = (op: BulkOperationState) => op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING";

async function failPass(pass: Pass, error: string): Promise<WriteBackStep> {
  await updateWriteBack(pass.deps.db, pass.deps.shopId, pass.row.id, { status: "failed", error, finishedAt: new Date(), bulkOperationId: null });
  log().warn({ shopId: pass.deps.shopId, writeBackId: pass.row.id, error }, "write-back failed");
  return { done: true };
}

interface ReadCustomer extends ShopifyCustomerTags {
  readonly rfmGroup: string | null;
}

async function finishRead(pass: Pass): Promise<WriteBackStep> {
  const op = await bulkOperation(pass, pass.row.snapshotOperationId!);
  if (isRunning(op)) return { done: false, pollAfterMs: FINISH_FALLBACK_MS };
  if (op.status !== "COMPLETED") return failPass(pass, `reading the customers' tags: bulk operation ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`);
  const customers: ReadCustomer[] = [];
  if (op.url) {
    const file = await downloadBulkResult(op.url, pass.deps.workDir ?? path.join(os.tmpdir(), "segmint-write-back"));
    for await (const { value } of jsonLines(file, () => true)) {
      if (typeof value.id !== "string" || !value.id.startsWith("gid://shopify/Customer/")) continue;
      const statistics = value.statistics as { rfmGroup?: string | null } | null | undefined;
      customers.push({ id: shopifyIdOf(value.id), tags: Array.isArray(value.tags) ? value.tags.map(String) : [], rfmGroup: statistics?.rfmGroup ?? null });
    }
  }
  const target = await loadTarget(pass);
  if (pass.row.kind === "refresh") await storeAgreement(pass, target, customers);
  return plan(pass, target, customers);
}

async function readAndPlanScoped(pass: Pass): Promise<WriteBackStep> {
  const ids = (JSON.parse(pass.row.scope!) as string[]).map(String);
  return plan(pass, await loadTarget(pass), await readTagsById(pass, ids));
}

/**
 * A segment's customers: up to the shop's bulk threshold their tags are read by id (one request
 * per 100); a larger segment is read with the full bulk query (a few requests whatever its size),
 * and the plan keeps only the segment's customers.
 */
async function startSegmentRead(pass: Pass): Promise<WriteBackStep> {
  const { db, shopId } = pass.deps;
  const segmentKey = pass.row.segmentKey!;
  if ((await segmentMemberCount(db, shopId, pass.row.runId, segmentKey)) > pass.bulkThreshold) return startRead(pass);
  const ids = await segmentMemberIds(db, shopId, pass.row.runId, segmentKey);
  return plan(pass, await loadTarget(pass), await readTagsById(pass, ids));
}

async function readTagsById(pass: Pass, ids: readonly string[]): Promise<ShopifyCustomerTags[]> {
  const customers: ShopifyCustomerTags[] = [];
  for (let i = 0; i < ids.length; i += NODES_PAGE) {
    const page = ids.slice(i, i + NODES_PAGE).map((id) => `gid://shopify/Customer/${id}`);
    const data = await pass.admin.request<{ nodes: ({ id?: string; tags?: string[] } | null)[] }>(CUSTOMER_TAGS_BY_ID, { ids: page });
    for (const node of data.nodes) if (node?.id) customers.push({ id: shopifyIdOf(node.id), tags: node.tags ?? [] });
  }
  return customers;
}

// ---- the plan --------------------------------------------------------------------------------

interface Target {
  readonly model: SegmentModel | null;
  readonly tagOf: Map<string, string>;
  readonly assignments: Map<string, RunAssignment>;
  /** Shopify customer id → the holdout tags of the running experiments holding it out. */
  readonly holdouts: Map<string, string[]>;
  /** Shopify ids of the whales that carry the VIP tag (empty when the shop does not tag whales). */
  readonly vips: Set<string>;
}

async function loadTarget(pass: Pass): Promise<Target> {
  const { db, shopId } = pass.deps;
  const model = await runModel(db, shopId, pass.row.runId);
  const holdouts = new Map<string, string[]>();
  const scope = pass.row.scope === null ? undefined : (JSON.parse(pass.row.scope) as string[]).map(String);
  for (const [id, slugs] of await runningHoldouts(db, shopId, scope)) holdouts.set(id, slugs.map((slug) => holdoutTag(pass.prefix, slug)));
  const vips = pass.vipTags ? await vipCustomerIds(db, shopId, scope) : new Set<string>();
  return { model, tagOf: tagsOfRun(pass, model), assignments: await runAssignments(db, shopId, pass.row.runId), holdouts, vips };
}

/** Each segment of the run's model and its tag under the shop's prefix. */
function tagsOfRun(pass: Pass, model: SegmentModel | null): Map<string, string> {
  return segmentTags(pass.prefix, (model?.segments ?? []).map((s) => ({ key: s.id, name: s.name })));
}

async function plan(pass: Pass, target: Target, customers: readonly ShopifyCustomerTags[]): Promise<WriteBackStep> {
  const { db, shopId } = pass.deps;
  const onlySegment = pass.row.kind === "segment" ? pass.row.segmentKey : null;
  const vip = vipTag(pass.prefix);
  const tagPlan = planTagChanges(
    customers,
    (id) => {
      const a = target.assignments.get(id);
      // A segment pass manages that segment's customers only; everyone else is left alone.
      if (onlySegment !== null && a?.segmentKey !== onlySegment) return null;
      // Not in the run: no segment tag (a rollback restores the earlier run exactly); a control
      // member keeps its holdout tags whatever the run says (its cohort was fixed at the start);
      // a whale keeps its VIP tag likewise (it follows the latest anomaly detection, not the run).
      return desiredTags({
        segmentTag: a ? (target.tagOf.get(a.segmentKey) ?? null) : null,
        holdoutTags: target.holdouts.get(id) ?? [],
        vipTag: target.vips.has(id) ? vip : null,
      });
    },
    pass.prefix,
  );
  // Segmint records every write against a Customer row; a Shopify customer it has never seen
  // (no order, no webhook) is left alone.
  const outsideRun = [...tagPlan.changes, ...tagPlan.capped].map((c) => c.customerId).filter((id) => !target.assignments.has(id));
  const rowIds = await knownCustomerRows(db, shopId, outsideRun);
  const rowOf = (id: string) => target.assignments.get(id)?.customerRowId ?? rowIds.get(id);
  const mode = pass.row.mode;
  const writes: NewTagWrite[] = [];
  let changed = 0;
  for (const c of tagPlan.changes) {
    const customerId = rowOf(c.customerId);
    if (customerId === undefined) continue;
    changed++;
    const result = mode === "live" ? "pending" : "planned";
    for (const tag of c.remove) writes.push({ customerId, tag, action: "remove", result });
    for (const tag of c.add) writes.push({ customerId, tag, action: "add", result });
  }
  let capped = 0;
  for (const c of tagPlan.capped) {
    const customerId = rowOf(c.customerId);
    if (customerId === undefined) continue;
    capped++;
    for (const tag of c.add) writes.push({ customerId, tag, action: "add", result: "skipped-cap", message: "would take the customer past Shopify's 250 tags" });
  }
  logPlan(pass, tagPlan, changed, capped);
  const next = mode !== "live" ? "completed" : changed > 0 ? "writing" : needsSegments(pass) ? "segments" : "completed";
  await db.$transaction(async (tx) => {
    if (mode !== "off") await recordTagWrites(tx as Db, shopId, pass.row, writes);
    await updateWriteBack(tx as Db, shopId, pass.row.id, {
      status: next,
      customersChanged: changed,
      capped,
      // the bulk path is chosen once, on the size of the whole diff
      bulkPhase: next === "writing" && changed > pass.bulkThreshold ? "remove" : null,
      ...(next === "completed" ? { finishedAt: new Date() } : {}),
    });
  }, LONG_TRANSACTION);
  return next === "completed" ? { done: true } : { done: false, pollAfterMs: 0 };
}

function logPlan(pass: Pass, p: TagPlan, changed: number, capped: number): void {
  log().info({ shopId: pass.deps.shopId, writeBackId: pass.row.id, kind: pass.row.kind, mode: pass.row.mode, changed, capped, unchanged: p.unchanged }, "write-back planned");
}

// The Shopify segments follow whole runs and the running experiments (full passes); a segment
// pass and a live pass write tags only.
const needsSegments = (pass: Pass) => pass.row.mode === "live" && FULL_PASS_KINDS.includes(pass.row.kind as WriteBackKind) && pass.shopifySegments;

async function storeAgreement(pass: Pass, target: Target, customers: readonly ReadCustomer[]): Promise<void> {
  const groupIdOf = new Map(Object.values(RFM_GROUPS).map((g) => [g.name, g.id]));
  const rows: AgreementInput[] = [];
  for (const c of customers) {
    const a = target.assignments.get(c.id);
    if (a) rows.push({ shopifyGroup: c.rfmGroup, segmentKey: a.segmentKey, segmintGroup: groupIdOf.get(a.rfmGroup) ?? a.rfmGroup });
  }
  const keys = (target.model?.segments ?? []).map((s) => s.id);
  await setRunShopifyRfm(pass.deps.db, pass.deps.shopId, pass.row.runId, rfmAgreement(keys, rows));
}

// ---- writing ---------------------------------------------------------------------------------

async function write(pass: Pass): Promise<WriteBackStep> {
  if (pass.row.bulkPhase !== null) return writeBulk(pass);
  const { db, shopId } = pass.deps;
  const pending = await pendingTagWrites(db, shopId, pass.row.id);
  for (let i = 0; i < pending.length; i += CUSTOMER_BATCH) {
    const settled: SettledWrites[] = [];
    let added = 0;
    let removed = 0;
    let failed = 0;
    for (const c of pending.slice(i, i + CUSTOMER_BATCH)) {
      const outcome = await writeOneCustomer(pass, c);
      settled.push(...outcome.settled);
      added += outcome.added;
      removed += outcome.removed;
      failed += outcome.failed ? 1 : 0;
    }
    await db.$transaction(async (tx) => {
      await settleTagWrites(tx as Db, shopId, settled);
      await updateWriteBack(tx as Db, shopId, pass.row.id, { increment: { tagsAdded: added, tagsRemoved: removed, failed } });
    });
    if (pass.deps.heartbeat && !(await pass.deps.heartbeat())) return { done: true };
  }
  return afterWrites(pass);
}

async function writeOneCustomer(pass: Pass, c: PendingCustomerWrites): Promise<{ settled: SettledWrites[]; added: number; removed: number; failed: boolean }> {
  const id = `gid://shopify/Customer/${c.shopifyId}`;
  const settled: SettledWrites[] = [];
  let added = 0;
  let removed = 0;
  let failure: string | null = null;
  // Removals first: a customer at the cap swaps its Segmint tag without passing 250.
  if (c.remove.length > 0) {
    const data = await pass.admin.request<{ tagsRemove: { userErrors: UserError[] } }>(CUSTOMER_TAGS_REMOVE, { id, tags: c.remove.map((w) => w.tag) });
    failure = messageOf(data.tagsRemove.userErrors);
    settled.push({ ids: c.remove.map((w) => w.id), result: failure ? "failed" : "ok", message: failure });
    if (!failure) removed += c.remove.length;
  }
  if (c.add.length > 0) {
    if (failure) settled.push({ ids: c.add.map((w) => w.id), result: "failed", message: `not added: ${failure}` });
    else {
      const data = await pass.admin.request<{ tagsAdd: { userErrors: UserError[] } }>(CUSTOMER_TAGS_ADD, { id, tags: c.add.map((w) => w.tag) });
      failure = messageOf(data.tagsAdd.userErrors);
      settled.push({ ids: c.add.map((w) => w.id), result: failure ? "failed" : "ok", message: failure });
      if (!failure) added += c.add.length;
    }
  }
  return { settled, added, removed, failed: failure !== null };
}

const messageOf = (errors: readonly UserError[] | null | undefined) => (errors && errors.length > 0 ? errors.map((e) => e.message).join("; ") : null);

/** The JSONL lines of the next bulk file of an action: customers in order, up to the size cap. */
function nextBulkFile(pending: readonly PendingCustomerWrites[], action: "add" | "remove"): { customers: PendingCustomerWrites[]; jsonl: string } {
  const customers: PendingCustomerWrites[] = [];
  const lines: string[] = [];
  let bytes = 0;
  for (const c of pending) {
    const writes = action === "add" ? c.add : c.remove;
    if (writes.length === 0) continue;
    const line = JSON.stringify({ id: `gid://shopify/Customer/${c.shopifyId}`, tags: writes.map((w) => w.tag) });
    if (lines.length > 0 && bytes + line.length + 1 > MAX_BULK_FILE_BYTES) break;
    lines.push(line);
    customers.push(c);
    bytes += line.length + 1;
  }
  return { customers, jsonl: lines.join("\n") };
}

async function writeBulk(pass: Pass): Promise<WriteBackStep> {
  const { db, shopId } = pass.deps;
  const action = pass.row.bulkPhase === "add" ? "add" : "remove";
  const pending = (await pendingTagWrites(db, shopId, pass.row.id, action)).filter((c) => (action === "add" ? c.add : c.remove).length > 0);
  const file = nextBulkFile(pending, action);
  if (pass.row.bulkOperationId === null) {
    if (file.customers.length === 0) {
      // This action is done: additions follow removals, then the segments.
      if (action === "remove") {
        await updateWriteBack(db, shopId, pass.row.id, { bulkPhase: "add" });
        return { done: false, pollAfterMs: 0 };
      }
      return afterWrites(pass);
    }
    const stagedUploadPath = await uploadBulkVariables(pass.admin, `segmint-${action}-${pass.row.id}.jsonl`, file.jsonl);
    const data = await pass.admin.request<{ bulkOperationRunMutation: { bulkOperation: { id: string } | null; userErrors: UserError[] } }>(RUN_BULK_MUTATION, {
      mutation: action === "add" ? BULK_INNER_TAGS_ADD : BULK_INNER_TAGS_REMOVE,
      stagedUploadPath,
      clientIdentifier: `segmint-write-back-${pass.row.id}-${action}`,
    });
    const payload = data.bulkOperationRunMutation;
    if (payload.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED")) return { done: false, pollAfterMs: 15_000 };
    const op = assertNoUserErrors("bulkOperationRunMutation", payload).bulkOperation;
    if (!op) throw new Error("bulkOperationRunMutation returned no operation");
    await updateWriteBack(db, shopId, pass.row.id, { bulkOperationId: op.id });
    return { done: false, pollAfterMs: FINISH_FALLBACK_MS };
  }
  const op = await bulkOperation(pass, pass.row.bulkOperationId);
  if (isRunning(op)) return { done: false, pollAfterMs: FINISH_FALLBACK_MS };
  if (op.status !== "COMPLETED") return failPass(pass, `bulk ${action} of tags: operation ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`);
  // COMPLETED does not mean every line succeeded: each line's own errors decide.
  const lineErrors = new Map<number, string | null>();
  if (op.url) {
    const result = await downloadBulkResult(op.url, pass.deps.workDir ?? path.join(os.tmpdir(), "segmint-write-back"));
    for await (const { value } of jsonLines(result, () => true)) {
      const n = Number(value.__lineNumber);
      const errors = value.errors as { message: string }[] | undefined;
      const data = value.data as Record<string, { userErrors?: UserError[] } | null> | undefined;
      const payload = data ? Object.values(data)[0] : undefined;
      lineErrors.set(n, errors && errors.length > 0 ? errors.map((e) => e.message).join("; ") : messageOf(payload?.userErrors));
    }
  }
  const ok: number[] = [];
  const failures: SettledWrites[] = [];
  file.customers.forEach((c, line) => {
    const writes = action === "add" ? c.add : c.remove;
    const error = lineErrors.has(line) ? lineErrors.get(line)! : "no result line for this customer";
    if (error) failures.push({ ids: writes.map((w) => w.id), result: "failed", message: error });
    else ok.push(...writes.map((w) => w.id));
  });
  const wholeAction = file.customers.length === pending.length;
  await db.$transaction(async (tx) => {
    // The usual case (the file held every pending write of the action): one statement marks
    // them done, then the failed lines are marked.
    if (wholeAction) await settleAllPending(tx as Db, shopId, pass.row.id, action);
    else await settleTagWrites(tx as Db, shopId, [{ ids: ok, result: "ok" }]);
    await settleTagWrites(tx as Db, shopId, failures);
    // A customer whose removal failed keeps its old tag; its addition is not attempted.
    if (action === "remove") {
      const removalFailed = file.customers.filter((_c, line) => lineErrors.get(line) !== null).map((c) => c.customerRowId);
      await failPendingAdds(tx as Db, shopId, pass.row.id, removalFailed, "not added: the removal of the old tag failed");
    }
    await updateWriteBack(tx as Db, shopId, pass.row.id, {
      bulkOperationId: null,
      increment: action === "add" ? { tagsAdded: ok.length, failed: failures.length } : { tagsRemoved: ok.length, failed: failures.length },
    });
  }, LONG_TRANSACTION);
  return { done: false, pollAfterMs: 0 };
}

async function afterWrites(pass: Pass): Promise<WriteBackStep> {
  if (needsSegments(pass)) {
    await updateWriteBack(pass.deps.db, pass.deps.shopId, pass.row.id, { status: "segments", bulkPhase: null });
    return syncSegments(pass);
  }
  await updateWriteBack(pass.deps.db, pass.deps.shopId, pass.row.id, { status: "completed", bulkPhase: null, finishedAt: new Date() });
  return { done: true };
}

// ---- Shopify customer segments ---------------------------------------------------------------

async function syncSegments(pass: Pass): Promise<WriteBackStep> {
  const { db, shopId } = pass.deps;
  // The segments' names and tags, and which have customers: not every customer's row.
  const model = await runModel(db, shopId, pass.row.runId);
  const populated = await populatedSegmentKeys(db, shopId, pass.row.runId);
  const tagOf = tagsOfRun(pass, model);
  const segments: SegmentToSync[] = (model?.segments ?? []).filter((s) => populated.has(s.id)).map((s) => ({ key: s.id, name: s.name, tag: tagOf.get(s.id)! }));
  // One "segment minus holdout" per running experiment whose segment is in the run (or that
  // targets every customer): the wanted list is the run's segments plus these, in one sync.
  const nameOf = new Map((model?.segments ?? []).map((s) => [s.id, s.name]));
  for (const e of await runningExperimentTargets(db, shopId)) {
    if (e.segmentKey !== null && !tagOf.has(e.segmentKey)) continue;
    segments.push({
      key: experimentSegmentKey(e.id),
      name: e.segmentKey === null ? "All customers" : nameOf.get(e.segmentKey)!,
      tag: e.segmentKey === null ? null : tagOf.get(e.segmentKey)!,
      holdout: { slug: e.slug, tag: holdoutTag(pass.prefix, e.slug) },
    });
  }
  const outcome = await syncShopifySegments(db, pass.admin, shopId, segments);
  log().info({ shopId, writeBackId: pass.row.id, ...outcome }, "Shopify segments synced");
  await updateWriteBack(db, shopId, pass.row.id, { status: "completed", finishedAt: new Date() });
  return { done: true };
}
