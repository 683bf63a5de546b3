import { formatMoneyReadable } from "../money";
import { rfmGroup, RFM_GROUPS, type RfmGroupId } from "../rfm/groups";
import { scoreWithScale, type RfmScoreModel } from "../rfm/scores";
import { formatCount } from "./describe";
import { hungarian } from "./hungarian";
import type { MonetaryTier } from "./model";
import type { SegmentMedians } from "./result";

/** Fixed label order of the RFM algorithm's clusters (the grid groups). */
export const RFM_GRID_ORDER: readonly RfmGroupId[] = ["CHAMPIONS", "LOYAL", "ACTIVE", "PROMISING", "NEW", "NEEDS_ATTENTION", "AT_RISK", "PREVIOUSLY_LOYAL", "ALMOST_LOST", "DORMANT"];

/** Cluster label of a customer under the RFM algorithm: the index of its group in `RFM_GRID_ORDER`. */
export function rfmLabel(r: number, f: number, m: number): number {
  return RFM_GRID_ORDER.indexOf(rfmGroup(r, f, m));
}

/** Scores of a segment's medians on the population scales (for names and sentences). */
export function medianScores(scores: RfmScoreModel, medians: SegmentMedians): { r: number; f: number; m: number } {
  return {
    r: Math.max(1, scoreWithScale(scores.recency, medians.recencyDays)),
    f: Math.max(1, scoreWithScale(scores.frequency, medians.frequency)),
    m: Math.max(1, scoreWithScale(scores.monetary, medians.monetaryMilli)),
  };
}

/** Name and action of a K-means or DBSCAN cluster: the RFM group its medians' scores fall in. */
export function groupNaming(scores: { r: number; f: number; m: number }): { name: string; action: string } {
  const group = RFM_GROUPS[rfmGroup(scores.r, scores.f, scores.m)];
  return { name: group.name, action: group.action };
}

/**
 * Where a cluster's medians stand among the shop's purchasers, each in [0, 1): `recency` = the
 * share whose last purchase is older, `frequency` = the share with fewer orders (one-time buyers
 * stand at 0 in every shop, however many they are).
 */
export interface Standing {
  readonly recency: number;
  readonly frequency: number;
}

/**
 * The hybrid's names within a spend tier: the RFM marketing vocabulary (Shopify's groups and the
 * classic RFM segments Klaviyo and others use), each at the standing of its typical customer.
 * `tiers` restricts a name to where it makes sense ("Can't lose" is about top spenders only).
 */
interface TierName {
  readonly word: string;
  readonly at: Standing;
  readonly tiers: readonly MonetaryTier[];
  readonly action: (tier: MonetaryTier) => string;
}

const ALL_TIERS: readonly MonetaryTier[] = ["high", "mid", "low"];

export const TIER_NAMES: readonly TierName[] = [
  { word: "champions", at: { recency: 0.9, frequency: 0.9 }, tiers: ["high", "mid"], action: () => "Reward them: VIP perks, early access and referral asks; no discount needed." },
  {
    word: "loyal",
    at: { recency: 0.65, frequency: 0.8 },
    tiers: ALL_TIERS,
    action: (t) => (t === "high" ? "Keep them close: loyalty programme, early access, premium lines." : "Upsell and cross-sell; invite them to the loyalty programme."),
  },
  { word: "active", at: { recency: 0.85, frequency: 0.45 }, tiers: ALL_TIERS, action: () => "Recommend related products to grow basket size and order frequency." },
  { word: "new", at: { recency: 0.9, frequency: 0 }, tiers: ALL_TIERS, action: () => "Welcome series: onboarding, best sellers and a reason to order again." },
  { word: "promising", at: { recency: 0.7, frequency: 0.05 }, tiers: ALL_TIERS, action: () => "Nudge a second order: recommendations from the first one, free shipping." },
  { word: "needing attention", at: { recency: 0.5, frequency: 0.45 }, tiers: ALL_TIERS, action: () => "Re-engage with personalised recommendations and a time-limited offer before they drift." },
  { word: "about to sleep", at: { recency: 0.45, frequency: 0 }, tiers: ALL_TIERS, action: () => "Remind them: best sellers and new arrivals, a small incentive at most." },
  {
    word: "at risk",
    at: { recency: 0.25, frequency: 0.55 },
    tiers: ALL_TIERS,
    action: (t) => (t === "low" ? "Automated win-back email with a modest incentive; keep the cost low." : "Win-back campaign with a personalised incentive."),
  },
  { word: "can't lose", at: { recency: 0.12, frequency: 0.85 }, tiers: ["high"], action: () => "Personal outreach and a strong incentive: they were among your best customers; ask what changed." },
  { word: "hibernating", at: { recency: 0.28, frequency: 0 }, tiers: ALL_TIERS, action: () => "Low-cost reactivation only: seasonal offers; suppress from frequent campaigns." },
  { word: "lost", at: { recency: 0.08, frequency: 0 }, tiers: ALL_TIERS, action: () => "Suppress from regular campaigns; one last-chance offer at most." },
];

