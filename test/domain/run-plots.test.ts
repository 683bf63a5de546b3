// SegmentRun.plots read tolerantly: garbage and older/partial values give empty panels, bad points
// are dropped, and a long k-distance curve is thinned for the page with its knee kept.
import { describe, expect, it } from "vitest";
import { parseRunPlots, plotsForDisplay, segmentNamesOfModel, thinCurve } from "../../app/domain/run-plots";

describe("parseRunPlots", () => {
  it("reads null, garbage and '{}' as empty curves and no panels", () => {
    for (const json of [null, undefined, "", "not json", "[]", "{}", '"text"']) {
      expect(parseRunPlots(json), String(json)).toEqual({ elbow: [], silhouette: [], kDistance: null, pca: null });
    }
  });

  it("keeps well-formed points and drops those with null (NaN in JSON) or missing numbers", () => {
    const plots = parseRunPlots(
      JSON.stringify({
        elbow: [{ k: 2, inertia: 10.5 }, { k: 3, inertia: null }, { k: 4, inertia: 4.25 }, "x"],
        silhouette: [{ k: 2, silhouette: 0.4 }, { k: 3 }],
        kDistance: { minPoints: 6, eps: 0.31, kneeIndex: 1, curve: [{ index: 0, distance: 0.1 }, { index: 1, distance: 0.31 }, { index: 2, distance: 0.9 }] },
        pca: { explainedVarianceRatio: [0.6, 0.3, null], points: [{ x: 1, y: 2, segment: 0 }, { x: 1, segment: 1 }], centroids: [{ x: 0, y: 0, segment: 0 }] },
      }),
    );
    expect(plots.elbow).toEqual([{ k: 2, inertia: 10.5 }, { k: 4, inertia: 4.25 }]);
    expect(plots.silhouette).toEqual([{ k: 2, silhouette: 0.4 }]);
    expect(plots.kDistance).toEqual({ minPoints: 6, eps: 0.31, kneeIndex: 1, curve: [{ index: 0, distance: 0.1 }, { index: 1, distance: 0.31 }, { index: 2, distance: 0.9 }] });
    expect(plots.pca).toEqual({ explainedVarianceRatio: [0.6, 0.3], points: [{ x: 1, y: 2, segment: 0 }], centroids: [{ x: 0, y: 0, segment: 0 }] });
  });

  it("treats a k-distance panel without eps, or a PCA panel without points, as absent", () => {
    const plots = parseRunPlots(JSON.stringify({ kDistance: { minPoints: 6, curve: [{ index: 0, distance: 1 }] }, pca: { explainedVarianceRatio: [0.5], points: [] } }));
    expect(plots.kDistance).toBeNull();
    expect(plots.pca).toBeNull();
  });
});

describe("thinCurve and plotsForDisplay", () => {
  it("keeps short curves whole and thins long ones to at most max (+ the kept point), first and last included", () => {
    expect(thinCurve([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const long = Array.from({ length: 1001 }, (_, i) => i);
    const thin = thinCurve(long, 11, 537);
    expect(thin).toEqual([0, 100, 200, 300, 400, 500, 537, 600, 700, 800, 900, 1000]);
  });

  it("thins the k-distance curve of a page and keeps its knee point", () => {
    const curve = Array.from({ length: 20_000 }, (_, i) => ({ index: i, distance: i / 1000 }));
    const plots = plotsForDisplay({ elbow: [], silhouette: [], pca: null, kDistance: { minPoints: 6, eps: 12.345, kneeIndex: 12_345, curve } }, 300);
    expect(plots.kDistance!.curve.length).toBeLessThanOrEqual(301);
    expect(plots.kDistance!.curve).toContainEqual({ index: 12_345, distance: 12.345 });
    expect(plots.kDistance!.curve[0]).toEqual({ index: 0, distance: 0 });
    expect(plots.kDistance!.curve.at(-1)).toEqual({ index: 19_999, distance: 19.999 });
  });
});

describe("segmentNamesOfModel", () => {
  it("lists the model's segment names in order; a missing name gets a placeholder; garbage gives none", () => {
    expect(segmentNamesOfModel(JSON.stringify({ segments: [{ name: "Champions" }, {}, { name: "Prospects" }] }))).toEqual(["Champions", "Segment 2", "Prospects"]);
    expect(segmentNamesOfModel(null)).toEqual([]);
    expect(segmentNamesOfModel("{oops")).toEqual([]);
  });
});
