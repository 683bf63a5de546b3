// Runs the analytics core on one shop: the shop's orders stream from the database (bounded memory)
// into the core's RFM accumulator, and the features go to segmentCustomers. The clock is read here,
// never in the core: `asOf` defaults to now, taken as the shop's calendar day. Storing the run is the
// caller's (services/refresh-segments.server.ts). The core is imported only through its index (ADR 0011).
import {
  createRfmAccumulator,
  segmentCustomers,
  type RfmFeatureTable,
  type SegmentationResult,
  type SegmentOptions,
} from "../analytics";
import type { Db } from "../db.server";
import { addShopLines, shopDayFormatter } from "../models/order-facts.server";

/** Seed when none is given: fixed, so a shop whose data did not change gets the same segments. */
export const DEFAULT_SHOP_SEED = 42;

export interface ShopFeaturesOptions {
  /** The instant whose calendar day in the shop's time zone is the as-of day. Default: now. */
  readonly asOf?: Date;
  /** Half-life of the value-decay score in days. Default: the core's (90). */
  readonly valueHalfLifeDays?: number;
  /** Orders read per query. Default: the model's. */
  readonly batchSize?: number;
  /** The fast whole-shop read in storage order (ShopLinesOptions.driverRead). Default false. */
  readonly driverRead?: boolean;
}

export interface ShopFeatures {
  /** The shop's IANA time zone the days were taken in. */
  readonly timeZone: string;
  /** RFM features per customer (ids are Shopify customer ids), as of `features.asOf`. */
  readonly features: RfmFeatureTable;
}

/** The shop's RFM features as of a day, in bounded memory (O(customers + orders), never O(lines)). */
export async function shopFeatures(db: Db, shopId: number, options: ShopFeaturesOptions = {}): Promise<ShopFeatures> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } });
  const timeZone = shop.timezone;
  const asOf = shopDayFormatter(timeZone)(options.asOf ?? new Date());
  const acc = createRfmAccumulator({ asOf, ...(options.valueHalfLifeDays !== undefined ? { valueHalfLifeDays: options.valueHalfLifeDays } : {}) });
  // Row by row into the accumulator, with day numbers: no object per row (millions of lines).
  await addShopLines(db, shopId, acc.addLine, { timeZone, driverRead: options.driverRead === true, ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
  return { timeZone, features: acc.finish() };
}

export interface SegmentShopOptions extends ShopFeaturesOptions, Omit<SegmentOptions, "seed"> {
  /** Seed of every random choice. Default `DEFAULT_SHOP_SEED`. */
  readonly seed?: number;
}

export interface ShopSegmentation extends ShopFeatures {
  readonly shopId: number;
  /** `null` when no customer has a purchase on or before the as-of day (nothing to segment yet). */
  readonly result: SegmentationResult | null;
}

/** Features of the shop, then the core's segmentation of them. */
export async function segmentShop(db: Db, shopId: number, options: SegmentShopOptions = {}): Promise<ShopSegmentation> {
  const { asOf, valueHalfLifeDays, batchSize, driverRead, seed, ...segmentOptions } = options;
  const { timeZone, features } = await shopFeatures(db, shopId, { asOf, valueHalfLifeDays, batchSize, driverRead });
  let buyers = 0;
  for (let i = 0; i < features.count; i++) if (features.frequency[i]! > 0) buyers++;
  const result = buyers === 0 ? null : segmentCustomers(features, { ...segmentOptions, seed: seed ?? DEFAULT_SHOP_SEED });
  return { shopId, timeZone, features, result };
}
