import { describe, expect, it } from "vitest";
import { dedupeNames, hybridNaming, TIER_NAMES, type HybridNamingInput } from "../../../app/analytics/segments/naming";

const open = (tier: HybridNamingInput["tier"], recency: number, frequency: number): HybridNamingInput => ({ tier, standing: { recency, frequency }, name: "", fixedName: false });

describe("hybrid names", () => {
  it("two clusters near the same name get the two nearest names, never the same one", () => {
    // Online Retail's high tier: 4 days / 21 orders and 11 days / 9 orders both stand near "champions"
    const named = hybridNaming([open("high", 0.95, 0.97), open("high", 0.82, 0.87), open("high", 0.5, 0.7)]);
    expect(named.map((n) => n.name)).toEqual(["High-value champions", "High-value loyal", "High-value needing attention"]);
    expect(named[0]!.action).toMatch(/^Reward/);
  });
  it("names are chosen per tier: the same standing in two tiers gives the same word with its tier", () => {
    const named = hybridNaming([open("high", 0.1, 0), open("low", 0.1, 0), open("mid", 0.9, 0)]);
    expect(named.map((n) => n.name)).toEqual(["High-value lost", "Low-value lost", "Mid-value new"]);
  });
  it("tier-only words: a lapsed frequent low spender is at risk, not a can't-lose customer", () => {
    expect(hybridNaming([open("high", 0.1, 0.9)])[0]!.name).toBe("High-value can't lose");
    expect(hybridNaming([open("low", 0.1, 0.9)])[0]!.name).toBe("Low-value at risk");
    expect(hybridNaming([open("low", 0.95, 0.95)])[0]!.name).toBe("Low-value loyal");
  });
  it("a final (inherited) name is kept, and no new cluster of its tier takes it", () => {
    const named = hybridNaming([{ tier: "high", standing: { recency: 0.95, frequency: 0.95 }, name: "High-value champions", fixedName: true }, open("high", 0.94, 0.96)]);
    expect(named.map((n) => n.name)).toEqual(["High-value champions", "High-value loyal"]);
    expect(named[0]!.action).toMatch(/^Reward/);
  });
  it("more clusters than words: the rest take their nearest word, and dedupeNames tells them apart in words that agree in number", () => {
    const words = TIER_NAMES.filter((n) => n.tiers.includes("low")).length;
    const clusters = Array.from({ length: words + 1 }, (_, k) => open("low", k / (words + 1), 0));
    const names = hybridNaming(clusters).map((n) => n.name);
    expect(new Set(names).size).toBe(words);
    const medians = clusters.map((_, k) => ({ recencyDays: 10, frequency: k === 0 ? 1 : 2, monetaryMilli: 1000 }));
    const [a, b] = [0, 1];
    const deduped = dedupeNames(["Low-value lost", "Low-value lost"], [medians[a]!, medians[b]!], [false, false], "");
    expect(deduped).toEqual(["Low-value lost (1 order)", "Low-value lost (2 orders)"]);
  });
  it("an empty cluster gets a name left over", () => {
    const named = hybridNaming([open("mid", 0.9, 0.9), { tier: "mid", standing: null, name: "", fixedName: false }]);
    expect(named[0]!.name).toBe("Mid-value champions");
    expect(named[1]!.name).toMatch(/^Mid-value /);
    expect(named[1]!.name).not.toBe(named[0]!.name);
  });
});
