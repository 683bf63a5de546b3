// The Settings page: Segmint's tag prefix, the refresh schedule (through refresh-schedule's own
// rules and messages), the store's time zone, the write-back mode and the Shopify segments switch,
// and the anomalies' two switches: VIP tags for whales, order risk assessments (docs/anomalies.md).
// One save validates every field with zod and answers with a plain message per refused field;
// nothing is saved when any field is refused.
import { z } from "zod";
import { db as defaultDb, type Db } from "../db.server";
import { TAG_PREFIX_MAX_LENGTH, TAG_PREFIX_PATTERN } from "../domain/tag-prefix";
import { shopById, updateShopSettings } from "../models/shops.server";
import { bookNextRefresh, refreshSettings, updateRefreshSettings, type RefreshSettings } from "./refresh-schedule.server";
import { fieldErrorsOf, type FieldErrors } from "./form-errors.server";
import { hasScope, RISK_ASSESSMENT_SCOPE } from "./risk-assessments.server";
import { enqueueRiskAssessments } from "./detect-anomalies.server";
import { startWriteBack } from "./write-back.server";

export const WRITE_BACK_MODES = ["off", "dry-run", "live"] as const;
export type WriteBackModeSetting = (typeof WRITE_BACK_MODES)[number];

export type SettingsField = "tagPrefix" | "writeBackMode" | "shopifySegments" | "vipTags" | "riskAssessments" | "timeZone" | "schedule" | "weekday" | "hour";

export const TAG_PREFIX_MESSAGE = `Use 1 to ${TAG_PREFIX_MAX_LENGTH} letters, digits, dashes (-) or underscores (_), with no spaces or colons, e.g. "segmint".`;
export const WRITE_BACK_MODE_MESSAGE = "Choose what Segmint does to your store's tags: off, dry run or live.";
export const TIME_ZONE_MESSAGE = 'Enter an IANA time zone such as "Europe/London" or "America/New_York".';
export const RISK_SCOPE_MESSAGE =
  "Segmint needs permission to write to your orders to send risk assessments. Press “Grant order access”, accept in Shopify, then save again.";

/** Whether Intl knows the zone (the same check every date computation of the app relies on). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const checkbox = z
  .unknown()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === true);

const settingsSchema = z.object({
  tagPrefix: z.string({ error: TAG_PREFIX_MESSAGE }).trim().regex(TAG_PREFIX_PATTERN, { error: TAG_PREFIX_MESSAGE }),
  writeBackMode: z.enum(WRITE_BACK_MODES, { error: WRITE_BACK_MODE_MESSAGE }),
  // Checkboxes: present ("on"/"true") when ticked, absent when not.
  shopifySegments: checkbox,
  vipTags: checkbox,
  riskAssessments: checkbox,
  timeZone: z.string({ error: TIME_ZONE_MESSAGE }).trim().min(1, { error: TIME_ZONE_MESSAGE }).refine(isTimeZone, { error: TIME_ZONE_MESSAGE }),
});

export interface SettingsView {
  readonly tagPrefix: string;
  readonly writeBackMode: WriteBackModeSetting;
  readonly shopifySegments: boolean;
  /** Whales carry `<prefix>:vip` through the write-back. */
  readonly vipTags: boolean;
  /** Flagged orders get a Shopify order risk assessment. */
  readonly riskAssessments: boolean;
  /** Whether the merchant granted the optional write_orders scope risk assessments need. */
  readonly orderAccessGranted: boolean;
  /** Schedule, weekday, hour, the shop's time zone and the last/next refresh (ISO in JSON). */
  readonly refresh: RefreshSettings;
}

/** The shop's settings as the page shows them, or null when the shop row is gone. */
export async function settingsView(db: Db, shopId: number): Promise<SettingsView | null> {
  const shop = await shopById(db, shopId);
  if (!shop) return null;
  return {
    tagPrefix: shop.tagPrefix,
    writeBackMode: (WRITE_BACK_MODES as readonly string[]).includes(shop.writeBackMode) ? (shop.writeBackMode as WriteBackModeSetting) : "dry-run",
    shopifySegments: shop.shopifySegments,
    vipTags: shop.vipTags,
    riskAssessments: shop.riskAssessments,
    orderAccessGranted: hasScope(shop.scopes, RISK_ASSESSMENT_SCOPE),
    refresh: await refreshSettings(db, shopId),
  };
}

