/**
 * `segmint recommend <transactions.csv[.gz]> --until YYYY-MM-DD --queries <queries.jsonl> --out <recs.jsonl> [--limit 10]`
 * (docs/analytics.md §9.3): trains the core's recommender (docs/recommendations.md) on the
 * baskets dated before --until and answers one list per query line. The CSV is read like
 * `segment` reads it; `readBasketOrders` is also the reader of `npm run eval:recs`.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  basketsFromOrders,
  customerHistories,
  formatDay,
  isNonProductCode,
  parseIsoDay,
  recommend,
  trainRecommender,
  type Basket,
  type BasketLine,
  type BasketOrder,
  type RecommenderModel,
} from "../app/analytics/index";
import { UsageError, csvReadingFlag, walkArguments } from "./args";
import { ColumnError, type ColumnOverrides } from "./csv/columns";
import { EmptyInputError, ONLINE_RETAIL_CANCELLATION_PREFIX, openCsvText, streamTransactions, type ReadProgress, type RowProblem } from "./csv/transactions";
import { EXIT, InputError, assertReadableFile, corruptGzipError, type Io } from "./exit";
import { createProgress } from "./progress";
import { SkippedRows } from "./skipped-rows";

export interface RecommendCommand {
  readonly command: "recommend";
  readonly file: string;
  /** Train on rows dated before this day (YYYY-MM-DD). */
  readonly until: string;
  /** JSON Lines: {"id", "basket": [product ids], "customer"?}. */
  readonly queries: string;
  /** JSON Lines: {"id", "items": [product ids]}, one per query, in the queries' order. */
  readonly out: string;
  readonly limit: number;
  readonly columns: ColumnOverrides;
  readonly dateOrder: "mdy" | "dmy";
  readonly maxErrors: number;
  readonly quiet: boolean;
}

export const DEFAULT_RECOMMEND_LIMIT = 10;

export const RECOMMEND_HELP = `
segmint recommend
  segmint recommend <file.csv | file.csv.gz> --until YYYY-MM-DD --queries <queries.jsonl> --out <recs.jsonl> [--limit 10]
  Trains Segmint's recommender (exact EASE on the products in most baskets, cosine item-kNN on
  the rest, docs/recommendations.md) on the orders dated before --until and writes, for each
  query, the products most likely to complete its basket. Reads the same CSVs as segment (same
  header names and options); needs line-level rows with a product column (StockCode,
  product_id, sku; --product-column). An order is every row with the same order id; returns (an
  order id starting with "C", a negative quantity) and Online Retail's service codes (POST, DOT,
  M, BANK CHARGES, …) are not in the baskets.
  Queries, one JSON object per line:  {"id": "q1", "basket": ["85123A", "71053"], "customer": "17850"}
    id        a non-empty string, unique in the file
    basket    product ids (strings) in view or in the cart; may be empty
    customer  optional customer id (string): a customer with orders before --until gets their own
              history added to the basket's scores
  Output, one line per query in the same order:  {"id": "q1", "items": ["22752", …]}
    --limit products (fewer only when the training has fewer), best first, never one of the
    basket's; a basket with no known product gets the most popular products.
  Any bad query line (not JSON, a missing or repeated id, a basket that is not a list of strings,
  an unknown field) fails the run with its line number before training, and no output is written
  (exit 3); the output appears complete or not at all.
  --until YYYY-MM-DD     train on rows dated before this day (required)
  --queries FILE         queries, JSON Lines, plain or gzip (required)
  --out FILE             recommendations, JSON Lines (required)
  --limit N              products per query, N ≥ 1 (default ${DEFAULT_RECOMMEND_LIMIT})
  --date-order, --max-errors, --quiet and the --…-column options: as for segment
`;

