import { formatMoneyReadable } from "../money";

/**
 * Words for a 1–5 score, used to turn a segment's medians into a sentence. The score of a
 * median comes from the population's quintile scale, so wording is relative to the shop.
 */
const RECENCY_WORDS = ["long ago", "a while ago", "some time ago", "recently", "very recently"] as const;
const FREQUENCY_WORDS = ["once or rarely", "rarely", "a few times", "often", "very often"] as const;
const MONETARY_WORDS = ["spends very little", "spends little", "spends a moderate amount", "spends well", "spends a lot"] as const;

function word(words: readonly string[], score: number): string {
  return words[Math.min(5, Math.max(1, score)) - 1]!;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * "Bought recently (median 12 days ago), often (6 orders) and spends a lot (£2,340)."
 */
export function describeSegment(
  medians: { recencyDays: number; frequency: number; monetaryMilli: number },
  scores: { r: number; f: number; m: number },
  currencySymbol: string,
): string {
  const days = Math.round(medians.recencyDays);
  const orders = medians.frequency;
  const freqWord = orders <= 1 ? "once" : word(FREQUENCY_WORDS, scores.f);
  return (
    `Bought ${word(RECENCY_WORDS, scores.r)} (median ${days} ${plural(days, "day", "days")} ago), ` +
    `${freqWord} (${formatCount(orders)} ${plural(orders, "order", "orders")}) ` +
    `and ${word(MONETARY_WORDS, scores.m)} (${formatMoneyReadable(medians.monetaryMilli, currencySymbol)}).`
  );
}

/** Short phrase for one customer's values. */
export function describeCustomerValues(recencyDays: number, frequency: number, monetaryMilli: number, currencySymbol: string): string {
  const days = Math.round(recencyDays);
  return `last purchase ${days} ${plural(days, "day", "days")} ago, ${frequency} ${plural(frequency, "order", "orders")}, net spend ${formatMoneyReadable(monetaryMilli, currencySymbol)}`;
}
