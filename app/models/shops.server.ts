// Shop rows: the root every piece of shop data hangs off (deleting a shop deletes it all).
import type { Db } from "../db.server";

export async function ensureShop(db: Db, domain: string) {
  return db.shop.upsert({ where: { domain }, update: {}, create: { domain } });
}

export async function findShop(db: Db, domain: string) {
  return db.shop.findUnique({ where: { domain } });
}

export async function shopById(db: Db, id: number) {
  return db.shop.findUnique({ where: { id } });
}
