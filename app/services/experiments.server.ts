// Holdout experiments (docs/experiments.md, docs/write-back.md "Holdouts"): the admin's create
// form and its up-front figures, the list, the results, stop and archive.
//
// - Cohort: the targeted segment's customers in the shop's latest completed run (or all of the
//   run's customers), fixed at creation; stratum = their segment key. Arms by `assignArms`: a hash
//   of the Shopify customer id and the experiment's salt, no random source.
// - Windows: business days of the shop (a day is written as its UTC midnight here, and read from
//   the database from the instant it begins in the shop's time zone). The outcome window is
//   [startsOn, startsOn + horizon) cut at today (and at the stop day); the pre-period (CUPED's
//   covariate) is [startsOn − preDays, startsOn). The daily series counts 24-hour steps from the
//   start: on the two days a year the clocks change, an hour of orders is on a neighbouring day.
// - Metrics per customer: revenue = Σ net amount of its orders (neither cancelled nor test) in the
//   currency's main unit (milli / 1000); orders = their number; conversion = 1 when ≥ 1 order.
// - Intervals: before the horizon the always-valid one (tuned at the planned standard error),
//   from the horizon on the fixed-horizon one.
// - Tags: creating, stopping and archiving start a write-back pass of kind "experiment" (the one
//   writer of tags): control members get / lose `<prefix>:holdout-<slug>` through `desiredTags`.
import { z } from "zod";
import {
  analyzeExperiment,
  assignArms,
  balanceCheck,
  designExperiment,
  ExperimentInputError,
  type Arm,
  type ExperimentAnalysis,
  type Observation,
} from "../analytics";
import { businessNow } from "../clock.server";
import type { Db } from "../db.server";
import {
  EXPERIMENT_METRICS,
  experimentSlug,
  holdoutTag,
  type ArmSeriesPoint,
  type ExperimentDesignView,
  type ExperimentMetric,
  type ExperimentResultsView,
  type ExperimentStatus,
  type ExperimentStoredStatus,
  type ExperimentSummary,
} from "../domain/experiment";
import { slugOf } from "../domain/tags";
import {
  armCounts,
  armDailyTotals,
  createExperimentWithAssignments,
  experimentById,
  experimentSlugs,
  listExperiments,
  memberWindowTotals,
  setExperimentStatus,
  type ExperimentRow,
  type MemberTotals,
  type WindowTotals,
} from "../models/experiments.server";
import { shopDayFormatter } from "../models/order-facts.server";
import { latestCompletedRun, runModel } from "../models/segment-runs.server";
import { shopById, shopCurrency } from "../models/shops.server";
import { logger } from "../logger.server";
import { startOfZonedDay } from "../queue/schedule";
import { fieldErrorsOf, type FieldErrors } from "./form-errors.server";
import { startWriteBack } from "./write-back.server";

const log = () => logger("experiments");

export type ExperimentField = "name" | "segmentKey" | "controlShare" | "metric" | "horizonDays";

/** The pre-period (CUPED covariate, balance check) in days, stored on each experiment. */
export const EXPERIMENT_PRE_DAYS = 365;
export const NAME_MAX_LENGTH = 60;
export const CONTROL_SHARE_RANGE = { min: 1, max: 50 } as const;
export const HORIZON_RANGE = { min: 7, max: 180 } as const;
/** What the form's segment field sends for "every customer of the run". */
export const ALL_CUSTOMERS = "all";

const DAY_MS = 86_400_000;

export interface ExperimentFormOptions {
  readonly segments: { readonly key: string; readonly name: string; readonly customers: number }[];
  readonly allCustomers: number;
  readonly currency: string;
  readonly writeBackMode: string;
  readonly defaults: Record<ExperimentField, string>;
}

export type ExperimentFormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors<ExperimentField> };

const FORM_DEFAULTS: Record<ExperimentField, string> = { name: "", segmentKey: ALL_CUSTOMERS, controlShare: "10", metric: "revenue", horizonDays: "30" };

