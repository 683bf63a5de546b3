import { describe, expect, it } from "vitest";
import { desiredTags, isSegmintTag, MAX_TAGS_PER_CUSTOMER, segmentTags, slugOf, tagDiff } from "../../app/domain/tags";

describe("segment tags", () => {
  it("slugs names the way a merchant would type them", () => {
    expect(slugOf("High-value champions")).toBe("high-value-champions");
    expect(slugOf("Can't lose them")).toBe("cant-lose-them");
    expect(slugOf("Nouveaux clients (été)")).toBe("nouveaux-clients-ete");
    expect(slugOf("!!!")).toBe("segment");
  });

  it("gives each segment its own tag, numbering clashes in order", () => {
    const tags = segmentTags("segmint", [
      { key: "a", name: "Loyal" },
      { key: "b", name: "loyal" },
      { key: "c", name: "At risk" },
    ]);
    expect([...tags.entries()]).toEqual([
      ["a", "segmint:loyal"],
      ["b", "segmint:loyal-2"],
      ["c", "segmint:at-risk"],
    ]);
  });

  it("knows its namespace, case-insensitively, and nothing else", () => {
    expect(isSegmintTag("Segmint:Loyal", "segmint")).toBe(true);
    expect(isSegmintTag("segmintish", "segmint")).toBe(false);
    expect(isSegmintTag("wholesale", "segmint")).toBe(false);
  });

  it("wants the segment's tag, or none outside the run", () => {
    expect(desiredTags({ segmentTag: "segmint:loyal" })).toEqual(["segmint:loyal"]);
    expect(desiredTags({ segmentTag: null })).toEqual([]);
  });
});

describe("tagDiff", () => {
  it("swaps the old Segmint tag for the new one and leaves the merchant's tags alone", () => {
    const diff = tagDiff(["wholesale", "segmint:loyal", "VIP"], ["segmint:at-risk"], "segmint");
    expect(diff).toEqual({ add: ["segmint:at-risk"], remove: ["segmint:loyal"], capped: false });
  });

  it("is empty when the customer already has exactly the desired tags (any case)", () => {
    expect(tagDiff(["Segmint:Loyal", "wholesale"], ["segmint:loyal"], "segmint")).toEqual({ add: [], remove: [], capped: false });
  });

  it("removes every stale Segmint tag, including ones of another segment naming", () => {
    expect(tagDiff(["segmint:a", "segmint:b"], [], "segmint").remove).toEqual(["segmint:a", "segmint:b"]);
  });

  it("skips a customer the change would take past 250 tags", () => {
    const full = Array.from({ length: MAX_TAGS_PER_CUSTOMER }, (_, i) => `m-${i + 1}`);
    expect(tagDiff(full, ["segmint:loyal"], "segmint").capped).toBe(true);
    // swapping one Segmint tag for another keeps the count: allowed at the cap
    const atCap = [...full.slice(1), "segmint:loyal"];
    expect(tagDiff(atCap, ["segmint:at-risk"], "segmint")).toEqual({ add: ["segmint:at-risk"], remove: ["segmint:loyal"], capped: false });
    // no change is never capped
    expect(tagDiff(full, [], "segmint").capped).toBe(false);
  });
});
