// The Model page's chart data from stored plots: the chosen K marked on K-means runs only, the K
// rule in words, eps marked on DBSCAN's k-distance curve (absent with a reason otherwise), and the
// PCA scatter named by the run's segments with its explained variance in the caption.
import { describe, expect, it } from "vitest";
import type { PlotData, SegmentDiagnostics } from "../../app/analytics/index";
import { kCurvesView, kDistanceView, pcaView } from "../../app/components/model/model-charts-data";

const PLOTS: PlotData = {
  elbow: [
    { k: 2, inertia: 120 },
    { k: 3, inertia: 60 },
    { k: 4, inertia: 45 },
  ],
  silhouette: [
    { k: 2, silhouette: 0.41 },
    { k: 3, silhouette: 0.52 },
    { k: 4, silhouette: 0.47 },
  ],
  kDistance: { minPoints: 6, eps: 0.4567, kneeIndex: 2, curve: [{ index: 0, distance: 0.1 }, { index: 1, distance: 0.2 }, { index: 2, distance: 0.4567 }, { index: 3, distance: 1.2 }] },
  pca: {
    explainedVarianceRatio: [0.62, 0.25, 0.13],
    points: [
      { x: 1, y: 2, segment: 0 },
      { x: -1, y: 0.5, segment: 2 },
    ],
    centroids: [{ x: 0.5, y: 1, segment: 0 }],
  },
};

const diagnostics = (d: Partial<SegmentDiagnostics>): SegmentDiagnostics => ({
  clusteredCustomers: 100,
  k: null,
  kRule: null,
  kBySilhouette: null,
  kByElbow: null,
  eps: null,
  minPoints: null,
  silhouette: null,
  keptByHysteresis: 0,
  matchedSegments: 0,
  ...d,
});

describe("kCurvesView", () => {
  it("K-means: both curves as points, the chosen K marked, silhouette and elbow votes and the rule in words", () => {
    const view = kCurvesView("kmeans", PLOTS, diagnostics({ k: 3, kBySilhouette: 3, kByElbow: 3, kRule: "silhouette and inertia elbow agree: K = 3 (silhouette 0.52)" }));
    expect(view.elbow).toEqual([{ x: 2, y: 120 }, { x: 3, y: 60 }, { x: 4, y: 45 }]);
    expect(view.silhouette).toEqual([{ x: 2, y: 0.41 }, { x: 3, y: 0.52 }, { x: 4, y: 0.47 }]);
    expect(view.marker).toEqual({ x: 3, label: "K = 3 (chosen)" });
    expect(view.explanation).toContain("This run used K = 3.");
    expect(view.explanation).toContain("best at K = 3");
    expect(view.explanation).toContain("Rule applied: silhouette and inertia elbow agree: K = 3 (silhouette 0.52).");
    expect(view.absent).toBeNull();
  });

  it("hybrid: curves for reference, no single K marked; RFM without curves says why", () => {
    const hybrid = kCurvesView("hybrid", PLOTS, diagnostics({ kRule: "monetary tiers …" }));
    expect(hybrid.marker).toBeNull();
    expect(hybrid.explanation).toMatch(/spend tiers/);
    const rfm = kCurvesView("rfm", { ...PLOTS, elbow: [], silhouette: [] }, diagnostics({}));
    expect(rfm.absent).toMatch(/RFM groups do not cluster/);
    expect(rfm.marker).toBeNull();
  });
});

describe("kDistanceView", () => {
  it("DBSCAN: the sorted distances with eps marked at the knee", () => {
    const view = kDistanceView("dbscan", PLOTS);
    expect("absent" in view).toBe(false);
    if ("absent" in view) return;
    expect(view.points).toEqual([{ x: 0, y: 0.1 }, { x: 1, y: 0.2 }, { x: 2, y: 0.4567 }, { x: 3, y: 1.2 }]);
    expect(view.marker).toEqual({ x: 2, label: "eps = 0.457" });
    expect(view.summary).toMatch(/6th nearest neighbour/);
  });

  it("other algorithms: absent, saying why and what to do", () => {
    expect(kDistanceView("hybrid", PLOTS)).toEqual({ absent: expect.stringMatching(/This run used Hybrid, which has no radius; choose DBSCAN/) });
    expect(kDistanceView("dbscan", { ...PLOTS, kDistance: null })).toEqual({ absent: expect.stringMatching(/no k-distance curve/) });
  });
});

describe("pcaView", () => {
  it("colours points by segment index with the run's segment names, explained variance in the caption", () => {
    const view = pcaView(PLOTS, ["Champions", "Loyal", "At risk"]);
    expect("absent" in view).toBe(false);
    if ("absent" in view) return;
    expect(view.points).toEqual([{ x: 1, y: 2, series: 0 }, { x: -1, y: 0.5, series: 2 }]);
    expect(view.centres).toEqual([{ x: 0.5, y: 1, series: 0 }]);
    expect(view.seriesNames).toEqual(["Champions", "Loyal", "At risk"]);
    expect(view.caption).toBe("The first axis explains 62.0% and the second 25.0% of the variation in scaled recency, frequency and spend (87.0% together).");
    expect(view.summary).toMatch(/^2 sampled customers/);
  });

  it("absent when the run stored no projection", () => {
    expect(pcaView({ ...PLOTS, pca: null }, [])).toEqual({ absent: expect.stringMatching(/no PCA projection/) });
  });
});
