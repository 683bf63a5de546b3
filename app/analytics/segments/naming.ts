import { formatMoneyReadable } from "../money";
import { rfmGroup, RFM_GROUPS, type RfmGroupId } from "../rfm/groups";
import { scoreWithScale, type RfmScoreModel } from "../rfm/scores";
import { formatCount } from "./describe";
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

/**
 * Name and action of a cluster from its median scores: a hybrid cluster's from its tier and
 * recency/frequency, any other cluster's from the RFM group its medians fall in.
 */
export function clusterNaming(tier: MonetaryTier | null, scores: { r: number; f: number; m: number }): { name: string; action: string } {
  if (tier !== null) return { name: hybridName(tier, scores), action: hybridAction(tier, scores) };
  const group = RFM_GROUPS[rfmGroup(scores.r, scores.f, scores.m)];
  return { name: group.name, action: group.action };
}

const TIER_WORD: Record<MonetaryTier, string> = { high: "High-value", mid: "Mid-value", low: "Low-value" };

function hybridName(tier: MonetaryTier, s: { r: number; f: number }): string {
  const rf = s.r <= 2 ? (tier === "low" ? "dormant" : "churn risk") : s.r >= 4 ? (s.f >= 4 ? "loyal" : "recent") : "cooling";
  return `${TIER_WORD[tier]} ${rf}`;
}

function hybridAction(tier: MonetaryTier, s: { r: number; f: number }): string {
  if (s.r <= 2) return tier === "low" ? "Low-cost reactivation only; suppress from frequent campaigns." : "Win-back now: personal outreach and a strong incentive, this value is at risk.";
  if (s.r >= 4) return tier === "high" ? "Reward and retain: VIP perks, early access, no discounts needed." : "Cross-sell and nudge the next order while they are engaged.";
  return "Re-engage with personalised recommendations before they drift.";
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
      if (best === 0) return `${Math.round(v)} days`;
      if (best === 1) return `${formatCount(v)} orders`;
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
