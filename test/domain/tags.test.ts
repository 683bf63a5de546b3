import { describe, expect, it } from "vitest";
import { desiredTags, isSegmintTag, MAX_TAGS_PER_CUSTOMER, segmentTags, slugOf, tagDiff, vipTag } from "../../app/domain/tags";

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
    expect(desiredTags({ segmentTag: "segmint:loyal", holdoutTags: [], vipTag: null })).toEqual(["segmint:loyal"]);
    expect(desiredTags({ segmentTag: null, holdoutTags: [], vipTag: null })).toEqual([]);
  });

  it("adds the holdout tag of every running experiment holding the customer out, in or outside the run", () => {
    expect(desiredTags({ segmentTag: "segmint:loyal", holdoutTags: ["segmint:holdout-spring", "segmint:holdout-vip"], vipTag: null })).toEqual([
      "segmint:loyal",
      "segmint:holdout-spring",
      "segmint:holdout-vip",
    ]);
    expect(desiredTags({ segmentTag: null, holdoutTags: ["segmint:holdout-spring", "segmint:holdout-spring"], vipTag: null })).toEqual(["segmint:holdout-spring"]);
  });

  it("keeps a control member's holdout tag through a segment change and removes it once the experiment ends", () => {
    const tagged = ["wholesale", "segmint:loyal", "segmint:holdout-spring"];
    // moved to another segment, still in the control arm: only the segment tag is swapped
    expect(tagDiff(tagged, desiredTags({ segmentTag: "segmint:at-risk", holdoutTags: ["segmint:holdout-spring"], vipTag: null }), "segmint")).toEqual({
      add: ["segmint:at-risk"],
      remove: ["segmint:loyal"],
      capped: false,
    });
    // the experiment stopped: the holdout tag goes, the merchant's tag stays
    expect(tagDiff(tagged, desiredTags({ segmentTag: "segmint:loyal", holdoutTags: [], vipTag: null }), "segmint")).toEqual({ add: [], remove: ["segmint:holdout-spring"], capped: false });
  });

  it("adds the VIP tag to a whale, beside its segment and holdout tags, and takes it away when it is no longer one", () => {
    expect(vipTag("shop_x")).toBe("shop_x:vip");
    expect(desiredTags({ segmentTag: "segmint:loyal", holdoutTags: ["segmint:holdout-spring"], vipTag: vipTag("segmint") })).toEqual(["segmint:loyal", "segmint:holdout-spring", "segmint:vip"]);
    // a whale outside the run still carries it
    expect(desiredTags({ segmentTag: null, holdoutTags: [], vipTag: "segmint:vip" })).toEqual(["segmint:vip"]);
    const whale = ["wholesale", "segmint:loyal"];
    expect(tagDiff(whale, desiredTags({ segmentTag: "segmint:loyal", holdoutTags: [], vipTag: "segmint:vip" }), "segmint")).toEqual({ add: ["segmint:vip"], remove: [], capped: false });
    // dismissed or the setting turned off: only the VIP tag goes (the merchant's own "VIP" tag is not Segmint's)
    expect(tagDiff([...whale, "segmint:vip", "VIP"], desiredTags({ segmentTag: "segmint:loyal", holdoutTags: [], vipTag: null }), "segmint")).toEqual({ add: [], remove: ["segmint:vip"], capped: false });
  });

  it("reserves the VIP tag: a segment named VIP gets a numbered tag, so its Shopify segment never counts the whales", () => {
    expect([...segmentTags("segmint", [{ key: "a", name: "VIP" }, { key: "b", name: "Loyal" }]).values()]).toEqual(["segmint:vip-2", "segmint:loyal"]);
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
