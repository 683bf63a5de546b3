/**
 * Calendar days as integers: days since 1970-01-01 in the proleptic Gregorian calendar.
 * Pure arithmetic (Howard Hinnant's civil-from-days), no `Date`, no time zones.
 */

/** Day number of a civil date. `month` is 1..12. */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number. */
export function civilFromDay(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number of a valid civil date (`month` 1..12, `day` 1..days in the month), else `null`. */
export function civilDay(year: number, month: number, day: number): number | null {
  if (!(Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day))) return null;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayFromCivil(year, month, day);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digitsAt(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Day number of an ISO-like date or timestamp, taking the calendar date *as written*:
 * `2011-12-09`, `2011-12-09 12:50:00`, `2011-12-09T23:30:00-05:00` and `…Z` all give
 * 2011-12-09 (the time and any zone offset after the date are not applied; see types.ts).
 * Returns `null` when the text does not start with a valid `YYYY-MM-DD` date.
 */
export function parseIsoDay(text: string): number | null {
  if (text.length < 10) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  if (text.length > 10) {
    const sep = text.charCodeAt(10);
    if (sep !== 32 /* space */ && sep !== 84 /* T */ && sep !== 116 /* t */) return null;
  }
  return civilDay(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Strict `YYYY-MM-DD` (nothing after the date) → day number, or throws with `what` in the message. */
export function requireIsoDate(text: string, what: string): number {
  const day = text.length === 10 ? parseIsoDay(text) : null;
  if (day === null) throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return day;
}
