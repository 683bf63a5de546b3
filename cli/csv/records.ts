// A CSV file with a header row, record by record: what every reader of the CLI shares (the
// transactions of `segment`, the cohort of `experiment analyze`). The first record is the header
// (BOM stripped, its columns found by the reader's own `detect`; what `detect` throws is rethrown
// from `push`/`end`), a malformed record is reported with its line number, and every other record
// goes to `onRecord` with the detected columns and the header's width.
import { CsvParser } from "./parser";

export class EmptyInputError extends Error {}

export interface HeadedRecordReader {
  push(chunk: string | Buffer): void;
  end(): void;
}

export function headedRecordReader<Columns>(
  detect: (header: string[]) => Columns,
  onMalformed: (line: number, error: string) => void,
  onRecord: (fields: string[], line: number, columns: Columns, width: number) => void,
): HeadedRecordReader {
  let header: string[] | null = null;
  let columns: Columns | null = null;
  let headerError: unknown = null;
  const parser = new CsvParser((fields, line, error) => {
    if (headerError !== null) return;
    if (header === null) {
      header = fields;
      if (header[0] !== undefined) header[0] = header[0].replace(/^\uFEFF/, "");
      try {
        columns = detect(header);
      } catch (e) {
        headerError = e;
      }
      return;
    }
    if (error !== null) onMalformed(line, error);
    else onRecord(fields, line, columns!, header.length);
  });
  return {
    push(chunk) {
      parser.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      if (headerError !== null) throw headerError;
    },
    end() {
      parser.end();
      if (headerError !== null) throw headerError;
      if (header === null) throw new EmptyInputError("the file is empty (no header row)");
    },
  };
}
