// RFC 4180 CSV for the admin's exports (the CLI has its own writer in cli/, which app/ may not import).

/** One field: quoted when it holds a comma, a quote, CR or LF (inner quotes doubled). */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated as RFC 4180 writes it. */
export function csvRecord(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}
