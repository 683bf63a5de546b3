// Seeded randomness: every "random" behaviour of the simulator (JSONL shuffling, webhook chaos,
// synthetic stores) is reproducible from a seed so a failing test can be replayed. The generator
// is the analytics core's mulberry32 (`createRng`); for the integer seeds the simulator uses, it
// yields the very sequence of the simulator's former copy (test/simulator/random.test.ts pins it).
import type { Rng } from "../app/analytics";

export { createRng, type Rng } from "../app/analytics";

/** Integer in [minInclusive, maxInclusive]. */
export function randomIntBetween(rng: Rng, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(rng() * (maxInclusive - minInclusive + 1));
}

/** Fisher–Yates, in place. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/** Exactly `count` distinct indices out of [0, n), chosen by the rng. */
export function sampleIndices(n: number, count: number, rng: Rng): Set<number> {
  const all = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(all, rng);
  return new Set(all.slice(0, Math.max(0, Math.min(n, count))));
}
