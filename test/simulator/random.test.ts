import { describe, expect, it } from "vitest";
import { createRng, randomIntBetween, sampleIndices } from "../../simulator/random";

/** The simulator's former generator (mulberry32 on `seed >>> 0`), kept here as the oracle. */
function classicMulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("simulator randomness (the analytics core's createRng)", () => {
  it("replays the sequence the simulator's seeded shuffles and chaos were recorded with", () => {
    const rng = createRng(7);
    expect([rng(), rng(), rng()]).toEqual([0.011704753153026104, 0.06195825757458806, 0.97690763277933]);
  });

  it("equals classic mulberry32 for every integer seed the simulator derives (negative, ≥ 2^32, large ids)", () => {
    for (const seed of [0, 1, 3, 7, 42, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5, -1, -5, 5_000_000_000_123, 2 ** 53 - 1]) {
      const ours = createRng(seed);
      const classic = classicMulberry32(seed);
      for (let i = 0; i < 100; i++) expect(ours(), `seed ${seed}, draw ${i}`).toBe(classic());
    }
  });

  it("draws inclusive integer ranges and exact samples", () => {
    const rng = createRng(11);
    const draws = Array.from({ length: 2_000 }, () => randomIntBetween(rng, 1, 6));
    expect(Math.min(...draws)).toBe(1);
    expect(Math.max(...draws)).toBe(6);
    expect(sampleIndices(10, 4, createRng(1)).size).toBe(4);
    expect(sampleIndices(3, 9, createRng(1))).toEqual(new Set([0, 1, 2]));
  });
});
