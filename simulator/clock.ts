// Time is injected so tests can drive throttling and bulk operations deterministically.
// The server uses the system clock; tests use FakeClock and move it with advance().

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that can be put at a given instant (the seeder moves it to the data's "today"). */
export interface SettableClock extends Clock {
  set(at: number | string | Date): void;
}

export function isSettableClock(clock: Clock): clock is SettableClock {
  return typeof (clock as Partial<SettableClock>).set === "function";
}

/**
 * Real time, shifted: after set(at) it reads `at` and then advances with the system clock. The
 * server uses it, so a shop seeded from 2011 data can live on the day after its last order.
 */
export class OffsetClock implements SettableClock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  set(at: number | string | Date): void {
    this.offset = (typeof at === "number" ? at : new Date(at).getTime()) - Date.now();
  }
}

export class FakeClock implements Clock {
  private current: number;
  constructor(start: number | string | Date = "2026-11-01T00:00:00Z") {
    this.current = typeof start === "number" ? start : new Date(start).getTime();
  }
  now(): number {
    return this.current;
  }
  /** Moves time forward. Negative moves are refused: nothing in Shopify runs backwards. */
  advance(ms: number): void {
    if (ms < 0) throw new Error("FakeClock cannot move backwards");
    this.current += ms;
  }
  set(at: number | string | Date): void {
    this.current = typeof at === "number" ? at : new Date(at).getTime();
  }
}

let lastIsoMs = NaN;
let lastIso = "";

export function iso(ms: number): string {
  // Consecutive calls often format the same instant (an order's createdAt = processedAt = updatedAt).
  if (ms === lastIsoMs) return lastIso;
  // Shopify's GraphQL DateTime has second precision and a Z suffix ("2026-10-28T15:17:49Z").
  lastIso = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
  lastIsoMs = ms;
  return lastIso;
}
