// Bulk operation result files (JSONL): downloaded once to a local file (a resumed pass reuses a
// complete download, never a partial one) and read back line by line.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/**
 * The result file at `url` as a local file in `dir`, named by the URL itself (unique per
 * operation), never by our own ids, which repeat across databases: a resumed pass reuses its
 * own download and nothing else's.
 */
export async function downloadBulkResult(url: string, dir: string): Promise<string> {
  const name = createHash("sha256").update(url).digest("hex").slice(0, 32);
  return downloadOnce(url, path.join(dir, `${name}.jsonl`));
}

async function downloadOnce(url: string, file: string): Promise<string> {
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`downloading the bulk result failed: HTTP ${res.status}`);
  const partial = `${file}.part`;
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(partial));
  renameSync(partial, file); // only a complete download is ever reused
  return file;
}

/**
 * The file's JSON lines that `wanted` accepts (judged on the raw text, so each pass parses only
 * its own half of the file). `n` is the 1-based line number.
 */
export async function* jsonLines(file: string, wanted: (raw: string) => boolean): AsyncGenerator<{ n: number; value: Record<string, unknown> }> {
  for await (const { n, text } of rawLines(file, null)) {
    if (text !== "" && wanted(text)) yield { n, value: parseLine(n, text) };
  }
}

/**
 * The file's JSON lines that contain `marker` (`present`) or do not, judged on the bytes before
 * any decoding: the backfill's passes each read one half of a file of hundreds of MB, and decoding
 * and splitting the other half as text was a good part of their time. `n` as in jsonLines.
 */
export async function* jsonLinesMarked(file: string, marker: string, present: boolean): AsyncGenerator<{ n: number; value: Record<string, unknown> }> {
  for await (const { n, text } of rawLines(file, { marker: Buffer.from(marker, "utf8"), present })) {
    if (text !== "") yield { n, value: parseLine(n, text) };
  }
}

function parseLine(n: number, text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`bulk result line ${n} is not JSON: ${text.slice(0, 120)}`);
  }
}

/**
 * The file's lines (LF or CRLF; numbered as node:readline numbers them) that `select` keeps (null:
 * all), each decoded only when kept: a dropped line is counted, never decoded nor yielded.
 */
async function* rawLines(file: string, select: { marker: Buffer; present: boolean } | null): AsyncGenerator<{ n: number; text: string }> {
  let n = 0;
  let rest: Buffer = Buffer.alloc(0);
  const decode = (buf: Buffer, start: number, end: number): string => {
    if (end > start && buf[end - 1] === 13) end--; // CRLF
    return buf.toString("utf8", start, end);
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf: Buffer = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    // The first marker at or after `start` (-1: none left in this buffer): found once, reused for
    // the lines before it, so the buffer is scanned once.
    let mark = select ? buf.indexOf(select.marker, 0) : -1;
    for (let end = buf.indexOf(10, start); end !== -1; end = buf.indexOf(10, start)) {
      n++;
      if (select === null) yield { n, text: decode(buf, start, end) };
      else {
        if (mark !== -1 && mark < start) mark = buf.indexOf(select.marker, start);
        if ((mark !== -1 && mark < end) === select.present) yield { n, text: decode(buf, start, end) };
      }
      start = end + 1;
    }
    rest = buf.subarray(start);
  }
  if (rest.length > 0) {
    n++;
    const marked = select !== null && rest.indexOf(select.marker) !== -1;
    if (select === null || marked === select.present) yield { n, text: decode(rest, 0, rest.length) };
  }
}