export interface SettingsInput {
  readonly tagPrefix?: unknown;
  readonly writeBackMode?: unknown;
  readonly shopifySegments?: unknown;
  readonly vipTags?: unknown;
  readonly riskAssessments?: unknown;
  readonly timeZone?: unknown;
  readonly schedule?: string;
  readonly weekday?: string;
  readonly hour?: string;
}

export type SaveSettingsResult =
  | { readonly ok: true; readonly settings: SettingsView; readonly message: string }
  | { readonly ok: false; readonly errors: FieldErrors<SettingsField> };

/**
 * Saves the settings form. The schedule fields go through `updateRefreshSettings` (its rules, its
 * messages, and the next slot booked in its transaction) once this page's own fields are valid;
 * the other fields are written only after it accepted the schedule, so a refused form saves
 * nothing. A new time zone re-books the next weekly slot in that zone. Risk assessments are turned
 * on only once the write_orders scope is granted; turning VIP tags on or off starts a full
 * write-back pass, so the whales' tags follow now rather than at the next refresh.
 */
export async function saveSettings(db: Db, shopId: number, input: SettingsInput, now = new Date()): Promise<SaveSettingsResult> {
  const before = await shopById(db, shopId);
  if (!before) return { ok: false, errors: { tagPrefix: "This store is not installed." } };
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf<SettingsField>(parsed.error) };
  // Kept on when the scope was revoked later (the job then sends nothing); refused when turned on without it.
  if (parsed.data.riskAssessments && !before.riskAssessments && !hasScope(before.scopes, RISK_ASSESSMENT_SCOPE)) return { ok: false, errors: { riskAssessments: RISK_SCOPE_MESSAGE } };
  const schedule = await updateRefreshSettings(db, shopId, { schedule: input.schedule, weekday: input.weekday, hour: input.hour }, now);
  if (!schedule.ok) return { ok: false, errors: schedule.errors };

  const { tagPrefix, writeBackMode, shopifySegments, vipTags, riskAssessments, timeZone } = parsed.data;
  await updateShopSettings(db, shopId, { tagPrefix, writeBackMode, shopifySegments });
  await db.shop.update({ where: { id: shopId }, data: { vipTags, riskAssessments } });
  if (timeZone !== before.timezone) {
    await db.$transaction(async (tx) => {
      await tx.shop.update({ where: { id: shopId }, data: { timezone: timeZone } });
      await bookNextRefresh(tx, shopId, now);
    });
  }
  const notes = ["Settings saved."];
  if (tagPrefix !== before.tagPrefix) notes.push(`The next write-back moves Segmint's tags from "${before.tagPrefix}:" to "${tagPrefix}:".`);
  if (vipTags !== before.vipTags && writeBackMode !== "off" && (await startWriteBack(db, shopId, { kind: "refresh" })) !== null) {
    const tag = `"${tagPrefix}:vip"`;
    notes.push(
      writeBackMode === "live"
        ? `A write-back has started: ${vipTags ? `your whales get the ${tag} tag` : `the ${tag} tags are removed`}.`
        : `A dry run of the write-back has started: it plans ${vipTags ? `the ${tag} tags of your whales` : `the removal of the ${tag} tags`} without writing them.`,
    );
  }
  if (riskAssessments && !before.riskAssessments) {
    const queued = await enqueueRiskAssessments(db, shopId);
    if (queued > 0) notes.push(`Risk assessments are being written to Shopify for the ${queued === 1 ? "order" : `${queued} orders`} flagged now.`);
  }
  return { ok: true, settings: (await settingsView(db, shopId))!, message: notes.join(" ") };
}

// ── The route's two entry points (default database) ──────────────────────────────────────────

/** The Settings page's data, or null when the shop row is gone. */
export async function loadSettings(shopId: number, db: Db = defaultDb()): Promise<SettingsView | null> {
  return settingsView(db, shopId);
}

const formText = (form: FormData, name: string): string | undefined => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

/** The Settings form's post: every field in one save. */
export async function settingsAction(shopId: number, form: FormData, db: Db = defaultDb()): Promise<SaveSettingsResult> {
  return saveSettings(db, shopId, {
    tagPrefix: formText(form, "tagPrefix"),
    writeBackMode: formText(form, "writeBackMode"),
    shopifySegments: formText(form, "shopifySegments"),
    vipTags: formText(form, "vipTags"),
    riskAssessments: formText(form, "riskAssessments"),
    timeZone: formText(form, "timeZone"),
    schedule: formText(form, "schedule"),
    weekday: formText(form, "weekday"),
    hour: formText(form, "hour"),
  });
}
