/**
 * Shopify's 11 RFM groups (`CustomerRfmGroup`), from R and FM = (F + M)/2.
 *
 * Shopify documents the groups, their descriptions and the R / FM inputs, not the exact grid.
 * This grid is our reconstruction from those descriptions ("very recent" = R 5, "recent" =
 * R 3–4, "without recent purchases" = R 1–2; "many orders and the most spend" = FM 4–5, "some
 * orders and moderate spend" = FM 2–3, "few orders and low spend" = FM 1). FM is rounded half
 * up to an integer (F 3, M 4 → 3.5 → 4). PROSPECTS are customers with no purchase (no scores).
 * docs/analytics.md shows the table; test/analytics/rfm/groups.test.ts checks all 25 cells.
 */
export type RfmGroupId =
  | "CHAMPIONS"
  | "LOYAL"
  | "ACTIVE"
  | "PROMISING"
  | "NEW"
  | "NEEDS_ATTENTION"
  | "AT_RISK"
  | "PREVIOUSLY_LOYAL"
  | "ALMOST_LOST"
  | "DORMANT"
  | "PROSPECTS";

export interface RfmGroupInfo {
  readonly id: RfmGroupId;
  readonly name: string;
  readonly description: string;
  readonly action: string;
}

export const RFM_GROUPS: Readonly<Record<RfmGroupId, RfmGroupInfo>> = {
  CHAMPIONS: { id: "CHAMPIONS", name: "Champions", description: "Very recent purchases, many orders and the most spend.", action: "Reward them: early access, VIP perks and referral asks; avoid discounting." },
  LOYAL: { id: "LOYAL", name: "Loyal", description: "Recent purchases, many orders and the most spend.", action: "Upsell and cross-sell; invite to a loyalty programme." },
  ACTIVE: { id: "ACTIVE", name: "Active", description: "Recent purchases, some orders and moderate spend.", action: "Recommend related products to grow basket size and frequency." },
  PROMISING: { id: "PROMISING", name: "Promising", description: "Recent purchases, few orders and low spend.", action: "Nudge a second purchase with a targeted offer or free shipping." },
  NEW: { id: "NEW", name: "New", description: "Very recent purchases, few orders and low spend.", action: "Welcome series: onboarding, best sellers, a reason to come back." },
  NEEDS_ATTENTION: { id: "NEEDS_ATTENTION", name: "Needs attention", description: "Recent-ish purchases, some orders and moderate spend, cooling down.", action: "Re-engage with personalised recommendations before they drift." },
  AT_RISK: { id: "AT_RISK", name: "At risk", description: "No recent purchases, but a strong history of orders and spend.", action: "Win-back campaign with a personalised incentive." },
  PREVIOUSLY_LOYAL: { id: "PREVIOUSLY_LOYAL", name: "Previously loyal", description: "No recent purchases, but a very strong history of orders and spend.", action: "High-touch win-back: personal outreach, strong incentive, ask for feedback." },
  ALMOST_LOST: { id: "ALMOST_LOST", name: "Almost lost", description: "No recent purchases, fewer orders and lower spend.", action: "Last-chance reactivation offer; stop if no response." },
  DORMANT: { id: "DORMANT", name: "Dormant", description: "No recent orders, infrequent orders and low spend.", action: "Low-cost reactivation only; suppress from frequent campaigns." },
  PROSPECTS: { id: "PROSPECTS", name: "Prospects", description: "No purchase yet (or only returns).", action: "Convert: first-order incentive and social proof." },
};

/** Grid rows R = 5..1 (index 5 − R), columns FM = 1..5 (index FM − 1). */
export const RFM_GROUP_GRID: readonly (readonly RfmGroupId[])[] = [
  /* R=5 */ ["NEW", "ACTIVE", "ACTIVE", "CHAMPIONS", "CHAMPIONS"],
  /* R=4 */ ["PROMISING", "ACTIVE", "ACTIVE", "LOYAL", "LOYAL"],
  /* R=3 */ ["PROMISING", "NEEDS_ATTENTION", "NEEDS_ATTENTION", "LOYAL", "LOYAL"],
  /* R=2 */ ["ALMOST_LOST", "ALMOST_LOST", "AT_RISK", "AT_RISK", "PREVIOUSLY_LOYAL"],
  /* R=1 */ ["DORMANT", "DORMANT", "AT_RISK", "AT_RISK", "PREVIOUSLY_LOYAL"],
];

/** FM = (F + M)/2 rounded half up: an integer 1..5. */
export function fmScore(f: number, m: number): number {
  return Math.ceil((f + m) / 2);
}

/**
 * Group of one customer from its scores. Total over r, f, m ∈ 1..5; any score 0 (not scored:
 * no purchase) gives PROSPECTS. Throws on anything else.
 */
export function rfmGroup(r: number, f: number, m: number): RfmGroupId {
  if (r === 0 || f === 0 || m === 0) return "PROSPECTS";
  for (const s of [r, f, m]) {
    if (!(Number.isInteger(s) && s >= 1 && s <= 5)) throw new RangeError(`RFM scores must be integers 1..5 (or 0), got ${r},${f},${m}`);
  }
  return RFM_GROUP_GRID[5 - r]![fmScore(f, m) - 1]!;
}