/** The create form's choices: the latest run's segments with their sizes; null before the first completed run. */
export async function experimentFormOptions(db: Db, shopId: number): Promise<ExperimentFormOptions | null> {
  const shop = await shopById(db, shopId);
  const run = await latestCompletedRun(db, shopId);
  if (!shop || !run) return null;
  const model = await runModel(db, shopId, run.id);
  const sizes = await db.customerSegment.groupBy({ by: ["segmentKey"], where: { shopId, runId: run.id }, _count: { _all: true } });
  const sizeOf = new Map(sizes.map((s) => [s.segmentKey, s._count._all]));
  return {
    // a segment without customers in the run cannot be held out
    segments: (model?.segments ?? []).filter((s) => sizeOf.has(s.id)).map((s) => ({ key: s.id, name: s.name, customers: sizeOf.get(s.id)! })),
    allCustomers: sizes.reduce((n, s) => n + s._count._all, 0),
    currency: await shopCurrency(db, shopId),
    writeBackMode: shop.writeBackMode,
    defaults: { ...FORM_DEFAULTS },
  };
}

// ---- the form ---------------------------------------------------------------------------------

const MESSAGES = {
  name: "Give the experiment a name (what you will recognise it by in the list).",
  nameLength: `Use at most ${NAME_MAX_LENGTH} characters for the name.`,
  nameTaken: "This store already has an experiment with this name (or one that gives the same tag): choose another name.",
  segmentKey: "Choose one of the segments of the latest refresh, or all customers.",
  controlShare: `Enter the share of customers held out as a percent from ${CONTROL_SHARE_RANGE.min} to ${CONTROL_SHARE_RANGE.max}, e.g. 10.`,
  metric: "Choose what to measure: revenue, conversion or orders per customer.",
  horizonDays: `Enter the experiment's length in whole days, from ${HORIZON_RANGE.min} to ${HORIZON_RANGE.max}.`,
} as const;

const text = (message: string) => z.string({ error: message }).trim();

const designSchema = z.object({
  segmentKey: z
    .string({ error: MESSAGES.segmentKey })
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" || v.trim() === ALL_CUSTOMERS ? null : v.trim())),
  controlShare: text(MESSAGES.controlShare)
    .regex(/^\d+(\.\d+)?$/, { error: MESSAGES.controlShare })
    .transform(Number)
    .refine((v) => v >= CONTROL_SHARE_RANGE.min && v <= CONTROL_SHARE_RANGE.max, { error: MESSAGES.controlShare }),
  metric: z.enum(EXPERIMENT_METRICS, { error: MESSAGES.metric }),
  horizonDays: text(MESSAGES.horizonDays)
    .regex(/^\d+$/, { error: MESSAGES.horizonDays })
    .transform(Number)
    .refine((v) => v >= HORIZON_RANGE.min && v <= HORIZON_RANGE.max, { error: MESSAGES.horizonDays }),
});

const nameSchema = z.object({ name: text(MESSAGES.name).min(1, { error: MESSAGES.name }).max(NAME_MAX_LENGTH, { error: MESSAGES.nameLength }) });

interface DesignChoice {
  readonly segmentKey: string | null;
  /** 0.01–0.5 */
  readonly controlShare: number;
  readonly metric: ExperimentMetric;
  readonly horizonDays: number;
}

interface Context {
  readonly shop: NonNullable<Awaited<ReturnType<typeof shopById>>>;
  readonly runId: number;
  readonly segments: Map<string, string>;
}

async function contextOf(db: Db, shopId: number): Promise<Context | null> {
  const shop = await shopById(db, shopId);
  const run = await latestCompletedRun(db, shopId);
  if (!shop || !run) return null;
  const model = await runModel(db, shopId, run.id);
  return { shop, runId: run.id, segments: new Map((model?.segments ?? []).map((s) => [s.id, s.name])) };
}

const NO_RUN: FieldErrors<ExperimentField> = { segmentKey: "There are no segments yet: wait for the first refresh to finish, then create the experiment." };

function parseDesign(ctx: Context, form: Record<string, string>): { ok: true; choice: DesignChoice } | { ok: false; errors: FieldErrors<ExperimentField> } {
  const parsed = designSchema.safeParse(form);
  const errors: FieldErrors<ExperimentField> = parsed.success ? {} : fieldErrorsOf<ExperimentField>(parsed.error);
  if (parsed.success && parsed.data.segmentKey !== null && !ctx.segments.has(parsed.data.segmentKey)) errors.segmentKey = MESSAGES.segmentKey;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, choice: { ...parsed.data, controlShare: parsed.data.controlShare / 100 } };
}

