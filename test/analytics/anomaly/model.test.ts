import { describe, expect, it } from "vitest";
import { detectOrderAnomalies, parseOrderAnomalyModel } from "../../../app/analytics/index";
import { syntheticStore } from "./synthetic-orders";

describe("the stored order model", () => {
  const { model } = detectOrderAnomalies(syntheticStore(3, 800).orders, { seed: 5 });

  it("is JSON-safe and reads back to the same model", () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(parseOrderAnomalyModel(json)).toEqual(model);
    expect(json).toMatchObject({ kind: "segmint.anomaly-orders", version: 1 });
  });

  it("refuses anything else in plain words", () => {
    const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    expect(() => parseOrderAnomalyModel(null)).toThrow(/not a stored order anomaly model \(not an object\)/);
    expect(() => parseOrderAnomalyModel({ ...json, kind: "other" })).toThrow(/kind is "other"/);
    expect(() => parseOrderAnomalyModel({ ...json, version: 2 })).toThrow(/version 2/);
    expect(() => parseOrderAnomalyModel({ ...json, columns: ["burst"] })).toThrow(/columns/);
    expect(() => parseOrderAnomalyModel({ ...json, storeValue: [1, 0] })).toThrow(/scale is not positive/);
    expect(() => parseOrderAnomalyModel({ ...json, products: { ids: ["1"], quantity: [], price: [] } })).toThrow(/different lengths/);
    expect(() => parseOrderAnomalyModel({ ...json, forest: { kind: "x" } })).toThrow();
  });
});
