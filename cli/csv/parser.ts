/**
 * A small streaming RFC 4180 CSV parser: comma separator, `"` quoting with `""` escapes,
 * quoted fields may hold commas, quotes and newlines; rows end with LF or CRLF (a lone CR is
 * kept as data). Text is pushed in chunks of any size; rows come out through a callback with
 * the physical line number where the row starts (1 = first line of the file), so errors can
 * point at the right line even after multi-line fields.
 *
 * Lenient where it is safe: a `"` inside an unquoted field is kept literally. A row is marked
 * malformed (not dropped silently) when text follows a closing quote before the separator, or
 * when a quoted field is still open at the end of the input.
 */
export type CsvRowHandler = (fields: string[], line: number, error: string | null) => void;

export class CsvParser {
  private carry = "";
  private line = 1;
  private readonly onRow: CsvRowHandler;

  constructor(onRow: CsvRowHandler) {
    this.onRow = onRow;
  }

  /** Parses every complete row in `chunk` (plus what was left from the previous chunk). */
  push(chunk: string): void {
    const s = this.carry.length > 0 ? this.carry + chunk : chunk;
    const consumed = this.parse(s, false);
    this.carry = consumed < s.length ? s.slice(consumed) : "";
  }

  /** Flushes the last row (one without a trailing newline). */
  end(): void {
    if (this.carry.length > 0) this.parse(this.carry, true);
    this.carry = "";
  }

  /** Returns how many characters were consumed (complete rows only unless `final`). */
  private parse(s: string, final: boolean): number {
    const len = s.length;
    let pos = 0; // start of the current row
    let line = this.line;
    let nextQuote = -1; // position of the next '"' at or after pos (len when none)
    rows: while (pos < len) {
      // Fast path: a complete row without any quote is a plain split (most rows of real files).
      if (nextQuote < pos) {
        nextQuote = s.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = len;
      }
      const nl = s.indexOf("\n", pos);
      if (nl >= 0 && nl < nextQuote) {
        const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        this.emit(end === pos ? [""] : s.slice(pos, end).split(","), line, null);
        line++;
        pos = nl + 1;
        continue;
      }
      if (nl < 0 && !final) break; // incomplete row: wait for more text
      const fields: string[] = [];
      let i = pos;
      let rowLines = 0;
      let error: string | null = null;
      for (;;) {
        // one field starting at i
        if (i < len && s.charCodeAt(i) === 34 /* " */) {
          let value = "";
          let j = i + 1;
          for (;;) {
            const q = s.indexOf('"', j);
            if (q < 0) {
              if (!final) break rows; // need more text
              value += s.slice(j);
              rowLines += countNewlines(s, j, len);
              error ??= "unterminated quoted field";
              i = len;
              break;
            }
            rowLines += countNewlines(s, j, q);
            if (q + 1 < len && s.charCodeAt(q + 1) === 34) {
              value += s.slice(j, q + 1);
              j = q + 2;
              continue;
            }
            if (q + 1 >= len && !final) break rows; // can't tell "" from " yet
            value += s.slice(j, q);
            i = q + 1;
            // after a closing quote: separator, end of row, or junk
            if (i < len) {
              const c = s.charCodeAt(i);
              if (c !== 44 && c !== 10 && !(c === 13 && i + 1 < len && s.charCodeAt(i + 1) === 10) && c !== 13) {
                error ??= "text after a closing quote";
                let k = i;
                while (k < len) {
                  const d = s.charCodeAt(k);
                  if (d === 44 || d === 10) break;
                  k++;
                }
                if (k >= len && !final) break rows;
                value += s.slice(i, k);
                i = k;
              }
            }
            break;
          }
          fields.push(value);
        } else {
          let j = i;
          while (j < len) {
            const c = s.charCodeAt(j);
            if (c === 44 || c === 10) break;
            j++;
          }
          if (j >= len && !final) break rows; // row not complete yet
          let end = j;
          if (j < len && s.charCodeAt(j) === 10 && end > i && s.charCodeAt(end - 1) === 13) end--;
          else if (j >= len && end > i && s.charCodeAt(end - 1) === 13) end--;
          fields.push(s.slice(i, end));
          i = j;
        }
        if (i >= len) {
          // end of input (final): row ends here
          this.emit(fields, line, error);
          line += rowLines + 1;
          pos = len;
          break;
        }
        const c = s.charCodeAt(i);
        if (c === 44) {
          i++;
          if (i >= len) {
            if (!final) break rows;
            fields.push("");
            this.emit(fields, line, error);
            line += rowLines + 1;
            pos = len;
            break;
          }
          continue;
        }
        // newline (LF, or CRLF after a quoted field)
        if (c === 13) i++;
        if (i < len && s.charCodeAt(i) === 10) i++;
        else if (!final && i >= len) break rows;
        this.emit(fields, line, error);
        line += rowLines + 1;
        pos = i;
        break;
      }
    }
    this.line = line;
    return pos;
  }

  private emit(fields: string[], line: number, error: string | null): void {
    // a blank line is not a row
    if (fields.length === 1 && fields[0] === "" && error === null) return;
    this.onRow(fields, line, error);
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = s.indexOf("\n", from); k >= 0 && k < to; k = s.indexOf("\n", k + 1)) n++;
  return n;
}

/** Parses a whole CSV string (tests, small inputs). */
export function parseCsv(text: string): { fields: string[]; line: number; error: string | null }[] {
  const out: { fields: string[]; line: number; error: string | null }[] = [];
  const p = new CsvParser((fields, line, error) => out.push({ fields, line, error }));
  p.push(text);
  p.end();
  return out;
}
