// Holdout experiments (Experiment) and their cohorts' arms (ExperimentAssignment), every query
// scoped by shop (docs/experiments.md). The metrics per customer are SQL aggregates over the
// shop's orders (one row per member, never one per order), so a 100k-customer shop is a few
// grouped reads: revenue = Σ Order.netMilli, orders = how many, of the orders that are neither
// cancelled nor test orders, processed in [from, to).
import type { Prisma } from "@prisma/client";
import type { Arm } from "../analytics";
import { providerOf, sqlOf, type Db } from "../db.server";
import type { ExperimentStoredStatus } from "../domain/experiment";

/** Assignment rows per createMany: well below SQLite's bind-variable limit (4 columns each). */
const ASSIGNMENT_CHUNK = 2000;
/** Creating a 100k-customer cohort is one transaction of ~50 inserts. */
const LONG_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

export interface NewExperiment {
  readonly name: string;
  readonly slug: string;
  readonly salt: string;
  readonly segmentKey: string | null;
  readonly segmentName: string | null;
  readonly runId: number;
  readonly metric: string;
  readonly controlShare: number;
  readonly horizonDays: number;
  readonly startsOn: Date;
  readonly preDays: number;
  /** The up-front figures as shown before saving (stored as JSON). */
  readonly design: unknown;
}

export interface NewAssignment {
  /** The Customer row's id. */
  readonly customerRowId: number;
  readonly arm: Arm;
  /** The customer's segment key when assigned. */
  readonly stratum: string;
}

/** Creates the experiment and its cohort's arms in one transaction (nothing is left half-written). Returns its id. */
export async function createExperimentWithAssignments(db: Db, shopId: number, e: NewExperiment, assignments: readonly NewAssignment[]): Promise<number> {
  return db.$transaction(async (tx) => {
    const { design, ...columns } = e;
    const row = await tx.experiment.create({ data: { shopId, ...columns, design: JSON.stringify(design), status: "running" }, select: { id: true } });
    for (let i = 0; i < assignments.length; i += ASSIGNMENT_CHUNK) {
      await tx.experimentAssignment.createMany({
        data: assignments.slice(i, i + ASSIGNMENT_CHUNK).map((a) => ({ shopId, experimentId: row.id, customerId: a.customerRowId, arm: a.arm, stratum: a.stratum })),
      });
    }
    return row.id;
  }, LONG_TRANSACTION);
}

const EXPERIMENT_FIELDS = {
  id: true,
  name: true,
  slug: true,
  salt: true,
  segmentKey: true,
  segmentName: true,
  runId: true,
  metric: true,
  controlShare: true,
  horizonDays: true,
  status: true,
  startsOn: true,
  preDays: true,
  design: true,
  stoppedAt: true,
  archivedAt: true,
  createdAt: true,
} as const;

export type ExperimentRow = Prisma.ExperimentGetPayload<{ select: typeof EXPERIMENT_FIELDS }>;

/** The shop's experiments with one of these stored statuses, newest first. */
export async function listExperiments(db: Db, shopId: number, statuses: readonly ExperimentStoredStatus[]): Promise<ExperimentRow[]> {
  return db.experiment.findMany({ where: { shopId, status: { in: [...statuses] } }, orderBy: [{ startsOn: "desc" }, { id: "desc" }], select: EXPERIMENT_FIELDS });
}

/** One experiment of the shop, or null (another shop's id included). */
export async function experimentById(db: Db, shopId: number, id: number): Promise<ExperimentRow | null> {
  return db.experiment.findFirst({ where: { id, shopId }, select: EXPERIMENT_FIELDS });
}

/** Every slug the shop has used (archived experiments included: the slug is unique in the shop). */
export async function experimentSlugs(db: Db, shopId: number): Promise<Set<string>> {
  const rows = await db.experiment.findMany({ where: { shopId }, select: { slug: true } });
  return new Set(rows.map((r) => r.slug));
}

/**
 * Moves an experiment of the shop to `status` if its stored status is one of `from`, in one
 * conditional statement (two concurrent stops change it once). Returns whether it changed.
 */
export async function setExperimentStatus(
  db: Db,
  shopId: number,
  id: number,
  change: { readonly status: ExperimentStoredStatus; readonly stoppedAt?: Date; readonly archivedAt?: Date },
  from: readonly ExperimentStoredStatus[],
): Promise<boolean> {
  const { count } = await db.experiment.updateMany({ where: { id, shopId, status: { in: [...from] } }, data: change });
  return count === 1;
}

