// Shopify's bulk JSONL shape, shared by both bulk query executors (bulk-executor.ts): one object
// per line; the nodes of a nested connection are removed from their parent and written as their
// own lines with `__parentId` (the last key). Plus JsonlFile, the memory-lean result file.

/** A plain JSON object (not an array, not null). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The nodes of a connection *result* (`edges { node }` or `nodes`), or null if the value is not
 * connection-shaped: an object whose keys are all among edges / nodes / pageInfo, with an
 * `edges` (preferred) or `nodes` array. Edges or nodes that are not objects are skipped.
 */
export function asConnection(value: unknown): Record<string, unknown>[] | null {
  if (!isPlainRecord(value)) return null;
  const keys = Object.keys(value);
  if (!keys.every((k) => k === "edges" || k === "nodes" || k === "pageInfo")) return null;
  if (Array.isArray(value.edges)) return value.edges.filter(isPlainRecord).map((e) => e.node).filter(isPlainRecord);
  if (Array.isArray(value.nodes)) return value.nodes.filter(isPlainRecord);
  return null;
}

/**
 * Writes `node` as one line, without its nested connections, whose nodes are written as their
 * own lines with `__parentId` = this node's id (appended last, as Shopify does).
 */
export function flattenNode(node: Record<string, unknown>, parentId: string | null, out: (line: string, isChild: boolean) => void): void {
  const own = typeof node.id === "string" ? node.id : null;
  const children: Array<Record<string, unknown>> = [];
  const stripped = stripConnections(node, children);
  out(JSON.stringify(parentId === null ? stripped : { ...stripped, __parentId: parentId }), parentId !== null);
  for (const child of children) flattenNode(child, own ?? parentId, out);
}

/** A copy of `value` without connection-shaped fields (at any depth of nested objects, not inside lists); their nodes go to `children`. */
export function stripConnections(value: Record<string, unknown>, children: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const conn = asConnection(field);
    if (conn) {
      children.push(...conn);
      continue;
    }
    out[key] = isPlainRecord(field) ? stripConnections(field, children) : field;
  }
  return out;
}

// ---- the result file ----------------------------------------------------------------------------

/** Lines per shuffle block (also the unit of storage). */
export const JSONL_BLOCK = 64;

const encoder = new TextEncoder();

/** Size of the buffers blocks are packed into (a block larger than this gets its own). */
const CHUNK_BYTES = 1 << 20;

/**
 * A JSONL file built line by line and held as UTF-8 bytes in ~1 MB chunks (each line ends with
 * "\n"), never as one giant string or an array of line strings. Lines are grouped in blocks of
 * JSONL_BLOCK lines, each block contiguous in one chunk, so blocks can be shuffled in place
 * afterwards: `shuffleBlocks(rng)` reproduces the array version (`shuffleBlocks(lines, rng)`)
 * exactly, consuming the rng in the same sequence.
 */
export class JsonlFile {
  private readonly chunks: Buffer[] = [];
  /** Bytes written to each chunk. */
  private readonly chunkUsed: number[] = [];
  /** Per block: its chunk, byte offset and byte length. */
  private blockChunk = new Uint32Array(64);
  private blockOffset = new Uint32Array(64);
  private blockLength = new Uint32Array(64);
  private blockCount = 0;
  /** Byte length of each line (without "\n"), in file order. */
  private lineBytes = new Uint32Array(1024);
  private count = 0;
  private bytes = 0;

  static fromLines(lines: Iterable<string>): JsonlFile {
    const file = new JsonlFile();
    for (const line of lines) file.push(line);
    return file;
  }

  get lineCount(): number {
    return this.count;
  }

  /** Size in bytes, every line followed by "\n". */
  get size(): number {
    return this.bytes;
  }

  /** Appends a line, UTF-8 encoded straight into the current chunk. */
  push(line: string): void {
    if (this.count % JSONL_BLOCK === 0) this.startBlock();
    let c = this.chunks.length - 1;
    let used = this.chunkUsed[c] as number;
    // encodeInto flattens a concatenated string cheaply (Buffer#write is very slow on those).
    const first = encoder.encodeInto(line, (this.chunks[c] as Buffer).subarray(used));
    let written = first.written;
    if (first.read < line.length || used + written >= (this.chunks[c] as Buffer).length) {
      this.moveOpenBlock(Buffer.byteLength(line, "utf8") + 1);
      c = this.chunks.length - 1;
      used = this.chunkUsed[c] as number;
      ({ written } = encoder.encodeInto(line, (this.chunks[c] as Buffer).subarray(used)));
    }
    (this.chunks[c] as Buffer)[used + written] = 10;
    this.chunkUsed[c] = used + written + 1;
    if (this.lineBytes.length === this.count) this.lineBytes = grow(this.lineBytes, this.count * 2);
    this.lineBytes[this.count] = written;
    this.count++;
    this.bytes += written + 1;
    const b = this.blockCount - 1;
    this.blockLength[b] = (this.blockLength[b] as number) + written + 1;
  }

