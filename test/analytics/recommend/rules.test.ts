import { describe, expect, it } from "vitest";
import { mineRules, type Basket } from "../../../app/analytics/index";

// Ten baskets over A, B, C, D, counted by hand:
//   items  A 6, B 7, C 6, D 3
//   pairs  AB 5 (b1 b2 b3 b6 b8), AC 4 (b1 b4 b6 b8), BC 4 (b1 b5 b6 b8), AD 2, BD 2, CD 1
//   triple ABC 3 (b1 b6 b8)
const sets = ["ABC", "AB", "ABD", "AC", "BC", "ABC", "D", "ABCD", "C", "B"];
const baskets: Basket[] = sets.map((s, k) => ({ id: `b${k + 1}`, customerId: null, day: 0, items: [...s] }));

const rule = (antecedent: string, consequent: string, count: number, confidence: number, lift: number) => ({
  antecedent: [...antecedent],
  consequent,
  count,
  support: count / 10,
  confidence,
  lift,
});

describe("association rules", () => {
  it("equal their hand-computed support, confidence and lift, strongest lift first", () => {
    // minCount 3: frequent pairs AB, AC, BC (AD, BD, CD fall short); ABC is frequent (3).
    // confidence = count / count(antecedent); lift = count·10 / (count(antecedent)·count(consequent)).
    // minConfidence 0.6 drops B → C (4/7 ≈ 0.571) only; {A,B} → C (3/5 = 0.6) stays.
    const rules = mineRules(baskets, { minCount: 3, minSupport: 0, minConfidence: 0.6, maxAntecedent: 2 });
    const expected = [
      rule("BC", "A", 3, 3 / 4, 30 / 24), // 1.25
      rule("A", "B", 5, 5 / 6, 50 / 42), // 1.190…, ties with B → A: the larger count, then antecedent id
      rule("B", "A", 5, 5 / 7, 50 / 42),
      rule("A", "C", 4, 4 / 6, 40 / 36), // 1.111…
      rule("C", "A", 4, 4 / 6, 40 / 36),
      rule("AC", "B", 3, 3 / 4, 30 / 28), // 1.071…
      rule("AB", "C", 3, 3 / 5, 30 / 30), // 1
      rule("C", "B", 4, 4 / 6, 40 / 42), // 0.952…
    ];
    expect(rules).toHaveLength(expected.length);
    rules.forEach((r, k) => {
      const e = expected[k]!;
      expect({ antecedent: r.antecedent, consequent: r.consequent, count: r.count }).toEqual({ antecedent: e.antecedent, consequent: e.consequent, count: e.count });
      expect(r.support).toBeCloseTo(e.support, 12);
      expect(r.confidence).toBeCloseTo(e.confidence, 12);
      expect(r.lift).toBeCloseTo(e.lift, 12);
    });
  });

  it("prunes by minimum count or support, whichever is higher", () => {
    // Count 5 (or support 0.45 of 10 baskets → 5): only the pair AB is frequent.
    const byCount = mineRules(baskets, { minCount: 5, minSupport: 0, minConfidence: 0 });
    const bySupport = mineRules(baskets, { minCount: 1, minSupport: 0.45, minConfidence: 0 });
    expect(byCount.map((r) => `${r.antecedent.join("+")}→${r.consequent}`)).toEqual(["A→B", "B→A"]);
    expect(bySupport).toEqual(byCount);
  });

  it("counts triples only over frequent pairs, and mines none with maxAntecedent 1", () => {
    // minCount 2: AD and BD become frequent, so ABD (2) is counted; ACD's pair CD (1) is not frequent.
    const rules = mineRules(baskets, { minCount: 2, minSupport: 0, minConfidence: 0 });
    const abd = rules.find((r) => r.antecedent.join() === "A,B" && r.consequent === "D");
    expect(abd).toMatchObject({ count: 2, confidence: 2 / 5 });
    expect(rules.some((r) => r.antecedent.length === 2 && [...r.antecedent, r.consequent].sort().join("") === "ACD")).toBe(false);
    const singles = mineRules(baskets, { minCount: 2, minSupport: 0, minConfidence: 0, maxAntecedent: 1 });
    expect(singles.every((r) => r.antecedent.length === 1)).toBe(true);
    expect(singles).toHaveLength(10); // 5 frequent pairs, both directions
  });

  it("keeps the strongest maxRules, and refuses nonsense options in plain words", () => {
    expect(mineRules(baskets, { minCount: 3, minSupport: 0, minConfidence: 0.6, maxRules: 2 }).map((r) => r.consequent)).toEqual(["A", "B"]);
    expect(() => mineRules(baskets, { minSupport: 2 })).toThrow(/minSupport must be between 0 and 1/);
    expect(mineRules([], {})).toEqual([]);
  });
});