function whole(flag: string, v: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** The arguments after `recommend`: one input file and `--flag value` / `--flag=value` options. */
export function parseRecommendArgs(argv: readonly string[]): RecommendCommand {
  const o = {
    until: null as string | null,
    queries: null as string | null,
    out: null as string | null,
    limit: DEFAULT_RECOMMEND_LIMIT,
    columns: {} as ColumnOverrides,
    dateOrder: "mdy" as "mdy" | "dmy",
    maxErrors: 10,
    quiet: false,
  };
  const file = walkArguments(argv, (flag, value, inline) => {
    if (flag === "--quiet") {
      if (inline) throw new UsageError("--quiet takes no value");
      o.quiet = true;
      return;
    }
    switch (flag) {
      case "--until": {
        const v = value();
        if (parseIsoDay(v) === null || v.length !== 10) throw new UsageError(`--until must be a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
        o.until = v;
        break;
      }
      case "--queries":
        o.queries = value();
        break;
      case "--out":
        o.out = value();
        break;
      case "--limit":
        o.limit = whole("--limit", value(), 1);
        break;
      default:
        csvReadingFlag(o, flag, value, " for recommend");
    }
  });
  const usage = "segmint recommend <file.csv|file.csv.gz> --until YYYY-MM-DD --queries <queries.jsonl> --out <recs.jsonl>";
  if (file === null) throw new UsageError(`missing input file: ${usage}`);
  if (o.until === null) throw new UsageError(`missing --until YYYY-MM-DD: the model trains on the rows dated before it (${usage})`);
  if (o.queries === null) throw new UsageError(`missing --queries <queries.jsonl>: one {"id", "basket", "customer"?} object per line (${usage})`);
  if (o.out === null) throw new UsageError(`missing --out <recs.jsonl>: where to write one {"id", "items"} line per query (${usage})`);
  if (o.out === o.queries || o.out === file) throw new UsageError("--out must be another file than the input and the queries");
  return { command: "recommend", file, ...o, until: o.until, queries: o.queries, out: o.out };
}

// ---------------------------------------------------------------------------------------------
// The transactions CSV → orders as basket mining sees them.

export interface BasketReadOptions {
  readonly columns?: ColumnOverrides;
  readonly slashDateOrder?: "mdy" | "dmy";
  /** Keep only rows dated before this day number (null: every row). */
  readonly untilDay?: number | null;
  /** Filled with the bytes read, for a progress display. */
  readonly progress?: ReadProgress;
  /** Called after each chunk with the valid rows read so far. */
  readonly onChunk?: (validRows: number) => void;
}

export interface BasketReadStats {
  /** Data rows in the file (valid + problems). */
  readonly rows: number;
  readonly validRows: number;
  /** Rows of a `C` invoice or with a negative quantity: returns, never in a basket. */
  readonly returnRows: number;
  /** Rows with quantity 0 (not a purchase). */
  readonly zeroQuantityRows: number;
  /** Valid rows dated on or after the until day (not used). */
  readonly laterRows: number;
}

export interface BasketOrders {
  /** One per order id with a purchase row kept, in the order the file first lists them. */
  readonly orders: BasketOrder[];
  /** Rows that could not be read, with their line numbers (header = line 1). */
  readonly problems: RowProblem[];
  readonly stats: BasketReadStats;
}

interface OrderBuilder {
  readonly id: string;
  readonly customerId: string | null;
  readonly day: number;
  readonly cancelled: false;
  readonly lines: BasketLine[];
}

/**
 * Reads a transaction CSV (plain or gzip) into orders for `basketsFromOrders`: one order per order
 * id (its first row's customer and day), each purchase row a line. Returns are left out, not
 * attributed: a basket is what was bought together, whatever came back later (the protocol of
 * issue 10's evaluation). Throws ColumnError when the file has no product column or is order-level.
 */
export async function readBasketOrders(path: string, options: BasketReadOptions = {}): Promise<BasketOrders> {
  const untilDay = options.untilDay ?? null;
  const byId = new Map<string, OrderBuilder>();
  const problems: RowProblem[] = [];
  // Ids repeat on every line: one string per product kept, not one per row.
  const productIds = new Map<string, string>();
  let valid = 0;
  let returnRows = 0;
  let zeroQuantityRows = 0;
  let laterRows = 0;
  await streamTransactions(
    openCsvText(path, options.progress),
    { columns: options.columns, slashDateOrder: options.slashDateOrder, cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX },
    {
      onHeader: ({ header, columns }) => {
        if (columns.product < 0) throw new ColumnError(`cannot find a product column (StockCode, product_id, sku; --product-column): recommendations are products bought together. Header: ${header.join(", ")}`);
        if (columns.level !== "line") throw new ColumnError(`recommendations need line-level rows (a quantity and a unit price per product line); this file has one amount per order. Header: ${header.join(", ")}`);
      },
      onRow: (row) => {
        valid++;
        if (untilDay !== null && row.day >= untilDay) {
          laterRows++;
          return;
        }
        const quantity = row.quantity!;
        if (row.cancelled || quantity < 0) {
          returnRows++;
          return;
        }
        if (quantity === 0) {
          zeroQuantityRows++;
          return;
        }
        let order = byId.get(row.orderId);
        if (order === undefined) {
          order = { id: row.orderId, customerId: row.customerId, day: row.day, cancelled: false, lines: [] };
          byId.set(row.orderId, order);
        }
        let productId: string | null = null;
        if (row.productId !== null) {
          productId = productIds.get(row.productId) ?? null;
          if (productId === null) productIds.set(row.productId, (productId = row.productId));
        }
        order.lines.push({ productId, quantity, refundedQuantity: 0 });
      },
      onProblem: (p) => problems.push(p),
      onChunk: () => options.onChunk?.(valid),
    },
  );
  return { orders: [...byId.values()], problems, stats: { rows: valid + problems.length, validRows: valid, returnRows, zeroQuantityRows, laterRows } };
}

/** Baskets of the CSV's orders: product lines only (Online Retail's service codes out). */
export function csvBaskets(orders: readonly BasketOrder[]): Basket[] {
  return basketsFromOrders(orders, { isProduct: (id) => !isNonProductCode(id) });
}

// ---------------------------------------------------------------------------------------------
// Queries.

export interface QueryLine {
  readonly id: string;
  readonly basket: readonly string[];
  readonly customer: string | null;
  /** Line in the queries file (first = 1). */
  readonly line: number;
}

const QUERY_FIELDS = new Set(["id", "basket", "customer"]);

/** The text of a queries file, plain or gzip (detected by its magic bytes). */
function readText(path: string): string {
  const bytes = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString("utf8");
    } catch (e) {
      throw corruptGzipError(path, e) ?? e;
    }
  }
  return bytes.toString("utf8");
}

/**
 * Every query of a JSON Lines file, checked line by line (blank lines skipped). The first bad line
 * throws an InputError naming the file, the line and what is wrong: a query the run cannot answer
 * as asked is a mistake to fix, not a row to drop (a dropped query would be a missing answer).
 */
export function parseQueries(path: string, text: string): QueryLine[] {
  const queries: QueryLine[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const line = i + 1;
    const bad = (why: string): InputError => new InputError(`${path}:${line}: ${why}`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw bad(`not a JSON object (${(e as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad(`expected a JSON object like {"id": "q1", "basket": ["85123A"]}, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
    const q = value as Record<string, unknown>;
    const unknown = Object.keys(q).filter((k) => !QUERY_FIELDS.has(k));
    if (unknown.length > 0) throw bad(`unknown field ${unknown.map((k) => JSON.stringify(k)).join(", ")} (a query has "id", "basket" and optionally "customer")`);
    if (typeof q.id !== "string" || q.id === "") throw bad(`"id" must be a non-empty string, got ${q.id === undefined ? "none" : JSON.stringify(q.id)}`);
    const earlier = seen.get(q.id);
    if (earlier !== undefined) throw bad(`id ${JSON.stringify(q.id)} is already used on line ${earlier}`);
    seen.set(q.id, line);
    if (!Array.isArray(q.basket)) throw bad(`"basket" must be a list of product ids, got ${q.basket === undefined ? "none" : JSON.stringify(q.basket)}`);
    const basket: string[] = [];
    for (let k = 0; k < q.basket.length; k++) {
      const item: unknown = q.basket[k];
      if (typeof item !== "string" || item.trim() === "") {
        throw bad(`basket item ${k + 1} must be a product id string, got ${JSON.stringify(item)}${typeof item === "number" ? ` (write "${item}")` : ""}`);
      }
      basket.push(item.trim());
    }
    let customer: string | null = null;
    if (q.customer !== undefined && q.customer !== null) {
      if (typeof q.customer !== "string" || q.customer.trim() === "") throw bad(`"customer" must be a customer id string, got ${JSON.stringify(q.customer)}${typeof q.customer === "number" ? ` (write "${q.customer}")` : ""}`);
      customer = q.customer.trim();
    }
    queries.push({ id: q.id, basket, customer, line });
  }
  return queries;
}

// ---------------------------------------------------------------------------------------------
// The verb.

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

/** A plain progress line on stderr every `everyMs` of a long step (training), unless quiet. */
function stepProgress(io: Io, quiet: boolean, label: string, everyMs = 10_000): (done: number, total: number) => void {
  const start = Date.now();
  let last = start;
  return (done, total) => {
    const now = Date.now();
    if (quiet || now - last < everyMs) return;
    last = now;
    io.stderr.write(`segmint: ${label}: ${Math.floor((100 * done) / Math.max(1, total))} % in ${((now - start) / 1000).toFixed(0)} s\n`);
  };
}

async function readOrders(cmd: RecommendCommand, untilDay: number, io: Io): Promise<BasketOrders> {
  assertReadableFile(cmd.file);
  const progressState: ReadProgress = { bytesRead: 0, totalBytes: 0 };
  const progress = createProgress(io.stderr, progressState, cmd.quiet);
  try {
    return await readBasketOrders(cmd.file, {
      columns: cmd.columns,
      slashDateOrder: cmd.dateOrder,
      untilDay,
      progress: progressState,
      onChunk: (rows) => progress.update(rows),
    });
  } catch (e) {
    if (e instanceof ColumnError || e instanceof EmptyInputError) throw new InputError(e.message);
    throw corruptGzipError(cmd.file, e) ?? e;
  } finally {
    progress.done();
  }
}

/** Writes the lines to `path` through a temporary file renamed at the end: never a half-written output. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

export async function runRecommend(cmd: RecommendCommand, io: Io): Promise<number> {
  const t0 = performance.now();
  assertReadableFile(cmd.queries);
  // Queries first: a bad line fails in a second, not after the training.
  const queries = parseQueries(cmd.queries, readText(cmd.queries));
  const untilDay = parseIsoDay(cmd.until)!;
  const read = await readOrders(cmd, untilDay, io);
  const skipped = new SkippedRows(cmd.file, cmd.maxErrors, io.stderr);
  for (const p of read.problems) skipped.add(p);
  if (read.stats.validRows === 0) throw new InputError(`${cmd.file}: no valid rows`);
  const baskets = csvBaskets(read.orders);
  if (baskets.length === 0) throw new InputError(`${cmd.file}: no basket before ${cmd.until} (${fmt(read.stats.laterRows)} rows on or after it, ${fmt(read.stats.returnRows)} return rows; service codes such as POST are not products)`);
  const tRead = performance.now();

  const model: RecommenderModel = trainRecommender(baskets, {}, stepProgress(io, cmd.quiet, "training"));
  const tTrain = performance.now();

  const histories = customerHistories(baskets);
  const known = new Set(model.items);
  let personalised = 0;
  let unknownCustomers = 0;
  let unknownItems = 0;
  let short = 0;
  let text = "";
  for (const q of queries) {
    const history = q.customer === null ? null : (histories.get(q.customer) ?? null);
    if (history !== null) personalised++;
    else if (q.customer !== null) unknownCustomers++;
    for (const item of q.basket) if (!known.has(item)) unknownItems++;
    const items = recommend(model, { basket: q.basket, history, limit: cmd.limit }).map((r) => r.productId);
    if (items.length < cmd.limit) short++;
    text += JSON.stringify({ id: q.id, items }) + "\n";
  }
  writeAtomically(cmd.out, text);
  const tEnd = performance.now();

  const s = read.stats;
  const secs = (a: number, b: number): string => ((b - a) / 1000).toFixed(2);
  io.stdout.write(
    [
      `Segmint recommend: ${fmt(baskets.length)} baskets before ${cmd.until} (${formatDay(baskets.reduce((m, b) => Math.min(m, b.day), Infinity))} on), ${fmt(model.items.length)} products (${fmt(model.head)} solved exactly), λ ${model.params.lambda}, ${model.params.neighbours} neighbours per product`,
      `Rows: ${fmt(s.rows)} read, ${fmt(s.validRows)} valid, ${fmt(skipped.total)} skipped; ${fmt(s.laterRows)} rows on or after ${cmd.until} and ${fmt(s.returnRows)} return rows not used`,
      `Queries: ${fmt(queries.length)}, ${fmt(personalised)} personalised by the customer's own history${unknownCustomers > 0 ? ` (${fmt(unknownCustomers)} customer${unknownCustomers === 1 ? "" : "s"} without orders before ${cmd.until})` : ""}; ${fmt(unknownItems)} basket product${unknownItems === 1 ? "" : "s"} unknown to the training${short > 0 ? `; ${fmt(short)} lists shorter than ${cmd.limit} (not enough products)` : ""}`,
      `Wrote ${cmd.out} (${cmd.limit} products per query) in ${secs(t0, tEnd)} s (read ${secs(t0, tRead)} s, train ${secs(tRead, tTrain)} s, recommend ${secs(tTrain, tEnd)} s)`,
    ].join("\n") + "\n",
  );
  skipped.summarize();
  return EXIT.ok;
}