// ---- days -------------------------------------------------------------------------------------

/** "YYYY-MM-DD" → its UTC midnight. */
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);
const daysBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / DAY_MS);

/** Days (as UTC midnights) → the instants they begin in the shop's zone: what the database is asked. */
function inShopTime(window: { from: Date; to: Date }, timeZone: string): { from: Date; to: Date } {
  return { from: startOfZonedDay(window.from, timeZone), to: startOfZonedDay(window.to, timeZone) };
}

/** The shop's calendar day of an instant, as its UTC midnight. */
function shopDayOf(instant: Date, timeZone: string): Date {
  return dayStart(shopDayFormatter(timeZone)(instant));
}

/** The shop's business day today, as its UTC midnight. */
function todayOf(timeZone: string): Date {
  return shopDayOf(businessNow(), timeZone);
}

// ---- metrics ----------------------------------------------------------------------------------

/** One customer's metric from its totals over a window (money in the currency's main unit). */
function metricOf(metric: ExperimentMetric, t: WindowTotals): number {
  switch (metric) {
    case "revenue":
      return t.netMilli / 1000;
    case "orders":
      return t.orders;
    case "conversion":
      return t.orders > 0 ? 1 : 0;
  }
}

// ---- the design (shown before saving, stored on the experiment) -------------------------------

interface Draft {
  readonly design: ExperimentDesignView;
  readonly members: readonly MemberTotals[];
  readonly arms: Map<string, Arm>;
}

/** The salt of the arms' hash: the shop, the experiment and its first day (fixed at creation). */
const saltOf = (shopDomain: string, slug: string, startsOn: Date) => `${shopDomain}:${slug}:${isoDay(startsOn)}`;

/**
 * The cohort, its arms and the up-front figures: the MDE from the metric over the horizon-long
 * window just before the start (covariate: the pre-period before that window), and the balance
 * of the arms on pre-period revenue.
 */
async function draftOf(db: Db, ctx: Context, choice: DesignChoice, startsOn: Date, salt: string): Promise<Draft | { errors: FieldErrors<ExperimentField> }> {
  const baseline = { from: addDays(startsOn, -choice.horizonDays), to: startsOn };
  const baselinePre = { from: addDays(baseline.from, -EXPERIMENT_PRE_DAYS), to: baseline.from };
  const prePeriod = { from: addDays(startsOn, -EXPERIMENT_PRE_DAYS), to: startsOn };
  const members = await memberWindowTotals(db, ctx.shop.id, { runId: ctx.runId, segmentKey: choice.segmentKey }, [baseline, baselinePre, prePeriod].map((w) => inShopTime(w, ctx.shop.timezone)));
  const arms = assignArms(
    members.map((m) => ({ customerId: m.shopifyId, stratum: m.group })),
    salt,
    choice.controlShare,
  );
  const nControl = [...arms.values()].filter((a) => a === "control").length;
  const nTreatment = arms.size - nControl;
  if (nControl < 2 || nTreatment < 2) {
    const what = choice.segmentKey === null ? "The store has" : "This segment has";
    return {
      errors: {
        [choice.segmentKey === null ? "controlShare" : "segmentKey"]: `${what} ${members.length} customers: a ${Math.round(choice.controlShare * 1000) / 10} % holdout gives ${nControl} in the control group and ${nTreatment} treated; each group needs at least 2. Choose a larger segment or another share.`,
      },
    };
  }
  const planned = designExperiment({
    outcome: members.map((m) => metricOf(choice.metric, m.windows[0]!)),
    covariate: members.map((m) => metricOf(choice.metric, m.windows[1]!)),
    controlShare: choice.controlShare,
  });
  const balance = balanceCheck(
    members.map((m): Observation => {
      const pre = m.windows[2]!.netMilli / 1000;
      return { arm: arms.get(m.shopifyId)!, outcome: pre, pre };
    }),
  );
  const relative = (mde: number) => (planned.baselineMean > 0 ? mde / planned.baselineMean : null);
  const design: ExperimentDesignView = {
    metric: choice.metric,
    horizonDays: choice.horizonDays,
    controlShare: choice.controlShare,
    cohort: members.length,
    nTreatment,
    nControl,
    baselineMean: planned.baselineMean,
    mde: planned.mde,
    cupedMde: planned.cupedMde,
    mdeRelative: relative(planned.mde),
    cupedMdeRelative: relative(planned.cupedMde),
    expectedVarianceReduction: planned.expectedVarianceReduction,
    plannedStandardError: planned.plannedStandardErrorCuped,
    balance: { meanTreatment: balance.meanTreatment, meanControl: balance.meanControl, standardizedDifference: balance.standardizedDifference, pValue: balance.pValue },
  };
  return { design, members, arms };
}

