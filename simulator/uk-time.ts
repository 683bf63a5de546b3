// The Online Retail dataset's InvoiceDate is UK wall-clock time without a zone. The shop is
// Europe/London, so a wall time is GMT (UTC+0) in winter and BST (UTC+1) from the last Sunday
// of March 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule, in force since 1996).
// Hand-coded instead of Intl so seeding 541,909 rows stays fast and needs no ICU data.

function lastSundayUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const day = lastDay.getUTCDay();
  return Date.UTC(year, month, lastDay.getUTCDate() - day, 1, 0, 0);
}

const bstCache = new Map<number, [number, number]>();

function bstRange(year: number): [number, number] {
  let range = bstCache.get(year);
  if (!range) {
    range = [lastSundayUtc(year, 2), lastSundayUtc(year, 9)];
    bstCache.set(year, range);
  }
  return range;
}

/**
 * UTC epoch ms for a UK wall-clock time. In the autumn overlap hour (01:00–02:00 local, seen
 * twice) the first (BST) reading wins; in the spring gap the time is read as GMT.
 */
export function ukWallTimeToUtc(year: number, month1: number, day: number, hour: number, minute: number, second = 0): number {
  const asUtc = Date.UTC(year, month1 - 1, day, hour, minute, second);
  const [start, end] = bstRange(year);
  const bstCandidate = asUtc - 3_600_000;
  return bstCandidate >= start && bstCandidate < end ? bstCandidate : asUtc;
}

/** Parses "YYYY-MM-DD HH:MM:SS" (UK local) to UTC ms. */
export function parseUkDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) throw new Error(`Not a UK date-time: ${text}`);
  return ukWallTimeToUtc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
}

/** The UK wall-clock calendar date of a UTC instant (BST from the last Sunday of March to October). */
export function ukCivilDate(utcMs: number): { year: number; month: number; day: number } {
  const year = new Date(utcMs).getUTCFullYear();
  const [start, end] = bstRange(year);
  const local = new Date(utcMs >= start && utcMs < end ? utcMs + 3_600_000 : utcMs);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/**
 * An InvoiceDate of either dataset export, as UK wall time: "YYYY-MM-DD HH:MM[:SS]" (the CSVs in
 * ../shared/data and Kaggle's Online Retail II) or the spreadsheet's "M/D/YYYY H:MM" (month first,
 * as the UCI Excel files export to CSV).
 */
export function parseUkDataDateTime(text: string): number {
  if (text.charCodeAt(4) === 45 /* - */) return parseUkDateTime(text);
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`Not a date-time (YYYY-MM-DD HH:MM or M/D/YYYY H:MM): ${text}`);
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new Error(`Not a month/day/year date: ${text}`);
  return ukWallTimeToUtc(Number(m[3]), month, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}
