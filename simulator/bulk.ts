// Bulk operations: bulkOperationRunQuery / bulkOperationRunMutation / bulkOperationCancel.
// Lifecycle CREATED → RUNNING → COMPLETED | FAILED | CANCELING → CANCELED (→ EXPIRED after 7
// days), advanced by tick() from the injected clock. The query runs when the operation starts
// RUNNING (a snapshot), its output is JSONL in Shopify's format: one object per line, objects of
// nested connections on their own lines with `__parentId`, and — as with groupObjects:false, the
// default since 2026-01 — children NOT guaranteed to follow their parent (seeded shuffle).
import { randomUUID } from "node:crypto";
import { getNamedType, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type FieldNode } from "graphql";
import type { Clock } from "./clock";
import type { BulkErrorCode, BulkOperationRecord, BulkService, BulkType, ResolverContext, UserErrorShape } from "./context";
import type { FaultPlan } from "./faults";
import { FastBulkQuery } from "./bulk-executor";
import { rootFieldOf } from "./calls";
import { executeOperation, prepareDocument, prepareOperation, type PreparedOperation } from "./graphql";
import { findOperation } from "./cost";
import { parseGid } from "./ids";
import { asConnection, flattenNode, JsonlFile, shuffleBlocks } from "./jsonl";
import { createRng } from "./random";
import { adminSchema } from "./schema";
import type { ShopState } from "./state";
import type { StagedUploads } from "./uploads";

export type JsonlOrder = "shuffled" | "grouped" | "children-first";
/**
 * How bulk queries are executed: "fast" (default) walks a plan compiled from the validated
 * document over the resolvers' views and writes JSONL directly (bulk-executor.ts); "graphql-js"
 * runs graphql-js over every window of root objects (the reference; ~10× slower, ~5× the memory).
 * Both produce the same lines in the same order.
 */
export type BulkExecutor = "fast" | "graphql-js";

export interface BulkOptions {
  /** Simulated throughput: how long RUNNING lasts (min minRunMs). */
  objectsPerSecond: number;
  minRunMs: number;
  /** Delay between creation and RUNNING. */
  startDelayMs: number;
  /** API ≥ 2026-01: 5 concurrent bulk queries and 5 bulk mutations per shop (older: 1). */
  maxConcurrentQueries: number;
  maxConcurrentMutations: number;
  /** Output order when groupObjects is false. "children-first" is the adversarial case. */
  jsonlOrder: JsonlOrder;
  seed: number;
  /** Root objects executed per window (memory/latency trade-off). */
  chunkSize: number;
  executor: BulkExecutor;
}

export const DEFAULT_BULK_OPTIONS: BulkOptions = {
  objectsPerSecond: 50_000,
  minRunMs: 1_000,
  startDelayMs: 0,
  maxConcurrentQueries: 5,
  maxConcurrentMutations: 5,
  jsonlOrder: "shuffled",
  seed: 1,
  chunkSize: 100,
  executor: "fast",
};

const URL_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const ACTIVE: ReadonlySet<string> = new Set(["CREATED", "RUNNING", "CANCELING"]);

interface BulkInternals {
  record: BulkOperationRecord;
  shop: ShopState;
  groupObjects: boolean;
  mutation: { stagedUploadPath: string; clientIdentifier: string | null } | null;
  /** The finished output (in its final order) while RUNNING until completesAt. */
  file: JsonlFile | null;
  /** A query still being executed window by window (the event loop stays responsive). */
  pending: PendingQuery | null;
  /** A bulk mutation's lines still being executed, slice by slice (same reason). */
  pendingMutation: PendingMutation | null;
  runStartedAt: number | null;
  completesAt: number | null;
  fault: { errorCode: BulkErrorCode; partial: boolean } | null;
  synthetic?: { objectCount: number; stream(): ReadableStream<Uint8Array> };
}

interface PendingQuery {
  op: PreparedOperation;
  /** null: the document needs graphql-js (see FastBulkQuery.compile). */
  fast: FastBulkQuery | null;
  offset: number;
  /** Lines in execution order (parents before their children); `children` only for "children-first". */
  lines: JsonlFile;
  children: JsonlFile | null;
  roots: number;
}

