// What the Anomalies page reads and the one thing it writes: the shop's stored anomalies (a kind
// and status at a time, highest score first), their counts, the fitted model's summary, the
// merchant's review (status + reviewedAt, nothing else: detection owns every other column) and
// the store's daily orders for the store-days chart. Every query is scoped by shop.
import { providerOf, sqlOf, type Db } from "../db.server";
import type { AnomalyKind, AnomalyStatus } from "../domain/anomaly";

const ANOMALY_FIELDS = {
  id: true,
  kind: true,
  subjectKey: true,
  day: true,
  score: true,
  category: true,
  reasons: true,
  facts: true,
  source: true,
  status: true,
  reviewedAt: true,
  riskAssessedAt: true,
  detectedAt: true,
  order: { select: { shopifyId: true, processedAt: true, grossMilli: true, currency: true } },
  customer: { select: { shopifyId: true } },
} as const;

export interface AnomalyRow {
  readonly id: number;
  readonly kind: string;
  readonly subjectKey: string;
  readonly day: string | null;
  readonly score: number;
  readonly category: string;
  readonly reasons: string;
  readonly facts: string;
  readonly source: string;
  readonly status: string;
  readonly reviewedAt: Date | null;
  readonly riskAssessedAt: Date | null;
  readonly detectedAt: Date;
  readonly order: { shopifyId: string; processedAt: Date; grossMilli: bigint; currency: string } | null;
  readonly customer: { shopifyId: string } | null;
}

/** One page of a kind's anomalies (all statuses when `status` is null), highest score first; days newest first. */
export async function anomaliesPage(db: Db, shopId: number, kind: AnomalyKind, status: AnomalyStatus | null, skip: number, take: number): Promise<AnomalyRow[]> {
  return db.anomaly.findMany({
    where: { shopId, kind, ...(status ? { status } : {}) },
    orderBy: kind === "day" ? [{ day: "desc" }, { subjectKey: "asc" }] : [{ score: "desc" }, { id: "asc" }],
    skip,
    take,
    select: ANOMALY_FIELDS,
  });
}

/** How many anomalies of each kind and status the shop has. */
export async function anomalyCounts(db: Db, shopId: number): Promise<Map<string, number>> {
  const groups = await db.anomaly.groupBy({ by: ["kind", "status"], where: { shopId }, _count: { _all: true } });
  return new Map(groups.map((g) => [`${g.kind}:${g.status}`, g._count._all]));
}

/** Every store-day anomaly of the shop (a few per metric at most): the chart marks them all. */
export async function dayAnomalies(db: Db, shopId: number): Promise<AnomalyRow[]> {
  return db.anomaly.findMany({ where: { shopId, kind: "day" }, orderBy: [{ day: "asc" }, { subjectKey: "asc" }], select: ANOMALY_FIELDS });
}

/** When the shop's model was fitted, as of which day and on how many orders (null: never). */
export async function anomalyModelSummary(db: Db, shopId: number) {
  return db.anomalyModel.findUnique({ where: { shopId }, select: { asOf: true, orderCount: true, threshold: true, metrics: true, fittedAt: true } });
}

/**
 * The merchant's verdict on one of this shop's anomalies; the row's kind, category and subject, or
 * null when the id is not this shop's (or does not exist): the caller answers 404.
 */
export async function setAnomalyStatus(db: Db, shopId: number, id: number, status: AnomalyStatus, at: Date): Promise<{ kind: string; category: string; subjectKey: string } | null> {
  const { count } = await db.anomaly.updateMany({ where: { id, shopId }, data: { status, reviewedAt: status === "open" ? null : at } });
  if (count === 0) return null;
  return db.anomaly.findFirst({ where: { id, shopId }, select: { kind: true, category: true, subjectKey: true } });
}

/** Every UTC offset in use is a whole number of quarter hours (+05:45, +12:45), so a quarter hour lies within one day of any zone. */
export const QUARTER_HOUR_MS = 900_000;

/**
 * The shop's placed orders in [from, to) (test orders left out) counted and summed per quarter
 * hour in SQL: the store-days chart's series, bucketed into the shop's days by the caller. A year
 * of a busy store is at most 35k groups instead of one row per order.
 */
export async function ordersPerQuarterHour(db: Db, shopId: number, from: Date, to: Date): Promise<{ start: Date; orders: number; grossMilli: number }[]> {
  const { sql, raw } = sqlOf(db);
  const epoch = providerOf(db) === "postgresql" ? raw(`CAST(FLOOR(EXTRACT(EPOCH FROM o."processedAt")) AS BIGINT)`) : raw(`CAST(strftime('%s', o."processedAt") AS INTEGER)`);
  const rows = await db.$queryRaw<{ quarter: unknown; orders: unknown; gross: unknown }[]>(sql`
    SELECT (${epoch} / ${QUARTER_HOUR_MS / 1000}) AS "quarter", COUNT(*) AS "orders", CAST(SUM(o."grossMilli") AS BIGINT) AS "gross"
    FROM "Order" o
    WHERE o."shopId" = ${shopId} AND NOT o."test" AND o."processedAt" >= ${from} AND o."processedAt" < ${to}
    GROUP BY 1`);
  return rows.map((r) => ({ start: new Date(Number(r.quarter) * QUARTER_HOUR_MS), orders: Number(r.orders), grossMilli: Number(r.gross) }));
}
