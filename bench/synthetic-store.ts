// A seeded synthetic store written through Prisma for the benches that need a shop's orders in a
// database: bench/synthetic-rfm.ts customer profiles (58 % one-time buyers, 0.2 % whales, net
// refunds) turned into orders of two lines over the two years before the store's day.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "../app/analytics";
import { createDb, type Db } from "../app/db.server";
import { applyMigrations } from "../app/db/migrate.server";
import { TMP_DIR } from "./run";
import { syntheticRfm } from "./synthetic-rfm";

const DAY = 86_400_000;

export interface SyntheticStore {
  readonly domain: string;
  readonly customers: number;
  readonly seed: number;
  /** The store's day: every order is on or before it. */
  readonly asOf: Date;
  readonly timeZone?: string;
}

/** Shopify customer id of the c-th synthetic customer. */
export const syntheticCustomerId = (c: number): string => String(7_000_000_000_000 + c);

/** Creates the shop (installed, write-back dry-run) and its customers, orders, lines and refunds. Returns the shop id. */
export async function seedSyntheticStore(db: Db, s: SyntheticStore): Promise<number> {
  const shop = await db.shop.create({ data: { domain: s.domain, timezone: s.timeZone ?? "America/New_York", writeBackMode: "dry-run" } });
  const profiles = syntheticRfm(s.customers, s.seed);
  const rng = createRng(s.seed + 1);
  const BATCH = 5000;
  let orderSeq = 0;
  for (let first = 0; first < s.customers; first += BATCH) {
    const last = Math.min(s.customers, first + BATCH);
    const customers = await db.customer.createManyAndReturn({
      data: Array.from({ length: last - first }, (_, k) => ({ shopId: shop.id, shopifyId: syntheticCustomerId(first + k) })),
      select: { id: true },
    });
    const orders: { shopId: number; shopifyId: string; customerId: number; processedAt: Date; shopifyUpdatedAt: Date; currency: string; grossMilli: bigint; netMilli: bigint }[] = [];
    const refunds = new Map<string, bigint>();
    customers.forEach((customer, k) => {
      const c = first + k;
      const recency = profiles.data[c * 3]!;
      const frequency = profiles.data[c * 3 + 1]!;
      const monetary = profiles.data[c * 3 + 2]!;
      const perOrder = Math.max(1000, Math.round((Math.abs(monetary) * 1000) / frequency / 10) * 10);
      for (let j = 0; j < frequency; j++) {
        // The last order `recency` days before the store's day, the earlier ones before it.
        const daysAgo = recency + (j === 0 ? 0 : Math.floor(rng() * (730 - recency)));
        const at = new Date(s.asOf.getTime() - daysAgo * DAY - Math.floor(rng() * 8) * 3_600_000);
        const shopifyId = String(5_000_000_000_000 + ++orderSeq);
        orders.push({ shopId: shop.id, shopifyId, customerId: customer.id, processedAt: at, shopifyUpdatedAt: at, currency: "USD", grossMilli: BigInt(perOrder), netMilli: BigInt(perOrder) });
        if (monetary < 0 && j === 0) refunds.set(shopifyId, BigInt(perOrder));
      }
    });
    for (let o = 0; o < orders.length; o += BATCH) {
      const created = await db.order.createManyAndReturn({ data: orders.slice(o, o + BATCH), select: { id: true, shopifyId: true, grossMilli: true, processedAt: true } });
      const half = (g: bigint): bigint => (g / 20n) * 10n;
      await db.orderLine.createMany({
        data: created.flatMap((order) => [
          { shopId: shop.id, orderId: order.id, shopifyId: `${order.shopifyId}-1`, productId: String(1 + (order.id % 500)), quantity: 1, unitPriceMilli: half(order.grossMilli) },
          { shopId: shop.id, orderId: order.id, shopifyId: `${order.shopifyId}-2`, productId: String(1 + (order.id % 377)), quantity: 1, unitPriceMilli: order.grossMilli - half(order.grossMilli) },
        ]),
      });
      const refunded = created.filter((order) => refunds.has(order.shopifyId));
      if (refunded.length > 0) {
        await db.refund.createMany({
          data: refunded.map((order) => ({ shopId: shop.id, orderId: order.id, shopifyId: `r${order.shopifyId}`, processedAt: new Date(order.processedAt.getTime() + DAY), amountMilli: refunds.get(order.shopifyId)! })),
        });
      }
    }
  }
  return shop.id;
}

/**
 * A bench's SQLite store: built once by `build` into bench/tmp/<name>.db (kept between bench
 * runs: seeding takes minutes at 100k customers), then copied for this run, since samples add
 * orders and runs and each bench run must start from the same store. The copy is read once, so it
 * sits in the OS page cache as a serving database's file does (a kernel-side copy leaves it on
 * disk, and the first thing measured would pay the disk); SQLite's own cache starts cold.
 */
export async function sqliteStoreCopy(name: string, build: (db: Db) => Promise<void>): Promise<{ url: string; drop(): Promise<void> }> {
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, `${name}.db`);
  if (!existsSync(file)) {
    const partial = `${file}.partial`;
    rmSync(partial, { force: true });
    await applyMigrations(`file:${partial}`);
    const db = createDb(`file:${partial}`);
    await build(db);
    // The kept file holds every page: no write-ahead log beside it.
    await db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    await db.$disconnect();
    renameSync(partial, file);
  }
  const work = join(TMP_DIR, `${name}-work-${process.pid}.db`);
  copyFileSync(file, work);
  readThrough(work);
  return {
    url: `file:${work}`,
    drop: async () => {
      for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
    },
  };
}

function readThrough(file: string): void {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  closeSync(fd);
}
