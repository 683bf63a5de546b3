// What the admin overview shows: the shop's synced data at a glance. Read-only: a GET never
// creates the shop row (installation does, in services/install.server.ts).
import { config } from "../config.server";
import { db as defaultDb, type Db } from "../db.server";
import { findShop } from "../models/shops.server";
import { storeSummary, type StoreSummary } from "../models/store-summary.server";

export interface ShopOverview {
  shop: string;
  /** False until the install hook has created the shop's row (then every count is zero). */
  installed: boolean;
  summary: StoreSummary;
  /** The offline demo (simulator) is running: the page credits the dataset. */
  demo: boolean;
}

const EMPTY_SUMMARY: StoreSummary = {
  customers: 0,
  customersWithPurchase: 0,
  orders: 0,
  customerOrders: 0,
  guestOrders: 0,
  cancellationRecords: 0,
  orderLines: 0,
  refunds: 0,
  lastSync: null,
};

export async function shopOverview(shopDomain: string, db: Db = defaultDb()): Promise<ShopOverview> {
  const shop = await findShop(db, shopDomain);
  const summary = shop ? await storeSummary(db, shop.id) : EMPTY_SUMMARY;
  return { shop: shopDomain, installed: shop !== null, summary, demo: Boolean(config().SEGMINT_SIMULATOR_URL) };
}
