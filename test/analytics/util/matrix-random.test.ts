import { describe, expect, it } from "vitest";
import { assertMatrix, matrixFromData, matrixFromRows, selectRows } from "../../../app/analytics/util/matrix";
import { createRng, sampleWithoutReplacement } from "../../../app/analytics/util/random";
import { signedLog1p, zScoreColumns, syntheticRfm, syntheticRfmFeatures } from "../../../bench/synthetic-rfm";

describe("matrix", () => {
  it("matrixFromRows copies row-major and validates shape", () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const m = matrixFromRows(rows);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    rows[0]![0] = 99;
    expect(m.data[0]).toBe(1);
    expect(matrixFromRows([])).toMatchObject({ rows: 0, cols: 0 });
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values/);
    expect(() => matrixFromData(new Float64Array(5), 2, 3)).toThrow(/expected/);
  });
  it("assertMatrix rejects NaN and Infinity with the position", () => {
    expect(() => assertMatrix(matrixFromRows([[1, 2], [3, Infinity]]), "f")).toThrow(/row 1, column 1/);
    expect(() => assertMatrix(matrixFromRows([[1, 2]]), "f", { minRows: 2 })).toThrow(/at least 2 rows/);
  });
  it("selectRows picks rows", () => {
    expect(Array.from(selectRows(matrixFromRows([[1], [2], [3]]), [2, 0]).data)).toEqual([3, 1]);
  });
});

describe("random", () => {
  it("createRng is deterministic, seed-dependent and uniform-ish in [0, 1)", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs[0]).not.toBe(c());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, v) => s + v, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
  });
  it("sampleWithoutReplacement draws distinct indices", () => {
    const s = sampleWithoutReplacement(1000, 300, createRng(1));
    expect(new Set(s).size).toBe(300);
    expect(Math.max(...s)).toBeLessThan(1000);
    expect(sampleWithoutReplacement(5, 10, createRng(1)).length).toBe(5);
  });
});

describe("scaling and synthetic RFM", () => {
  it("signedLog1p keeps the sign; zScoreColumns uses the population std", () => {
    const m = signedLog1p(matrixFromRows([[-Math.E + 1], [0], [Math.E - 1]]));
    expect(Array.from(m.data).map((v) => +v.toFixed(12))).toEqual([-1, 0, 1]);
    const z = zScoreColumns(matrixFromRows([[1, 5], [3, 5]]));
    expect(Array.from(z.scaled.data)).toEqual([-1, 0, 1, 0]);
    expect(z.std).toEqual([1, 0]);
  });
  it("synthetic RFM has ~58 % one-time buyers, ~0.2 % whales, and scaled features with mean 0 / std 1", () => {
    const raw = syntheticRfm(50000, 3);
    let once = 0;
    let whales = 0;
    for (let i = 0; i < raw.rows; i++) {
      if (raw.data[i * 3 + 1] === 1) once++;
      if (raw.data[i * 3 + 1]! >= 40) whales++;
    }
    expect(once / raw.rows).toBeGreaterThan(0.55);
    expect(once / raw.rows).toBeLessThan(0.65);
    expect(whales / raw.rows).toBeGreaterThan(0.001);
    expect(whales / raw.rows).toBeLessThan(0.004);
    const f = syntheticRfmFeatures(50000, 3);
    for (let t = 0; t < 3; t++) {
      let s = 0;
      let q = 0;
      for (let i = 0; i < f.rows; i++) {
        s += f.data[i * 3 + t]!;
        q += f.data[i * 3 + t]! ** 2;
      }
      expect(s / f.rows).toBeCloseTo(0, 9);
      expect(q / f.rows).toBeCloseTo(1, 9);
    }
    expect(Array.from(syntheticRfmFeatures(100, 3).data)).toEqual(Array.from(syntheticRfmFeatures(100, 3).data));
  });
});
