import { medianOf } from "../util/stats";
import type { RfmFeatureTable } from "../rfm/features";
import type { RfmScoreModel } from "../rfm/scores";
import { describeSegment } from "./describe";
import { medianScores } from "./naming";
import type { SegmentDefinition } from "./model";
import type { SegmentMedians, SegmentProfile } from "./result";

/**
 * Per segment, from the final assignment: size and shares, revenue, means and medians (recency
 * over purchasers only), and the sentence that defines it relative to the population's scores.
 */
export function buildProfiles(features: RfmFeatureTable, segments: readonly SegmentDefinition[], segmentIndex: Int32Array, scores: RfmScoreModel, currency: string): SegmentProfile[] {
  const n = features.count;
  const membersBySegment: number[][] = segments.map(() => []);
  let totalRevenue = 0;
  for (let i = 0; i < n; i++) {
    membersBySegment[segmentIndex[i]!]!.push(i);
    totalRevenue += features.monetaryMilli[i]!;
  }
  return segments.map((s, k) => {
    const segmentMembers = membersBySegment[k]!;
    let revenue = 0;
    for (const i of segmentMembers) revenue += features.monetaryMilli[i]!;
    const purchasers = segmentMembers.filter((i) => features.frequency[i]! > 0);
    const col = (get: (i: number) => number, list: number[]): Float64Array => Float64Array.from(list, get);
    const recency = col((i) => features.recencyDays[i]!, purchasers);
    const frequency = col((i) => features.frequency[i]!, segmentMembers);
    const monetary = col((i) => features.monetaryMilli[i]!, segmentMembers);
    const mean = (a: Float64Array): number => (a.length === 0 ? NaN : a.reduce((x, y) => x + y, 0) / a.length);
    const medians: SegmentMedians = { recencyDays: medianOf(recency), frequency: medianOf(frequency), monetaryMilli: Math.round(medianOf(monetary)) };
    let definition: string;
    if (s.kind === "prospects") definition = "No purchase before the as-of date (only returns, or not yet ordered).";
    else if (segmentMembers.length === 0) definition = "Empty in this run.";
    else {
      const base = describeSegment(medians, medianScores(scores, medians), currency);
      definition = s.kind === "whales" ? `Unusual and high-spending (DBSCAN noise in the top 5 % of spend). ${base}` : s.kind === "outliers" ? `Unusual behaviour (DBSCAN noise). ${base}` : base;
    }
    return {
      segmentId: s.id,
      name: s.name,
      kind: s.kind,
      tier: s.tier,
      size: segmentMembers.length,
      share: n === 0 ? 0 : segmentMembers.length / n,
      revenueMilli: revenue,
      revenueShare: totalRevenue === 0 ? 0 : revenue / totalRevenue,
      mean: { recencyDays: mean(recency), frequency: mean(frequency), monetaryMilli: mean(monetary) },
      median: medians,
      centroidOriginal: s.centroidOriginal,
      definition,
      action: s.action,
    };
  });
}