interface PendingMutation {
  inputs: string[];
  next: number;
  lines: string[];
}

interface StoredFile {
  /** null for synthetic stores: the body is generated on each download instead of stored. */
  file: JsonlFile | null;
  stream?: () => ReadableStream<Uint8Array>;
  shopDomain: string;
  expiresAt: number;
}

export interface BulkHooks {
  contextFor(shop: ShopState): ResolverContext;
  faultsFor(shop: ShopState): FaultPlan;
  onFinished(shop: ShopState, op: BulkOperationRecord): void;
  baseUrl(): string;
  /** A synthetic (benchmark) source whose JSONL replaces the query's output for this shop. */
  syntheticFor(shop: ShopState): { objectCount: number; orderCount: number; stream(): ReadableStream<Uint8Array> } | undefined;
}

export class BulkOperations implements BulkService {
  private ops: BulkInternals[] = [];
  private files = new Map<string, StoredFile>();
  private runCounter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly uploads: StagedUploads,
    private readonly hooks: BulkHooks,
    private readonly options: BulkOptions = DEFAULT_BULK_OPTIONS,
  ) {}

  // ---- BulkService ------------------------------------------------------------------------------

  runQuery(shop: ShopState, query: string, groupObjects: boolean): { operation: BulkOperationRecord | null; userErrors: UserErrorShape[] } {
    const invalid = validateBulkQuery(query);
    if (invalid) return { operation: null, userErrors: [{ field: ["query"], message: invalid, code: "INVALID" }] };
    const limitError = this.concurrencyError(shop, "QUERY");
    if (limitError) return { operation: null, userErrors: [limitError] };
    return { operation: this.create(shop, "QUERY", query, groupObjects, null).record, userErrors: [] };
  }

  runMutation(shop: ShopState, mutation: string, stagedUploadPath: string, clientIdentifier: string | null): { operation: BulkOperationRecord | null; userErrors: UserErrorShape[] } {
    const invalid = validateBulkMutation(mutation);
    if (invalid) return { operation: null, userErrors: [{ field: ["mutation"], message: invalid, code: "INVALID_MUTATION" }] };
    if (this.uploads.read(shop, stagedUploadPath) === null) {
      return { operation: null, userErrors: [{ field: ["stagedUploadPath"], message: "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.", code: "NO_SUCH_FILE" }] };
    }
    const limitError = this.concurrencyError(shop, "MUTATION");
    if (limitError) return { operation: null, userErrors: [limitError] };
    return { operation: this.create(shop, "MUTATION", mutation, false, { stagedUploadPath, clientIdentifier }).record, userErrors: [] };
  }

  cancel(shop: ShopState, id: number): { operation: BulkOperationRecord | null; userErrors: UserErrorShape[] } {
    const op = this.ops.find((o) => o.shop === shop && o.record.id === id);
    if (!op) return { operation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (!ACTIVE.has(op.record.status)) {
      return { operation: op.record, userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${op.record.status.toLowerCase()}` }] };
    }
    op.record.status = "CANCELING";
    return { operation: op.record, userErrors: [] };
  }

  get(shop: ShopState, id: number): BulkOperationRecord | null {
    this.tick();
    return this.ops.find((o) => o.shop === shop && o.record.id === id)?.record ?? null;
  }

  list(shop: ShopState): BulkOperationRecord[] {
    this.tick();
    return this.ops.filter((o) => o.shop === shop).map((o) => o.record);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  private concurrencyError(shop: ShopState, type: BulkType): UserErrorShape | null {
    const limit = type === "QUERY" ? this.options.maxConcurrentQueries : this.options.maxConcurrentMutations;
    const active = this.ops.filter((o) => o.shop === shop && o.record.type === type && ACTIVE.has(o.record.status));
    if (active.length < limit) return null;
    const kind = type === "QUERY" ? "query" : "mutation";
    if (limit === 1) {
      return { field: null, message: `A bulk ${kind} operation for this app and shop is already in progress: gid://shopify/BulkOperation/${active[0]?.record.id}.`, code: "OPERATION_IN_PROGRESS" };
    }
    return { field: null, message: `The maximum number of concurrent bulk ${kind} operations (${limit}) has been reached.`, code: "LIMIT_REACHED" };
  }

  private create(shop: ShopState, type: BulkType, query: string, groupObjects: boolean, mutation: BulkInternals["mutation"]): BulkInternals {
    const record: BulkOperationRecord = {
      id: shop.newId("BulkOperation"),
      shopDomain: shop.domain,
      type,
      status: "CREATED",
      errorCode: null,
      createdAt: this.clock.now(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query,
    };
    const op: BulkInternals = { record, shop, groupObjects, mutation, file: null, pending: null, pendingMutation: null, runStartedAt: null, completesAt: null, fault: null };
    this.ops.push(op);
    return op;
  }

  /** Moves every operation as far as the clock allows. Cheap when nothing is due. */
  tick(): void {
    const now = this.clock.now();
    for (const op of this.ops) {
      const r = op.record;
      if (r.status === "CREATED" && now >= r.createdAt + this.options.startDelayMs) this.start(op, now);
      if (r.status === "RUNNING" && op.pending) this.continueQuery(op, now);
      if (r.status === "RUNNING" && op.pendingMutation) this.continueMutation(op);
      if (r.status === "RUNNING" && op.completesAt !== null && op.runStartedAt !== null) {
        if (now >= op.completesAt) this.finish(op, now);
        else {
          const total = op.file?.lineCount ?? 0;
          r.objectCount = Math.max(r.objectCount, Math.floor((total * (now - op.runStartedAt)) / Math.max(1, op.completesAt - op.runStartedAt)));
        }
      }
      if (r.status === "CANCELING") {
        r.status = "CANCELED";
        r.completedAt = now;
        op.file = null;
        op.pending = null;
        op.pendingMutation = null; // lines already run stay applied, as on Shopify
        this.hooks.onFinished(op.shop, r);
      }
      if (r.status === "COMPLETED" && r.completedAt !== null && now > r.completedAt + URL_LIFETIME_MS) r.status = "EXPIRED";
    }
  }

  /** True while a bulk query or mutation is still being executed (windows or lines left to run). */
  get executing(): boolean {
    return this.ops.some((o) => o.pending !== null || o.pendingMutation !== null);
  }

  /** True while any operation is CREATED / RUNNING / CANCELING. */
  get busy(): boolean {
    return this.ops.some((o) => ACTIVE.has(o.record.status));
  }

  /** The earliest time at which tick() has something to do (for fake-clock helpers). */
  nextDueAt(): number | null {
    let due: number | null = null;
    for (const op of this.ops) {
      const r = op.record;
      const at = r.status === "CREATED" ? r.createdAt + this.options.startDelayMs : r.status === "RUNNING" ? (op.pending || op.pendingMutation ? this.clock.now() : op.completesAt) : r.status === "CANCELING" ? this.clock.now() : null;
      if (at !== null && (due === null || at < due)) due = at;
    }
    return due;
  }

  private start(op: BulkInternals, now: number): void {
    op.record.status = "RUNNING";
    op.runStartedAt = now;
    op.fault = this.hooks.faultsFor(op.shop).takeBulk() ?? null;
    // The synthetic store holds orders only: an export of products runs over the shop's records.
    const synthetic = op.record.type === "QUERY" && rootFieldOf(op.record.query) === "orders" ? this.hooks.syntheticFor(op.shop) : undefined;
    if (synthetic) {
      // Benchmarks: nothing is materialised; the file is generated when downloaded.
      op.file = new JsonlFile();
      op.record.rootObjectCount = synthetic.orderCount;
      op.completesAt = now + Math.max(this.options.minRunMs, Math.ceil((synthetic.objectCount / this.options.objectsPerSecond) * 1000));
      op.synthetic = synthetic;
      return;
    }
    if (op.record.type === "QUERY") {
      const prepared = prepareOperation(op.record.query, {}, null);
      if (!prepared.ok) throw new Error("validated bulk query no longer prepares");
      const fast = this.options.executor === "fast" ? FastBulkQuery.compile(prepared.op) : null;
      const childrenFirst = !op.groupObjects && this.options.jsonlOrder === "children-first";
      op.pending = { op: prepared.op, fast, offset: 0, lines: new JsonlFile(), children: childrenFirst ? new JsonlFile() : null, roots: 0 };
      this.continueQuery(op, now);
      return;
    }
    const mutation = op.mutation;
    if (!mutation) throw new Error("not a bulk mutation");
    const text = this.uploads.read(op.shop, mutation.stagedUploadPath) ?? "";
    op.pendingMutation = { inputs: text.split("\n").filter((line) => line.trim() !== ""), next: 0, lines: [] };
    this.continueMutation(op);
  }

  /**
   * Runs the staged lines for up to ~50 ms of real time per tick (100,000 lines take seconds:
   * the server keeps answering meanwhile); objectCount shows the lines done.
   */
  private continueMutation(op: BulkInternals): void {
    const pending = op.pendingMutation;
    if (!pending) return;
    const deadline = performance.now() + 50;
    const faults = this.hooks.faultsFor(op.shop);
    do {
      for (let stop = Math.min(pending.inputs.length, pending.next + 100); pending.next < stop; pending.next++) {
        pending.lines.push(this.mutationLine(op, pending.inputs[pending.next] as string, pending.next, faults));
      }
      op.record.objectCount = pending.lines.length;
      if (pending.next >= pending.inputs.length) {
        op.pendingMutation = null;
        // Lines of a bulk mutation are not processed in order either.
        this.ready(op, JsonlFile.fromLines(this.shuffle(op, pending.lines)), pending.inputs.length);
        return;
      }
    } while (performance.now() < deadline);
  }

  /** Output complete: RUNNING lasts max(minRunMs, objects / objectsPerSecond) from the start. */
  private ready(op: BulkInternals, file: JsonlFile, roots: number): void {
    op.file = file;
    op.record.rootObjectCount = roots;
    const duration = Math.max(this.options.minRunMs, Math.ceil((file.lineCount / this.options.objectsPerSecond) * 1000));
    op.completesAt = Math.max(this.clock.now(), (op.runStartedAt ?? this.clock.now()) + duration);
  }

  /**
   * Executes windows of `chunkSize` root objects for up to ~50 ms of real time per tick, so a
   * large export never freezes the server; objectCount shows real progress meanwhile. Lines go
   * straight into a JsonlFile (UTF-8 blocks), never into one big array of strings.
   */
  private continueQuery(op: BulkInternals, _now: number): void {
    const pending = op.pending;
    if (!pending) return;
    const deadline = performance.now() + 50;
    const sink = pending.children
      ? (line: string, isChild: boolean) => (isChild ? (pending.children as JsonlFile) : pending.lines).push(line)
      : (line: string) => pending.lines.push(line);
    do {
      const ctx = { ...this.hooks.contextFor(op.shop), bulkWindow: { offset: pending.offset, limit: this.options.chunkSize } };
      let rootsInChunk = 0;
      if (pending.fast) rootsInChunk = pending.fast.runWindow(ctx, sink);
      else {
        const result = executeOperation(pending.op, ctx);
        if (result.errors?.length) throw new Error(`bulk query failed in the simulator: ${result.errors.map((e) => e.message).join("; ")}`);
        for (const value of Object.values(result.data ?? {})) {
          const conn = asConnection(value);
          if (!conn) continue;
          for (const node of conn) {
            rootsInChunk++;
            flattenNode(node, null, sink);
          }
        }
      }
      pending.roots += rootsInChunk;
      pending.offset += this.options.chunkSize;
      op.record.objectCount = pending.lines.lineCount + (pending.children?.lineCount ?? 0);
      if (rootsInChunk < this.options.chunkSize) {
        op.pending = null;
        this.ready(op, this.order(op, pending), pending.roots);
        return;
      }
    } while (performance.now() < deadline);
  }

  private finish(op: BulkInternals, now: number): void {
    const r = op.record;
    const lines = op.file ?? new JsonlFile();
    r.completedAt = now;
    if (op.synthetic && !op.fault) {
      const token = randomUUID();
      const synthetic = op.synthetic;
      this.files.set(token, { file: null, stream: () => synthetic.stream(), shopDomain: op.shop.domain, expiresAt: now + URL_LIFETIME_MS });
      r.status = "COMPLETED";
      r.objectCount = synthetic.objectCount;
      r.url = `${this.hooks.baseUrl()}/_sim/bulk/${token}.jsonl?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=604800`;
      r.fileSize = null; // not known without generating the whole file once (documented)
      this.hooks.onFinished(op.shop, r);
      return;
    }
    if (op.fault) {
      r.status = "FAILED";
      r.errorCode = op.fault.errorCode;
      const partial = lines.head(op.fault.partial ? Math.floor(lines.lineCount / 2) : 0);
      r.objectCount = partial.lineCount;
      r.partialDataUrl = partial.lineCount ? this.store(op.shop, partial, now).url : null;
    } else {
      r.status = "COMPLETED";
      r.objectCount = lines.lineCount;
      // Shopify: url is null when the query matched nothing.
      if (lines.lineCount) {
        const stored = this.store(op.shop, lines, now);
        r.url = stored.url;
        r.fileSize = stored.size;
      } else r.url = null;
    }
    op.file = null;
    this.hooks.onFinished(op.shop, r);
  }

  private store(shop: ShopState, file: JsonlFile, now: number): { url: string; size: number } {
    const token = randomUUID();
    this.files.set(token, { file, shopDomain: shop.domain, expiresAt: now + URL_LIFETIME_MS });
    // The path mimics a signed GCS URL; the query string is decorative.
    return { url: `${this.hooks.baseUrl()}/_sim/bulk/${token}.jsonl?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=604800`, size: file.size };
  }

  /** Serves a result file (used by the HTTP layer and by readResult). */
  serveFile(token: string): Response {
    const file = this.files.get(token);
    if (!file) return new Response("<Error><Code>NoSuchKey</Code></Error>", { status: 404, headers: { "content-type": "application/xml" } });
    if (this.clock.now() > file.expiresAt) return new Response("<Error><Code>ExpiredToken</Code></Error>", { status: 400, headers: { "content-type": "application/xml" } });
    if (!file.file) return new Response(file.stream?.() ?? null, { status: 200, headers: { "content-type": "application/jsonl" } });
    return new Response(file.file.stream(), { status: 200, headers: { "content-type": "application/jsonl", "content-length": String(file.file.size) } });
  }

  /** In-process access to a result file by its URL. */
  readResult(url: string): string {
    const token = /\/_sim\/bulk\/([^/.?]+)\.jsonl/.exec(url)?.[1];
    const file = token ? this.files.get(token) : undefined;
    if (!file) throw new Error(`No bulk result at ${url}`);
    if (!file.file) throw new Error("Synthetic results are streamed: fetch the url instead");
    return file.file.text();
  }

  // ---- execution --------------------------------------------------------------------------------

  /** One staged line executed as the mutation: its result line (`data` and/or `errors`, `__lineNumber`). */
  private mutationLine(op: BulkInternals, line: string, index: number, faults: FaultPlan): string {
    let variables: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      variables = parsed as Record<string, unknown>;
    } catch {
      return JSON.stringify({ errors: [{ message: `Invalid JSON on line ${index + 1}`, extensions: { code: "INVALID_JSON" } }], __lineNumber: index });
    }
    const prepared = prepareOperation(op.record.query, variables, null);
    if (!prepared.ok) return JSON.stringify({ errors: prepared.errors, __lineNumber: index });
    const ctx = this.hooks.contextFor(op.shop);
    const target = typeof variables.id === "string" ? parseGid(variables.id) : null;
    const fault = faults.takeBulkLine(index, target?.type === "Customer" ? target.id : null);
    if (fault?.kind === "errors") return JSON.stringify({ errors: [{ message: fault.message, extensions: { code: fault.code } }], __lineNumber: index });
    if (fault) ctx.injectedUserError = { field: fault.field, message: fault.message };
    const result = executeOperation(prepared.op, ctx);
    return JSON.stringify({ ...(result.data ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors } : {}), __lineNumber: index });
  }

  /** The final file: as executed (grouped), all children first, or shuffled in blocks of 64. */
  private order(op: BulkInternals, pending: PendingQuery): JsonlFile {
    const lines = pending.lines;
    if (pending.children) return pending.children.concat(lines);
    if (op.groupObjects || this.options.jsonlOrder === "grouped") return lines;
    lines.shuffleBlocks(this.nextShuffleRng(op));
    return lines;
  }

  /** Lines of a bulk mutation are shuffled too (they are small: an array is fine). */
  private shuffle(op: BulkInternals, lines: string[]): string[] {
    return shuffleBlocks(lines, this.nextShuffleRng(op));
  }

  private nextShuffleRng(op: BulkInternals): () => number {
    return createRng(this.options.seed + op.record.id + this.runCounter++);
  }
}

