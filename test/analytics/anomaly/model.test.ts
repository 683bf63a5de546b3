import { describe, expect, it } from "vitest";
import { detectOrderAnomalies, parseOrderAnomalyModel } from "../../../app/analytics/index";
import { syntheticStore } from "./synthetic-orders";

describe("the stored order model", () => {
  const { model } = detectOrderAnomalies(syntheticStore(3, 800).orders, { seed: 5 });

  it("is JSON-safe and reads back to the same model", () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(parseOrderAnomalyModel(json)).toEqual(model);
    expect(json).toMatchObject({ kind: "segmint.anomaly-orders", version: 2 });
  });

  it("refuses anything else in plain words", () => {
    const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    expect(() => parseOrderAnomalyModel(null)).toThrow(/not a stored order anomaly model \(not an object\)/);
    expect(() => parseOrderAnomalyModel({ ...json, kind: "other" })).toThrow(/kind is "other"/);
    expect(() => parseOrderAnomalyModel({ ...json, version: 3 })).toThrow(/version 3/);
    // a model stored before products kept their largest lines: refit, said plainly
    expect(() => parseOrderAnomalyModel({ ...json, version: 1 })).toThrow(/fitted by an earlier version of Segmint \(version 1\).*fit a new one with a refresh/);
    expect(() => parseOrderAnomalyModel({ ...json, columns: ["burst"] })).toThrow(/columns/);
    expect(() => parseOrderAnomalyModel({ ...json, storeValue: [1, 0] })).toThrow(/scale is not positive/);
    expect(() => parseOrderAnomalyModel({ ...json, products: { ids: ["1"], quantity: [1, 1], largest: [], price: [1, 1] } })).toThrow(/different lengths/);
    expect(() => parseOrderAnomalyModel({ ...json, products: { ids: ["1"], quantity: [1, 1], price: [1, 1] } })).toThrow(/products are missing/);
    expect(() => parseOrderAnomalyModel({ ...json, forest: { kind: "x" } })).toThrow();
  });
});
