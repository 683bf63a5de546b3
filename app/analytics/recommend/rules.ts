// Association rules (docs/recommendations.md §rules): apriori with sparse counting — frequent
// items, then pairs counted basket by basket into a Map keyed by two item indices, then triples
// only over frequent pairs. No dense one-hot matrix.
import { compareIds } from "./baskets";
import { indexBaskets } from "./sparse";
import type { AssociationRule, Basket, RuleOptions } from "./types";

export const DEFAULT_RULE_OPTIONS: RuleOptions = { minSupport: 0.001, minCount: 3, minConfidence: 0.05, maxAntecedent: 2 };

function resolveRuleOptions(options: Partial<RuleOptions>): RuleOptions {
  const resolved = { ...DEFAULT_RULE_OPTIONS, ...options };
  if (!(resolved.minSupport >= 0 && resolved.minSupport <= 1)) throw new RangeError(`Rule mining's minSupport must be between 0 and 1, got ${resolved.minSupport}.`);
  if (!Number.isInteger(resolved.minCount) || resolved.minCount < 1) throw new RangeError(`Rule mining's minCount must be a whole number ≥ 1, got ${resolved.minCount}.`);
  if (!(resolved.minConfidence >= 0 && resolved.minConfidence <= 1)) throw new RangeError(`Rule mining's minConfidence must be between 0 and 1, got ${resolved.minConfidence}.`);
  if (resolved.maxAntecedent !== 1 && resolved.maxAntecedent !== 2) throw new RangeError(`Rule mining's maxAntecedent must be 1 or 2, got ${String(resolved.maxAntecedent)}.`);
  if (resolved.maxRules !== undefined && !(Number.isInteger(resolved.maxRules) && resolved.maxRules >= 0)) throw new RangeError(`Rule mining's maxRules must be a whole number ≥ 0, got ${resolved.maxRules}.`);
  return resolved;
}

/**
 * Rules X → y with |X| ∈ {1, 2} (up to maxAntecedent) whose itemset X ∪ {y} is in at least
 * max(minCount, ⌈minSupport · baskets⌉) baskets and whose confidence reaches minConfidence.
 * support = count / baskets, confidence = count / baskets holding X, lift = confidence / (baskets
 * holding y / baskets). Order: lift descending, then count descending, then antecedent and
 * consequent by id — deterministic.
 */
export function mineRules(baskets: readonly Basket[], options: Partial<RuleOptions> = {}): AssociationRule[] {
  const params = resolveRuleOptions(options);
  const total = baskets.length;
  if (total === 0) return [];
  const minCount = Math.max(params.minCount, Math.ceil(params.minSupport * total - 1e-9));
  const data = indexBaskets(baskets);
  // Items are indexed by count descending, so the frequent ones are items[0 … f).
  let f = 0;
  while (f < data.items.length && data.counts[f]! >= minCount) f++;

  // Pairs (a < b < f): key a·f + b.
  const pairCounts = new Map<number, number>();
  const frequentIn: number[] = [];
  const basketCount = data.basketOffsets.length - 1;
  const frequentItemsOf = (b: number) => {
    frequentIn.length = 0;
    for (let k = data.basketOffsets[b]!; k < data.basketOffsets[b + 1]!; k++) {
      const i = data.basketItems[k]!;
      if (i < f) frequentIn.push(i);
    }
    return frequentIn;
  };
  for (let b = 0; b < basketCount; b++) {
    const list = frequentItemsOf(b);
    for (let x = 0; x < list.length; x++) {
      const row = list[x]! * f;
      for (let y = x + 1; y < list.length; y++) {
        const key = row + list[y]!;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
      }
    }
  }
  const frequentPairs = new Map<number, number>();
  for (const [key, count] of pairCounts) if (count >= minCount) frequentPairs.set(key, count);
  pairCounts.clear();

  const rules: AssociationRule[] = [];
  const countOf = (i: number) => data.counts[i]!;
  const add = (antecedent: number[], antecedentCount: number, consequent: number, count: number) => {
    const confidence = count / antecedentCount;
    if (confidence < params.minConfidence) return;
    const ids = antecedent.map((i) => data.items[i]!).sort(compareIds);
    // lift = count·N / (count(X)·count(y)): one division of exact integers, so A → B and B → A tie exactly.
    rules.push({ antecedent: ids, consequent: data.items[consequent]!, count, support: count / total, confidence, lift: (count * total) / (antecedentCount * countOf(consequent)) });
  };
  for (const [key, count] of frequentPairs) {
    const a = Math.floor(key / f);
    const b = key - a * f;
    add([a], countOf(a), b, count);
    add([b], countOf(b), a, count);
  }

  if (params.maxAntecedent === 2 && frequentPairs.size > 0) {
    // Triples a < b < c whose three pairs are all frequent (apriori), keyed by (pair a·f + b)·f + c.
    // Keys stay exact below 2^53 while f³ does (f ≤ 208,000 frequent items).
    const tripleCounts = new Map<number, number>();
    const partners: number[] = [];
    for (let b = 0; b < basketCount; b++) {
      const list = frequentItemsOf(b);
      for (let x = 0; x < list.length; x++) {
        const a = list[x]!;
        partners.length = 0;
        for (let y = x + 1; y < list.length; y++) if (frequentPairs.has(a * f + list[y]!)) partners.push(list[y]!);
        for (let y = 0; y < partners.length; y++) {
          const pairKey = (a * f + partners[y]!) * f;
          for (let z = y + 1; z < partners.length; z++) {
            if (!frequentPairs.has(partners[y]! * f + partners[z]!)) continue;
            const key = pairKey + partners[z]!;
            tripleCounts.set(key, (tripleCounts.get(key) ?? 0) + 1);
          }
        }
      }
    }
    for (const [key, count] of tripleCounts) {
      if (count < minCount) continue;
      const c = key % f;
      const pair = (key - c) / f;
      const a = Math.floor(pair / f);
      const b = pair - a * f;
      add([a, b], frequentPairs.get(a * f + b)!, c, count);
      add([a, c], frequentPairs.get(a * f + c)!, b, count);
      add([b, c], frequentPairs.get(b * f + c)!, a, count);
    }
  }

  rules.sort(compareRules);
  return params.maxRules === undefined ? rules : rules.slice(0, params.maxRules);
}

function compareRules(x: AssociationRule, y: AssociationRule): number {
  return (
    y.lift - x.lift ||
    y.count - x.count ||
    compareIds(x.antecedent[0]!, y.antecedent[0]!) ||
    x.antecedent.length - y.antecedent.length ||
    compareIds(x.antecedent[1] ?? "", y.antecedent[1] ?? "") ||
    compareIds(x.consequent, y.consequent)
  );
}
