import { createReadStream, openSync, readSync, closeSync, statSync } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { parseMilli, type LineInput } from "../../app/analytics/index";
import { parseCsvDay, type SlashDateOrder } from "./dates";
import { EmptyInputError, headedRecordReader, type HeadedRecordReader } from "./records";
import { detectColumns, type ColumnMap, type ColumnOverrides } from "./columns";

/**
 * Online Retail's convention: an invoice number starting with `C` is a cancellation, all of its
 * lines are returns. The CLI reads with it on (its output depends on it); other readers opt in.
 */
export const ONLINE_RETAIL_CANCELLATION_PREFIX = "C";

/** One parsed CSV row. Amounts in milli (1/1000); `day` is a day number (calendar.ts). */
export interface CsvTransaction {
  /** Physical line where the row starts (header = line 1). */
  readonly line: number;
  readonly customerId: string | null;
  readonly orderId: string;
  readonly day: number;
  readonly productId: string | null;
  /** Line level: quantity and unit price; order level: both null and `amountMilli` set. */
  readonly quantity: number | null;
  readonly unitPriceMilli: number | null;
  /** Line amount (quantity × unit price) or the order-level amount. */
  readonly amountMilli: number;
  /** The order id carries the cancellation prefix (`ReadOptions.cancellationPrefix`). */
  readonly cancelled: boolean;
}

export interface RowProblem {
  readonly line: number;
  readonly reason: string;
}

export interface ReadOptions {
  readonly columns?: ColumnOverrides;
  /** How to read `a/b/yyyy` dates. Default `mdy` (the UCI spreadsheet export). */
  readonly slashDateOrder?: SlashDateOrder;
  /**
   * Order ids starting with this (case-sensitive) are cancellations: every line is a return,
   * whatever its sign. Default none; `ONLINE_RETAIL_CANCELLATION_PREFIX` for Online Retail.
   */
  readonly cancellationPrefix?: string | null;
}

