// The app's clock for business dates: the as-of day of a refresh and live assignment's "today".
// Real time, except in the offline demo, whose simulated store lives on the day after its data's
// last order: the entry points (server.ts, worker.ts) pass SEGMINT_DEMO_NOW at start, and the
// clock runs in real time from there. Schedules, leases and our own records' timestamps always
// use real time.

let offsetMs = 0;

/** Starts business time at `now` (ISO instant); undefined keeps real time. */
export function startBusinessClock(now: string | undefined): void {
  offsetMs = now === undefined ? 0 : Date.parse(now) - Date.now();
}

export function businessNow(): Date {
  return new Date(Date.now() + offsetMs);
}