/** Cohort size per arm of each of these experiments of the shop. */
export async function armCounts(db: Db, shopId: number, experimentIds: readonly number[]): Promise<Map<number, Record<Arm, number>>> {
  const out = new Map<number, Record<Arm, number>>(experimentIds.map((id) => [id, { treatment: 0, control: 0 }]));
  if (experimentIds.length === 0) return out;
  const rows = await db.experimentAssignment.groupBy({ by: ["experimentId", "arm"], where: { shopId, experimentId: { in: [...experimentIds] } }, _count: { _all: true } });
  for (const r of rows) {
    const counts = out.get(r.experimentId);
    if (counts && (r.arm === "treatment" || r.arm === "control")) counts[r.arm] = r._count._all;
  }
  return out;
}

/**
 * The write-back's holdouts: for each control member of the shop's running experiments (stored
 * status "running", past the horizon too, until the merchant stops it), its Shopify customer id
 * and the slugs of those experiments; only these customers' when `onlyShopifyIds` is given.
 */
export async function runningHoldouts(db: Db, shopId: number, onlyShopifyIds?: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const experiments = await db.experiment.findMany({ where: { shopId, status: "running" }, orderBy: { id: "asc" }, select: { id: true, slug: true } });
  // A pass over a few customers (live assignment) reads their rows only.
  const only = onlyShopifyIds === undefined ? {} : { customer: { shopId, shopifyId: { in: [...onlyShopifyIds] } } };
  for (const e of experiments) {
    let after = 0;
    // keyset pages: one experiment's control group is read a page at a time
    for (;;) {
      const rows = await db.experimentAssignment.findMany({
        where: { shopId, experimentId: e.id, arm: "control", id: { gt: after }, ...only },
        orderBy: { id: "asc" },
        take: 5000,
        select: { id: true, customer: { select: { shopifyId: true } } },
      });
      for (const r of rows) {
        const slugs = out.get(r.customer.shopifyId);
        if (slugs) slugs.push(e.slug);
        else out.set(r.customer.shopifyId, [e.slug]);
      }
      if (rows.length < 5000) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  return out;
}

/** The shop's running experiments as the Shopify segment sync needs them. */
export async function runningExperimentTargets(db: Db, shopId: number): Promise<{ id: number; slug: string; segmentKey: string | null }[]> {
  return db.experiment.findMany({ where: { shopId, status: "running" }, orderBy: { id: "asc" }, select: { id: true, slug: true, segmentKey: true } });
}

// ---- metrics per member -------------------------------------------------------------------------

/** A half-open window of instants [from, to). */
export interface Window {
  readonly from: Date;
  readonly to: Date;
}

/** One customer's orders in one window: the sum of their net amounts (milli) and their number. */
export interface WindowTotals {
  readonly netMilli: number;
  readonly orders: number;
}

export interface MemberTotals {
  readonly customerRowId: number;
  readonly shopifyId: string;
  /** The experiment's arm, or (a cohort not assigned yet) the customer's segment key in the run. */
  readonly group: string;
  /** One entry per window asked, in order; a member without orders there has zeros. */
  readonly windows: readonly WindowTotals[];
}

/** Whose totals: an experiment's members (group = arm), or a run's customers, of one segment or all (group = segment key). */
export type Cohort = { readonly experimentId: number } | { readonly runId: number; readonly segmentKey: string | null };

/** The orders a metric counts: neither cancelled nor test orders. */
const COUNTED_ORDER = `o."cancelledAt" IS NULL AND NOT o."test"`;

/**
 * Each cohort member's totals over each window, in one grouped read: the member's orders in the
 * windows' span are joined by the (shopId, customerId) index and summed per window with
 * conditional aggregates; members without orders get zeros (LEFT JOIN). Ordered by Customer row id.
 */
export async function memberWindowTotals(db: Db, shopId: number, cohort: Cohort, windows: readonly Window[]): Promise<MemberTotals[]> {
  if (windows.length === 0) throw new RangeError("at least one window is needed");
  const { sql, join, raw } = sqlOf(db);
  const spanFrom = new Date(Math.min(...windows.map((w) => w.from.getTime())));
  const spanTo = new Date(Math.max(...windows.map((w) => w.to.getTime())));
  const sums = join(
    windows.map(
      (w, i) => sql`CAST(COALESCE(SUM(CASE WHEN o."processedAt" >= ${w.from} AND o."processedAt" < ${w.to} THEN o."netMilli" ELSE 0 END), 0) AS BIGINT) AS ${raw(`"net${i}"`)},
        COALESCE(SUM(CASE WHEN o."processedAt" >= ${w.from} AND o."processedAt" < ${w.to} THEN 1 ELSE 0 END), 0) AS ${raw(`"orders${i}"`)}`,
    ),
    ", ",
  );
  const members =
    "experimentId" in cohort
      ? sql`SELECT m."customerId" AS "customerId", m."arm" AS "grp" FROM "ExperimentAssignment" m WHERE m."shopId" = ${shopId} AND m."experimentId" = ${cohort.experimentId}`
      : sql`SELECT m."customerId" AS "customerId", m."segmentKey" AS "grp" FROM "CustomerSegment" m
            WHERE m."shopId" = ${shopId} AND m."runId" = ${cohort.runId} ${cohort.segmentKey === null ? sql`` : sql`AND m."segmentKey" = ${cohort.segmentKey}`}`;
  const rows = await db.$queryRaw<Record<string, unknown>[]>(sql`
    SELECT m."customerId" AS "customerId", c."shopifyId" AS "shopifyId", m."grp" AS "grp", ${sums}
    FROM (${members}) m
    JOIN "Customer" c ON c."id" = m."customerId" AND c."shopId" = ${shopId}
    LEFT JOIN "Order" o ON o."shopId" = ${shopId} AND o."customerId" = m."customerId"
      AND o."processedAt" >= ${spanFrom} AND o."processedAt" < ${spanTo} AND ${raw(COUNTED_ORDER)}
    GROUP BY m."customerId", c."shopifyId", m."grp"
    ORDER BY m."customerId"`);
  return rows.map((r) => ({
    customerRowId: Number(r.customerId),
    shopifyId: String(r.shopifyId),
    group: String(r.grp),
    windows: windows.map((_w, i) => ({ netMilli: Number(r[`net${i}`]), orders: Number(r[`orders${i}`]) })),
  }));
}

/** One arm's orders on one day of a window (day 0 = the window's first day). */
export interface ArmDayTotals {
  readonly arm: Arm;
  readonly day: number;
  readonly netMilli: number;
  readonly orders: number;
  /** Members whose first order in the window was on this day (the conversion series). */
  readonly firstOrders: number;
}

/**
 * An experiment's orders per arm and day over a window, grouped in SQL; days are whole 24-hour
 * steps from `window.from` (the shop's midnight of the first day). Days without orders are absent.
 */
export async function armDailyTotals(db: Db, shopId: number, experimentId: number, window: Window): Promise<ArmDayTotals[]> {
  const { sql, raw } = sqlOf(db);
  const epoch = providerOf(db) === "postgresql" ? raw(`CAST(FLOOR(EXTRACT(EPOCH FROM o."processedAt")) AS BIGINT)`) : raw(`CAST(strftime('%s', o."processedAt") AS INTEGER)`);
  const fromSeconds = Math.floor(window.from.getTime() / 1000);
  const day = sql`((${epoch} - CAST(${fromSeconds} AS BIGINT)) / 86400)`;
  const orders = sql`
    FROM "Order" o JOIN "ExperimentAssignment" m ON m."customerId" = o."customerId" AND m."experimentId" = ${experimentId} AND m."shopId" = ${shopId}
    WHERE o."shopId" = ${shopId} AND o."processedAt" >= ${window.from} AND o."processedAt" < ${window.to} AND ${raw(COUNTED_ORDER)}`;
  const [perDay, firsts] = await Promise.all([
    db.$queryRaw<{ arm: string; day: unknown; net: unknown; orders: unknown }[]>(sql`
      SELECT m."arm" AS "arm", ${day} AS "day", CAST(SUM(o."netMilli") AS BIGINT) AS "net", COUNT(*) AS "orders" ${orders}
      GROUP BY 1, 2`),
    db.$queryRaw<{ arm: string; day: unknown; n: unknown }[]>(sql`
      SELECT f."arm" AS "arm", f."day" AS "day", COUNT(*) AS "n"
      FROM (SELECT m."arm" AS "arm", o."customerId" AS "customerId", MIN(${day}) AS "day" ${orders} GROUP BY 1, 2) f
      GROUP BY 1, 2`),
  ]);
  const out = new Map<string, { arm: Arm; day: number; netMilli: number; orders: number; firstOrders: number }>();
  const entry = (arm: string, d: unknown) => {
    const key = `${arm}:${Number(d)}`;
    let e = out.get(key);
    if (!e) out.set(key, (e = { arm: arm as Arm, day: Number(d), netMilli: 0, orders: 0, firstOrders: 0 }));
    return e;
  };
  for (const r of perDay) Object.assign(entry(r.arm, r.day), { netMilli: Number(r.net), orders: Number(r.orders) });
  for (const r of firsts) entry(r.arm, r.day).firstOrders = Number(r.n);
  return [...out.values()].sort((a, b) => a.day - b.day || a.arm.localeCompare(b.arm));
}

/** The shop's experiment assignments and experiments (uninstall: derived per-customer data). */
export async function deleteShopExperiments(db: Db, shopId: number): Promise<void> {
  await db.experimentAssignment.deleteMany({ where: { shopId } });
  await db.experiment.deleteMany({ where: { shopId } });
}
