import { describe, expect, it } from "vitest";
import { fitScaler, applyScaler, scaleRow, invertScaledRow, parseScaler, signedLog1pValue } from "../../../app/analytics/segments/scaling";
import { quantileSorted } from "../../../app/analytics/util/stats";
import { hungarian } from "../../../app/analytics/segments/hungarian";
import { matrixFromRows } from "../../../app/analytics/util/matrix";

describe("scaling", () => {
  it("log1p then z-score with the population std (hand-computed)", () => {
    const e = Math.E;
    const x = matrixFromRows([[0], [e - 1], [e * e - 1]]); // log1p → 0, 1, 2
    const s = fitScaler(x);
    expect(s.center[0]).toBeCloseTo(1, 12);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(Array.from(applyScaler(s, x).data).map((v) => +v.toFixed(9))).toEqual([-1.224744871, 0, 1.224744871]);
  });
  it("negative monetary (net refunds) is sign-preserving", () => {
    expect(signedLog1pValue(-(Math.E - 1))).toBeCloseTo(-1, 12);
    expect(signedLog1pValue(-0.5)).toBeLessThan(0);
    const s = fitScaler(matrixFromRows([[-500], [0], [500]]));
    const y = applyScaler(s, matrixFromRows([[-500], [500]]));
    expect(y.data[0]).toBeCloseTo(-y.data[1]!, 12);
  });
  it("robust: median and IQR (numpy linear quantiles)", () => {
    const x = matrixFromRows([[1], [2], [3], [4], [100]]);
    const s = fitScaler(x, { transform: "none", method: "robust" });
    expect(s.center).toEqual([3]);
    expect(s.scale).toEqual([2]); // q75 = 4, q25 = 2
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
  it("a constant column scales by 1 (all zeros, no NaN)", () => {
    const s = fitScaler(matrixFromRows([[7, 1], [7, 2]]), { transform: "none" });
    expect(s.scale[0]).toBe(1);
    expect(Array.from(applyScaler(s, matrixFromRows([[7, 1]])).data)[0]).toBe(0);
  });
  it("round trip: original → scaled → original, and through JSON", () => {
    const x = matrixFromRows([[3, 1, -12.5], [40, 2, 0], [200, 17, 90_000]]);
    for (const method of ["zscore", "robust"] as const) {
      const s = parseScaler(JSON.parse(JSON.stringify(fitScaler(x, { method }))));
      for (const row of [[3, 1, -12.5], [1000, 50, 123456.789]]) {
        const back = invertScaledRow(s, scaleRow(s, row));
        back.forEach((v, j) => expect(v).toBeCloseTo(row[j]!, 6));
      }
    }
    expect(() => parseScaler({ kind: "scaler", transform: "log", method: "zscore", center: [], scale: [] })).toThrow(/transform/);
  });
  it("does not mutate its input", () => {
    const x = matrixFromRows([[1, 2], [3, 4]]);
    const before = Array.from(x.data);
    applyScaler(fitScaler(x), x);
    expect(Array.from(x.data)).toEqual(before);
  });
});

describe("Hungarian assignment", () => {
  it("finds the known optimum", () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    expect(Array.from(hungarian(cost))).toEqual([1, 0, 2]); // 1 + 2 + 2 = 5
  });
  it("handles rectangular matrices", () => {
    expect(Array.from(hungarian([[1, 9, 9, 0.5], [9, 1, 9, 9]]))).toEqual([3, 1]);
    expect(Array.from(hungarian([[1], [0.1], [5]]))).toEqual([-1, 0, -1]);
  });
  it("equals brute force on random 5×5 matrices", () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const perms = (n: number): number[][] => (n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    for (let t = 0; t < 20; t++) {
      const c = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => Math.round(rnd() * 100)));
      const best = Math.min(...perms(5).map((p) => p.reduce((s, j, i) => s + c[i]![j]!, 0)));
      const got = Array.from(hungarian(c)).reduce((s, j, i) => s + c[i]![j]!, 0);
      expect(got).toBe(best);
    }
  });
});

describe("median by quickselect", () => {
  it("equals the sorted median on random and tied inputs, without mutating them", async () => {
    const { medianOf } = await import("../../../app/analytics/util/stats");
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rnd() * 60);
      const v = Float64Array.from({ length: n }, () => (t % 2 ? Math.round(rnd() * 5) : rnd() * 100 - 50));
      const copy = Float64Array.from(v);
      const s = Array.from(v).sort((a, b) => a - b);
      const expected = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
      expect(medianOf(v)).toBe(expected);
      expect(v).toEqual(copy);
    }
    expect(Number.isNaN(medianOf(new Float64Array(0)))).toBe(true);
  });
});
