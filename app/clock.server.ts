// The app's clock for business dates: the as-of day of a refresh and live assignment's "today".
// Real time, except in the offline demo, whose simulated store lives on the day after its data's
// last order: the entry points (server.ts, worker.ts) pass SEGMINT_DEMO_NOW at start, and the
// clock runs in real time from there. Schedules, leases and our own records' timestamps always
// use real time.

declare global {
  // The offset is process-wide: the app process loads this module twice (server.ts's queue from
  // source, which starts the clock; the routes from the build), and both must tell the same day.
  var __segmintBusinessOffsetMs: number | undefined;
}

/** Starts business time at `now` (ISO instant); undefined keeps real time. */
export function startBusinessClock(now: string | undefined): void {
  globalThis.__segmintBusinessOffsetMs = now === undefined ? 0 : Date.parse(now) - Date.now();
}

export function businessNow(): Date {
  return new Date(Date.now() + (globalThis.__segmintBusinessOffsetMs ?? 0));
}
