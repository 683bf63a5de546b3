// When scheduled jobs run, in the shop's own time zone.
//
// A slot is a wall-clock hour on a calendar day of the zone. Where the clocks go forward and the
// hour does not exist, the slot is the moment the clocks change (the first instant whose wall time
// is at or past it); where they go back and the hour happens twice, the slot is its first
// occurrence. So a slot happens exactly once a day, never skipped, never twice.

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter, or null for a zone this runtime does not know. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    } catch {
      return null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes from UTC to the zone's wall time at `t` (positive east of Greenwich). */
function offsetMinutes(f: Intl.DateTimeFormat, t: number): number {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of f.formatToParts(t)) if (part.type !== "literal") p[part.type] = Number(part.value);
  const wall = new Date(Date.UTC(2000, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0));
  wall.setUTCFullYear(p.year ?? 2000); // Date.UTC maps years 0–99 to 1900–1999
  return Math.round((wall.getTime() - Math.floor(t / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** The instant the zone's wall clock reads `wallMs` (wall time written as if UTC), per the rule above. */
function instantOfWall(f: Intl.DateTimeFormat, wallMs: number): number {
  // Zones change offset at most a few times a year: the offsets a day either side cover the slot.
  const before = offsetMinutes(f, wallMs - DAY_MS);
  const after = offsetMinutes(f, wallMs + DAY_MS);
  const fits = [before, after].map((o) => wallMs - o * MINUTE_MS).filter((t) => offsetMinutes(f, t) * MINUTE_MS === wallMs - t);
  if (fits.length > 0) return Math.min(...fits); // a repeated hour: its first occurrence
  // In a gap: the change lies between the two readings; find its minute.
  let lo = wallMs - Math.max(before, after) * MINUTE_MS; // still on the old offset
  let hi = wallMs - Math.min(before, after) * MINUTE_MS; // already on the new one
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMinutes(f, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The instant a calendar day of the zone begins (its first minute; where the clocks go forward at
 * midnight, the moment they change). `day` is the day written as its UTC midnight. An unknown zone
 * is taken as UTC.
 */
export function startOfZonedDay(day: Date, timeZone: string): Date {
  const f = formatterFor(timeZone) ?? formatterFor("UTC")!;
  return new Date(instantOfWall(f, Math.floor(day.getTime() / DAY_MS) * DAY_MS));
}

/**
 * The first slot strictly after `now` at `hour` (shop time) on a day that `dayMatches` (0 = Sunday …
 * 6 = Saturday). An unknown time zone is taken as UTC.
 */
function nextSlot(now: Date, timeZone: string, hour: number, dayMatches: (weekday: number) => boolean): Date {
  const f = formatterFor(timeZone) ?? formatterFor("UTC")!;
  const t = now.getTime();
  const today = Math.floor((t + offsetMinutes(f, t) * MINUTE_MS) / DAY_MS);
  // From yesterday: where the clocks go back over midnight, yesterday's late slot can still be ahead.
  for (let day = today - 1; day <= today + 8; day++) {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (!dayMatches(weekday)) continue;
    const at = instantOfWall(f, day * DAY_MS + hour * HOUR_MS);
    if (at > t) return new Date(at);
  }
  throw new Error(`no slot at ${hour}:00 in ${timeZone} within 9 days of ${now.toISOString()}`);
}

function checkHour(hour: number): void {
  if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23)) throw new RangeError(`hour must be an integer 0–23, got ${hour}`);
}

/** The next 02:00 (shop time) strictly after `now`: quiet hours for the nightly reconciliation. */
export function nextNightlyRun(now: Date, timeZone: string, hour = 2): Date {
  checkHour(hour);
  return nextSlot(now, timeZone, hour, () => true);
}

/**
 * The next `hour`:00 on `weekday` (0 = Sunday … 6 = Saturday) in the shop's time zone, strictly
 * after `now`: when a shop's weekly segment refresh is due.
 */
export function nextWeeklyRun(now: Date, timeZone: string, weekday: number, hour: number): Date {
  checkHour(hour);
  if (!(Number.isInteger(weekday) && weekday >= 0 && weekday <= 6)) throw new RangeError(`weekday must be an integer 0–6 (0 = Sunday), got ${weekday}`);
  return nextSlot(now, timeZone, hour, (d) => d === weekday);
}

/** The next full hour (UTC) strictly after `now`: when the app-wide hourly pass runs again. */
export function nextFullHour(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
}
