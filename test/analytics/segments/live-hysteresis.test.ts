// Live assignment between refits: a stored model scores customers without refitting and keeps each
// customer's previous segment by the refit's own hysteresis rule and margin (stability.ts).
import { describe, expect, it } from "vitest";
import {
  assignSegments,
  assignSegmentsWithHysteresis,
  centreDims,
  featureTableFromRows,
  parseSegmentModel,
  scaleRow,
  segmentCustomers,
  type RfmFeatureTable,
  type SegmentAssignment,
  type SegmentModel,
} from "../../../app/analytics/index";
import { blobs, FOUR_GROUPS } from "./planted-groups";

const WIDE = FOUR_GROUPS.map((b) => ({ ...b, spread: 0.6 })); // overlapping groups: boundary customers exist
const AS_OF = "2024-06-30";

function segmentMap(model: SegmentModel, a: SegmentAssignment, t: RfmFeatureTable): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < t.count; i++) m.set(t.customerIds[i]!, model.segments[a.segmentIndex[i]!]!.id);
  return m;
}

interface Candidate {
  recencyDays: number;
  frequency: number;
  monetaryMilli: number;
  /** Distance to the nearest cluster centre / distance to the other cluster's centre. */
  ratio: number;
  nearest: string;
  other: string;
}

/** Integer customers on a grid with their nearest and second-nearest cluster centres under `model`. */
function candidates(model: SegmentModel): Candidate[] {
  const dims = centreDims(model.algorithm);
  const clusters = model.segments.filter((s) => s.kind === "cluster");
  const out: Candidate[] = [];
  for (let recencyDays = 0; recencyDays <= 400; recencyDays += 4) {
    for (let frequency = 1; frequency <= 14; frequency++) {
      for (const units of [30, 60, 120, 250, 500, 1000, 2000, 4000]) {
        const x = scaleRow(model.scaler, [recencyDays, frequency, units]);
        const ranked = clusters
          .map((s) => ({ id: s.id, d: Math.sqrt(s.centroidScaled.slice(0, dims).reduce((sum, c, j) => sum + (x[j]! - c) ** 2, 0)) }))
          .sort((a, b) => a.d - b.d);
        out.push({ recencyDays, frequency, monetaryMilli: units * 1000, ratio: ranked[0]!.d / ranked[1]!.d, nearest: ranked[0]!.id, other: ranked[1]!.id });
      }
    }
  }
  return out;
}

describe("assignSegmentsWithHysteresis (K-means)", () => {
  const model = parseSegmentModel(JSON.stringify(segmentCustomers(blobs(WIDE, 3), { seed: 1, k: 4, algorithm: "kmeans" }).model));
  const grid = candidates(model);
  // Within the margin: the new centre is closer, but by less than 10 %.
  const borderline = grid.find((c) => c.ratio > 1 - model.hysteresisMargin + 0.02 && c.ratio < 0.99)!;
  // Clearly past the boundary: the new centre is less than half as far.
  const clear = grid.find((c) => c.ratio < 0.5)!;
  const table = featureTableFromRows(
    [
      { customerId: "borderline", ...borderline },
      { customerId: "clear", ...clear },
      { customerId: "first-timer", ...clear },
    ],
    AS_OF,
  );

  it("the grid has the customers the cases need", () => {
    expect(model.hysteresisMargin).toBe(0.1);
    expect(borderline).toBeDefined();
    expect(clear).toBeDefined();
    // Without hysteresis both go to their nearest centre.
    const plain = segmentMap(model, assignSegments(model, table), table);
    expect(plain.get("borderline")).toBe(borderline.nearest);
    expect(plain.get("clear")).toBe(clear.nearest);
  });

  it("a customer close to the boundary keeps the previous segment; one clearly past it moves", () => {
    const previous = new Map([
      ["borderline", borderline.other],
      ["clear", clear.other],
    ]);
    const live = assignSegmentsWithHysteresis(model, table, previous);
    const segments = segmentMap(model, live, table);
    expect(segments.get("borderline")).toBe(borderline.other);
    expect(live.kept[0]).toBe(1);
    expect(segments.get("clear")).toBe(clear.nearest);
    expect(live.kept[1]).toBe(0);
    // No previous segment: assigned plainly.
    expect(segments.get("first-timer")).toBe(clear.nearest);
    expect(live.kept[2]).toBe(0);
  });

  it("a previous segment that is not a cluster (prospects) never holds a buyer back", () => {
    const prospects = model.segments.find((s) => s.kind === "prospects")!.id;
    const live = assignSegmentsWithHysteresis(model, table, new Map([["borderline", prospects]]));
    expect(segmentMap(model, live, table).get("borderline")).toBe(borderline.nearest);
    expect(live.kept[0]).toBe(0);
  });

  it("a previous segment the model does not know (an older run's id) is ignored", () => {
    const live = assignSegmentsWithHysteresis(model, table, new Map([["borderline", "seg-999"]]));
    expect(segmentMap(model, live, table).get("borderline")).toBe(borderline.nearest);
  });

  it("uses the margin stored in the model: margin 0 lets the borderline customer move", () => {
    const noMargin: SegmentModel = { ...model, hysteresisMargin: 0 };
    const live = assignSegmentsWithHysteresis(noMargin, table, new Map([["borderline", borderline.other]]));
    expect(segmentMap(model, live, table).get("borderline")).toBe(borderline.nearest);
  });
});

describe.each(["kmeans", "hybrid"] as const)("assignSegmentsWithHysteresis equals the refit on unchanged data (%s)", (algorithm) => {
  it("same segments, same kept flags, same outliers", () => {
    const before = blobs(WIDE, 3);
    const first = segmentCustomers(before, { seed: 1, k: 4, algorithm });
    const now = blobs(WIDE, 4); // the same customer ids, moved
    const stored = segmentMap(first.model, first, before);
    const refit = segmentCustomers(now, { seed: 5, k: 4, algorithm, previousModel: parseSegmentModel(JSON.stringify(first.model)), previousSegments: stored });
    expect(refit.diagnostics.keptByHysteresis).toBeGreaterThan(0); // the case is not vacuous

    const model = parseSegmentModel(JSON.stringify(refit.model));
    const live = assignSegmentsWithHysteresis(model, now, segmentMap(refit.model, refit, now));
    expect(Array.from(live.segmentIndex)).toEqual(Array.from(refit.segmentIndex));
    expect(Array.from(live.kept)).toEqual(Array.from(refit.kept));
    expect(Array.from(live.outlier)).toEqual(Array.from(refit.outlier));
  });
});

describe("assignSegmentsWithHysteresis without a centre to be closer to", () => {
  it("RFM: the group follows the scores, whatever the previous segment", () => {
    const t = blobs(WIDE, 3);
    const r = segmentCustomers(t, { seed: 1, algorithm: "rfm" });
    const wrong = new Map(t.customerIds.map((id, i) => [id, r.model.segments[(r.segmentIndex[i]! + 1) % r.model.segments.length]!.id]));
    const live = assignSegmentsWithHysteresis(r.model, t, wrong);
    expect(Array.from(live.segmentIndex)).toEqual(Array.from(r.segmentIndex));
    expect(live.kept.every((k) => k === 0)).toBe(true);
  });
});