const TIER_WORD: Record<MonetaryTier, string> = { high: "High-value", mid: "Mid-value", low: "Low-value" };

function tierName(tier: MonetaryTier, word: string): string {
  return `${TIER_WORD[tier]} ${word}`;
}

/** A hybrid cluster to name: its tier, standing (null when empty) and a name that is final or not. */
export interface HybridNamingInput {
  readonly tier: MonetaryTier;
  readonly standing: Standing | null;
  readonly name: string;
  readonly fixedName: boolean;
}

/** Distance from a standing to a name's; an empty cluster is equally far from every name. */
function cost(standing: Standing | null, at: Standing): number {
  if (standing === null) return 1;
  return Math.hypot(standing.recency - at.recency, standing.frequency - at.frequency);
}

/**
 * Names and actions of hybrid clusters. Within each tier the clusters whose names are not final
 * get distinct names: the assignment of the tier's free names (those no final name of the tier
 * already uses) that minimises the total distance between the clusters' standings and the names'
 * (Hungarian algorithm), so two nearby clusters get the two nearest names, e.g. "Champions" and
 * "Loyal", never the same one. More clusters than names: the rest take their nearest name and
 * `dedupeNames` tells them apart. Final names are returned unchanged, with the action of their word.
 */
export function hybridNaming(clusters: readonly HybridNamingInput[]): { name: string; action: string }[] {
  const out = clusters.map((c) => ({ name: c.name, action: actionOfName(c.tier, c.name) }));
  for (const tier of ALL_TIERS) {
    const taken = new Set(clusters.filter((c) => c.tier === tier && c.fixedName).map((c) => c.name));
    const names = TIER_NAMES.filter((n) => n.tiers.includes(tier) && !taken.has(tierName(tier, n.word)));
    const open = clusters.flatMap((c, k) => (c.tier === tier && !c.fixedName ? [k] : []));
    if (open.length === 0) continue;
    const costs = open.map((k) => names.map((n) => cost(clusters[k]!.standing, n.at)));
    const match = names.length === 0 ? new Int32Array(open.length).fill(-1) : hungarian(costs);
    open.forEach((k, row) => {
      const tierNames = TIER_NAMES.filter((n) => n.tiers.includes(tier));
      const chosen = match[row]! >= 0 ? names[match[row]!]! : nearest(tierNames, clusters[k]!.standing);
      out[k] = { name: tierName(tier, chosen.word), action: chosen.action(tier) };
    });
  }
  return out;
}

function nearest(names: readonly TierName[], standing: Standing | null): TierName {
  return names.reduce((best, n) => (cost(standing, n.at) < cost(standing, best.at) ? n : best));
}

/** The action of a hybrid name (an inherited name keeps its word's action; an unknown name a generic one). */
function actionOfName(tier: MonetaryTier, name: string): string {
  const word = TIER_NAMES.find((n) => tierName(tier, n.word) === name);
  return word?.action(tier) ?? "Re-engage with personalised recommendations.";
}

/**
 * Namesakes (two clusters that map to the same name) get the median that tells them apart:
 * the dimension with the largest relative spread among them, e.g. "Loyal (9 orders)" and
 * "Loyal (21 orders)". Names inherited from a previous model are never changed.
 */
export function dedupeNames(names: readonly string[], medians: readonly SegmentMedians[], fixed: readonly boolean[], currency: string): string[] {
  const out = [...names];
  const byName = new Map<string, number[]>();
  out.forEach((name, k) => byName.set(name, [...(byName.get(name) ?? []), k]));
  for (const [name, namesakes] of byName) {
    if (namesakes.length < 2 || namesakes.every((k) => fixed[k])) continue;
    const dimensions = [
      (k: number) => medians[k]!.recencyDays,
      (k: number) => medians[k]!.frequency,
      (k: number) => medians[k]!.monetaryMilli,
    ];
    let best = 0;
    let bestSpread = -1;
    dimensions.forEach((valueOf, j) => {
      const values = namesakes.map(valueOf).filter((v) => Number.isFinite(v));
      if (values.length < 2) return;
      const spread = (Math.max(...values) - Math.min(...values)) / Math.max(1e-9, Math.max(...values.map(Math.abs)));
      if (spread > bestSpread) {
        bestSpread = spread;
        best = j;
      }
    });
    const distinguisher = (k: number): string => {
      const v = dimensions[best]!(k);
      if (!Number.isFinite(v)) return "empty";
      if (best === 0) return `${Math.round(v)} ${Math.round(v) === 1 ? "day" : "days"}`;
      if (best === 1) return `${formatCount(v)} ${v === 1 ? "order" : "orders"}`;
      return formatMoneyReadable(v, currency);
    };
    const used = new Set<string>();
    namesakes.forEach((k, rank) => {
      if (fixed[k]) return;
      let candidate = `${name} (${distinguisher(k)})`;
      if (used.has(candidate)) candidate = `${name} (${distinguisher(k)}, ${rank + 1})`;
      used.add(candidate);
      out[k] = candidate;
    });
  }
  return out;
}