/**
 * The up-front figures for the form's current values (no name needed: the page shows them while
 * the merchant types; with a name, the arms are exactly those saving would give today).
 */
export async function designDraft(db: Db, shopId: number, form: Record<string, string>): Promise<ExperimentFormResult<{ design: ExperimentDesignView }>> {
  const ctx = await contextOf(db, shopId);
  if (!ctx) return { ok: false, errors: NO_RUN };
  const parsed = parseDesign(ctx, form);
  if (!parsed.ok) return parsed;
  const startsOn = todayOf(ctx.shop.timezone);
  const slug = experimentSlug((form.name ?? "").trim() || "experiment", await experimentSlugs(db, shopId));
  const draft = await draftOf(db, ctx, parsed.choice, startsOn, saltOf(ctx.shop.domain, slug, startsOn));
  if ("errors" in draft) return { ok: false, errors: draft.errors };
  return { ok: true, design: draft.design };
}

/**
 * Validates the form, assigns the cohort, stores the experiment with its design and arms (one
 * transaction), and starts the write-back pass that tags the control group (unless write-back is
 * off). `startsOn` (a day; default the shop's business day today) lets the demo backdate one.
 */
export async function createExperiment(db: Db, shopId: number, form: Record<string, string>, options: { startsOn?: Date } = {}): Promise<ExperimentFormResult<{ id: number }>> {
  const ctx = await contextOf(db, shopId);
  if (!ctx) return { ok: false, errors: NO_RUN };
  const named = nameSchema.safeParse(form);
  const parsed = parseDesign(ctx, form);
  const taken = await experimentSlugs(db, shopId);
  const errors: FieldErrors<ExperimentField> = { ...(named.success ? {} : fieldErrorsOf<ExperimentField>(named.error)), ...(parsed.ok ? {} : parsed.errors) };
  if (named.success && taken.has(slugOf(named.data.name))) errors.name = MESSAGES.nameTaken;
  if (!named.success || !parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors };

  const startsOn = options.startsOn ? dayStart(isoDay(options.startsOn)) : todayOf(ctx.shop.timezone);
  const slug = slugOf(named.data.name);
  const salt = saltOf(ctx.shop.domain, slug, startsOn);
  const draft = await draftOf(db, ctx, parsed.choice, startsOn, salt);
  if ("errors" in draft) return { ok: false, errors: draft.errors };
  const { choice } = parsed;
  let id: number;
  try {
    id = await createExperimentWithAssignments(
      db,
      shopId,
      {
        name: named.data.name,
        slug,
        salt,
        segmentKey: choice.segmentKey,
        segmentName: choice.segmentKey === null ? null : (ctx.segments.get(choice.segmentKey) ?? null),
        runId: ctx.runId,
        metric: choice.metric,
        controlShare: choice.controlShare,
        horizonDays: choice.horizonDays,
        startsOn,
        preDays: EXPERIMENT_PRE_DAYS,
        design: draft.design,
      },
      draft.members.map((m) => ({ customerRowId: m.customerRowId, arm: draft.arms.get(m.shopifyId)!, stratum: m.group })),
    );
  } catch (error) {
    // Two saves of one name at once: the (shopId, slug) index refuses the second.
    if (error instanceof Error && /unique/i.test(error.message)) return { ok: false, errors: { name: MESSAGES.nameTaken } };
    throw error;
  }
  const pass = await startHoldoutPass(db, shopId);
  log().info({ shopId, experimentId: id, cohort: draft.design.cohort, nControl: draft.design.nControl, writeBackId: pass }, "experiment created");
  return { ok: true, id };
}

