import { civilDay, parseIsoDay } from "../../app/analytics/index";

/** How to read `a/b/YYYY`: month first (`mdy`, the UCI spreadsheet export of Online Retail) or day first. */
export type SlashDateOrder = "mdy" | "dmy";

/**
 * Day number of a CSV date cell, taken as written: `YYYY-MM-DD[ time]` (the core's ISO rule) or a
 * spreadsheet slash date (`parseSlashDay`). `null` if neither.
 */
export function parseCsvDay(text: string, slashDateOrder: SlashDateOrder): number | null {
  return text.charCodeAt(4) === 45 /* - */ ? parseIsoDay(text) : parseSlashDay(text, slashDateOrder);
}

/**
 * Day number of a slash date `M/D/YYYY` (`mdy`) or `D/M/YYYY` (`dmy`), optionally followed by a
 * space and a time, taken as written. `null` if invalid.
 */
export function parseSlashDay(text: string, order: SlashDateOrder): number | null {
  const space = text.indexOf(" ");
  const datePart = space < 0 ? text : text.slice(0, space);
  const parts = datePart.split("/");
  if (parts.length !== 3) return null;
  const [a, b, c] = parts as [string, string, string];
  if (a.length < 1 || a.length > 2 || b.length < 1 || b.length > 2 || c.length !== 4) return null;
  const first = digits(a);
  const second = digits(b);
  const year = digits(c);
  return order === "mdy" ? civilDay(year, first, second) : civilDay(year, second, first);
}

/** Value of a string of ASCII digits, −1 if any character is not a digit. */
function digits(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}
