// The Overview's pure pieces: segment ids no profile names still get a row or column (with their
// stored name or id), customers new to the run come last, and a stored agreement that is not one
// reads as "not compared yet" rather than breaking the page.
import { describe, expect, it } from "vitest";
import { migrationMatrix, parseRfmAgreement, segmentCards, shopifyGroupLabel } from "../../app/domain/run-changes";
import type { SegmentProfile } from "../../app/analytics";

const p = (segmentId: string, size: number): SegmentProfile =>
  ({ segmentId, name: segmentId.toUpperCase(), kind: "cluster", tier: null, size, share: 0, revenueMilli: 0, revenueShare: 0, mean: { recencyDays: 0, frequency: 0, monetaryMilli: 0 }, median: { recencyDays: 0, frequency: 0, monetaryMilli: 0 }, centroidOriginal: [], definition: "", action: "" }) as SegmentProfile;

describe("migrationMatrix", () => {
  it("orders rows by the previous run and columns by this run; unknown ids after, newcomers last", () => {
    const m = migrationMatrix(
      {
        previousRunId: 1,
        rows: [
          { from: null, fromName: null, to: "b", customers: 2 },
          { from: "gone-seg", fromName: "Retired", to: "a", customers: 3 },
          { from: "b", fromName: "B", to: "mystery", customers: 4 },
          { from: "a", fromName: "A", to: "a", customers: 5 },
        ],
        gone: 0,
      },
      [p("a", 8), p("b", 2)],
      [p("a", 5), p("b", 4)],
    );
    expect(m.rows).toEqual([
      { id: "a", name: "A" },
      { id: "b", name: "B" },
      { id: "gone-seg", name: "Retired" },
      { id: null, name: "New to this run" },
    ]);
    expect(m.columns).toEqual([
      { id: "a", name: "A" },
      { id: "b", name: "B" },
      { id: "mystery", name: "mystery" },
    ]);
    expect(m.counts).toEqual([
      [5, 0, 0],
      [0, 0, 4],
      [3, 0, 0],
      [0, 2, 0],
    ]);
    expect({ stayed: m.stayed, inBoth: m.inBoth, newcomers: m.newcomers }).toEqual({ stayed: 5, inBoth: 12, newcomers: 2 });
  });
});

describe("segmentCards", () => {
  it("a segment empty in the previous run counts as new; empty segments get no card", () => {
    const cards = segmentCards([p("a", 3), p("b", 0), p("c", 2)], [p("a", 1), p("c", 0)]);
    expect(cards.map((c) => [c.segmentId, c.change])).toEqual([
      ["a", { previousSize: 1, delta: 2 }],
      ["c", "new"],
    ]);
  });
});

describe("Shopify RFM agreement", () => {
  it("names Shopify's groups in plain words", () => {
    expect(shopifyGroupLabel("NEEDS_ATTENTION")).toBe("Needs attention");
    expect(shopifyGroupLabel("NONE")).toBe("No Shopify group");
  });
  it("reads a stored agreement, and anything else as absent", () => {
    const ok = { groups: ["LOYAL", "NONE"], segments: ["a"], counts: [[1], [2]], customers: 3, withShopifyGroup: 1, sameGroup: 1 };
    expect(parseRfmAgreement(JSON.stringify(ok))).toEqual(ok);
    expect(parseRfmAgreement(null)).toBeNull();
    expect(parseRfmAgreement("not json")).toBeNull();
    expect(parseRfmAgreement(JSON.stringify({ ...ok, counts: [[1]] }))).toBeNull(); // a row short
    expect(parseRfmAgreement(JSON.stringify({ ...ok, sameGroup: "1" }))).toBeNull();
  });
});
