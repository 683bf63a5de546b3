// Seeded randomness: every "random" behaviour of the simulator (JSONL shuffling, webhook chaos,
// synthetic stores) is reproducible from a seed so a failing test can be replayed.

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for shuffles and sampling (not for cryptography). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rng: Rng, minInclusive: number, maxInclusive: number): number {
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