  private startBlock(): void {
    if (this.blockCount === this.blockChunk.length) {
      this.blockChunk = grow(this.blockChunk, this.blockCount * 2);
      this.blockOffset = grow(this.blockOffset, this.blockCount * 2);
      this.blockLength = grow(this.blockLength, this.blockCount * 2);
    }
    if (this.chunks.length === 0) this.newChunk(CHUNK_BYTES);
    const c = this.chunks.length - 1;
    this.blockChunk[this.blockCount] = c;
    this.blockOffset[this.blockCount] = this.chunkUsed[c] as number;
    this.blockLength[this.blockCount] = 0;
    this.blockCount++;
  }

  private newChunk(size: number): void {
    this.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size)));
    this.chunkUsed.push(0);
  }

  /** The current chunk is full: move the open block to a new chunk (blocks never straddle chunks). */
  private moveOpenBlock(needed: number): void {
    const b = this.blockCount - 1;
    const old = this.chunks[this.blockChunk[b] as number] as Buffer;
    const start = this.blockOffset[b] as number;
    const length = this.blockLength[b] as number;
    this.newChunk(length + needed);
    const c = this.chunks.length - 1;
    old.copy(this.chunks[c] as Buffer, 0, start, start + length);
    this.chunkUsed[c] = length;
    this.chunkUsed[this.blockChunk[b] as number] = start;
    this.blockChunk[b] = c;
    this.blockOffset[b] = 0;
  }

  /**
   * Shuffles the lines within each block of JSONL_BLOCK with `rng`, exactly as the array version
   * would, consuming the rng in the same sequence.
   */
  shuffleBlocks(rng: () => number): void {
    const order = new Int32Array(JSONL_BLOCK);
    const starts = new Int32Array(JSONL_BLOCK);
    const lengths = new Uint32Array(JSONL_BLOCK);
    let scratch = Buffer.allocUnsafe(64 * 1024);
    for (let b = 0; b < this.blockCount; b++) {
      const first = b * JSONL_BLOCK;
      const n = Math.min(JSONL_BLOCK, this.count - first);
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleRange(order, n, rng);
      const chunk = this.chunks[this.blockChunk[b] as number] as Buffer;
      const start = this.blockOffset[b] as number;
      const length = this.blockLength[b] as number;
      if (scratch.length < length) scratch = Buffer.allocUnsafe(length);
      chunk.copy(scratch, 0, start, start + length);
      starts[0] = 0;
      for (let i = 1; i < n; i++) starts[i] = (starts[i - 1] as number) + (this.lineBytes[first + i - 1] as number) + 1;
      let at = start;
      for (let i = 0; i < n; i++) {
        const from = order[i] as number;
        const len = (this.lineBytes[first + from] as number) + 1;
        scratch.copy(chunk, at, starts[from] as number, (starts[from] as number) + len);
        at += len;
        lengths[i] = len - 1;
      }
      this.lineBytes.set(lengths.subarray(0, n), first);
    }
  }

  /** This file followed by `other` (both sealed). */
  concat(other: JsonlFile): JsonlFile {
    const file = new JsonlFile();
    for (const source of [this, other]) {
      for (const line of source.lines()) file.push(line);
    }
    return file;
  }

  /** The first `lineCount` lines as a new file (partial results of a failed operation). */
  head(lineCount: number): JsonlFile {
    const file = new JsonlFile();
    let i = 0;
    for (const line of this.lines()) {
      if (i++ >= lineCount) break;
      file.push(line);
    }
    return file;
  }

  /** The written bytes of each chunk, in order (views, no copies). */
  private views(): Buffer[] {
    return this.chunks.map((chunk, c) => chunk.subarray(0, this.chunkUsed[c])).filter((view) => view.length > 0);
  }

  /** The lines, decoded chunk by chunk (blocks never straddle chunks). */
  *lines(): Generator<string> {
    for (const bytes of this.views()) {
      const text = bytes.toString("utf8");
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        yield text.slice(start, end);
        start = end + 1;
      }
    }
  }

  /** The whole file as text (tests, in-process readers). */
  text(): string {
    return this.views()
      .map((b) => b.toString("utf8"))
      .join("");
  }

  /** The file's bytes as a stream of its chunks (no copy of the whole file). */
  stream(): ReadableStream<Uint8Array> {
    const views = this.views();
    let next = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const view = views[next++];
        if (view) controller.enqueue(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
        if (next >= views.length) controller.close();
      },
    });
  }
}

function grow(array: Uint32Array, length: number): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(length);
  grown.set(array);
  return grown;
}

/** Fisher–Yates over items[0..n) from the end, as the block shuffle of the array version. */
function shuffleRange(items: Int32Array, n: number, rng: () => number): void {
  for (let j = n - 1; j > 0; j--) {
    const k = Math.floor(rng() * (j + 1));
    const tmp = items[j] as number;
    items[j] = items[k] as number;
    items[k] = tmp;
  }
}

/** Shuffle within blocks of JSONL_BLOCK lines (in place): children drift away from (and often before) their parents. */
export function shuffleBlocks<T>(lines: T[], rng: () => number): T[] {
  for (let i = 0; i < lines.length; i += JSONL_BLOCK) {
    const end = Math.min(lines.length, i + JSONL_BLOCK);
    for (let j = end - 1; j > i; j--) {
      const k = i + Math.floor(rng() * (j - i + 1));
      const tmp = lines[j] as T;
      lines[j] = lines[k] as T;
      lines[k] = tmp;
    }
  }
  return lines;
}