export interface TransactionBatch {
  readonly rows: CsvTransaction[];
  readonly problems: RowProblem[];
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

/**
 * Mutable row filled by `parseInto` (one per stream: no allocation per row on the fast path). It
 * is the accumulator's `LineInput`, so a row goes to `RfmAccumulator.addLine` as it is.
 */
export interface MutableTransaction extends LineInput {
  customerId: string | null;
  orderId: string;
  day: number;
  productId: string | null;
  quantity: number | null;
  unitPriceMilli: number | null;
  amountMilli: number;
  cancelled: boolean;
}

function emptyTransaction(): MutableTransaction {
  return { customerId: null, orderId: "", day: 0, productId: null, quantity: null, unitPriceMilli: null, amountMilli: 0, cancelled: false };
}

/** The per-row settings of `parseInto`, resolved once per stream from `ReadOptions`. */
interface RowFormat {
  readonly slashDateOrder: SlashDateOrder;
  readonly cancellationPrefix: string | null;
}

function rowFormat(options: ReadOptions): RowFormat {
  const prefix = options.cancellationPrefix ?? null;
  return { slashDateOrder: options.slashDateOrder ?? "mdy", cancellationPrefix: prefix === "" ? null : prefix };
}

/** Fills `out` from one CSV record; returns null, or the reason the row cannot be used. */
function parseInto(fields: readonly string[], map: ColumnMap, headerLength: number, format: RowFormat, out: MutableTransaction): string | null {
  if (fields.length !== headerLength) return `expected ${headerLength} fields, found ${fields.length}`;
  const orderId = trimmed(fields[map.order]!);
  if (orderId === "") return "missing order id";
  const dateText = trimmed(fields[map.date]!);
  if (dateText === "") return "missing date";
  const day = parseCsvDay(dateText, format.slashDateOrder);
  if (day === null) return "unparseable date";
  const customerRaw = trimmed(fields[map.customer]!);
  out.customerId = customerRaw === "" ? null : normaliseCustomerId(customerRaw);
  out.orderId = orderId;
  out.day = day;
  out.cancelled = format.cancellationPrefix !== null && orderId.startsWith(format.cancellationPrefix);
  out.productId = map.product >= 0 ? trimmed(fields[map.product]!) || null : null;
  if (map.level === "line") {
    const qText = fields[map.quantity]!;
    if (trimmed(qText) === "") return "missing quantity";
    const quantity = parseInteger(qText);
    if (quantity === null) return "unparseable quantity";
    const pText = fields[map.price]!;
    if (trimmed(pText) === "") return "missing unit price";
    const unitPriceMilli = parseMilli(pText);
    if (unitPriceMilli === null) return "unparseable unit price";
    const amountMilli = quantity * unitPriceMilli;
    if (!Number.isSafeInteger(amountMilli)) return "line amount too large";
    out.quantity = quantity;
    out.unitPriceMilli = unitPriceMilli;
    out.amountMilli = amountMilli;
    return null;
  }
  const aText = fields[map.amount]!;
  if (trimmed(aText) === "") return "missing amount";
  const amountMilli = parseMilli(aText);
  if (amountMilli === null) return "unparseable amount";
  out.quantity = null;
  out.unitPriceMilli = null;
  out.amountMilli = amountMilli;
  return null;
}

/** Turns one CSV record into a transaction, or a reason why it can't be. */
function parseTransactionFields(
  fields: readonly string[],
  line: number,
  map: ColumnMap,
  headerLength: number,
  format: RowFormat,
): CsvTransaction | RowProblem {
  const t = emptyTransaction();
  const reason = parseInto(fields, map, headerLength, format, t);
  return reason === null ? { line, ...t } : { line, reason };
}

/** Spreadsheet exports turn numeric ids into `17850.0`; treat that as `17850`. */
function normaliseCustomerId(text: string): string {
  return text.endsWith(".0") && /^\d+\.0$/.test(text) ? text.slice(0, -2) : text;
}

function parseInteger(text: string): number | null {
  const s = trimmed(text);
  const n = s.length;
  let i = 0;
  let negative = false;
  if (n > 0 && (s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43)) {
    negative = s.charCodeAt(0) === 45;
    i = 1;
  }
  if (i === n) return null;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (!Number.isSafeInteger(v)) return null;
  return negative && v !== 0 ? -v : v;
}

/** `trim()` without allocating in the common case of no surrounding whitespace. */
function trimmed(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a > 32 && b > 32 && a !== 160 && b !== 160 ? s : s.trim();
}

function isGzipFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a CSV file as a UTF-8 text stream; gzip is detected by its magic bytes (any name).
 * `progress.bytesRead` follows the compressed bytes read, for progress display.
 */
export function openCsvText(path: string, progress?: ReadProgress): Readable {
  const total = statSync(path).size;
  if (progress) progress.totalBytes = total;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (progress) file.on("data", (b) => (progress.bytesRead += (b as Buffer).length));
  const text = isGzipFile(path) ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  if (text !== file) file.on("error", (e) => text.destroy(e));
  text.setEncoding("utf8");
  return text;
}

export interface CsvHeaderInfo {
  readonly header: readonly string[];
  readonly columns: ColumnMap;
}

/**
 * Streams transactions from CSV text to callbacks, without an object per row: `onRow` receives
 * the same mutable record each time (copy what you keep). The header is read first and columns
 * detected (throws `ColumnError` if required columns are missing); malformed rows go to
 * `onProblem` with their line number and reason, never thrown. `onChunk` runs after each chunk
 * (progress display).
 */
export async function streamTransactions(
  text: AsyncIterable<string | Buffer>,
  options: ReadOptions,
  handlers: {
    /** `fields`: the record's raw cells, for a reader that needs a column beyond the transaction's (a description, a time). */
    onRow: (row: Readonly<MutableTransaction>, line: number, fields: readonly string[]) => void;
    onProblem: (problem: RowProblem) => void;
    onHeader?: (info: CsvHeaderInfo) => void;
    onChunk?: () => void;
  },
): Promise<void> {
  const format = rowFormat(options);
  const scratch = emptyTransaction();
  const records = recordReader(options, handlers.onHeader, handlers.onProblem, (fields, line, map, width) => {
    const reason = parseInto(fields, map, width, format, scratch);
    if (reason === null) handlers.onRow(scratch, line, fields);
    else handlers.onProblem({ line, reason });
  });
  for await (const chunk of text) {
    records.push(chunk);
    handlers.onChunk?.();
  }
  records.end();
}

/**
 * Streams transactions in batches of plain objects, one batch per input chunk (convenient for
 * the app; the CLI uses the allocation-free `streamTransactions`). Pull-based, so a slow consumer
 * slows the reading down. Same header handling and problem reporting.
 */
export async function* readTransactionBatches(
  text: AsyncIterable<string | Buffer>,
  options: ReadOptions = {},
  onHeader?: (info: CsvHeaderInfo) => void,
): AsyncGenerator<TransactionBatch> {
  const format = rowFormat(options);
  let rows: CsvTransaction[] = [];
  let problems: RowProblem[] = [];
  const records = recordReader(options, onHeader, (p) => problems.push(p), (fields, line, map, width) => {
    const r = parseTransactionFields(fields, line, map, width, format);
    if ("reason" in r) problems.push(r);
    else rows.push(r);
  });
  for await (const chunk of text) {
    records.push(chunk);
    if (rows.length > 0 || problems.length > 0) {
      yield { rows, problems };
      rows = [];
      problems = [];
    }
  }
  records.end();
  if (rows.length > 0 || problems.length > 0) yield { rows, problems };
}

/** Both transaction readers: the header's columns by `detectColumns` (and `onHeader` told), malformed records as problems. */
function recordReader(
  options: ReadOptions,
  onHeader: ((info: CsvHeaderInfo) => void) | undefined,
  onProblem: (problem: RowProblem) => void,
  onRecord: (fields: string[], line: number, map: ColumnMap, width: number) => void,
): HeadedRecordReader {
  return headedRecordReader(
    (header) => {
      const map = detectColumns(header, options.columns);
      onHeader?.({ header, columns: map });
      return map;
    },
    (line, error) => onProblem({ line, reason: `malformed CSV: ${error}` }),
    onRecord,
  );
}

export { EmptyInputError };
