import { selectRows, type Matrix } from "./matrix";

/** Uniform pseudo-random numbers in [0, 1). */
export type Rng = () => number;

/**
 * Deterministic mulberry32 generator (32-bit state, period 2^32). Fast and good enough for
 * sampling and k-means++ seeding; not cryptographic. Any finite number is accepted as a seed
 * (it is reduced to 32 bits), so the same seed always replays the same stream.
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`createRng: seed must be a finite number, got ${String(seed)}`);
  }
  // Mix the integer and fractional parts so seeds 1 and 1.5 differ.
  let state = (Math.trunc(seed) ^ Math.trunc((seed % 1) * 0x100000000)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A 32-bit seed drawn from `rng`, for deriving independent child generators (e.g. restarts). */
export function nextSeed(rng: Rng): number {
  return Math.floor(rng() * 4294967296) >>> 0;
}

/**
 * `m` distinct indices from [0, n), in random order (partial Fisher–Yates over an Int32Array;
 * O(n) memory, O(n + m) time). `m >= n` returns a permutation of all n indices.
 */
export function sampleWithoutReplacement(n: number, m: number, rng: Rng): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sampleWithoutReplacement: n must be a non-negative integer`);
  const take = Math.max(0, Math.min(n, Math.floor(m)));
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const tmp = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = tmp;
  }
  return pool.slice(0, take);
}

/** Standard normal via Box–Muller (one value per call; simple rather than fast). */
export function randomNormal(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * A seeded sample of `size` rows of `x` in their original order, and the sampled row indices
 * (`null` when `x` has no more than `size` rows: then `x` itself is returned, not a copy).
 */
export function sampleRows(x: Matrix, size: number, seed: number): { sample: Matrix; rows: Int32Array | null } {
  if (x.rows <= size) return { sample: x, rows: null };
  const rows = sampleWithoutReplacement(x.rows, size, createRng(seed)).sort();
  return { sample: selectRows(x, rows), rows };
}