/** A full write-back pass (kind "experiment") that brings the holdout tags to the running experiments; none while write-back is off. */
async function startHoldoutPass(db: Db, shopId: number): Promise<number | null> {
  const shop = await shopById(db, shopId);
  if (!shop || shop.writeBackMode === "off") return null;
  return startWriteBack(db, shopId, { kind: "experiment", shop });
}

// ---- list and results -------------------------------------------------------------------------

/** Whether the horizon's last day is over. */
const horizonReached = (e: ExperimentRow, today: Date) => today.getTime() >= addDays(e.startsOn, e.horizonDays).getTime();

function statusOf(e: ExperimentRow, today: Date): ExperimentStatus {
  const stored = e.status as ExperimentStoredStatus;
  return stored === "running" && horizonReached(e, today) ? "completed" : stored;
}

/** The last day the experiment's data may come from: today, or the shop's day it was stopped on (not over when it stopped). */
function lastDayOf(e: ExperimentRow, today: Date, timeZone: string): Date {
  return e.stoppedAt ? new Date(Math.min(today.getTime(), shopDayOf(e.stoppedAt, timeZone).getTime())) : today;
}

/** The day after the last day with data: the horizon's end, cut after the last day. */
function dataEnd(e: ExperimentRow, lastDay: Date): Date {
  const end = Math.min(addDays(e.startsOn, e.horizonDays).getTime(), addDays(lastDay, 1).getTime());
  return new Date(Math.max(e.startsOn.getTime(), end));
}

function summaryOf(e: ExperimentRow, prefix: string, today: Date, lastDay: Date, counts: Record<Arm, number>): ExperimentSummary {
  // Whole days so far: the last day (today, or the stop day) is not over yet.
  return {
    id: e.id,
    name: e.name,
    slug: e.slug,
    holdoutTag: holdoutTag(prefix, e.slug),
    segmentKey: e.segmentKey,
    targetName: e.segmentKey === null ? "All customers" : (e.segmentName ?? e.segmentKey),
    metric: e.metric as ExperimentMetric,
    controlShare: e.controlShare,
    horizonDays: e.horizonDays,
    startsOn: isoDay(e.startsOn),
    endsOn: isoDay(addDays(e.startsOn, e.horizonDays - 1)),
    status: statusOf(e, today),
    daysElapsed: Math.max(0, Math.min(e.horizonDays, daysBetween(e.startsOn, lastDay))),
    nTreatment: counts.treatment,
    nControl: counts.control,
  };
}

/** The shop's experiments, newest first: running, completed and stopped ones; or (archived: true) the archived ones. */
export async function experimentsList(db: Db, shopId: number, options: { archived?: boolean } = {}): Promise<ExperimentSummary[]> {
  const shop = await shopById(db, shopId);
  if (!shop) return [];
  const rows = await listExperiments(db, shopId, options.archived ? ["archived"] : ["running", "stopped"]);
  const counts = await armCounts(
    db,
    shopId,
    rows.map((r) => r.id),
  );
  const today = todayOf(shop.timezone);
  return rows.map((r) => summaryOf(r, shop.tagPrefix, today, lastDayOf(r, today, shop.timezone), counts.get(r.id)!));
}

/**
 * An experiment's results as of today: the difference per customer with its interval (always
 * valid before the horizon, the fixed-horizon one from then on), CUPED on the pre-period, the
 * incremental total, the sample-ratio check, and the cumulative metric per arm by day. Null when
 * the experiment is not this shop's.
 */
