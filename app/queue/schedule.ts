// When scheduled jobs run, in the shop's own time zone.

/** Minutes between UTC and `timeZone` at `at` (positive east of Greenwich). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The next 02:00 (shop time) strictly after `now`: quiet hours for the nightly reconciliation. */
export function nextNightlyRun(now: Date, timeZone: string, hour = 2): Date {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    zone = "UTC";
  }
  const local = new Date(now.getTime() + offsetMinutes(now, zone) * 60_000);
  let candidate = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour) - offsetMinutes(now, zone) * 60_000;
  if (candidate <= now.getTime()) candidate += 24 * 3_600_000;
  // Correct for a DST change between now and the candidate.
  const drift = offsetMinutes(new Date(candidate), zone) - offsetMinutes(now, zone);
  return new Date(candidate - drift * 60_000);
}
