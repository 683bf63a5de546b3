// A large synthetic store for benchmarks (default 1,000,000 orders / ~5,000,000 line items),
// memory-lean: orders and lines live in typed arrays (~60 MB for 1M/5M) and the bulk JSONL is
// generated on the fly, never held as one string. Output has the shape of the backfill query
// (the reference's orders export): one order line, then its line items with __parentId, children shuffled
// within a window so they don't reliably follow their parent (groupObjects:false).
import { gid, ID_BASE } from "./ids";
import { formatCents } from "./money";
import { createRng, randomIntBetween } from "./random";
import { iso } from "./clock";

export interface SyntheticStoreOptions {
  orders?: number;
  /** Mean line items per order (uniform 1..2×mean−1). */
  meanLinesPerOrder?: number;
  customers?: number;
  products?: number;
  /** Share of guest orders (no customer). */
  guestShare?: number;
  seed?: number;
  startAt?: number;
  endAt?: number;
  currencyCode?: string;
}

export class SyntheticStore {
  readonly orderCount: number;
  readonly lineCount: number;
  readonly customers: number;
  readonly products: number;
  readonly currencyCode: string;
  private readonly orderCustomer: Int32Array; // 0 = guest
  private readonly orderAtSec: Uint32Array;
  private readonly lineStart: Uint32Array; // orders + 1 offsets
  private readonly lineProduct: Int32Array;
  private readonly lineQty: Uint16Array;
  private readonly productPrice: Int32Array;
  readonly seed: number;

  constructor(options: SyntheticStoreOptions = {}) {
    this.orderCount = options.orders ?? 1_000_000;
    this.customers = options.customers ?? 100_000;
    this.products = options.products ?? 5_000;
    this.currencyCode = options.currencyCode ?? "GBP";
    this.seed = options.seed ?? 42;
    const mean = options.meanLinesPerOrder ?? 5;
    const guest = options.guestShare ?? 0.2;
    const start = Math.floor((options.startAt ?? Date.parse("2024-01-01T00:00:00Z")) / 1000);
    const end = Math.floor((options.endAt ?? Date.parse("2026-10-31T00:00:00Z")) / 1000);
    const rng = createRng(this.seed);
    this.productPrice = new Int32Array(this.products);
    for (let p = 0; p < this.products; p++) this.productPrice[p] = randomIntBetween(rng, 50, 5_000);
    this.orderCustomer = new Int32Array(this.orderCount);
    this.orderAtSec = new Uint32Array(this.orderCount);
    this.lineStart = new Uint32Array(this.orderCount + 1);
    const counts = new Uint8Array(this.orderCount);
    let lines = 0;
    const step = (end - start) / this.orderCount;
    for (let o = 0; o < this.orderCount; o++) {
      // Skewed customers: a few buy often (Pareto-ish), like real stores.
      this.orderCustomer[o] = rng() < guest ? 0 : 1 + Math.floor(this.customers * Math.pow(rng(), 2));
      this.orderAtSec[o] = Math.floor(start + o * step + rng() * step);
      const n = randomIntBetween(rng, 1, Math.max(1, 2 * mean - 1));
      counts[o] = n;
      this.lineStart[o] = lines;
      lines += n;
    }
    this.lineStart[this.orderCount] = lines;
    this.lineCount = lines;
    this.lineProduct = new Int32Array(lines);
    this.lineQty = new Uint16Array(lines);
    for (let l = 0; l < lines; l++) {
      this.lineProduct[l] = Math.floor(this.products * Math.pow(rng(), 1.5));
      this.lineQty[l] = randomIntBetween(rng, 1, 12);
    }
  }

  get objectCount(): number {
    return this.orderCount + this.lineCount;
  }

  private orderLine(o: number): string {
    const id = ID_BASE.Order + 1_000_000_000 + o + 1;
    let total = 0;
    for (let l = this.lineStart[o] as number; l < (this.lineStart[o + 1] as number); l++) total += (this.lineQty[l] as number) * (this.productPrice[this.lineProduct[l] as number] as number);
    const at = iso((this.orderAtSec[o] as number) * 1000);
    const customer = this.orderCustomer[o] as number;
    const money = `{"shopMoney":{"amount":"${formatCents(total)}","currencyCode":"${this.currencyCode}"}}`;
    return (
      `{"id":"${gid("Order", id)}","legacyResourceId":"${id}","name":"#${1000 + o + 1}","email":null,"createdAt":"${at}","updatedAt":"${at}","processedAt":"${at}",` +
      `"cancelledAt":null,"test":false,"currencyCode":"${this.currencyCode}","displayFinancialStatus":"PAID","currentTotalPriceSet":${money},"totalPriceSet":${money},` +
      `"totalRefundedSet":{"shopMoney":{"amount":"0.00","currencyCode":"${this.currencyCode}"}},"customer":${customer ? `{"id":"${gid("Customer", ID_BASE.Customer + 1_000_000_000 + customer)}"}` : "null"}}`
    );
  }

  private lineLine(o: number, l: number): string {
    const product = this.lineProduct[l] as number;
    const qty = this.lineQty[l] as number;
    const price = this.productPrice[product] as number;
    return (
      `{"id":"${gid("LineItem", ID_BASE.LineItem + 1_000_000_000 + l + 1)}","quantity":${qty},"currentQuantity":${qty},` +
      `"product":{"id":"${gid("Product", ID_BASE.Product + 1_000_000_000 + product + 1)}"},"variant":{"id":"${gid("ProductVariant", ID_BASE.ProductVariant + 1_000_000_000 + product + 1)}"},` +
      `"originalUnitPriceSet":{"shopMoney":{"amount":"${formatCents(price)}","currencyCode":"${this.currencyCode}"}},` +
      `"discountedTotalSet":{"shopMoney":{"amount":"${formatCents(price * qty)}","currencyCode":"${this.currencyCode}"}},"__parentId":"${gid("Order", ID_BASE.Order + 1_000_000_000 + o + 1)}"}`
    );
  }

  /**
   * JSONL lines (without "\n"). `shuffleWindow` > 1 shuffles lines within consecutive blocks, so
   * children may come before their parent or far after it; 1 keeps parent-then-children order.
   */
  *jsonl(options: { shuffleWindow?: number; seed?: number } = {}): Generator<string> {
    const window = options.shuffleWindow ?? 64;
    const rng = createRng(options.seed ?? this.seed + 1);
    let block: string[] = [];
    for (let o = 0; o < this.orderCount; o++) {
      block.push(this.orderLine(o));
      for (let l = this.lineStart[o] as number; l < (this.lineStart[o + 1] as number); l++) block.push(this.lineLine(o, l));
      if (block.length >= window) {
        yield* shuffled(block, rng, window);
        block = [];
      }
    }
    yield* shuffled(block, rng, window);
  }

  /** The JSONL as a byte stream (for an HTTP response), produced in ~64 KB chunks. */
  stream(options: { shuffleWindow?: number; seed?: number } = {}): ReadableStream<Uint8Array> {
    const lines = this.jsonl(options);
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        let chunk = "";
        while (chunk.length < 65_536) {
          const next = lines.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value + "\n";
        }
        controller.enqueue(encoder.encode(chunk));
      },
    });
  }
}

function* shuffled(block: string[], rng: () => number, window: number): Generator<string> {
  if (window > 1) {
    for (let i = block.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = block[i] as string;
      block[i] = block[j] as string;
      block[j] = t;
    }
  }
  yield* block;
}
