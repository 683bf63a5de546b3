import { describe, expect, it } from "vitest";
import { fitQuintiles, scoreWithScale, scoreRfm, applyRfmScores } from "../../../app/analytics/rfm/scores";
import { rfmGroup, fmScore, RFM_GROUP_GRID, RFM_GROUPS, type RfmGroupId } from "../../../app/analytics/rfm/groups";
import { featureTableFromRows } from "../../../app/analytics/rfm/features";

describe("quintile scores", () => {
  it("distinct values: two per quintile", () => {
    const { scores } = fitQuintiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], "asc");
    expect(Array.from(scores)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });
  it("ties share a score placed by their average rank", () => {
    // six 1s: average rank 3.5 → 1 + floor(5·2.5/10) = 2; 2 → rank 7 → 4; 3 → 8 → 4; 4 → 9 → 5; 5 → 10 → 5
    const { scores, scale } = fitQuintiles([1, 1, 1, 1, 1, 1, 2, 3, 4, 5], "asc");
    expect(Array.from(scores)).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    expect(scale.ranges).toEqual([null, [1, 1], null, [2, 3], [4, 5]]);
  });
  it("recency is inverted: the most recent get 5", () => {
    const { scores } = fitQuintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "desc");
    expect(Array.from(scores)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });
  it("NaN entries are not scored and do not count in n", () => {
    const { scores } = fitQuintiles([NaN, 1, 2, 3, 4, 5], "asc");
    expect(Array.from(scores)).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("does not mutate its input", () => {
    const v = Object.freeze([3, 1, 2]);
    fitQuintiles(v, "asc");
    expect(v).toEqual([3, 1, 2]);
  });
  it("scores new values on the fitted scale", () => {
    const { scale } = fitQuintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "asc");
    expect([0, 1, 2.5, 3, 6.9, 9, 100].map((v) => scoreWithScale(scale, v))).toEqual([1, 1, 1, 2, 3, 5, 5]); // a gap between ranges takes the lower score
    const { scale: rs } = fitQuintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "desc");
    expect([0, 1, 2, 3, 10, 50].map((v) => scoreWithScale(rs, v))).toEqual([5, 5, 5, 4, 1, 1]);
  });
  it("scoreRfm leaves return-only customers unscored and applyRfmScores reproduces the fit", () => {
    const t = featureTableFromRows(
      [
        { customerId: "a", recencyDays: 1, frequency: 5, monetaryMilli: 900 },
        { customerId: "b", recencyDays: 50, frequency: 1, monetaryMilli: 100 },
        { customerId: "c", recencyDays: null, frequency: 0, monetaryMilli: -50 },
        { customerId: "d", recencyDays: 10, frequency: 2, monetaryMilli: 300 },
      ],
      "2024-01-01",
    );
    const s = scoreRfm(t);
    expect(Array.from(s.r)).toEqual([5, 1, 0, 3]);
    expect(Array.from(s.f)).toEqual([5, 1, 0, 3]);
    expect(s.model.n).toBe(3);
    const again = applyRfmScores(s.model, t);
    expect(Array.from(again.m)).toEqual(Array.from(s.m));
  });
});

describe("Shopify RFM groups", () => {
  // Every cell of R × FM, written out (this is the table in docs/analytics.md).
  const table: Record<number, RfmGroupId[]> = {
    5: ["NEW", "ACTIVE", "ACTIVE", "CHAMPIONS", "CHAMPIONS"],
    4: ["PROMISING", "ACTIVE", "ACTIVE", "LOYAL", "LOYAL"],
    3: ["PROMISING", "NEEDS_ATTENTION", "NEEDS_ATTENTION", "LOYAL", "LOYAL"],
    2: ["ALMOST_LOST", "ALMOST_LOST", "AT_RISK", "AT_RISK", "PREVIOUSLY_LOYAL"],
    1: ["DORMANT", "DORMANT", "AT_RISK", "AT_RISK", "PREVIOUSLY_LOYAL"],
  };
  for (const r of [5, 4, 3, 2, 1]) {
    for (let fm = 1; fm <= 5; fm++) {
      it(`R${r} FM${fm} → ${table[r]![fm - 1]}`, () => {
        expect(rfmGroup(r, fm, fm)).toBe(table[r]![fm - 1]);
        expect(RFM_GROUP_GRID[5 - r]![fm - 1]).toBe(table[r]![fm - 1]);
      });
    }
  }
  it("FM = (F + M)/2 rounded half up", () => {
    expect(fmScore(3, 4)).toBe(4);
    expect(fmScore(1, 2)).toBe(2);
    expect(fmScore(5, 5)).toBe(5);
    expect(rfmGroup(5, 3, 4)).toBe("CHAMPIONS");
    expect(rfmGroup(5, 1, 2)).toBe("ACTIVE");
    expect(rfmGroup(2, 5, 4)).toBe("PREVIOUSLY_LOYAL");
  });
  it("is total over 1..5³ and uses all ten purchase groups; score 0 is a prospect", () => {
    const seen = new Set<RfmGroupId>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(rfmGroup(r, f, m));
    expect(seen.size).toBe(10);
    expect(rfmGroup(0, 0, 0)).toBe("PROSPECTS");
    expect(Object.keys(RFM_GROUPS)).toHaveLength(11);
  });
  it("rejects out-of-range scores", () => {
    expect(() => rfmGroup(6, 1, 1)).toThrow(RangeError);
    expect(() => rfmGroup(2.5, 1, 1)).toThrow(RangeError);
  });
});
