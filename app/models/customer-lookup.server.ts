// Reads for the admin's customer lookup: one customer's rows across the shop's stored runs and
// its tag history. Every query is scoped by shop (another shop's customer is not found).
import type { Db } from "../db.server";
import { CUSTOMER_ROW_FIGURES } from "./segment-runs.server";

/** The shop's customer row for a Shopify customer id, or null. */
export async function customerOfShop(db: Db, shopId: number, shopifyId: string) {
  return db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } }, select: { id: true, shopifyId: true, deletedAt: true } });
}

/** The customer's rows in the shop's completed runs, newest run first, with each run's metrics (names, medians). */
export async function customerRunRows(db: Db, shopId: number, customerRowId: number) {
  return db.customerSegment.findMany({
    where: { shopId, customerId: customerRowId, run: { shopId, status: "completed" } },
    orderBy: { runId: "desc" },
    select: { runId: true, ...CUSTOMER_ROW_FIGURES, assignedAt: true, run: { select: { asOf: true, metrics: true } } },
  });
}

/** The customer's tag writes (planned and written), newest first, `take` at most. */
export async function customerTagWrites(db: Db, shopId: number, customerRowId: number, take: number) {
  return db.tagWrite.findMany({
    where: { shopId, customerId: customerRowId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, createdAt: true, tag: true, action: true, mode: true, result: true, message: true },
  });
}
