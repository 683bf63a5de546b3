/**
 * Deterministic arm assignment (docs/experiments.md, "Assignment"): no random source, only a
 * salted hash of the customer id, so the same experiment gives every customer the same arm on
 * every machine and every day, and adding customers never moves anyone.
 */
import type { Arm } from "./types";

export interface ArmMember {
  readonly customerId: string;
  /** The customer's segment key at assignment: the split is exact within each stratum. */
  readonly stratum: string;
}

/** UTF-8 bytes of a string (the core has no TextEncoder: its tsconfig has no DOM or Node types). */
function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/** MurmurHash3, x86 32-bit variant (Appleby), of a byte array. */
export function murmur3(bytes: readonly number[], seed: number): number {
  let h = seed >>> 0;
  const n = bytes.length;
  const blocks = n - (n % 4);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = n % 4;
  if (tail === 3) k ^= bytes[blocks + 2]! << 16;
  if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
  if (tail >= 1) {
    k ^= bytes[blocks]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SECOND_SEED = 0x9747b28c;

/**
 * A uniform number in [0, 1) from the customer id and the experiment's salt: MurmurHash3 (x86,
 * 32-bit) of the UTF-8 bytes of `salt + ":" + customerId` with seeds 0 and 0x9747b28c, the first
 * hash's 32 bits and the second's top 21 bits forming a 53-bit integer, divided by 2^53.
 */
export function armHash(customerId: string, salt: string): number {
  const bytes = utf8(`${salt}:${customerId}`);
  const high = murmur3(bytes, 0);
  const low = murmur3(bytes, SECOND_SEED) >>> 11;
  return (high * 2097152 + low) / 9007199254740992;
}

function checkShare(controlShare: number): void {
  if (typeof controlShare !== "number" || !(controlShare > 0 && controlShare < 1)) {
    throw new RangeError(`The control share must be a number between 0 and 1 (exclusive), got ${String(controlShare)}`);
  }
}

/**
 * Arms for a cohort. Without `existing` (the cohort assigned at once): within each stratum, the
 * members ordered by armHash (ties by id), the round(controlShare × n) lowest go to control — an
 * exact split per stratum. With `existing`: those members keep their arm, and any other member (a
 * newcomer) is control iff armHash < controlShare, which depends on nobody else, so adding
 * customers never moves anyone.
 */
export function assignArms(members: readonly ArmMember[], salt: string, controlShare: number, existing?: ReadonlyMap<string, Arm>): Map<string, Arm> {
  checkShare(controlShare);
  if (typeof salt !== "string" || salt === "") throw new TypeError("The experiment's salt must be a non-empty string");
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.customerId)) throw new RangeError(`Customer ${m.customerId} appears twice in the cohort`);
    seen.add(m.customerId);
  }
  const arms = new Map<string, Arm>();
  if (existing !== undefined) {
    for (const m of members) {
      const kept = existing.get(m.customerId);
      arms.set(m.customerId, kept ?? (armHash(m.customerId, salt) < controlShare ? "control" : "treatment"));
    }
    return arms;
  }
  const strata = new Map<string, { id: string; hash: number }[]>();
  for (const m of members) {
    let list = strata.get(m.stratum);
    if (list === undefined) strata.set(m.stratum, (list = []));
    list.push({ id: m.customerId, hash: armHash(m.customerId, salt) });
  }
  for (const list of strata.values()) {
    list.sort((a, b) => a.hash - b.hash || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const controls = Math.round(controlShare * list.length);
    list.forEach((m, i) => arms.set(m.id, i < controls ? "control" : "treatment"));
  }
  // Keep the members' order in the map, whatever the strata.
  return new Map(members.map((m) => [m.customerId, arms.get(m.customerId)!]));
}