export async function experimentResults(db: Db, shopId: number, id: number): Promise<ExperimentResultsView | null> {
  const [shop, e] = await Promise.all([shopById(db, shopId), experimentById(db, shopId, id)]);
  if (!shop || !e) return null;
  const today = todayOf(shop.timezone);
  const counts = (await armCounts(db, shopId, [e.id])).get(e.id)!;
  const lastDay = lastDayOf(e, today, shop.timezone);
  const summary = summaryOf(e, shop.tagPrefix, today, lastDay, counts);
  const metric = summary.metric;
  const end = dataEnd(e, lastDay);
  const reached = horizonReached(e, today);
  const design = JSON.parse(e.design) as ExperimentDesignView;
  const outcome = { from: e.startsOn, to: end };
  const pre = { from: addDays(e.startsOn, -e.preDays), to: e.startsOn };

  let analysis: ExperimentAnalysis | null = null;
  let analysisNote: string | null = null;
  if (summary.daysElapsed === 0) analysisNote = "The first day is not over yet: results appear after a full day of data.";
  else {
    const members = await memberWindowTotals(db, shopId, { experimentId: e.id }, [outcome, pre].map((w) => inShopTime(w, shop.timezone)));
    const observations = members.map((m): Observation => ({ arm: m.group as Arm, outcome: metricOf(metric, m.windows[0]!), pre: metricOf(metric, m.windows[1]!) }));
    try {
      analysis = analyzeExperiment(observations, {
        controlShare: e.controlShare,
        sequential: reached ? null : { plannedStandardError: design.plannedStandardError },
      });
    } catch (error) {
      if (!(error instanceof ExperimentInputError)) throw error;
      analysisNote = error.message;
    }
  }
  return {
    summary,
    currency: await shopCurrency(db, shopId),
    design,
    asOf: isoDay(addDays(end, -1)),
    horizonReached: reached,
    analysis,
    analysisNote,
    series: await seriesOf(db, shopId, e, metric, outcome, counts, shop.timezone),
    writeBackMode: shop.writeBackMode,
  };
}

/** The cumulative metric per customer of each arm, one point per day from the first day to the last with data. */
async function seriesOf(db: Db, shopId: number, e: ExperimentRow, metric: ExperimentMetric, window: { from: Date; to: Date }, counts: Record<Arm, number>, timeZone: string): Promise<ArmSeriesPoint[]> {
  const days = daysBetween(window.from, window.to);
  if (days <= 0) return [];
  const totals = await armDailyTotals(db, shopId, e.id, inShopTime(window, timeZone));
  const perDay: Record<Arm, number[]> = { treatment: new Array<number>(days).fill(0), control: new Array<number>(days).fill(0) };
  for (const t of totals) {
    if (t.day < 0 || t.day >= days) continue;
    perDay[t.arm][t.day]! += metric === "revenue" ? t.netMilli / 1000 : metric === "orders" ? t.orders : t.firstOrders;
  }
  const out: ArmSeriesPoint[] = [];
  let treatment = 0;
  let control = 0;
  for (let d = 0; d < days; d++) {
    treatment += perDay.treatment[d]!;
    control += perDay.control[d]!;
    out.push({ day: isoDay(addDays(window.from, d)), treatment: counts.treatment > 0 ? treatment / counts.treatment : 0, control: counts.control > 0 ? control / counts.control : 0 });
  }
  return out;
}

// ---- stop and archive -------------------------------------------------------------------------

/**
 * Stops a running experiment (completed ones too): the holdout tag is removed from its control
 * group and its Shopify segment deleted, by a write-back pass. Its results stay, cut at the stop
 * day. True when the experiment is this shop's (already stopped: nothing to do); false when not found.
 */
export async function stopExperiment(db: Db, shopId: number, id: number): Promise<boolean> {
  const e = await experimentById(db, shopId, id);
  if (!e) return false;
  // The stop day bounds the data window in the store's business days, hence the business clock.
  if (await setExperimentStatus(db, shopId, id, { status: "stopped", stoppedAt: businessNow() }, ["running"])) {
    const pass = await startHoldoutPass(db, shopId);
    log().info({ shopId, experimentId: id, writeBackId: pass }, "experiment stopped");
  }
  return true;
}

/**
 * Archives a stopped or completed experiment (out of the main list; a completed one is stopped
 * first, so its holdout tag goes). False when not found, or still running before its horizon
 * (stop it first), or archived already.
 */
export async function archiveExperiment(db: Db, shopId: number, id: number): Promise<boolean> {
  const [shop, e] = await Promise.all([shopById(db, shopId), experimentById(db, shopId, id)]);
  if (!shop || !e) return false;
  const status = statusOf(e, todayOf(shop.timezone));
  if (status !== "stopped" && status !== "completed") return false;
  const now = businessNow();
  const archived = await setExperimentStatus(db, shopId, id, { status: "archived", archivedAt: now, ...(e.stoppedAt ? {} : { stoppedAt: now }) }, [e.status as ExperimentStoredStatus]);
  if (archived && e.status === "running") await startHoldoutPass(db, shopId);
  return archived;
}
