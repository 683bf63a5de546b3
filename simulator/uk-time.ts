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