// ---- bulk-specific validation ---------------------------------------------------------------------

/** Shopify's bulk query rules (§3.2 of the reference). Returns an error message or null. */
export function validateBulkQuery(query: string): string | null {
  const prepared = prepareDocument(query);
  if (!prepared.ok) return `Invalid bulk query: ${prepared.errors.map((e) => e.message).join("; ")}`;
  const operation = findOperation(prepared.document, null);
  if (!operation || operation.operation !== "query") return "Invalid bulk query: the document must contain exactly one query operation";
  return checkConnections(prepared.document);
}

function checkConnections(document: DocumentNode): string | null {
  const schema = adminSchema();
  const typeInfo = new TypeInfo(schema);
  let total = 0;
  let depth = 0;
  let maxDepth = 0;
  let problem: string | null = null;
  const connectionStack: boolean[] = [];
  const missingId: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node: FieldNode) {
          const type = typeInfo.getType();
          const isConnection = type != null && getNamedType(type).name.endsWith("Connection");
          const atRoot = typeInfo.getParentType() === schema.getQueryType();
          if (atRoot && (node.name.value === "node" || node.name.value === "nodes")) problem = "Bulk queries cannot contain a top level `node` or `nodes` field.";
          connectionStack.push(isConnection);
          if (isConnection) {
            total++;
            depth++;
            maxDepth = Math.max(maxDepth, depth);
          }
          // A nested connection needs its parent's id, or its lines can't carry __parentId.
          if (isConnection && depth > 1 && node.selectionSet) missingIdCheck(document, node, missingId);
        },
        leave() {
          if (connectionStack.pop()) depth--;
        },
      },
    }),
  );
  if (problem) return problem;
  if (total === 0) return "Bulk queries must contain at least one connection.";
  if (total > 5) return `Bulk queries cannot contain more than 5 connections (found ${total}).`;
  // ⚠️ "two levels of nested connections": a root connection plus at most two nested levels.
  if (maxDepth > 3) return "Bulk queries cannot contain connections with a nesting depth greater than 2.";
  if (missingId.length) return `Nested connections require their parent to select \`id\` (${missingId.join(", ")}).`;
  return null;
}

function missingIdCheck(document: DocumentNode, connectionField: FieldNode, out: string[]): void {
  // Find the enclosing node selection: walk the document for the selection set that contains this field.
  let found = false;
  visit(document, {
    SelectionSet: {
      enter(set) {
        if (found) return;
        if (set.selections.includes(connectionField)) {
          found = true;
          const hasId = set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "id" && !s.alias);
          if (!hasId) out.push(connectionField.name.value);
        }
      },
    },
  });
}

export function validateBulkMutation(mutation: string): string | null {
  const prepared = prepareDocument(mutation);
  if (!prepared.ok) return `Invalid mutation: ${prepared.errors.map((e) => e.message).join("; ")}`;
  const operation = findOperation(prepared.document, null);
  if (!operation || operation.operation !== "mutation") return "The bulk mutation must contain exactly one mutation operation.";
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== 1) return "The bulk mutation must contain exactly one top-level mutation field.";
  const name = fields[0]?.name.value ?? "";
  if (name === "bulkOperationRunQuery" || name === "bulkOperationRunMutation") return `${name} is not allowed in a bulk mutation.`;
  return null;
}
